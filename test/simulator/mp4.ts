// The MP4 side: the committed fixtures (one per aspect ratio, made by scripts/make-video-fixtures.sh),
// byte sources that can be read from any offset (for Range), the large-body source that pads a fixture
// with a top-level 'free' box without ever holding the padding in memory, and a small box reader that the
// tests use to check what was served.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ASPECT_RATIOS, type AspectRatio } from './models';

/** Bytes that can be streamed from any offset: what the storage host serves. */
export interface BodySource {
  readonly size: number;
  /** Chunks covering [start, end) in order. */
  chunks(start: number, end: number): Generator<Buffer>;
}

export function fixtureFileName(ratio: AspectRatio): string {
  return `seedance-${ratio.replace(':', 'x')}.mp4`;
}

/** The fixtures directory: beside this file in the source tree, found from out/ after compilation too. */
export function fixturesDir(): string {
  const candidates = [join(__dirname, 'fixtures'), resolve(__dirname, '../../../test/simulator/fixtures')];
  const found = candidates.find((d) => existsSync(join(d, fixtureFileName('16:9'))));
  if (!found) throw new Error(`simulator fixtures not found (looked in ${candidates.join(', ')}); run scripts/make-video-fixtures.sh`);
  return found;
}

export function loadFixtures(dir = fixturesDir()): Map<AspectRatio, Buffer> {
  return new Map(ASPECT_RATIOS.map((r) => [r, readFileSync(join(dir, fixtureFileName(r)))]));
}

export function bufferSource(buf: Buffer): BodySource {
  return {
    size: buf.length,
    *chunks(start, end) {
      const step = 64 * 1024;
      for (let at = start; at < end; at += step) yield buf.subarray(at, Math.min(end, at + step));
    },
  };
}

const ZEROS = Buffer.alloc(256 * 1024);

/**
 * The fixture followed by one top-level 'free' box, `total` bytes in all: still a valid MP4 (players skip
 * 'free'; the fixtures have 'moov' first), generated as it is sent. Boxes over 4 GiB use the 64-bit size form.
 * A total too small to hold a box header serves the fixture as it is.
 */
export function paddedSource(fixture: Buffer, total: number): BodySource {
  const pad = total - fixture.length;
  if (pad < 8) return bufferSource(fixture);
  const header = pad > 0xffffffff ? Buffer.alloc(16) : Buffer.alloc(8);
  if (header.length === 16) {
    header.writeUInt32BE(1, 0);
    header.write('free', 4, 'latin1');
    header.writeBigUInt64BE(BigInt(pad), 8);
  } else {
    header.writeUInt32BE(pad, 0);
    header.write('free', 4, 'latin1');
  }
  const prefix = Buffer.concat([fixture, header]);
  return {
    size: total,
    *chunks(start, end) {
      if (start < prefix.length) {
        yield* bufferSource(prefix).chunks(start, Math.min(end, prefix.length));
        start = prefix.length;
      }
      for (let at = start; at < end; at += ZEROS.length) yield ZEROS.subarray(0, Math.min(ZEROS.length, end - at));
    },
  };
}

export interface Box {
  type: string;
  start: number;
  size: number;
  headerSize: number;
}

/** The boxes directly inside [start, end) of buf (top level by default). */
export function readBoxes(buf: Buffer, start = 0, end = buf.length): Box[] {
  const boxes: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = buf.readUInt32BE(at);
    let headerSize = 8;
    if (size === 1) {
      if (at + 16 > end) break;
      size = Number(buf.readBigUInt64BE(at + 8));
      headerSize = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < headerSize) break;
    boxes.push({ type: buf.toString('latin1', at + 4, at + 8), start: at, size, headerSize });
    at += size;
  }
  return boxes;
}

/** Width and height of the first video track, from its 'tkhd' (16.16 fixed point). */
export function videoDimensions(mp4: Buffer): { width: number; height: number } | undefined {
  const moov = readBoxes(mp4).find((b) => b.type === 'moov');
  if (!moov) return undefined;
  for (const trak of readBoxes(mp4, moov.start + moov.headerSize, moov.start + moov.size).filter((b) => b.type === 'trak')) {
    const tkhd = readBoxes(mp4, trak.start + trak.headerSize, trak.start + trak.size).find((b) => b.type === 'tkhd');
    if (!tkhd) continue;
    const body = tkhd.start + tkhd.headerSize;
    // version 0: 32-bit times and duration; version 1: 64-bit (12 more bytes before the matrix).
    const offset = mp4[body] === 1 ? 88 : 76;
    const width = mp4.readUInt32BE(body + offset) / 65536;
    const height = mp4.readUInt32BE(body + offset + 4) / 65536;
    if (width > 0 && height > 0) return { width, height };
  }
  return undefined;
}
