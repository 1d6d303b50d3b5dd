// Downloading a finished video from its signed URL (CONTRACT 5, 13 "Downloads").
//
// - Streams the body into a temporary file beside the target (".<name>.part-<random>") through a bounded
//   batch writer (batchWriter.ts), so memory stays flat whatever the file size (the benchmark checks
//   this on 256 MB); the whole file is never in memory.
// - Checks Content-Length / Content-Range and walks the top-level MP4 boxes as bytes pass (mp4Scan.ts).
// - Resumes with "Range: bytes=N-" after an interruption, N being exactly what reached the file; a server
//   that answers 200 instead of 206 gets a restart from zero. A few attempts in all, while the URL works.
// - 401/403/404/410 from the storage host mean the signature expired (or the object is gone): kind
//   'expired', so the caller can poll once for a fresh URL.
// - Never sends the CometAPI Authorization header: the storage host is a third party and an extra auth
//   header can even break a presigned request. This module never sees the key at all.
// - The final name appears only when the file is complete (atomicFile.ts) and an existing file is
//   never replaced; on any failure the temporary file is deleted.

import type { FileHandle } from 'node:fs/promises';
import { rm } from 'node:fs/promises';
import { Agent, type Dispatcher } from 'undici';
import { assertAbsent, fileError, openTemp, publish, tempPathFor } from './atomicFile';
import { BatchWriter } from './batchWriter';
import { ApiError } from '../api/errors';
import { errorFromException } from '../api/errorMapping';
import { exchange, type ResponseHead } from './exchange';
import { Mp4BoxScanner } from './mp4Scan';
import { abortedError, parseRetryAfter, realSleep, type Sleep } from '../api/retry';
import { redactUrl } from '../redact';

export interface DownloadOptions {
  readonly signal?: AbortSignal;
  /** Throttled to one call per progressIntervalMs, plus one final call when complete. */
  readonly onProgress?: (received: number, total?: number) => void;
  /** The video-host dispatcher (never the API one); a private Agent is used and closed when absent. */
  readonly dispatcher?: Dispatcher;
  /** Attempts in all, the first included (later ones resume). Default 4. */
  readonly attempts?: number;
  /** Wait for response headers. Default 30 s. */
  readonly headersTimeoutMs?: number;
  /** Longest silence while the body streams before the attempt counts as stalled. Default 30 s. */
  readonly idleTimeoutMs?: number;
  /** Overall limit for the whole download, all attempts included. Default none (the caller's signal). */
  readonly deadlineMs?: number;
  /** First pause before a resume; doubles each time. Default 500 ms. */
  readonly retryDelayMs?: number;
  readonly sleep?: Sleep;
  /** Default 250 ms, i.e. at most about 4 progress calls per second. */
  readonly progressIntervalMs?: number;
  /** Lines for the log: hosts and paths only, never a signed query. */
  readonly log?: (line: string) => void;
  /** Check the MP4 box structure (default true). */
  readonly verifyMp4?: boolean;
}

export interface DownloadResult {
  readonly bytes: number;
}

const MAX_REDIRECTS = 5;

export async function downloadVideo(url: string, targetPath: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const startUrl = parseVideoUrl(url);
  await assertAbsent(targetPath);
  if (options.signal?.aborted) throw abortedError();
  const signal = withDeadline(options.signal, options.deadlineMs);

  const tempPath = tempPathFor(targetPath);
  const file = await openTemp(tempPath, targetPath);
  const ownDispatcher = options.dispatcher ? undefined : new Agent();
  let closed = false;
  try {
    const job = new DownloadJob(startUrl, file, { ...options, signal }, options.signal, options.dispatcher ?? ownDispatcher!);
    const bytes = await job.run();
    await file.close();
    closed = true;
    await publish(tempPath, targetPath);
    return { bytes };
  } catch (error) {
    if (!closed) await file.close().catch(() => undefined);
    await rm(tempPath, { force: true }).catch(() => undefined);
    throw error instanceof ApiError ? error : fileError(error, targetPath);
  } finally {
    await ownDispatcher?.close().catch(() => undefined);
  }
}

class DownloadJob {
  /** Bytes safely in the temporary file: where a resume starts. */
  private received = 0;
  private total: number | undefined;
  private readonly scanner = new Mp4BoxScanner();
  private lastProgressAt = -Infinity;
  private readonly attempts: number;
  private readonly sleep: Sleep;
  private readonly where: string;

  constructor(
    private readonly url: URL,
    private readonly file: FileHandle,
    /** Carries the caller's signal combined with the overall deadline. */
    private readonly options: DownloadOptions,
    private readonly callerSignal: AbortSignal | undefined,
    private readonly dispatcher: Dispatcher,
  ) {
    this.attempts = Math.max(1, options.attempts ?? 4);
    this.sleep = options.sleep ?? realSleep;
    this.where = redactUrl(url);
  }

  async run(): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      if (this.options.signal?.aborted) throw this.stopError();
      try {
        await this.attempt();
        break;
      } catch (error) {
        if (this.options.signal?.aborted) throw this.stopError();
        const err = error instanceof ApiError ? error : this.transportError(error);
        if (!err.retryable || attempt >= this.attempts) throw this.finalError(err, attempt);
        const delay = Math.min(30_000, err.retryAfterMs ?? (this.options.retryDelayMs ?? 500) * 2 ** (attempt - 1));
        this.options.log?.(`download from ${this.where} interrupted at ${this.received} bytes (${err.kind}); attempt ${attempt + 1} of ${this.attempts} in ${delay} ms`);
        await this.sleep(delay, this.options.signal).catch(() => {
          throw this.stopError();
        });
      }
    }

    // A restart from zero may have left a longer earlier attempt's tail behind.
    await this.file.truncate(this.received);
    if (this.options.verifyMp4 !== false) {
      const verdict = this.scanner.verdict(this.received);
      if (!verdict.ok) throw new ApiError('invalidResponse', `The downloaded file is not a complete MP4 video: ${verdict.reason}.`);
    }
    this.report(true, this.received);
    return this.received;
  }

  /** One request (following redirects), resuming from this.received. Throws ApiError on failure. */
  private async attempt(): Promise<void> {
    let url = this.url;
    for (let redirects = 0; ; redirects++) {
      let problem: ApiError | undefined;
      let redirectTo: string | undefined;
      let writer: BatchWriter | undefined;
      // No Authorization, no cookies: only what a presigned GET needs. identity keeps Content-Length and
      // Range about the stored bytes.
      const headers: Record<string, string> = { accept: '*/*', 'accept-encoding': 'identity' };
      if (this.received > 0) headers.range = `bytes=${this.received}-`;

      let head: ResponseHead;
      try {
        head = await exchange(
          {
            dispatcher: this.dispatcher,
            url,
            headers,
            signal: this.options.signal,
            headersTimeoutMs: this.options.headersTimeoutMs ?? 30_000,
            idleTimeoutMs: this.options.idleTimeoutMs ?? 30_000,
          },
          (h) => {
            const verdict = this.judge(h);
            if (verdict.kind === 'redirect') {
              redirectTo = verdict.location;
              return 'drain';
            }
            if (verdict.kind === 'problem') {
              problem = verdict.error;
              return verdict.drain ? 'drain' : 'abort';
            }
            writer = this.writerFrom(verdict.start);
            return writer;
          },
        );
      } catch (error) {
        // What arrived before the break is on disk (the writer flushed it): resume after it.
        if (writer) this.received = writer.position;
        this.scanner.rewind(this.received);
        throw error instanceof ApiError ? error : this.transportError(error);
      }

      if (redirectTo !== undefined) {
        url = this.followable(url, redirectTo, head.status, redirects);
        continue;
      }
      if (problem) throw problem;
      this.received = writer!.position;
      if (this.total !== undefined && this.received !== this.total) {
        if (this.received > this.total) throw new ApiError('invalidResponse', `The video host sent ${this.received} bytes but announced ${this.total}.`);
        throw new ApiError('network', `The video host closed the connection after ${this.received} of ${this.total} bytes.`);
      }
      return;
    }
  }

  /** What a response head means for this attempt (decided synchronously, before the body flows). */
  private judge(head: ResponseHead):
    | { kind: 'write'; start: number }
    | { kind: 'redirect'; location: string }
    | { kind: 'problem'; error: ApiError; drain: boolean } {
    const { status, headers } = head;
    const problem = (error: ApiError, drain = true) => ({ kind: 'problem' as const, error, drain });

    if ([301, 302, 303, 307, 308].includes(status)) {
      const location = header(headers.location);
      if (location) return { kind: 'redirect', location };
      return problem(new ApiError('invalidResponse', `The video host redirected (HTTP ${status}) without saying where.`, { status }));
    }
    if (status === 401 || status === 403 || status === 404 || status === 410) {
      return problem(new ApiError('expired', `The download link for this video is no longer valid (HTTP ${status} from ${this.url.host}). A fresh link is needed.`, { status }));
    }
    if (status === 429 || status >= 500) {
      return problem(new ApiError('server', `The video host answered HTTP ${status}.`, { status, retryAfterMs: parseRetryAfter(headers) }));
    }
    if (status === 416) {
      // Asked to resume past the end: start again rather than guess what the file holds.
      this.restart('the server refused the resume range (416)');
      return problem(new ApiError('network', 'The video host refused to resume the download (416).', { status }));
    }
    if (status !== 200 && status !== 206) {
      return problem(new ApiError('invalidResponse', `The video host answered HTTP ${status} instead of the video.`, { status }));
    }
    const contentType = header(headers['content-type'])?.toLowerCase() ?? '';
    if (/html|json|xml|^text\//.test(contentType)) {
      // Not worth reading: close the connection instead of draining a page.
      return problem(new ApiError('invalidResponse', `The video host sent ${contentType.split(';')[0]} instead of a video.`, { status }), false);
    }
    const length = contentLength(headers);
    if (status === 200) {
      // A full answer: the first attempt, or a server that ignored Range (restart from zero).
      if (this.received > 0) this.restart('the server ignored the resume range (200 instead of 206)');
      this.total = length;
      return { kind: 'write', start: 0 };
    }
    const range = parseContentRange(header(headers['content-range']));
    if (!range || range.start !== this.received) {
      this.restart('the server resumed at a different offset');
      return problem(new ApiError('network', 'The video host resumed the download at the wrong position.', { status }), false);
    }
    this.total = range.total ?? (length !== undefined ? this.received + length : undefined);
    return { kind: 'write', start: this.received };
  }

  private writerFrom(start: number): BatchWriter {
    return new BatchWriter({
      file: this.file,
      start,
      onChunk: (chunk, offset) => {
        this.scanner.feed(chunk, offset);
        // Progress counts bytes as they arrive, not as batches reach the disk.
        this.report(false, offset + chunk.length);
      },
    });
  }

  private followable(from: URL, location: string, status: number, redirects: number): URL {
    let next: URL | undefined;
    try {
      next = new URL(location, from);
    } catch {
      next = undefined;
    }
    // A CDN may redirect; follow a few, but never to another scheme or from https down to http.
    if (!next || (next.protocol !== 'https:' && next.protocol !== 'http:') || (from.protocol === 'https:' && next.protocol === 'http:') || redirects >= MAX_REDIRECTS) {
      throw new ApiError('invalidResponse', `The video host redirected the download somewhere it cannot be followed (HTTP ${status}).`, { status });
    }
    this.options.log?.(`download redirected from ${redactUrl(from)} to ${redactUrl(next)}`);
    return next;
  }

  private restart(why: string): void {
    this.options.log?.(`download from ${this.where}: ${why}; starting again from zero`);
    this.received = 0;
    this.total = undefined;
    this.scanner.rewind(0);
  }

  private finalError(err: ApiError, attempt: number): ApiError {
    if (!err.retryable || attempt <= 1) return err;
    return new ApiError(err.kind, `Downloading the video from ${this.where} failed after ${attempt} attempts (${this.received} bytes received). ${err.message}`, {
      status: err.status,
      cause: err,
    });
  }

  /** The caller cancelled ('aborted'), or the overall deadline passed ('timeout'). */
  private stopError(): ApiError {
    if (this.callerSignal?.aborted) return abortedError();
    const minutes = Math.round((this.options.deadlineMs ?? 0) / 60_000);
    return new ApiError('timeout', `The download from ${this.where} did not finish within ${minutes >= 1 ? `${minutes} min` : `${this.options.deadlineMs} ms`}.`);
  }

  private transportError(error: unknown): ApiError {
    if (this.options.signal?.aborted) return this.stopError();
    return errorFromException(error, {
      operation: 'download',
      url: this.url.href,
      timedOut: false,
      timeoutMs: this.options.idleTimeoutMs ?? 30_000,
      callerAborted: false,
      secrets: [],
    });
  }

  private report(final: boolean, received: number): void {
    const cb = this.options.onProgress;
    if (!cb) return;
    const now = performance.now();
    if (!final && now - this.lastProgressAt < (this.options.progressIntervalMs ?? 250)) return;
    this.lastProgressAt = now;
    try {
      cb(received, final ? (this.total ?? received) : this.total);
    } catch {
      // A failing progress display must not fail the download.
    }
  }
}

function parseVideoUrl(url: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new ApiError('invalidResponse', 'The video link from the service is not an http(s) URL.');
  }
  return parsed;
}

function withDeadline(signal: AbortSignal | undefined, deadlineMs: number | undefined): AbortSignal | undefined {
  if (deadlineMs === undefined) return signal;
  const timeout = AbortSignal.timeout(deadlineMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function contentLength(headers: Record<string, string | string[] | undefined>): number | undefined {
  const value = header(headers['content-length']);
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/** "bytes 100-199/1000" (total may be "*"). */
export function parseContentRange(value: string | undefined): { start: number; end: number; total?: number } | undefined {
  const m = value ? /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value) : null;
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start) return undefined;
  return m[3] === '*' ? { start, end } : { start, end, total: Number(m[3]) };
}
