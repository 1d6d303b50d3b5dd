// Joins takes into one MP4 by copying their encoded packets (no decoding, no re-encoding, no native
// binary): one output video track and, when the takes have sound, one audio track; each take's packets are
// shifted to where it starts in the film. The takes must have the same parameters (compatibility.ts says
// which do not): the first take's decoder configuration describes every packet.
//
// Sound stays in sync across cuts: every take starts where the previous take's *picture* ends, audio
// included. An AAC encoder puts about 23 ms of priming before time zero (the first packet's timestamp is
// negative; MP4 hides it with an edit list, which the output does not write); those packets are dropped,
// as is any audio running past the take's last picture, so no cut drifts the sound.
//
// The file is written under a temporary name beside the target and renamed over it only when complete:
// a failed or cancelled run leaves nothing. The takes are streamed packet by packet, never held whole.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { mediabunny } from './media';
import { fileTarget } from './fileTarget';
import type { TakeFacts } from './probe';

export interface JoinOptions {
  readonly signal?: AbortSignal;
  /** 0..1, as packets are copied. */
  readonly onProgress?: (fraction: number) => void;
  /** Benchmark knobs: Mediabunny's stock FilePathTarget / FilePathSource with these options. */
  readonly targetOptions?: { chunked?: boolean; chunkSize?: number };
  readonly sourceOptions?: { maxCacheSize?: number };
}

export interface JoinedShot {
  readonly file: string;
  /** Where it starts in the film, seconds. */
  readonly start: number;
  readonly duration: number;
}

export interface JoinResult {
  readonly duration: number;
  readonly shots: readonly JoinedShot[];
  readonly hasAudio: boolean;
}

export class JoinCancelledError extends Error {
  constructor() {
    super('The film was cancelled.');
  }
}

/** A hair under a microsecond: timestamps are floats in seconds. */
const EPSILON = 1e-6;

export function tempFilmPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.part-${randomBytes(6).toString('hex')}`);
}

export async function joinTakes(takes: readonly TakeFacts[], target: string, options: JoinOptions = {}): Promise<JoinResult> {
  if (takes.length === 0) throw new Error('There is no take to join.');
  const mb = mediabunny();
  const withAudio = takes[0].audio !== undefined;
  const temp = tempFilmPath(target);
  const totalPackets = takes.reduce((n, t) => n + t.video.frames + (withAudio ? t.audio?.packets ?? 0 : 0), 0);
  const output = new mb.Output({
    // 'reserve': the index goes at the start of the file (a player needs no seek to its end) while the
    // packets stream straight to disk; it needs the packet counts, which the takes' indexes give.
    format: new mb.Mp4OutputFormat({ fastStart: 'reserve' }),
    // Straight onto the file in pieces of up to 2 MiB (fileTarget.ts); the stock FilePathTarget when the
    // benchmark asks for it, to compare.
    target: options.targetOptions ? new mb.FilePathTarget(temp, options.targetOptions) : fileTarget(temp),
  });
  const videoSource = new mb.EncodedVideoPacketSource(takes[0].video.codec as never);
  output.addVideoTrack(videoSource, { maximumPacketCount: takes.reduce((n, t) => n + t.video.frames, 0) });
  const audioSource = withAudio ? new mb.EncodedAudioPacketSource(takes[0].audio!.codec as never) : undefined;
  if (audioSource) output.addAudioTrack(audioSource, { maximumPacketCount: takes.reduce((n, t) => n + (t.audio?.packets ?? 0), 0) });

  const shots: JoinedShot[] = [];
  let copied = 0;
  let lastReported = -1;
  const progress = () => {
    const fraction = totalPackets > 0 ? copied / totalPackets : 1;
    if (fraction - lastReported >= 0.01 || fraction === 1) {
      lastReported = fraction;
      options.onProgress?.(fraction);
    }
  };
  const checkCancel = () => {
    if (options.signal?.aborted) throw new JoinCancelledError();
  };
  let finished = false;
  try {
    checkCancel();
    await output.start();
    let offset = 0;
    for (const [index, take] of takes.entries()) {
      const input = new mb.Input({ source: new mb.FilePathSource(take.file, options.sourceOptions), formats: [mb.MP4, mb.QTFF] });
      try {
        const video = await input.getPrimaryVideoTrack();
        if (!video) throw new Error(`${path.basename(take.file)} has no video track`);
        const audio = audioSource ? await input.getPrimaryAudioTrack() : null;
        const shift = offset - take.start;
        const end = take.start + take.duration;
        let videoMeta = index === 0 ? { decoderConfig: (await video.getDecoderConfig()) ?? undefined } : undefined;
        let audioMeta = index === 0 && audio ? { decoderConfig: (await audio.getDecoderConfig()) ?? undefined } : undefined;
        // Picture and sound interleaved by time, as players read them (and as the muxer's reserved index
        // needs: every track has a packet before the second picture group is counted).
        const pictures = new mb.EncodedPacketSink(video).packets();
        const sounds = audio ? new mb.EncodedPacketSink(audio).packets() : undefined;
        let picture = (await pictures.next()).value ?? undefined;
        let sound = sounds ? (await sounds.next()).value ?? undefined : undefined;
        while (picture || sound) {
          checkCancel();
          copied++;
          if (picture && (!sound || picture.timestamp <= sound.timestamp)) {
            await videoSource.add(picture.clone({ timestamp: picture.timestamp + shift }), videoMeta as never);
            videoMeta = undefined;
            picture = (await pictures.next()).value ?? undefined;
          } else if (sound && sounds && audioSource) {
            // Priming before the first picture, and sound past the last one, would push the next cut.
            if (sound.timestamp >= take.start - EPSILON && sound.timestamp < end - EPSILON) {
              await audioSource.add(sound.clone({ timestamp: sound.timestamp + shift }), audioMeta as never);
              audioMeta = undefined;
            }
            sound = (await sounds.next()).value ?? undefined;
          }
          progress();
        }
      } finally {
        input.dispose();
      }
      shots.push({ file: take.file, start: offset, duration: take.duration });
      offset += take.duration;
    }
    checkCancel();
    await output.finalize();
    checkCancel();
    await fs.rename(temp, target);
    finished = true;
    copied = totalPackets;
    progress();
    return { duration: offset, shots, hasAudio: withAudio };
  } finally {
    if (!finished) {
      if (output.state !== 'finalized' && output.state !== 'canceled') await output.cancel().catch(() => undefined);
      await fs.rm(temp, { force: true }).catch(() => undefined);
    }
  }
}
