// Writes a body into an open file at known positions, in batches, with at most a couple of writes in
// flight: the next batch fills from the socket while the previous ones reach the disk. Memory is bounded
// (about batchBytes * (maxInFlight + 1)) whatever the file size, and writes are asynchronous so a slow
// disk never blocks the extension host's event loop. Used as a BodySink by download.ts.

import type { FileHandle } from 'node:fs/promises';
import { ApiError } from '../api/errors';
import { errorCodes } from '../api/errorMapping';
import type { BodySink, Flow } from './exchange';

export interface BatchWriterOptions {
  readonly file: FileHandle;
  /** Where the first byte goes. */
  readonly start: number;
  /** Bytes gathered per write. Default 1 MiB. */
  readonly batchBytes?: number;
  /** Writes allowed in flight before the socket is paused. Default 2. */
  readonly maxInFlight?: number;
  /** Sees every chunk and its absolute offset as it arrives (MP4 scan, progress). */
  readonly onChunk?: (chunk: Buffer, offset: number) => void;
}

export class BatchWriter implements BodySink {
  private batch: Buffer[] = [];
  private batchLength = 0;
  /** Next byte's position: everything before it has been received (written or queued). */
  private next: number;
  private readonly inFlight = new Set<Promise<void>>();
  private writeError: ApiError | undefined;
  private waiting: Flow | undefined;
  private flow: Flow | undefined;
  private readonly batchBytes: number;
  private readonly maxInFlight: number;

  constructor(private readonly opts: BatchWriterOptions) {
    this.next = opts.start;
    this.batchBytes = opts.batchBytes ?? 1024 * 1024;
    this.maxInFlight = opts.maxInFlight ?? 2;
  }

  /** Bytes received so far, counted from the file's start (written, in flight or batched). */
  get position(): number {
    return this.next;
  }

  data(chunk: Buffer, flow: Flow): boolean {
    this.flow = flow;
    if (this.writeError !== undefined) return false;
    this.opts.onChunk?.(chunk, this.next);
    this.batch.push(chunk);
    this.batchLength += chunk.length;
    this.next += chunk.length;
    if (this.batchLength < this.batchBytes) return true;
    if (this.inFlight.size < this.maxInFlight) {
      this.startWrite();
      return true;
    }
    // Full batch and the disk is busy: hold the socket until a write completes.
    this.waiting = flow;
    return false;
  }

  /** Writes what is left and waits for every write; rejects with the first write error (kind 'file'). */
  async end(): Promise<void> {
    await this.flushAll();
  }

  /** Same as end(): keep every byte that arrived before the failure, so a resume starts after them. */
  async fail(): Promise<void> {
    await this.flushAll();
  }

  private async flushAll(): Promise<void> {
    if (this.batchLength > 0 && this.writeError === undefined) this.startWrite();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    if (this.writeError !== undefined) throw this.writeError;
  }

  private startWrite(): void {
    const chunks = this.batch;
    const length = this.batchLength;
    const at = this.next - length;
    this.batch = [];
    this.batchLength = 0;
    const write: Promise<void> = this.opts.file.writev(chunks, at).then(
      () => {
        this.inFlight.delete(write);
        const waiting = this.waiting;
        if (waiting && this.writeError === undefined) {
          this.waiting = undefined;
          if (this.batchLength >= this.batchBytes) this.startWrite();
          waiting.resume();
        }
      },
      (error: unknown) => {
        this.inFlight.delete(write);
        if (this.writeError !== undefined) return;
        // A disk problem is not a network problem: no resume would help, so stop the transfer now.
        this.writeError = new ApiError('file', `Could not write the video to disk (${errorCodes(error)[0] ?? 'write error'}).`, { cause: error });
        this.flow?.abort(this.writeError);
      },
    );
    this.inFlight.add(write);
  }
}
