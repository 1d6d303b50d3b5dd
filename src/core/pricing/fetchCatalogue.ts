// One GET of the public catalogue, with no Authorization header and no cookies: the catalogue needs no key
// and must never receive one. It goes through Node's http/https modules, which VS Code's extension host
// patches with its own proxy support (http.proxySupport, system and PAC proxies), so the catalogue is reached
// the way VS Code reaches the network. Bounded in time and size; redirects are not followed.
/* eslint-disable @typescript-eslint/no-require-imports */
// Plain module names on purpose: VS Code intercepts `require('http')`, not `node:http`.
import type * as Http from 'http';
const http = require('http') as typeof Http;
const https = require('https') as typeof Http & { request: typeof Http.request };

const TIMEOUT_MS = 15_000;
/** The real catalogue lists every model CometAPI sells; a few MB is plenty, more is not a catalogue. */
const MAX_BYTES = 8 * 1024 * 1024;

export function fetchCatalogueJson(url: string): Promise<unknown> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(target, { method: 'GET', headers: { accept: 'application/json' }, timeout: TIMEOUT_MS }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`HTTP ${res.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BYTES) {
          req.destroy(new Error('the catalogue is larger than expected'));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new Error('the catalogue is not JSON'));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}
