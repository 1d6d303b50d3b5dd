// Downloading a finished video from its signed URL (CONTRACT 5, 13 "Downloads").
//
// - Streams the body into a temporary file beside the target (".<name>.part-<random>") in bounded batches,
//   so memory use does not grow with the file (the benchmark checks this on 256 MB).
// - Checks Content-Length / Content-Range and walks the top-level MP4 boxes as bytes pass (mp4Scan.ts).
// - Resumes with "Range: bytes=N-" after an interruption; a server that answers 200 instead of 206 gets a
//   restart from zero. A few attempts in all, while the URL is still accepted.
// - 401/403/404/410 from the storage host mean the signature expired (or the object is gone): kind
//   'expired', so the caller can poll once for a fresh URL.
// - Never sends the CometAPI Authorization header: the storage host is a third party and an extra auth
//   header can even break a presigned request. This module never sees the key at all.
// - The final name appears only when the file is complete (hard link, or rename where links are not
//   supported) and an existing file is never replaced; on any failure the temporary file is deleted.

import { randomBytes } from 'node:crypto';
import { link, lstat, open, rename, rm, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Agent, request, type Dispatcher } from 'undici';
import { ApiError } from './api/errors';
import { errorCodes, errorFromException } from './api/errorMapping';
import { Mp4BoxScanner } from './api/mp4Scan';
import { abortedError, parseRetryAfter, realSleep, type Sleep } from './api/retry';
import { redactUrl } from './redact';

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
/** Bytes gathered before one positional write: few syscalls, bounded memory. */
const WRITE_BATCH = 1024 * 1024;

export async function downloadVideo(url: string, targetPath: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const startUrl = parseVideoUrl(url);
  await assertAbsent(targetPath);
  if (options.signal?.aborted) throw abortedError();
  const signal = withDeadline(options.signal, options.deadlineMs);

  const tempPath = join(dirname(targetPath), `.${basename(targetPath)}.part-${randomBytes(6).toString('hex')}`);
  await createTemp(tempPath, targetPath);
  const ownDispatcher = options.dispatcher ? undefined : new Agent();
  const job = new DownloadJob(startUrl, tempPath, { ...options, signal }, options.signal, options.dispatcher ?? ownDispatcher!);
  try {
    const bytes = await job.run();
    await moveIntoPlace(tempPath, targetPath);
    return { bytes };
  } catch (error) {
    await rm(tempPath, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    await ownDispatcher?.close().catch(() => undefined);
  }
}

type Outcome = 'done';

class DownloadJob {
  private received = 0;
  private total: number | undefined;
  private readonly scanner = new Mp4BoxScanner();
  private lastProgressAt = -Infinity;
  private readonly attempts: number;
  private readonly sleep: Sleep;
  private readonly where: string;

  constructor(
    private readonly url: URL,
    private readonly tempPath: string,
    /** Carries the caller's signal and the overall deadline. */
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
        const err = error instanceof ApiError ? error : new ApiError('network', String(error), { cause: error });
        if (this.options.signal?.aborted) throw this.stopError();
        if (!err.retryable || attempt >= this.attempts) throw this.finalError(err, attempt);
        const delay = Math.min(30_000, err.retryAfterMs ?? (this.options.retryDelayMs ?? 500) * 2 ** (attempt - 1));
        this.options.log?.(`download from ${this.where} interrupted at ${this.received} bytes (${err.kind}); attempt ${attempt + 1} of ${this.attempts} in ${delay} ms`);
        await this.sleep(delay, this.options.signal).catch(() => {
          throw this.stopError();
        });
      }
    }

    if (this.options.verifyMp4 !== false) {
      const verdict = this.scanner.verdict(this.received);
      if (!verdict.ok) {
        throw new ApiError('invalidResponse', `The downloaded file is not a complete MP4 video: ${verdict.reason}.`);
      }
    }
    this.report(true);
    return this.received;
  }

  private finalError(err: ApiError, attempt: number): ApiError {
    if (!err.retryable || attempt <= 1) return err;
    return new ApiError(err.kind, `Downloading the video from ${this.where} failed after ${attempt} attempts (${this.received} bytes received). ${err.message}`, {
      status: err.status,
      cause: err,
    });
  }

  /** One request, resuming from this.received when it is above zero. Throws ApiError on failure. */
  private async attempt(): Promise<Outcome> {
    const res = await this.requestFollowingRedirects();
    const status = res.statusCode;
    const headers = res.headers;

    if (status === 401 || status === 403 || status === 404 || status === 410) {
      await dump(res);
      throw new ApiError('expired', `The download link for this video is no longer valid (HTTP ${status} from ${this.url.host}). A fresh link is needed.`, { status });
    }
    if (status === 429 || status >= 500) {
      await dump(res);
      throw new ApiError('server', `The video host answered HTTP ${status}.`, { status, retryAfterMs: parseRetryAfter(headers) });
    }
    if (status === 416) {
      await dump(res);
      if (this.total !== undefined && this.received === this.total) return 'done';
      await this.restart('the server refused the resume range');
      throw new ApiError('network', 'The video host refused to resume the download (416).', { status });
    }
    if (status !== 200 && status !== 206) {
      await dump(res);
      throw new ApiError('invalidResponse', `The video host answered HTTP ${status} instead of the video.`, { status });
    }

    const contentType = header(headers['content-type'])?.toLowerCase() ?? '';
    if (/html|json|xml|^text\//.test(contentType)) {
      await dump(res);
      throw new ApiError('invalidResponse', `The video host sent ${contentType.split(';')[0]} instead of a video.`, { status });
    }
    const length = contentLength(headers);
    if (status === 200) {
      // A full answer: either the first attempt, or a server that ignored Range (restart from zero).
      if (this.received > 0) await this.restart('the server ignored the resume range (200 instead of 206)');
      this.total = length;
    } else {
      const range = parseContentRange(header(headers['content-range']));
      if (!range || range.start !== this.received) {
        await dump(res);
        await this.restart('the server resumed at a different offset');
        throw new ApiError('network', 'The video host resumed the download at the wrong position.', { status });
      }
      this.total = range.total ?? (length !== undefined ? this.received + length : undefined);
    }

    await this.streamBody(res.body);
    if (this.total !== undefined && this.received !== this.total) {
      if (this.received > this.total) {
        throw new ApiError('invalidResponse', `The video host sent ${this.received} bytes but announced ${this.total}.`);
      }
      throw new ApiError('network', `The video host closed the connection after ${this.received} of ${this.total} bytes.`);
    }
    return 'done';
  }

  private async requestFollowingRedirects(): Promise<Dispatcher.ResponseData> {
    let url = this.url;
    for (let redirects = 0; ; redirects++) {
      // No Authorization, no cookies: only what a presigned GET needs. identity keeps Content-Length and
      // Range about the stored bytes.
      const headers: Record<string, string> = { accept: '*/*', 'accept-encoding': 'identity' };
      if (this.received > 0) headers.range = `bytes=${this.received}-`;
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          method: 'GET',
          headers,
          dispatcher: this.dispatcher,
          signal: this.options.signal,
          headersTimeout: this.options.headersTimeoutMs ?? 30_000,
          bodyTimeout: this.options.idleTimeoutMs ?? 30_000,
        });
      } catch (error) {
        throw this.transportError(error);
      }
      if (![301, 302, 303, 307, 308].includes(res.statusCode)) return res;
      await dump(res);
      const location = header(res.headers.location);
      let next: URL | undefined;
      try {
        next = location ? new URL(location, url) : undefined;
      } catch {
        next = undefined;
      }
      // A CDN may redirect; follow a few, but never to another scheme or from https down to http.
      if (!next || (next.protocol !== 'https:' && next.protocol !== 'http:') || (url.protocol === 'https:' && next.protocol === 'http:') || redirects >= MAX_REDIRECTS) {
        throw new ApiError('invalidResponse', `The video host redirected the download somewhere it cannot be followed (HTTP ${res.statusCode}).`, { status: res.statusCode });
      }
      this.options.log?.(`download redirected from ${redactUrl(url)} to ${redactUrl(next)}`);
      url = next;
    }
  }

  /**
   * Streams the body into the temp file from this.received on, in batches of at most WRITE_BATCH bytes
   * (memory stays flat whatever the file size). Not stream.pipeline: when the socket breaks, pipeline
   * destroys every stage and throws away the bytes already buffered in them (a megabyte or more on a fast
   * link), so the resume would start early. Here every chunk received is written before the error is
   * handled, and this.received is exactly what is on disk.
   */
  private async streamBody(body: Dispatcher.ResponseData['body']): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await open(this.tempPath, 'r+');
    } catch (error) {
      throw new ApiError('file', `Could not write the video to disk (${errorCodes(error)[0] ?? 'open error'}).`, { cause: error });
    }
    let batch: Buffer[] = [];
    let batchBytes = 0;
    const flush = async () => {
      if (batchBytes === 0) return;
      const chunks = batch;
      const bytes = batchBytes;
      batch = [];
      batchBytes = 0;
      try {
        await handle.writev(chunks, this.received);
      } catch (error) {
        throw new ApiError('file', `Could not write the video to disk (${errorCodes(error)[0] ?? 'write error'}).`, { cause: error });
      }
      this.received += bytes;
    };
    try {
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) {
          this.scanner.feed(chunk, this.received + batchBytes);
          batch.push(chunk);
          batchBytes += chunk.length;
          // Progress counts bytes as they arrive, not as batches reach the disk (slow links stay live).
          this.report(false, this.received + batchBytes);
          if (batchBytes >= WRITE_BATCH) await flush();
        }
      } catch (error) {
        // Keep what arrived before the break, then report the break.
        await flush();
        this.scanner.rewind(this.received);
        throw this.transportError(error);
      }
      await flush();
    } catch (error) {
      // A write failure mid-body leaves the socket busy; drop it rather than read a body nobody wants.
      if (!body.destroyed) body.destroy();
      throw error;
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  private async restart(why: string): Promise<void> {
    this.options.log?.(`download from ${this.where}: ${why}; starting again from zero`);
    this.received = 0;
    this.total = undefined;
    this.scanner.rewind(0);
    await truncate(this.tempPath, 0);
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

  private report(final: boolean, received = this.received): void {
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

async function assertAbsent(targetPath: string): Promise<void> {
  try {
    await lstat(targetPath);
  } catch (error) {
    if (errorCodes(error).includes('ENOENT')) return;
    throw fileError(error, targetPath);
  }
  throw existsError(targetPath);
}

async function createTemp(tempPath: string, targetPath: string): Promise<void> {
  try {
    const handle = await open(tempPath, 'wx');
    await handle.close();
  } catch (error) {
    throw fileError(error, targetPath);
  }
}

/** Publishes the complete file under its final name without ever replacing an existing file. */
async function moveIntoPlace(tempPath: string, targetPath: string): Promise<void> {
  try {
    // link() fails with EEXIST instead of overwriting (rename would silently replace, on every OS).
    await link(tempPath, targetPath);
  } catch (error) {
    const codes = errorCodes(error);
    if (codes.includes('EEXIST')) throw existsError(targetPath);
    if (!codes.some((c) => ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS', 'EMLINK', 'EACCES', 'EINVAL'].includes(c))) {
      throw fileError(error, targetPath);
    }
    // No hard links on this file system (FAT, some network shares): check, then rename.
    try {
      await lstat(targetPath);
      throw existsError(targetPath);
    } catch (e) {
      if (e instanceof ApiError) throw e;
    }
    try {
      await rename(tempPath, targetPath);
    } catch (e) {
      throw fileError(e, targetPath);
    }
    return;
  }
  await unlink(tempPath).catch(() => undefined);
}

function existsError(targetPath: string): ApiError {
  return new ApiError('file', `"${basename(targetPath)}" already exists in ${dirname(targetPath)}; it was not overwritten. Choose another name.`);
}

function fileError(error: unknown, targetPath: string): ApiError {
  const code = errorCodes(error)[0];
  const dir = dirname(targetPath);
  const message =
    code === 'ENOENT' ? `The folder ${dir} does not exist.` :
    code === 'EACCES' || code === 'EPERM' ? `There is no permission to write in ${dir}.` :
    code === 'ENOSPC' ? `The disk holding ${dir} is full.` :
    `Could not write "${basename(targetPath)}" in ${dir} (${code ?? 'unknown error'}).`;
  return new ApiError('file', message, { cause: error });
}

function withDeadline(signal: AbortSignal | undefined, deadlineMs: number | undefined): AbortSignal | undefined {
  if (deadlineMs === undefined) return signal;
  const timeout = AbortSignal.timeout(deadlineMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

async function dump(res: Dispatcher.ResponseData): Promise<void> {
  await res.body.dump().catch(() => undefined);
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
