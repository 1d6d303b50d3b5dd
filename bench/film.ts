// Joining takes into a film: our join (Mediabunny, packets copied: src/core/film/probe.ts + join.ts, what
// Assemble Film runs) beside `ffmpeg -f concat -c copy` on the same files, in the same run.
//
//   npm run bench:film     (or: node --expose-gc out/bench/film.js [--takes 10] [--seconds 15] [--runs 3])
//
// The takes are made here with ffmpeg: one 1280x720 24 fps H.264 (Main) + AAC stereo take of --seconds,
// copied --takes times (joining identical takes costs the same as joining different ones of the same
// parameters). Each run does ours and ffmpeg's alternately on a warm page cache. It prints, beside targets:
//   - the median time of each, and ours as a multiple of ffmpeg's (target <= 2x);
//   - the peak rise of this process's RSS during our join, from a collected heap (RSS sampled every ~10 ms;
//     target < 64 MB: the takes are streamed, not held); loading Mediabunny itself is measured apart;
//   - the time Assemble Film adds after the join (SHA-256 of every take and of the film, for the sidecar).
// Both outputs are checked: ffprobe frame counts equal the sum. A benchmark, not a test: it reports.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sha256File } from '../src/core/film/filmFiles';
import { mediabunny } from '../src/core/film/media';
import { joinTakes } from '../src/core/film/join';
import { probeTake } from '../src/core/film/probe';
import { ffprobe, makeTake, requireFfmpeg } from '../test/media/makeTakes';

const MB = 1024 * 1024;

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function ours(files: string[], target: string): Promise<{ ms: number; peakRiseMb: number; heapRiseMb: number }> {
  gc();
  const base = process.memoryUsage().rss;
  const heapBase = process.memoryUsage().heapUsed;
  let peak = base;
  let heapPeak = heapBase;
  // process.memoryUsage.rss() is cheap; the full memoryUsage() (heap statistics too) is sampled less often,
  // so the sampling itself costs the join little.
  let ticks = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    if (++ticks % 5 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 10);
  const t0 = performance.now();
  const facts = [];
  for (const f of files) facts.push(await probeTake(f));
  await joinTakes(facts, target);
  const ms = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakRiseMb: (peak - base) / MB, heapRiseMb: (heapPeak - heapBase) / MB };
}

function ffmpegConcat(list: string, target: string, extra: string[] = []): number {
  const t0 = performance.now();
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', ...extra, target], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`ffmpeg concat failed: ${r.stderr}`);
  return ms;
}

async function main(): Promise<void> {
  requireFfmpeg();
  const takes = arg('takes', 10);
  const seconds = arg('seconds', 15);
  const runs = arg('runs', 3);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-film-'));
  try {
    const t0 = performance.now();
    const source = makeTake({ file: path.join(dir, 'source.mp4'), seconds, width: 1280, height: 720, crf: 23 });
    const files: string[] = [];
    for (let i = 0; i < takes; i++) {
      const f = path.join(dir, `take-${String(i + 1).padStart(2, '0')}.mp4`);
      await fs.copyFile(source, f);
      files.push(f);
    }
    const takeBytes = (await fs.stat(source)).size;
    const list = path.join(dir, 'list.txt');
    await fs.writeFile(list, files.map((f) => `file '${f}'`).join('\n'));
    console.log(`\nFilm benchmark: ${takes} takes of ${seconds} s, 1280x720 24 fps H.264 + AAC, ${(takeBytes / MB).toFixed(1)} MB each (made in ${((performance.now() - t0) / 1000).toFixed(1)} s); ${runs} runs each, alternating; Node ${process.versions.node}, ${os.cpus().length} cores.`);

    // Loading Mediabunny is a one-time cost of the first film of a session: measured on its own.
    gc();
    const beforeLoad = process.memoryUsage().rss;
    const l0 = performance.now();
    mediabunny();
    const loadMs = performance.now() - l0;
    gc();
    const loadRiseMb = (process.memoryUsage().rss - beforeLoad) / MB;
    const oursMs: number[] = [];
    const rises: number[] = [];
    const ffMs: number[] = [];
    const ffFastMs: number[] = [];
    let worstRise = 0;
    const ourFilm = path.join(dir, 'ours.film.mp4');
    const ffFilm = path.join(dir, 'ffmpeg.mp4');
    for (let run = 0; run < runs; run++) {
      await fs.rm(ourFilm, { force: true });
      const o = await ours(files, ourFilm);
      oursMs.push(o.ms);
      worstRise = Math.max(worstRise, o.peakRiseMb);
      rises.push(o.peakRiseMb);
      ffMs.push(ffmpegConcat(list, ffFilm));
      ffFastMs.push(ffmpegConcat(list, path.join(dir, 'ffmpeg-faststart.mp4'), ['-movflags', '+faststart']));
      console.log(`  run ${run + 1}: ours ${o.ms.toFixed(0)} ms (peak rise: RSS ${o.peakRiseMb.toFixed(1)} MB, JS heap ${o.heapRiseMb.toFixed(1)} MB), ffmpeg ${ffMs[run].toFixed(0)} ms`);
    }
    // The same join repeated back to back without collecting in between: what later films of a session cost
    // once V8 has optimised the code paths (the runs above each start from a collected heap).
    const warm: number[] = [];
    for (let i = 0; i < 4; i++) {
      const w0 = performance.now();
      const facts = [];
      for (const f of files) facts.push(await probeTake(f));
      await joinTakes(facts, ourFilm);
      warm.push(performance.now() - w0);
    }
    const h0 = performance.now();
    for (const f of [...files, ourFilm]) await sha256File(f);
    const hashMs = performance.now() - h0;

    const expectedFrames = ffprobe(source).streams.find((s) => s.codec === 'h264')!.frames * takes;
    const check = (file: string) => {
      const p = ffprobe(file);
      return `${p.streams.map((s) => `${s.codec} ${s.frames} frames`).join(', ')}, ${p.duration.toFixed(3)} s`;
    };
    const ourCheck = check(ourFilm);
    const ratio = median(oursMs) / median(ffMs);
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
    console.log('');
    console.log(`  ours (probe + join)  ${median(oursMs).toFixed(0).padStart(6)} ms (median)`);
    console.log(`  ffmpeg concat copy   ${median(ffMs).toFixed(0).padStart(6)} ms (median)`);
    console.log(`  ours / ffmpeg        ${ratio.toFixed(2).padStart(6)} x        target <= 2.00 x   ${verdict(ratio <= 2)}`);
    console.log(`  (ffmpeg +faststart   ${median(ffFastMs).toFixed(0).padStart(6)} ms: index at the front like ours; ours / that ${(median(oursMs) / median(ffFastMs)).toFixed(2)} x)`);
    console.log(`  ours, repeated       ${warm.map((w) => w.toFixed(0)).join(', ')} ms back to back (later films of a session; last / ffmpeg ${(warm[warm.length - 1] / median(ffMs)).toFixed(2)} x)`);
    console.log(`  peak RSS rise        ${worstRise.toFixed(1).padStart(6)} MB       target < 64 MB     ${verdict(worstRise < 64)} (worst run; runs: ${rises.map((r) => r.toFixed(1)).join(', ')} MB)`);
    console.log(`  loading Mediabunny   ${loadMs.toFixed(0).padStart(6)} ms, ${loadRiseMb.toFixed(1)} MB RSS (once per session, before the runs above)`);
    console.log(`  sidecar hashing      ${hashMs.toFixed(0).padStart(6)} ms       (SHA-256 of the ${takes} takes and the film, after the join)`);
    console.log(`  our film             ${ourCheck} (expected ${expectedFrames} video frames)`);
    console.log(`  ffmpeg's film        ${check(ffFilm)}`);
    const decode = spawnSync('ffmpeg', ['-v', 'error', '-i', ourFilm, '-f', 'null', '-'], { encoding: 'utf8' });
    console.log(`  our film decodes     ${decode.status === 0 && decode.stderr.trim() === '' ? 'with no error (ffmpeg -v error -f null)' : `WITH ERRORS: ${decode.stderr.slice(0, 300)}`}`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
