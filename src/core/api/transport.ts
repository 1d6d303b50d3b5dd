// One API request through an injected undici dispatcher: a per-request deadline, the caller's AbortSignal,
// no redirect following (a 3xx is reported, never followed: CONTRACT 2), and a body that is always read
// or dumped so the keep-alive socket goes back to the pool.

import { request, type Dispatcher, type FormData } from 'undici';
import { errorFromException, type Operation } from './errorMapping';

/** Error bodies and task JSON are small; a wrong base URL may serve megabytes of HTML. */
const MAX_BODY_CHARS = 256 * 1024;

export interface ApiRequest {
  readonly operation: Operation;
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: FormData;
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Scrubbed from any error message. */
  readonly secrets: readonly (string | undefined)[];
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The body as text, cut at MAX_BODY_CHARS. */
  readonly bodyText: string;
}

class Deadline extends Error {}

/** Sends the request and reads the whole (bounded) answer; throws ApiError for transport failures. */
export async function send(req: ApiRequest): Promise<ApiResponse> {
  // One controller carries both reasons to stop; which one fired decides 'timeout' vs 'aborted'.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Deadline());
  }, req.timeoutMs);
  const onCallerAbort = () => controller.abort(req.signal?.reason);
  if (req.signal?.aborted) onCallerAbort();
  else req.signal?.addEventListener('abort', onCallerAbort, { once: true });

  try {
    const res = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher: req.dispatcher,
      signal: controller.signal,
      // Belt and braces under our own timer: undici's per-phase timeouts also bound a stalled socket.
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const bodyText = await readBounded(res.body);
    return { status: res.statusCode, headers: res.headers, bodyText };
  } catch (error) {
    throw errorFromException(error, {
      operation: req.operation,
      url: req.url.href,
      timedOut,
      timeoutMs: req.timeoutMs,
      callerAborted: !timedOut && req.signal?.aborted === true,
      secrets: req.secrets,
    });
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * Reads up to MAX_BODY_CHARS of text and drains (discards) the rest, so the body is always consumed and
 * the socket can be reused, without holding an oversized page in memory. The per-request timer bounds it.
 */
async function readBounded(body: Dispatcher.ResponseData['body']): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let full = false;
  for await (const chunk of body) {
    if (full) continue;
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    if (text.length > MAX_BODY_CHARS) {
      text = text.slice(0, MAX_BODY_CHARS);
      full = true;
    }
  }
  return full ? text : text + decoder.decode();
}
