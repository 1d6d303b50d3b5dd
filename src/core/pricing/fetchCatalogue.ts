// One GET of the public catalogue, with no Authorization header and no cookies: the catalogue needs no key
// and must never receive one. The extension passes a dispatcher that goes the way VS Code's networking goes
// (see clientProvider.ts); without one, a direct short-lived dispatcher is used and closed.
// Bounded in time and size; redirects are not followed. Loaded lazily by the extension (undici is big).
import { request, type Dispatcher } from 'undici';
import { createDispatcher } from '../api/proxy';

const TIMEOUT_MS = 15_000;
/** The real catalogue lists every model CometAPI sells; a few MB is plenty, more is not a catalogue. */
const MAX_BYTES = 8 * 1024 * 1024;

export async function fetchCatalogueJson(url: string, given: Dispatcher | undefined): Promise<unknown> {
  const dispatcher = given ?? createDispatcher(undefined, { keepAliveTimeoutMs: 1_000 });
  try {
    const res = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      dispatcher,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`HTTP ${res.statusCode}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_BYTES) {
        res.body.destroy();
        throw new Error('the catalogue is larger than expected');
      }
      chunks.push(chunk as Buffer);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new Error('the catalogue is not JSON');
    }
  } finally {
    if (!given) await dispatcher.close().catch(() => undefined);
  }
}
