// The few facts Seedance Studio reads straight from an MP4/MOV's index (its moov box), with a few small
// reads and no decoder, native binary or Mediabunny: the boxes, the moov itself, and each track's sample
// count. soundFacts.ts reads a track's sound from it; probe.ts its packet counts (which Mediabunny would
// find only by walking every packet).
import { promises as fs } from 'node:fs';

/** A moov box larger than this is not one of ours (a 15 s take's is tens of kilobytes). */
const MAX_MOOV_BYTES = 32 * 1024 * 1024;

export interface Box { readonly type: string; readonly start: number; readonly end: number; readonly body: number }

/** The boxes one after the other in buf[from, to), until one does not fit. */
export function* boxes(buf: Buffer, from: number, to: number): Generator<Box> {
  let at = from;
  while (at + 8 <= to) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > to) return;
      size = Number(buf.readBigUInt64BE(at + 8));
      body = at + 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < body - at || at + size > to) return;
    yield { type, start: at, end: at + size, body };
    at += size;
  }
}

/** The first box of `type` inside `parent`. */
export function child(buf: Buffer, parent: Box, type: string): Box | undefined {
  for (const b of boxes(buf, parent.body, parent.end)) if (b.type === type) return b;
  return undefined;
}

/** The moov box itself, given its bytes. */
export function moovBox(moov: Buffer): Box {
  return { type: 'moov', start: 0, end: moov.length, body: 8 };
}

/** Each track's handler ('vide', 'soun', ...) and its mdia box. */
export function* tracks(moov: Buffer): Generator<{ trak: Box; mdia: Box; handler: string }> {
  const root = moovBox(moov);
  for (const trak of boxes(moov, root.body, root.end)) {
    if (trak.type !== 'trak') continue;
    const mdia = child(moov, trak, 'mdia');
    const hdlr = mdia && child(moov, mdia, 'hdlr');
    if (!mdia || !hdlr) continue;
    yield { trak, mdia, handler: moov.toString('latin1', hdlr.body + 8, hdlr.body + 12) };
  }
}

/** The sample table (stbl) of a track's mdia. */
export function sampleTable(moov: Buffer, mdia: Box): Box | undefined {
  const minf = child(moov, mdia, 'minf');
  return minf && child(moov, minf, 'stbl');
}

/**
 * Track ID (tkhd) -> number of samples (stsz or stz2), for a file whose samples are all in its moov. Empty
 * for a fragmented file (mvex: more samples follow in moof boxes), so callers count another way.
 */
export function sampleCounts(moov: Buffer): Map<number, number> {
  const counts = new Map<number, number>();
  if (child(moov, moovBox(moov), 'mvex')) return counts;
  for (const { trak, mdia } of tracks(moov)) {
    const tkhd = child(moov, trak, 'tkhd');
    const stbl = sampleTable(moov, mdia);
    const sizes = stbl && (child(moov, stbl, 'stsz') ?? child(moov, stbl, 'stz2'));
    if (!tkhd || !sizes || sizes.body + 12 > sizes.end) continue;
    // tkhd: version (1), flags (3), creation and modification times (4 or 8 bytes each), then the track ID.
    const idAt = tkhd.body + 4 + (moov[tkhd.body] === 1 ? 16 : 8);
    if (idAt + 4 > tkhd.end) continue;
    // stsz: version/flags (4), sample size (4), sample count (4); stz2: version/flags (4), reserved and field size (4), sample count (4).
    counts.set(moov.readUInt32BE(idAt), moov.readUInt32BE(sizes.body + 8));
  }
  return counts;
}

/** The moov box's bytes of an MP4/MOV file, or undefined when it has none (or cannot be read). */
export async function readMoov(file: string): Promise<Buffer | undefined> {
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(16);
    let at = 0;
    while (at + 8 <= size) {
      const { bytesRead } = await handle.read(header, 0, 16, at);
      if (bytesRead < 8) return undefined;
      let boxSize = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      if (boxSize === 1) boxSize = Number(header.readBigUInt64BE(8));
      else if (boxSize === 0) boxSize = size - at;
      if (boxSize < 8) return undefined;
      if (type === 'moov') {
        if (boxSize > MAX_MOOV_BYTES) return undefined;
        const moov = Buffer.alloc(boxSize);
        await handle.read(moov, 0, boxSize, at);
        return moov;
      }
      at += boxSize;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}
