// The film as an OpenTimelineIO timeline (JSON; every object names its OTIO_SCHEMA): one video track, and
// an audio track when the takes have sound, of one clip per shot that references the take file with its
// in and out points (whole takes: the film uses each take from its first picture to its last) and the
// shot's name. Editing applications that import OTIO (DaVinci Resolve does) rebuild the cut from it. Pure.
import { pathToFileURL } from 'node:url';

export interface TimelineShot {
  readonly name: string;
  /** Absolute path of the take. */
  readonly file: string;
  /** Seconds. */
  readonly duration: number;
}

export interface TimelineInput {
  readonly name: string;
  /** Pictures per second of the takes. */
  readonly rate: number;
  readonly hasAudio: boolean;
  readonly shots: readonly TimelineShot[];
}

function time(rate: number, value: number) {
  return { OTIO_SCHEMA: 'RationalTime.1', rate, value };
}

function clip(shot: TimelineShot, rate: number) {
  const frames = Math.round(shot.duration * rate);
  return {
    OTIO_SCHEMA: 'Clip.2',
    metadata: {},
    name: shot.name,
    source_range: { OTIO_SCHEMA: 'TimeRange.1', start_time: time(rate, 0), duration: time(rate, frames) },
    effects: [],
    markers: [],
    enabled: true,
    media_references: {
      DEFAULT_MEDIA: {
        OTIO_SCHEMA: 'ExternalReference.1',
        metadata: {},
        name: shot.name,
        available_range: { OTIO_SCHEMA: 'TimeRange.1', start_time: time(rate, 0), duration: time(rate, frames) },
        available_image_bounds: null,
        target_url: pathToFileURL(shot.file).href,
      },
    },
    active_media_reference_key: 'DEFAULT_MEDIA',
  };
}

function track(kind: 'Video' | 'Audio', name: string, input: TimelineInput) {
  return {
    OTIO_SCHEMA: 'Track.1',
    metadata: {},
    name,
    source_range: null,
    effects: [],
    markers: [],
    enabled: true,
    children: input.shots.map((s) => clip(s, input.rate)),
    kind,
  };
}

export function buildTimeline(input: TimelineInput): object {
  const tracks = [track('Video', 'Video 1', input), ...(input.hasAudio ? [track('Audio', 'Audio 1', input)] : [])];
  return {
    OTIO_SCHEMA: 'Timeline.1',
    metadata: { 'seedance-studio': { generator: 'Seedance Studio' } },
    name: input.name,
    global_start_time: time(input.rate, 0),
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      metadata: {},
      name: 'tracks',
      source_range: null,
      effects: [],
      markers: [],
      enabled: true,
      children: tracks,
    },
  };
}
