// Which takes can be joined by copying packets: the same video codec and decoder description (so one
// description serves the whole film), the same size, and the same sound (codec, rate, channels, or none).
// The first shot's take sets the film's parameters; every take that differs is named with how. Pure.
import type { TakeFacts } from './probe';

export type Difference =
  | { readonly kind: 'videoCodec'; readonly expected: string; readonly found: string }
  | { readonly kind: 'size'; readonly expected: string; readonly found: string }
  | { readonly kind: 'videoDescription' }
  | { readonly kind: 'audioMissing' }
  | { readonly kind: 'audioExtra'; readonly found: string }
  | { readonly kind: 'audioFormat'; readonly expected: string; readonly found: string };

export interface Mismatch {
  /** Index into the takes given. */
  readonly index: number;
  readonly differences: readonly Difference[];
}

function audioWords(a: NonNullable<TakeFacts['audio']>): string {
  return `${a.codecString} ${a.sampleRate} Hz ${a.channels} ch`;
}

export function findMismatches(takes: readonly TakeFacts[]): Mismatch[] {
  const [first, ...rest] = takes;
  if (!first) return [];
  const mismatches: Mismatch[] = [];
  rest.forEach((take, i) => {
    const differences: Difference[] = [];
    const v = take.video;
    const f = first.video;
    // The most telling difference only: another codec, else another size (which also changes the level in
    // the codec string), else other encoder settings under the same codec and size.
    if (v.codec !== f.codec) differences.push({ kind: 'videoCodec', expected: f.codecString, found: v.codecString });
    else if (v.width !== f.width || v.height !== f.height) differences.push({ kind: 'size', expected: `${f.width}×${f.height}`, found: `${v.width}×${v.height}` });
    else if (v.codecString !== f.codecString || v.descriptionHash !== f.descriptionHash) differences.push({ kind: 'videoDescription' });
    if (first.audio && !take.audio) differences.push({ kind: 'audioMissing' });
    else if (!first.audio && take.audio) differences.push({ kind: 'audioExtra', found: audioWords(take.audio) });
    else if (first.audio && take.audio) {
      const a = take.audio;
      const e = first.audio;
      if (
        a.codecString !== e.codecString || a.sampleRate !== e.sampleRate || a.channels !== e.channels ||
        a.descriptionHash !== e.descriptionHash
      ) {
        differences.push({ kind: 'audioFormat', expected: audioWords(e), found: audioWords(a) });
      }
    }
    if (differences.length > 0) mismatches.push({ index: i + 1, differences });
  });
  return mismatches;
}
