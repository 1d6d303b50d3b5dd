// An undici Dispatcher over Node's own http/https modules, for requests inside VS Code.
//
// VS Code's extension host patches `http.request`/`https.request` (@vscode/proxy-agent) so extensions reach
// the network the way the editor does: `http.proxySupport` (off/on/fallback/override), `http.proxy`,
// `http.noProxy`, `http.proxyAuthorization`, `http.proxyStrictSSL`, Kerberos, the system's proxy and PAC
// file, and the system's certificates. A bundled undici opens its own sockets and gets none of that, and the
// only way to reach it through undici is the global dispatcher slot, which we never touch. So the client's
// requests go through this dispatcher, which calls the patched functions at request time with no agent of
// its own (with `on`, VS Code applies its proxy only to requests that bring none). The transport and the
// download code stay the same: they speak undici's dispatch-handler API, implemented here.

// 'http' and 'https', never 'node:http': VS Code hands an extension its patched copies by intercepting
// require('http') / require('https') from the extension's files, and the 'node:' names are not intercepted.
import * as http from 'http';
import * as https from 'https';
import { Dispatcher } from 'undici';

/** Errors carrying undici's codes, so errorMapping classifies timeouts the same on both dispatchers. */
class TimeoutError extends Error {
  constructor(readonly code: 'UND_ERR_HEADERS_TIMEOUT' | 'UND_ERR_BODY_TIMEOUT', message: string) {
    super(message);
  }
}

type Headers = Record<string, string | string[]>;

export class NodeHttpDispatcher extends Dispatcher {
  private readonly active = new Set<http.ClientRequest>();
  private closed = false;

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.closed) {
      handler.onResponseError?.(inertController(), new Error('The dispatcher is closed.'));
      return false;
    }
    const url = new URL(opts.path, String(opts.origin));
    // Looked up at call time, on the module objects this file was given (VS Code's patched copies).
    const send = url.protocol === 'https:' ? https.request : http.request;
    let req: http.ClientRequest | undefined;
    let res: http.IncomingMessage | undefined;
    let finished = false;
    let aborted = false;
    let paused = false;
    let reason: Error | null = null;
    let timer: NodeJS.Timeout | undefined;
    let bodyTimer: NodeJS.Timeout | undefined;
    const stopBodyTimer = () => {
      clearTimeout(bodyTimer);
      bodyTimer = undefined;
    };

    const finish = (error?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      stopBodyTimer();
      if (req) this.active.delete(req);
      if (error) {
        req?.destroy();
        handler.onResponseError?.(controller, error);
      } else {
        handler.onResponseEnd?.(controller, (res?.trailers ?? {}) as Record<string, string>);
      }
    };
    const arm = (ms: number | null | undefined, make: () => Error) => {
      clearTimeout(timer);
      if (ms && ms > 0 && !finished) timer = setTimeout(() => finish(make()), ms);
    };
    // Restarted on every chunk (thousands per second on a fast link): refresh() instead of a new timer.
    const armBody = () => {
      const ms = opts.bodyTimeout ?? 300_000;
      if (!ms || finished) return;
      if (bodyTimer) bodyTimer.refresh();
      else bodyTimer = setTimeout(() => finish(new TimeoutError('UND_ERR_BODY_TIMEOUT', 'Body timeout')), ms);
    };

    const controller: Dispatcher.DispatchController = {
      get aborted() {
        return aborted;
      },
      get paused() {
        return paused;
      },
      get reason() {
        return reason;
      },
      abort(error: Error) {
        if (aborted || finished) return;
        aborted = true;
        reason = error;
        finish(error);
      },
      pause() {
        paused = true;
        stopBodyTimer(); // a paused body is our choice, not the server's silence
        res?.pause();
      },
      resume() {
        if (!paused) return;
        paused = false;
        if (res) armBody();
        res?.resume();
      },
    };

    handler.onRequestStart?.(controller, {});
    if (aborted) return true;

    try {
      // No agent: see the header comment.
      req = send(url, { method: opts.method, headers: plainHeaders(opts.headers) });
    } catch (error) {
      finish(error instanceof Error ? error : new Error(String(error)));
      return true;
    }
    this.active.add(req);
    const request = req;
    request.on('error', (error) => finish(error));
    request.on('response', (response) => {
      res = response;
      clearTimeout(timer);
      response.on('error', (error) => finish(error));
      response.on('aborted', () => finish(Object.assign(new Error('The connection closed before the body ended.'), { code: 'UND_ERR_SOCKET' })));
      response.on('close', () => {
        if (!response.complete) finish(Object.assign(new Error('The connection closed before the body ended.'), { code: 'UND_ERR_SOCKET' }));
      });
      handler.onResponseStart?.(controller, response.statusCode ?? 0, response.headers, response.statusMessage);
      if (finished) return;
      response.on('data', (chunk: Buffer) => {
        if (finished) return;
        if (!paused) armBody();
        handler.onResponseData?.(controller, chunk);
      });
      response.on('end', () => finish());
      if (paused) response.pause();
      else armBody();
    });

    void writeBody(request, opts.body).then(
      () => {
        // The whole request is out: now the answer's head is awaited.
        if (!res) arm(opts.headersTimeout ?? 300_000, () => new TimeoutError('UND_ERR_HEADERS_TIMEOUT', 'Headers timeout'));
      },
      (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
    );
    return true;
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    this.closed = true;
    if (callback) return void setImmediate(callback);
    return Promise.resolve();
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    this.closed = true;
    for (const req of this.active) req.destroy(a instanceof Error ? a : undefined);
    this.active.clear();
    const callback = typeof a === 'function' ? a : b;
    if (callback) return void setImmediate(callback);
    return Promise.resolve();
  }
}

/** Writes the body piece by piece, each after the socket took the previous one, then ends the request. */
async function writeBody(req: http.ClientRequest, body: Dispatcher.DispatchOptions['body']): Promise<void> {
  if (body === undefined || body === null) return void req.end();
  if (typeof body === 'string' || body instanceof Uint8Array) return void req.end(body);
  for await (const piece of body as AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    if (req.destroyed) return;
    if (!req.write(piece)) await drained(req);
  }
  req.end();
}

function drained(req: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      req.off('drain', done);
      req.off('close', done);
      resolve();
    };
    req.on('drain', done);
    req.on('close', done);
  });
}

function plainHeaders(headers: Dispatcher.DispatchOptions['headers']): Headers {
  const out: Headers = {};
  if (!headers) return out;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i])] = String(headers[i + 1]);
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function inertController(): Dispatcher.DispatchController {
  return { aborted: true, paused: false, reason: null, abort() {}, pause() {}, resume() {} };
}
