// What the film needs to know about one take, read from the file by Mediabunny (no native binary): its
// video and audio parameters (to refuse takes that cannot be joined by copying packets), its length and
// frame count, and the audio priming the encoder put before time zero.
import { createHash } from 'node:crypto';
import { mediabunny } from './media';
import { readMoov, sampleCounts } from './mp4Index';

export interface VideoFacts {
  /** Mediabunny's codec name ("avc", "hevc", ...). */
  readonly codec: string;
  /** The full codec string ("avc1.4d401f"). */
  readonly codecString: string;
  readonly width: number;
  readonly height: number;
  /** SHA-256 of the decoder description (avcC/hvcC): two takes join only if theirs are the same bytes. */
  readonly descriptionHash: string;
  readonly frames: number;
}

export interface AudioFacts {
  readonly codec: string;
  readonly codecString: string;
  readonly sampleRate: number;
  readonly channels: number;
  /** SHA-256 of the decoder description (the AudioSpecificConfig of AAC). */
  readonly descriptionHash: string;
  readonly packets: number;
}

export interface TakeFacts {
  readonly file: string;
  /** The first picture's presentation time, seconds (normally 0). */
  readonly start: number;
  /** Seconds from `start` to the end of the last picture: the film's cuts follow the picture. */
  readonly duration: number;
  readonly video: VideoFacts;
  readonly audio?: AudioFacts;
}

/** A take that cannot be read as a video (no video track, or not an MP4/MOV at all). */
export class UnreadableTakeError extends Error {
  constructor(readonly file: string, reason: string) {
    super(reason);
  }
}

function hashOf(description: unknown): string {
  const hash = createHash('sha256');
  if (description instanceof ArrayBuffer) hash.update(new Uint8Array(description));
  else if (ArrayBuffer.isView(description)) hash.update(new Uint8Array(description.buffer, description.byteOffset, description.byteLength));
  return hash.digest('hex');
}

/** What packetCount needs of a Mediabunny track. */
interface CountableTrack {
  readonly id: number;
  computePacketStats(): Promise<{ packetCount: number }>;
}

/**
 * A track's packet count: its sample count in the index when the index holds every sample (read in a few
 * small reads), else Mediabunny's count, which walks every packet (a tenth of a film's join time for
 * packet-dense takes).
 */
async function packetCount(track: CountableTrack, counts: Map<number, number>): Promise<number> {
  const counted = counts.get(track.id);
  return counted !== undefined && counted > 0 ? counted : (await track.computePacketStats()).packetCount;
}

export async function probeTake(file: string): Promise<TakeFacts> {
  const mb = mediabunny();
  const input = new mb.Input({ source: new mb.FilePathSource(file), formats: [mb.MP4, mb.QTFF] });
  const counts = readMoov(file).then((moov) => (moov ? sampleCounts(moov) : new Map<number, number>()), () => new Map<number, number>());
  try {
    let video;
    try {
      video = await input.getPrimaryVideoTrack();
    } catch (error) {
      throw new UnreadableTakeError(file, error instanceof Error ? error.message : String(error));
    }
    if (!video) throw new UnreadableTakeError(file, 'it has no video track');
    const audio = await input.getPrimaryAudioTrack();
    const videoConfig = await video.getDecoderConfig();
    const start = await video.getFirstTimestamp();
    const end = await video.computeDuration();
    const facts: TakeFacts = {
      file,
      start,
      duration: end - start,
      video: {
        codec: String(video.codec ?? 'unknown'),
        codecString: (await video.getCodecParameterString()) ?? String(video.codec ?? 'unknown'),
        width: video.codedWidth,
        height: video.codedHeight,
        descriptionHash: hashOf(videoConfig?.description),
        frames: await packetCount(video, await counts),
      },
      ...(audio ? {
        audio: {
          codec: String(audio.codec ?? 'unknown'),
          codecString: (await audio.getCodecParameterString()) ?? String(audio.codec ?? 'unknown'),
          sampleRate: audio.sampleRate,
          channels: audio.numberOfChannels,
          descriptionHash: hashOf((await audio.getDecoderConfig())?.description),
          packets: await packetCount(audio, await counts),
        },
      } : {}),
    };
    return facts;
  } finally {
    input.dispose();
  }
}
