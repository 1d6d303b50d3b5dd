// One API request through an injected undici dispatcher: the caller's AbortSignal, no redirect following
// (a 3xx is reported, never followed: CONTRACT 2), and a body that is always read or dumped so the
// keep-alive socket goes back to the pool.
//
// Two clocks, so a slow uplink is not mistaken for a silent service:
// - while a request body is uploading, an idle timeout: the upload fails when the socket has taken no byte
//   for `uploadIdleMs` (the body never arrived whole, so nothing can have been created);
// - once the last byte has left (or at once, without a body), the deadline `timeoutMs` for the answer.
// The dispatch-handler API is used (not undici's request()) so the same code runs over any Dispatcher,
// including the one over Node's http module that VS Code's proxy support patches (nodeHttpDispatcher.ts).

import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { UploadBody } from './createForm';
import { ApiError } from './errors';
import { errorFromException, type Operation } from './errorMapping';
import { redactSecrets, redactUrl } from '../redact';

/** Error bodies and task JSON are small; a wrong base URL may serve megabytes of HTML. */
const MAX_BODY_CHARS = 256 * 1024;

/** Default idle timeout while uploading: no byte taken by the socket for this long. */
export const DEFAULT_UPLOAD_IDLE_MS = 30_000;

/** Bytes of the request body the socket has taken so far, and the total. */
export type UploadProgress = (sentBytes: number, totalBytes: number) => void;

export interface ApiRequest {
  readonly operation: Operation;
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: UploadBody;
  readonly dispatcher: Dispatcher;
  /** Deadline for the answer, counted from the moment the whole request has been sent. */
  readonly timeoutMs: number;
  /** While uploading a body: the longest time the socket may take no byte. */
  readonly uploadIdleMs?: number;
  readonly onUploadProgress?: UploadProgress;
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
class UploadStalled extends Error {}

/** Sends the request and reads the whole (bounded) answer; throws ApiError for transport failures. */
export async function send(req: ApiRequest): Promise<ApiResponse> {
  // One controller carries every reason to stop; which one fired decides timeout, stall or abort.
  const controller = new AbortController();
  let why: 'deadline' | 'stalled' | undefined;
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number, reason: 'deadline' | 'stalled') => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      why = reason;
      controller.abort(reason === 'deadline' ? new Deadline() : new UploadStalled());
    }, ms);
  };
  const onCallerAbort = () => controller.abort(req.signal?.reason);
  if (req.signal?.aborted) onCallerAbort();
  else req.signal?.addEventListener('abort', onCallerAbort, { once: true });

  const idleMs = req.uploadIdleMs ?? DEFAULT_UPLOAD_IDLE_MS;
  let sent = 0;
  let uploaded = req.body === undefined;
  const body = req.body;
  const startedAt = performance.now();
  const pieces = body
    ? (function* () {
        for (const piece of body.chunks()) {
          // Pulled again = the socket took the previous piece: progress, and the idle clock restarts.
          yield piece;
          sent += piece.length;
          arm(idleMs, 'stalled');
          req.onUploadProgress?.(sent, body.length);
        }
        // The last piece has been handed to the socket: from now on only the answer is awaited, plus the
        // time the bytes still queued in socket buffers need at the rate seen so far.
        uploaded = true;
        arm(req.timeoutMs + drainAllowanceMs(body.length, performance.now() - startedAt, req.timeoutMs), 'deadline');
      })()
    : undefined;
  // Until the first piece is taken (connecting, a busy pool) the idle clock already runs.
  arm(pieces ? idleMs : req.timeoutMs, pieces ? 'stalled' : 'deadline');

  try {
    const res = await dispatchBounded(req, pieces, controller.signal);
    return res;
  } catch (error) {
    if (why === 'stalled' && !uploaded) {
      const origin = redactUrl(req.url.origin);
      const seconds = Math.round(idleMs / 1000);
      throw new ApiError(
        'timeout',
        redactSecrets(`The upload to ${origin} stalled: no data was accepted for ${seconds} s after ${sent} of ${body?.length ?? 0} bytes. Nothing was created; check the connection and try again.`, req.secrets),
        { cause: error, mayHaveReachedServer: false, reason: 'uploadStalled', detail: { sentBytes: sent, totalBytes: body?.length ?? 0, seconds } },
      );
    }
    throw errorFromException(error, {
      operation: req.operation,
      url: req.url.href,
      timedOut: why === 'deadline',
      timeoutMs: req.timeoutMs,
      callerAborted: why === undefined && req.signal?.aborted === true,
      // A create whose body never left whole cannot have made a task.
      bodyIncomplete: !uploaded,
      secrets: req.secrets,
    });
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** Kernel socket buffers hold up to a few MB (Linux: 4 MiB send buffer at most) that are not on the wire yet. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * Extra time for what may still sit in socket buffers when the last piece was handed over: at most
 * MAX_QUEUED_BYTES at the upload's average rate, and never more than the deadline itself (so a create
 * whose answer never comes is reported within twice the deadline at worst).
 */
export function drainAllowanceMs(totalBytes: number, elapsedMs: number, timeoutMs: number): number {
  if (totalBytes <= 0 || elapsedMs <= 0) return 0;
  const bytesPerMs = totalBytes / elapsedMs;
  return Math.min(timeoutMs, Math.round(Math.min(totalBytes, MAX_QUEUED_BYTES) / bytesPerMs));
}

/**
 * Dispatches the request and reads up to MAX_BODY_CHARS of the answer as text, discarding (but reading)
 * the rest, so the socket can be reused without holding an oversized page in memory.
 */
function dispatchBounded(req: ApiRequest, pieces: Iterable<Uint8Array> | undefined, signal: AbortSignal): Promise<ApiResponse> {
  return new Promise<ApiResponse>((resolve, reject) => {
    const decoder = new TextDecoder('utf-8');
    let text = '';
    let full = false;
    let head: { status: number; headers: Record<string, string | string[] | undefined> } | undefined;
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      outcome();
    };
    function onAbort() {
      const reason = signal.reason instanceof Error ? signal.reason : new Error('aborted');
      // Before the dispatcher has called back there is no controller yet; settle directly.
      if (controller) controller.abort(reason);
      else settle(() => reject(reason));
    }
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (signal.aborted) onAbort();
      },
      onResponseStart(_c, status, headers) {
        if (status < 200) return;
        head = { status, headers: headers as Record<string, string | string[] | undefined> };
      },
      onResponseData(_c, chunk) {
        if (full) return;
        text += decoder.decode(chunk as Uint8Array, { stream: true });
        if (text.length > MAX_BODY_CHARS) {
          text = text.slice(0, MAX_BODY_CHARS);
          full = true;
        }
      },
      onResponseEnd() {
        settle(() => resolve({ status: head?.status ?? 0, headers: head?.headers ?? {}, bodyText: full ? text : text + decoder.decode() }));
      },
      onResponseError(_c, error) {
        settle(() => reject(error));
      },
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) return onAbort();
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) {
      headers['content-type'] = req.body.contentType;
      headers['content-length'] = String(req.body.length);
    }
    try {
      req.dispatcher.dispatch(
        {
          origin: req.url.origin,
          path: `${req.url.pathname}${req.url.search}`,
          method: req.method,
          headers,
          // An iterable body is written piece by piece, each after the socket drained the previous one.
          body: pieces as unknown as Dispatcher.DispatchOptions['body'],
          // Our timers own the deadlines (the upload may legitimately take minutes); undici's per-phase
          // timeouts stay as a backstop for a socket that goes silent once the answer has started.
          headersTimeout: 0,
          bodyTimeout: req.timeoutMs,
        },
        handler,
      );
    } catch (error) {
      settle(() => reject(error));
    }
  });
}
