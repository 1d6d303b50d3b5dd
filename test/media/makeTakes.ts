// Real takes for the film's tests and benchmark, made with ffmpeg on the spot (no binary fixtures in the
// repository): H.264 (Main, yuv420p, like the service's) with AAC, AC-3 or no sound, at the size, length
// and frame rate asked. ffmpeg and ffprobe are Debian packages `.ci/run` installs; the tests that need them
// fail with that hint rather than pass without them.
import { execFileSync, spawnSync } from 'node:child_process';

export interface TakeSpec {
  readonly file: string;
  readonly seconds: number;
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  /** 'aac' (default), 'ac3' (a codec Chromium's player has no decoder for), or 'none'. */
  readonly audio?: 'aac' | 'ac3' | 'none';
  /** Sine frequency of the sound, so takes differ. */
  readonly tone?: number;
  /** x264 preset and quality: the benchmark's realistic takes use bigger files. */
  readonly crf?: number;
}

export function requireFfmpeg(): void {
  for (const tool of ['ffmpeg', 'ffprobe']) {
    const r = spawnSync(tool, ['-version'], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${tool} is needed to make the test videos: install the Debian package ffmpeg (bash .ci/run does)`);
  }
}

export function makeTake(spec: TakeSpec): string {
  const w = spec.width ?? 320;
  const h = spec.height ?? 180;
  const fps = spec.fps ?? 24;
  const audio = spec.audio ?? 'aac';
  const args = ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${w}x${h}:rate=${fps}:duration=${spec.seconds}`];
  if (audio !== 'none') args.push('-f', 'lavfi', '-i', `sine=frequency=${spec.tone ?? 440}:sample_rate=${audio === 'ac3' ? 48000 : 44100}:duration=${spec.seconds}`);
  args.push('-c:v', 'libx264', '-profile:v', 'main', '-pix_fmt', 'yuv420p', '-g', String(fps * 2), '-crf', String(spec.crf ?? 32), '-preset', 'veryfast', '-threads', '2');
  if (audio === 'aac') args.push('-c:a', 'aac', '-b:a', '96k', '-ac', '2');
  else if (audio === 'ac3') args.push('-c:a', 'ac3', '-ac', '2');
  else args.push('-an');
  args.push('-movflags', '+faststart', '-map_metadata', '-1', spec.file);
  execFileSync('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return spec.file;
}

export interface ProbedStream {
  readonly codec: string;
  readonly frames: number;
  readonly duration: number;
  readonly width?: number;
  readonly height?: number;
}

/** ffprobe's view: every stream with its decoded frame count (-count_frames) and duration. */
export function ffprobe(file: string): { duration: number; streams: ProbedStream[] } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_name,nb_read_frames,duration,width,height:format=duration', '-of', 'json', file], { encoding: 'utf8' });
  const json = JSON.parse(out) as {
    format: { duration: string };
    streams: Array<{ codec_name: string; nb_read_frames: string; duration: string; width?: number; height?: number }>;
  };
  return {
    duration: Number(json.format.duration),
    streams: json.streams.map((s) => ({
      codec: s.codec_name,
      frames: Number(s.nb_read_frames),
      duration: Number(s.duration),
      ...(s.width ? { width: s.width, height: s.height } : {}),
    })),
  };
}

/** What `ffmpeg -v error` prints while decoding every stream of the file (empty: no error). */
export function ffmpegDecodeErrors(file: string): string {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  return `${r.stderr}${r.status === 0 ? '' : `\n(exit ${r.status})`}`.trim();
}

/** Presentation times of the audio packets (seconds). */
export function audioPacketTimes(file: string): number[] {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map(Number);
}
