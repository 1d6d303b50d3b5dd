// Joining takes into a film: our join (Mediabunny, packets copied: src/core/film/probe.ts + join.ts, what
// Assemble Film runs) beside `ffmpeg -f concat -c copy` on the same files, in the same run.
//
//   npm run bench:film     (or: node --expose-gc out/bench/film.js [--runs 5] [--only <scenario>])
//
// Scenarios: the issue's (ten 15 s 1280x720 24 fps H.264 Main + AAC stereo takes) and others the join was not
// tuned on: a short film of three takes, twenty 1080p takes, four one-minute 480p takes (many packets, small
// ones), and one 4 min take (one long file). The takes are made here with ffmpeg (one per scenario, copied:
// joining identical takes costs the same as joining different ones of the same parameters).
//
// Each scenario runs in a fresh Node process (`--child`), so its first join is a cold one, as the first film
// of a session is: Mediabunny loaded, nothing compiled yet. Each run does ours and ffmpeg's alternately on a
// warm page cache. Printed, beside targets:
//   - ours and ffmpeg's median time, and ours as a multiple of ffmpeg's (target <= 2x), and the same for the
//     first (cold) run alone;
//   - the peak rise of the process's RSS during our join (RSS sampled every ~10 ms; target < 64 MB: the takes
//     are streamed, not held), worst of the timed runs and of as many runs again from a collected heap
//     (gc() first). The timed runs force no collection: a forced full GC shrinks the heap, and growing it
//     again cost the next join up to twice its time here, a cost no session pays; those runs' times are
//     printed too, without a target;
//   - CPU time (user + system) of each: ours from process.cpuUsage(), ffmpeg's from its -benchmark line. On a
//     shared, loaded machine wall times swing with the scheduler; CPU time much less, so both are printed;
//   - ours with Mediabunny's stock FilePathTarget (what join.ts used before fileTarget.ts), for comparison;
//   - the load average before and after, since the machine may be shared: a loaded machine slows both sides.
// Both outputs are checked: ffprobe frame counts equal the sum, and ffmpeg decodes ours with no error.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sha256File } from '../src/core/film/filmFiles';
import { mediabunny } from '../src/core/film/media';
import { joinTakes, type JoinOptions } from '../src/core/film/join';
import { probeTake } from '../src/core/film/probe';
import { ffprobe, makeTake, requireFfmpeg } from '../test/media/makeTakes';

const MB = 1024 * 1024;
const TIME_TARGET = 2;
const MEMORY_TARGET_MB = 64;

interface Scenario {
  readonly name: string;
  readonly takes: number;
  readonly seconds: number;
  readonly width: number;
  readonly height: number;
  readonly crf: number;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'issue: 10 x 15 s 720p', takes: 10, seconds: 15, width: 1280, height: 720, crf: 23 },
  { name: 'short: 3 x 5 s 720p', takes: 3, seconds: 5, width: 1280, height: 720, crf: 23 },
  { name: 'many: 20 x 5 s 1080p', takes: 20, seconds: 5, width: 1920, height: 1080, crf: 23 },
  { name: 'long takes: 4 x 60 s 480p', takes: 4, seconds: 60, width: 854, height: 480, crf: 26 },
  { name: 'one take: 1 x 240 s 720p', takes: 1, seconds: 240, width: 1280, height: 720, crf: 28 },
];

interface ChildResult {
  readonly oursMs: number[];
  readonly ffMs: number[];
  readonly stockMs: number[];
  readonly stockCpuMs: number[];
  readonly oursCpuMs: number[];
  readonly ffCpuMs: number[];
  readonly rises: number[];
  readonly heapRises: number[];
  /** The same join after a forced full collection (memory from a collected heap), and its times. */
  readonly collectedRises: number[];
  readonly collectedMs: number[];
  readonly loadMs: number;
  readonly hashMs: number;
  readonly ourFilm: string;
  readonly ffFilm: string;
  readonly decodeErrors: string;
}

function arg(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function ours(
  files: string[],
  target: string,
  options: JoinOptions = {},
  collectFirst = false,
): Promise<{ ms: number; cpuMs: number; peakRiseMb: number; heapRiseMb: number }> {
  // A forced full collection shrinks the heap, which the join then grows again: it costs the join time
  // no session pays, so the timed runs go without it and the memory runs (below) with it.
  if (collectFirst) gc();
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
  const c0 = process.cpuUsage();
  const facts = [];
  for (const f of files) facts.push(await probeTake(f));
  await joinTakes(facts, target, options);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, peakRiseMb: (peak - base) / MB, heapRiseMb: (heapPeak - heapBase) / MB };
}

function ffmpegConcat(list: string, target: string): { ms: number; cpuMs: number } {
  const t0 = performance.now();
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostats', '-v', 'info', '-benchmark', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', target], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`ffmpeg concat failed: ${r.stderr}`);
  const bench = /utime=([\d.]+)s stime=([\d.]+)s/.exec(r.stdout + r.stderr);
  return { ms, cpuMs: bench ? (Number(bench[1]) + Number(bench[2])) * 1000 : NaN };
}

/** One scenario, in this (fresh) process: the takes are in `dir`. */
async function child(dir: string, runs: number): Promise<ChildResult> {
  const files = (await fs.readdir(dir)).filter((f) => f.startsWith('take-')).sort().map((f) => path.join(dir, f));
  const list = path.join(dir, 'list.txt');
  await fs.writeFile(list, files.map((f) => `file '${f}'`).join('\n'));
  // Loading Mediabunny is a one-time cost of the first film of a session: measured on its own.
  const l0 = performance.now();
  mediabunny();
  const loadMs = performance.now() - l0;
  const ourFilm = path.join(dir, 'ours.film.mp4');
  const ffFilm = path.join(dir, 'ffmpeg.mp4');
  const r: ChildResult = { oursMs: [], ffMs: [], stockMs: [], stockCpuMs: [], oursCpuMs: [], ffCpuMs: [], rises: [], heapRises: [], collectedRises: [], collectedMs: [], loadMs, hashMs: 0, ourFilm, ffFilm, decodeErrors: '' };
  for (let run = 0; run < runs; run++) {
    await fs.rm(ourFilm, { force: true });
    const o = await ours(files, ourFilm);
    r.oursMs.push(o.ms);
    r.oursCpuMs.push(o.cpuMs);
    r.rises.push(o.peakRiseMb);
    r.heapRises.push(o.heapRiseMb);
    const f = ffmpegConcat(list, ffFilm);
    r.ffMs.push(f.ms);
    r.ffCpuMs.push(f.cpuMs);
  }
  // The peak memory rise from a collected heap (gc() first), as many runs again: the memory target takes
  // the worst of these and the timed runs.
  for (let run = 0; run < runs; run++) {
    await fs.rm(ourFilm, { force: true });
    const o = await ours(files, ourFilm, {}, true);
    r.collectedRises.push(o.peakRiseMb);
    r.collectedMs.push(o.ms);
  }
  // Mediabunny's stock FilePathTarget (2 MiB chunks, as join.ts had it), after ours: it runs warm, so the
  // comparison favours it, not us.
  for (let run = 0; run < runs; run++) {
    const s = await ours(files, path.join(dir, 'stock.film.mp4'), { targetOptions: { chunked: true, chunkSize: 2 * MB } });
    r.stockMs.push(s.ms);
    r.stockCpuMs.push(s.cpuMs);
  }
  const h0 = performance.now();
  for (const f of [...files, ourFilm]) await sha256File(f);
  (r as { hashMs: number }).hashMs = performance.now() - h0;
  const decode = spawnSync('ffmpeg', ['-v', 'error', '-i', ourFilm, '-f', 'null', '-'], { encoding: 'utf8' });
  (r as { decodeErrors: string }).decodeErrors = decode.status === 0 ? decode.stderr.trim() : `exit ${decode.status}: ${decode.stderr.slice(0, 300)}`;
  return r;
}

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

async function main(): Promise<void> {
  const childDir = arg('child');
  const runs = Number(arg('runs') ?? 5);
  if (childDir) {
    process.stdout.write(`${JSON.stringify(await child(childDir, runs))}\n`);
    return;
  }
  requireFfmpeg();
  const only = arg('only');
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-film-'));
  console.log(`\nFilm benchmark: ours (probe + join, what Assemble Film runs) beside ffmpeg -f concat -c copy; ${runs} runs each, alternating; each scenario in a fresh Node process (its first join is cold). Node ${process.versions.node}, ${os.cpus().length} cores, load average ${load()} (1, 5, 15 min).`);
  const rows: string[] = [];
  let allMet = true;
  try {
    for (const [index, s] of SCENARIOS.entries()) {
      if (only && !s.name.startsWith(only)) continue;
      const dir = path.join(root, `s${index}`);
      await fs.mkdir(dir);
      const t0 = performance.now();
      const source = makeTake({ file: path.join(dir, 'source.mp4'), seconds: s.seconds, width: s.width, height: s.height, crf: s.crf });
      for (let i = 0; i < s.takes; i++) await fs.copyFile(source, path.join(dir, `take-${String(i + 1).padStart(2, '0')}.mp4`));
      const takeBytes = (await fs.stat(source)).size;
      const made = ((performance.now() - t0) / 1000).toFixed(1);
      const loadBefore = load();
      const out = spawnSync(process.execPath, ['--expose-gc', __filename, '--child', dir, '--runs', String(runs)], { encoding: 'utf8', maxBuffer: 16 * MB });
      if (out.status !== 0) throw new Error(`scenario "${s.name}" failed: ${out.stderr}`);
      const r = JSON.parse(out.stdout.trim().split('\n').pop()!) as ChildResult;
      const expected = ffprobe(source).streams.find((x) => x.codec === 'h264')!.frames * s.takes;
      const ourFrames = ffprobe(r.ourFilm).streams.find((x) => x.codec === 'h264')!.frames;
      const ffFrames = ffprobe(r.ffFilm).streams.find((x) => x.codec === 'h264')!.frames;
      const ratio = median(r.oursMs) / median(r.ffMs);
      const coldRatio = r.oursMs[0] / r.ffMs[0];
      const cpuRatio = median(r.oursCpuMs) / median(r.ffCpuMs);
      const worst = Math.max(...r.rises, ...r.collectedRises);
      const met = ratio <= TIME_TARGET && worst < MEMORY_TARGET_MB && ourFrames === expected && r.decodeErrors === '';
      allMet &&= met;
      console.log(`\n${s.name}: ${s.takes} x ${(takeBytes / MB).toFixed(1)} MB (made in ${made} s); load ${loadBefore} -> ${load()}`);
      console.log(`  ours (probe + join)   ${median(r.oursMs).toFixed(0).padStart(6)} ms median   runs ${r.oursMs.map((m) => m.toFixed(0)).join(', ')} ms (first = cold)`);
      console.log(`  ffmpeg concat copy    ${median(r.ffMs).toFixed(0).padStart(6)} ms median   runs ${r.ffMs.map((m) => m.toFixed(0)).join(', ')} ms`);
      console.log(`  CPU time              ours ${median(r.oursCpuMs).toFixed(0)} ms, ffmpeg ${median(r.ffCpuMs).toFixed(0)} ms (medians): ${cpuRatio.toFixed(2)} x   (no target; the wall-time ratio below is the target)`);
      console.log(`  ours / ffmpeg         ${ratio.toFixed(2).padStart(6)} x         target <= ${TIME_TARGET.toFixed(2)} x   ${verdict(ratio <= TIME_TARGET)}   (cold first run alone: ${coldRatio.toFixed(2)} x, ${verdict(coldRatio <= TIME_TARGET)})`);
      console.log(`  peak RSS rise         ${worst.toFixed(1).padStart(6)} MB        target < ${MEMORY_TARGET_MB} MB      ${verdict(worst < MEMORY_TARGET_MB)}   (timed runs ${r.rises.map((m) => m.toFixed(1)).join(', ')} MB; from a collected heap ${r.collectedRises.map((m) => m.toFixed(1)).join(', ')} MB; JS heap ${r.heapRises.map((m) => m.toFixed(1)).join(', ')} MB)`);
      console.log(`  after a forced GC     ${median(r.collectedMs).toFixed(0).padStart(6)} ms median   runs ${r.collectedMs.map((m) => m.toFixed(0)).join(', ')} ms (${(median(r.collectedMs) / median(r.ffMs)).toFixed(2)} x ffmpeg; the heap grown again costs time no session pays; no target)`);
      console.log(`  stock FilePathTarget  ${median(r.stockMs).toFixed(0).padStart(6)} ms median   (${(median(r.stockMs) / median(r.ffMs)).toFixed(2)} x ffmpeg; CPU ${median(r.stockCpuMs).toFixed(0)} ms; warm runs after ours; for comparison, no target)`);
      console.log(`  loading Mediabunny    ${r.loadMs.toFixed(0).padStart(6)} ms        (once per session, before the first join; not in the times above)`);
      console.log(`  sidecar hashing       ${r.hashMs.toFixed(0).padStart(6)} ms        (SHA-256 of the takes and the film, after the join; no target)`);
      console.log(`  frames                ours ${ourFrames}, ffmpeg's ${ffFrames}, expected ${expected}   ${verdict(ourFrames === expected)};  ours decodes ${r.decodeErrors === '' ? 'with no error' : `WITH ERRORS: ${r.decodeErrors}`}`);
      rows.push(`| ${s.name} | ${median(r.oursMs).toFixed(0)} | ${median(r.ffMs).toFixed(0)} | ${ratio.toFixed(2)}x ${verdict(ratio <= TIME_TARGET)} | ${coldRatio.toFixed(2)}x | ${median(r.oursCpuMs).toFixed(0)} / ${median(r.ffCpuMs).toFixed(0)} | ${worst.toFixed(1)} MB ${verdict(worst < MEMORY_TARGET_MB)} | ${median(r.stockMs).toFixed(0)} / ${median(r.stockCpuMs).toFixed(0)} | ${loadBefore} |`);
      await fs.rm(dir, { recursive: true, force: true });
    }
    console.log('\n| scenario | ours ms | ffmpeg ms | ratio (<= 2x) | cold ratio | CPU ms ours / ffmpeg | peak RSS rise (< 64 MB) | stock target ms / CPU ms | load before |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const row of rows) console.log(row);
    console.log(`\nTargets met in every scenario above: ${allMet ? 'yes' : 'NO (see NOT MET)'}.`);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
