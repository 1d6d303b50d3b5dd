// Whether a video has sound, and in what codec, read from the MP4's own index (moov -> trak -> hdlr 'soun'
// -> stsd) with a few small reads: no decoder, no native binary, and not Mediabunny (the preview asks for
// every take it shows, and Mediabunny is loaded only when a film is made). The preview uses it to know
// which videos should be heard.
import { boxes, child, readMoov, sampleTable, tracks, type Box } from './mp4Index';

export interface SoundFacts {
  readonly hasAudio: boolean;
  /** "aac", "mp3", "opus", "flac", "ac-3", ... (the sample entry, refined for MPEG-4 audio). */
  readonly codec?: string;
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
  for (const { mdia, handler } of tracks(moov)) {
    if (handler !== 'soun') continue;
    const stsd = [sampleTable(moov, mdia)].map((stbl) => stbl && child(moov, stbl, 'stsd'))[0];
    // stsd: version/flags (4), entry count (4), then the sample entries.
    const entry = stsd ? boxes(moov, stsd.body + 8, stsd.end).next().value : undefined;
    if (!entry) return { hasAudio: true };
    return { hasAudio: true, codec: entry.type === 'mp4a' ? mp4aCodec(moov, entry) : CODEC_NAMES[entry.type] ?? entry.type.trim() };
  }
  return { hasAudio: false };
}

/** The sound facts of an MP4/MOV file, or undefined when it cannot be read as one. */
export async function readSoundFacts(file: string): Promise<SoundFacts | undefined> {
  const moov = await readMoov(file);
  return moov && soundFactsOfMoov(moov);
}
