// Writing response bodies the way a real, imperfect network does: with backpressure (so a 256 MB body
// never sits in memory), and optionally slowly, stalled, or cut short despite Content-Length. Both servers
// use it: the API for slow/stalled JSON, the storage host for downloads.

import type { ServerResponse } from 'node:http';
import type { BodySource } from './mp4';

export interface TransferPlan {
  /** Throttle to about this rate. */
  bytesPerSecond?: number;
  /** After this many body bytes, send nothing more and keep the socket open (until the peer gives up). */
  stallAfter?: number;
  /** After this many body bytes, close the socket although the headers promised more. */
  truncateAfter?: number;
}

export type RangeResult = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * Parses a single "bytes=" range (RFC 9110). Several ranges, or a header that is not a byte range, get the
 * whole body (servers may ignore Range); a syntactically valid range outside the body is unsatisfiable.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return { kind: 'full' };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'full' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || last < start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: last + 1 };
}

/** Writes a chunk, waiting for the socket to drain when it is full; false once the peer has gone. */
function writeChunk(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (alive: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(alive);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

function pause(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      res.off('close', finish);
      resolve();
    }
    res.once('close', finish);
  });
}

/**
 * Streams [start, end) of source as the body of res (headers must already be set, not yet flushed) and
 * ends it, unless the plan says to stall or truncate. Resolves when done or when the peer went away.
 */
export async function sendBody(
  res: ServerResponse,
  source: BodySource,
  start: number,
  end: number,
  plan: TransferPlan = {},
): Promise<void> {
  const total = end - start;
  const stopAt = Math.min(total, plan.stallAfter ?? Infinity, plan.truncateAfter ?? Infinity);
  // Throttled: small slices every 50 ms; otherwise the source's own chunk size.
  const slice = plan.bytesPerSecond ? Math.max(1, Math.floor(plan.bytesPerSecond / 20)) : Infinity;
  let sent = 0;
  outer: for (const chunk of source.chunks(start, end)) {
    for (let at = 0; at < chunk.length && sent < stopAt; ) {
      const piece = chunk.subarray(at, Math.min(chunk.length, at + slice, at + (stopAt - sent)));
      if (!(await writeChunk(res, piece))) return;
      sent += piece.length;
      at += piece.length;
      if (plan.bytesPerSecond) await pause(res, (piece.length / plan.bytesPerSecond) * 1000);
      if (res.destroyed) return;
    }
    if (sent >= stopAt) break outer;
  }
  if (sent < total && !res.headersSent) res.flushHeaders();
  if (sent < total && plan.truncateAfter !== undefined && sent >= plan.truncateAfter) {
    // FIN after the bytes already written (end() flushes them first): the peer sees a body shorter than
    // Content-Length, the "plausible size, broken container" case of CONTRACT 5.2.
    res.socket?.end();
    return;
  }
  if (sent < total && plan.stallAfter !== undefined) {
    await new Promise<void>((resolve) => res.once('close', () => resolve()));
    return;
  }
  res.end();
}
