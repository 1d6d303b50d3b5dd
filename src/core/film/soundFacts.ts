// Whether a video has sound, and in what codec, read from the MP4's own index (moov -> trak -> hdlr 'soun'
// -> stsd) with a few small reads: no decoder, no native binary, and not Mediabunny (the preview asks for
// every take it shows, and Mediabunny is loaded only when a film is made). The preview uses it to know
// which videos should be heard.
import { promises as fs } from 'node:fs';

export interface SoundFacts {
  readonly hasAudio: boolean;
  /** "aac", "mp3", "opus", "flac", "ac-3", ... (the sample entry, refined for MPEG-4 audio). */
  readonly codec?: string;
}

/** A moov box larger than this is not one of ours (a 15 s take's is tens of kilobytes). */
const MAX_MOOV_BYTES = 32 * 1024 * 1024;

interface Box { readonly type: string; readonly start: number; readonly end: number; readonly body: number }

function* boxes(buf: Buffer, from: number, to: number): Generator<Box> {
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

function child(buf: Buffer, parent: Box, type: string): Box | undefined {
  for (const b of boxes(buf, parent.body, parent.end)) if (b.type === type) return b;
  return undefined;
}

/** MPEG-4 audio's object type (in esds) says AAC or MP3. */
function mp4aCodec(buf: Buffer, entry: Box): string {
  // An audio sample entry: 8 bytes of SampleEntry, 20 of AudioSampleEntry, then its boxes (esds).
  for (const b of boxes(buf, entry.body + 28, entry.end)) {
    if (b.type !== 'esds') continue;
    // Find the DecoderConfigDescriptor (tag 4): its first byte is the object type indication.
    for (let i = b.body + 4; i < b.end - 2; i++) {
      if (buf[i] !== 0x04) continue;
      let j = i + 1;
      while (j < b.end && (buf[j] & 0x80) !== 0) j++;
      const oti = buf[j + 1];
      if (oti === 0x40 || oti === 0x66 || oti === 0x67 || oti === 0x68) return 'aac';
      if (oti === 0x69 || oti === 0x6b) return 'mp3';
      return `mp4a (0x${(oti ?? 0).toString(16)})`;
    }
  }
  return 'mp4a';
}

const CODEC_NAMES: Record<string, string> = { '.mp3': 'mp3', Opus: 'opus', fLaC: 'flac', 'ac-3': 'ac-3', 'ec-3': 'e-ac-3', alac: 'alac', lpcm: 'pcm', sowt: 'pcm', twos: 'pcm' };

/** Reads the sound facts from a moov box's bytes. */
export function soundFactsOfMoov(moov: Buffer): SoundFacts {
  const root: Box = { type: 'moov', start: 0, end: moov.length, body: 8 };
  for (const trak of boxes(moov, root.body, root.end)) {
    if (trak.type !== 'trak') continue;
    const mdia = child(moov, trak, 'mdia');
    const hdlr = mdia && child(moov, mdia, 'hdlr');
    if (!mdia || !hdlr || moov.toString('latin1', hdlr.body + 8, hdlr.body + 12) !== 'soun') continue;
    const stsd = [child(moov, mdia, 'minf')].map((minf) => minf && child(moov, minf, 'stbl')).map((stbl) => stbl && child(moov, stbl, 'stsd'))[0];
    // stsd: version/flags (4), entry count (4), then the sample entries.
    const entry = stsd ? boxes(moov, stsd.body + 8, stsd.end).next().value : undefined;
    if (!entry) return { hasAudio: true };
    return { hasAudio: true, codec: entry.type === 'mp4a' ? mp4aCodec(moov, entry) : CODEC_NAMES[entry.type] ?? entry.type.trim() };
  }
  return { hasAudio: false };
}

/** The sound facts of an MP4/MOV file, or undefined when it cannot be read as one. */
export async function readSoundFacts(file: string): Promise<SoundFacts | undefined> {
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
        return soundFactsOfMoov(moov);
      }
      at += boxSize;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}
