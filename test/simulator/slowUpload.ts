// A slow uplink, seen from the server: the request body is read at about `bytesPerSecond`, so TCP
// backpressure slows the client's upload to that rate (config `uploadBytesPerSecond`, 0 = full speed).
// The body parser reads the returned stream instead of the request; everything else about the request
// (headers, socket) stays the request's own.

import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';

/** Ticks per second: the body advances in steps of bytesPerSecond / TICKS_PER_SECOND. */
const TICKS_PER_SECOND = 20;

export function throttleUpload(req: IncomingMessage, bytesPerSecond: number): IncomingMessage {
  if (!(bytesPerSecond > 0)) return req;
  const step = Math.max(1, Math.floor(bytesPerSecond / TICKS_PER_SECOND));
  const tickMs = 1000 / TICKS_PER_SECOND;
  const slow = new Transform({
    // Small buffers on purpose: whatever sits here is read from the socket ahead of the rate.
    highWaterMark: step,
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      let at = 0;
      const next = () => {
        if (slow.destroyed) return done();
        this.push(chunk.subarray(at, at + step));
        at += step;
        if (at >= chunk.length) done();
        else setTimeout(next, tickMs);
      };
      // Each step waits one tick first, so even a single small chunk arrives at the rate.
      setTimeout(next, tickMs);
    },
  });
  req.on('error', (error) => slow.destroy(error));
  req.on('aborted', () => slow.destroy(new Error('aborted')));
  req.pipe(slow);
  // The parser reads headers (content type, boundary) from what it is given.
  return Object.assign(slow, { headers: req.headers, socket: req.socket }) as unknown as IncomingMessage;
}
