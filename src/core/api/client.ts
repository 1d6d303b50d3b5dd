// CometAPI's Seedance video endpoints (POST /v1/videos, GET /v1/videos/{id}) and the download of the
// result. The only place that sends the API key, and only ever to the configured base URL.
//
// - create is never retried (not idempotent: a retry after a lost answer makes and bills a second video);
//   a status check is sent once too: the poller's loop is the one owner of retries and backoff.
// - Two dispatchers: one for the API origin, one for video hosts, each keep-alive; neither is global.
// - The key is read per call through getApiKey (it may change), checked before anything is sent.

import { checkBaseUrl } from '../baseUrl';
import { redactSecrets } from '../redact';
import type { RequestShape } from '../catalog';
import type { Dispatcher } from 'undici';
import { downloadVideo as download, type DownloadOptions, type DownloadResult } from '../download/download';
import { buildCreateForm } from './createForm';
import { ApiError } from './errors';
import { errorFromResponse, type Operation } from './errorMapping';
import { createDispatcher, type ProxySettings } from './proxy';
import { abortedError, parseRetryAfter } from './retry';
import { send, type ApiResponse, type UploadProgress } from './transport';
import type { CreateVideoRequest, VideoTask } from './types';
import { parseVideoTask, WireShapeError } from './wire';

export interface CometClientOptions {
  /** e.g. https://api.cometapi.com (a trailing /v1 is tolerated). https, or http on loopback only. */
  readonly baseUrl: string;
  /** Read before each call; undefined or blank means "no key" (nothing is sent). */
  readonly getApiKey: () => Promise<string | undefined>;
  /** Dispatcher for API requests (not closed by close()). Default: a keep-alive one from `proxy`. */
  readonly dispatcher?: Dispatcher;
  /** Dispatcher for video hosts (not closed by close()). Default: a separate keep-alive one from `proxy`. */
  readonly videoDispatcher?: Dispatcher;
  /** Proxy for the dispatchers this client creates. Absent: direct connections. */
  readonly proxy?: ProxySettings;
  /**
   * Default 30 s (CometAPI's sample): how long to wait for the answer once the whole request has been
   * sent. The upload itself is bounded by uploadIdleMs instead, so a large image over a slow link fits.
   */
  readonly createTimeoutMs?: number;
  /** Default 30 s: an upload fails when the socket takes no byte for this long (nothing is created then). */
  readonly uploadIdleMs?: number;
  /** Default 15 s (CometAPI's sample). */
  readonly pollTimeoutMs?: number;
  /** One line per request: method, path, status, task id. Never the key or a signed query. */
  readonly log?: (line: string) => void;
  /** Which documented create request shape to send (seedance.requestShape), read per call. Default 'ratio'. */
  readonly requestShape?: () => RequestShape;
  /** Defaults for downloads (attempts, timeouts, ...). */
  readonly download?: Omit<DownloadOptions, 'signal' | 'onProgress' | 'dispatcher' | 'log'>;
}

export interface CreateCallOptions {
  /** Bytes of the request the socket has taken, and the total: for a progress bar on large images. */
  readonly onUploadProgress?: UploadProgress;
}

export interface DownloadCallOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (received: number, total?: number) => void;
}

const USER_AGENT = 'seedance-studio';

export class CometClient {
  private readonly api: Dispatcher;
  private readonly video: Dispatcher;
  private readonly owned: Dispatcher[] = [];
  private closed = false;

  constructor(private readonly opts: CometClientOptions) {
    this.api = opts.dispatcher ?? this.own(createDispatcher(opts.proxy));
    this.video = opts.videoDispatcher ?? this.own(createDispatcher(opts.proxy));
  }

  /** POST /v1/videos. Never retried; on a failure after sending, the error says mayHaveReachedServer. */
  async createVideo(req: CreateVideoRequest, signal?: AbortSignal, options: CreateCallOptions = {}): Promise<VideoTask> {
    const key = await this.apiKey();
    // Cancelled before anything was sent: say so plainly (nothing can have been created).
    if (signal?.aborted) throw abortedError();
    const url = this.endpoint('/v1/videos');
    const started = Date.now();
    let res: ApiResponse;
    try {
      res = await send({
        operation: 'create',
        method: 'POST',
        url,
        headers: this.headers(key),
        body: buildCreateForm(req, this.opts.requestShape?.() ?? 'ratio'),
        dispatcher: this.api,
        timeoutMs: this.opts.createTimeoutMs ?? 30_000,
        uploadIdleMs: this.opts.uploadIdleMs,
        onUploadProgress: options.onUploadProgress,
        signal,
        secrets: [key],
      });
    } catch (error) {
      this.logError('POST /v1/videos', error, started);
      throw error;
    }
    return this.readTask('create', 'POST /v1/videos', url, res, key, started, req.model);
  }

  /**
   * GET /v1/videos/{id}, sent once: the poller's loop owns retries and backoff (a retry here would hold every
   * task behind one check). task_not_exist is kind 'notFound'; a 429/503 carries retryAfterMs when sent.
   */
  async getVideo(id: string, signal?: AbortSignal): Promise<VideoTask> {
    if (typeof id !== 'string' || id.trim() === '') {
      throw new ApiError('invalidRequest', 'There is no task id to look up.');
    }
    const key = await this.apiKey();
    if (signal?.aborted) throw abortedError();
    // The id is kept verbatim; encoding only makes it safe as one path segment.
    const path = `/v1/videos/${encodeURIComponent(id)}`;
    const url = this.endpoint(path);
    const started = Date.now();
    let res: ApiResponse;
    try {
      res = await send({
        operation: 'poll',
        method: 'GET',
        url,
        headers: this.headers(key),
        dispatcher: this.api,
        timeoutMs: this.opts.pollTimeoutMs ?? 15_000,
        signal,
        secrets: [key],
      });
    } catch (error) {
      this.logError(`GET ${path}`, error, started);
      throw error;
    }
    return this.readTask('poll', `GET ${path}`, url, res, key, started);
  }

  /**
   * Downloads a finished video to targetPath (see download.ts): never with the API key, through the
   * video-host dispatcher. Kind 'expired' means the link no longer works: poll once for a fresh one.
   */
  downloadVideo(url: string, targetPath: string, opts: DownloadCallOptions = {}): Promise<DownloadResult> {
    this.assertOpen();
    return download(url, targetPath, {
      ...this.opts.download,
      signal: opts.signal,
      onProgress: opts.onProgress,
      dispatcher: this.video,
      log: this.opts.log,
    }).catch((error: unknown) => {
      // Whatever failed here failed at the video host (or on disk), never at the API base URL.
      throw error instanceof ApiError && error.kind !== 'file' ? error.withHost('video') : error;
    });
  }

  /** Closes the dispatchers this client created (injected ones belong to the caller). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.owned.map((d) => d.close().catch(() => undefined)));
  }

  private own(dispatcher: Dispatcher): Dispatcher {
    this.owned.push(dispatcher);
    return dispatcher;
  }

  private assertOpen(): void {
    if (this.closed) throw new ApiError('configuration', 'The CometAPI client has been closed.');
  }

  private async apiKey(): Promise<string> {
    this.assertOpen();
    let key: string | undefined;
    try {
      key = await this.opts.getApiKey();
    } catch (error) {
      // The getter's own typed reason (no key, key kept for another origin) is what the person needs.
      if (error instanceof ApiError) throw error;
      throw new ApiError('configuration', 'The CometAPI API key could not be read.', { cause: error, reason: 'keyUnreadable' });
    }
    key = typeof key === 'string' ? key.trim() : undefined;
    if (!key) throw new ApiError('configuration', 'No CometAPI API key is set. Set a key first.', { reason: 'noKey' });
    // Header values cannot carry control characters; a pasted key with a line break would otherwise fail
    // inside undici with a less helpful message.
    if (!/^[\x21-\x7e]+$/.test(key)) {
      throw new ApiError('configuration', 'The CometAPI API key contains spaces or characters that cannot be sent. Paste the key again.', { reason: 'keyUnsendable' });
    }
    return key;
  }

  private headers(key: string): Record<string, string> {
    return { authorization: `Bearer ${key}`, accept: 'application/json', 'user-agent': USER_AGENT };
  }

  /** base URL + path; "configuration" when the base URL is unusable (checked per call, never at startup). */
  private endpoint(path: string): URL {
    const checked = checkBaseUrl(this.opts.baseUrl, 'The API base URL');
    if (!checked.ok) throw new ApiError('configuration', checked.problem, { reason: 'badBaseUrl' });
    const base = new URL(checked.url);
    // https://api.cometapi.com, .../ and .../v1 all mean the same service root.
    const root = base.pathname.replace(/\/+$/, '').replace(/\/v1$/i, '');
    return new URL(`${base.origin}${root}${path}`);
  }

  private readTask(op: Operation, what: string, url: URL, res: ApiResponse, key: string, started: number, model?: string): VideoTask {
    const ms = Date.now() - started;
    const fail = (): ApiError =>
      errorFromResponse({
        operation: op,
        status: res.status,
        headers: res.headers,
        bodyText: res.bodyText,
        url: url.href,
        retryAfterMs: parseRetryAfter(res.headers),
        ...(model !== undefined ? { model } : {}),
        secrets: [key],
      });
    if (res.status < 200 || res.status >= 300) {
      const error = fail();
      this.logError(what, error, started);
      throw error;
    }
    let task: VideoTask;
    try {
      task = redactFailure(parseVideoTask(JSON.parse(res.bodyText) as unknown), key);
    } catch (error) {
      if (!(error instanceof SyntaxError) && !(error instanceof WireShapeError)) throw error;
      const err = fail();
      this.logError(what, err, started);
      throw err;
    }
    // Every returned id is logged (CONTRACT 13): the trail for reconciling a duplicate or billed task, with
    // the gateway's request id when it sends one (what CometAPI support asks for).
    const rid = headerValue(res.headers['x-oneapi-request-id']) ?? headerValue(res.headers['x-request-id']);
    this.opts.log?.(`${what} -> ${res.status} ${task.id} ${task.rawStatus || '(no status)'}${task.unknownStatus ? ' (unknown status)' : ''}${rid ? `, request id ${rid}` : ''} in ${ms} ms`);
    return task;
  }

  private logError(what: string, error: unknown, started: number): void {
    if (!this.opts.log) return;
    const ms = Date.now() - started;
    if (error instanceof ApiError) {
      const parts = [error.kind, error.status, error.code, error.requestId ? `request id ${error.requestId}` : undefined, error.mayHaveReachedServer ? 'may have reached the server' : undefined];
      this.opts.log(`${what} failed: ${parts.filter((p) => p !== undefined && p !== '').join(', ')} in ${ms} ms`);
    } else {
      this.opts.log(`${what} failed in ${ms} ms`);
    }
  }
}


/** A failure reason is the service's own text, shown in the list: redacted like every other message. */
function redactFailure(task: VideoTask, key: string): VideoTask {
  if (!task.failure) return task;
  return { ...task, failure: { ...task.failure, message: redactSecrets(task.failure.message, [key]) } };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
