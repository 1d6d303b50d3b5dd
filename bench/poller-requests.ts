// Requests per completed task and detection delay: our adaptive poller vs a fixed 10-second poll.
//
// Everything runs on a ManualClock, so simulated hours take well under a second. Each scenario submits the
// same tasks (random settings from the catalogue, arrivals about every 45 s so several overlap) to a fake
// service that answers after 300 ms of fake latency and finishes each task after its duration:
//   simulator   - the local simulator's default render time (test/simulator/tasks.ts renderSeconds: 60-180 s,
//                 a deterministic function of model, seconds and resolution);
//   noisy       - the same times +-15 % at random (a real service is not deterministic);
//   independent - uniform 60-180 s with no relation to the settings (the worst case for any estimate);
//   noisy, coarse progress - "noisy" from a service whose progress says nothing (new-api's 10 / 50 / 100).
// Progress: like the simulator's default ('smooth', test/simulator/tasks.ts): queued with 0 % for the first
// 20 % of the duration, then running 1..99 % in proportion to the time run; 'coarse' answers 10 then 50.
// The poller sees only what getVideo answers (status and progress) and learns durations from the tasks it
// sees finish; it never reads renderSeconds. Figures are printed for all tasks, for the cold starts alone
// (the first task of each exact setting: model + seconds + resolution), and after a warm-up of 20 tasks.
// The fixed poll is computed exactly: checks at 10, 20, 30 s ... after submit, so a task of D seconds costs
// ceil(D / 10) requests and is noticed at the first multiple of 10 s at or after D.
//
// Run: npm run bench:poller. To try other settings without editing code, pass JSON in
// BENCH_POLLER_OPTIONS (PollerOptions, e.g. {"sparseIntervalMs":90000}) and BENCH_ESTIMATOR_OPTIONS.

import type { VideoTask } from '../src/core/api/types';
import { MODELS } from '../src/core/catalog';
import { ManualClock } from '../src/core/clock';
import { DurationEstimator, type DurationEstimatorOptions } from '../src/core/durationEstimate';
import { TaskPoller, type PollerOptions } from '../src/core/poller';
import { createSubmittingTask, type TaskRequest } from '../src/core/tasks/task';
import { TaskStore } from '../src/core/tasks/taskStore';
import { renderSeconds } from '../test/simulator/tasks';

const TASKS = 400;
const WARM_UP = 20;
const MEAN_ARRIVAL_MS = 45_000;
const LATENCY_MS = 300;
const FIXED_INTERVAL_MS = 10_000;

type Scenario = 'simulator' | 'noisy' | 'independent' | 'noisy, coarse progress';
type ProgressMode = 'smooth' | 'coarse';

/** Small deterministic PRNG (mulberry32), so every run prints the same figures. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Planned {
  request: TaskRequest;
  submitAt: number;
  durationMs: number;
}

function plan(scenario: Scenario, seed: number, start: number): Planned[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const out: Planned[] = [];
  let at = start;
  for (let i = 0; i < TASKS; i++) {
    const model = pick(MODELS);
    const seconds = model.minSeconds + Math.floor(rnd() * (model.maxSeconds - model.minSeconds + 1));
    const resolution = pick(model.resolutions);
    const request: TaskRequest = { prompt: `bench ${i}`, model: model.id, seconds, size: '16:9', resolution };
    const sim = renderSeconds(model.id, seconds, resolution) * 1000;
    const durationMs =
      scenario === 'simulator' ? sim :
      scenario.startsWith('noisy') ? sim * (0.85 + 0.3 * rnd()) :
      60_000 + 120_000 * rnd();
    at += -Math.log(1 - rnd()) * MEAN_ARRIVAL_MS;
    out.push({ request, submitAt: Math.round(at), durationMs: Math.round(durationMs) });
  }
  return out;
}

interface Figures {
  requestsPerTask: number;
  medianDelayS: number;
  p90DelayS: number;
}

function summarize(requests: number[], delaysMs: number[]): Figures {
  const sorted = [...delaysMs].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1000;
  return {
    requestsPerTask: requests.reduce((a, b) => a + b, 0) / requests.length,
    medianDelayS: q(0.5),
    p90DelayS: q(0.9),
  };
}

function fixedPoll(tasks: Planned[]): { requests: number[]; delays: number[] } {
  const requests = tasks.map((t) => Math.ceil(t.durationMs / FIXED_INTERVAL_MS));
  const delays = tasks.map((t, i) => requests[i] * FIXED_INTERVAL_MS + LATENCY_MS - t.durationMs);
  return { requests, delays };
}

async function ourPoller(tasks: Planned[], clock: ManualClock, progressMode: ProgressMode, tuning: Partial<PollerOptions> = {}, estimator: DurationEstimatorOptions = {}): Promise<{ requests: number[]; delays: number[]; maxConcurrent: number; totalRequests: number }> {
  const store = new TaskStore();
  const finishAt = new Map<string, number>();
  const startAt = new Map<string, number>();
  const calls = new Map<string, number>();
  const getVideo = async (id: string): Promise<VideoTask> => {
    calls.set(id, (calls.get(id) ?? 0) + 1);
    await new Promise<void>((resolve) => clock.setTimeout(resolve, LATENCY_MS));
    const now = clock.now();
    const end = finishAt.get(id) ?? Infinity;
    const begin = startAt.get(id) ?? Infinity;
    const base = { id, rawStatus: '', unknownStatus: false };
    if (now >= end) return { ...base, status: 'succeeded', progress: 100, videoUrl: `https://tos.invalid/${id}.mp4` };
    if (now < begin) return { ...base, status: 'queued', progress: progressMode === 'coarse' ? 10 : 0 };
    const fraction = (now - begin) / (end - begin);
    return { ...base, status: 'running', progress: progressMode === 'coarse' ? 50 : Math.min(99, 1 + Math.floor(98 * fraction)) };
  };
  const poller = new TaskPoller({ store, getVideo, clock, random: prng(7), estimator: new DurationEstimator(estimator), ...tuning });
  poller.start();

  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    await clock.advanceTo(t.submitAt);
    const remoteId = `task_${i}`;
    finishAt.set(remoteId, t.submitAt + t.durationMs);
    startAt.set(remoteId, t.submitAt + 0.2 * t.durationMs);
    store.add({ ...createSubmittingTask(t.request, clock.now(), `L${i}`), remoteId, status: 'queued', submittedAt: clock.now() });
  }
  await clock.runUntilIdle();
  const counters = poller.counters;
  poller.dispose();

  const requests: number[] = [];
  const delays: number[] = [];
  tasks.forEach((t, i) => {
    const task = store.get(`L${i}`)!;
    if (task.status !== 'succeeded' || task.finishedAt === undefined) throw new Error(`task ${i} ended ${task.status}`);
    requests.push(calls.get(`task_${i}`) ?? 0);
    delays.push(task.finishedAt - (t.submitAt + t.durationMs));
  });
  return { requests, delays, maxConcurrent: counters.maxConcurrent, totalRequests: counters.requests };
}

function row(label: string, f: Figures): string {
  return `  ${label.padEnd(26)} ${f.requestsPerTask.toFixed(2).padStart(7)} req/task   median delay ${f.medianDelayS.toFixed(1).padStart(5)} s   p90 ${f.p90DelayS.toFixed(1).padStart(5)} s`;
}

/** Indexes of the first task of each exact setting (nothing learned for it yet). */
function coldStarts(tasks: Planned[]): Set<number> {
  const seen = new Set<string>();
  const out = new Set<number>();
  tasks.forEach((t, i) => {
    const key = `${t.request.model}|${t.request.resolution}|${t.request.seconds}`;
    if (!seen.has(key)) out.add(i);
    seen.add(key);
  });
  return out;
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`Poller benchmark: ${TASKS} tasks per scenario, ~${MEAN_ARRIVAL_MS / 1000} s apart, ${LATENCY_MS} ms fake latency.`);
  console.log('Targets: our requests <= 50 % of the fixed 10 s poll; median delay (finish -> store shows it) <= 5 s.');
  console.log('The main target is the "simulator" scenario (the simulator\'s default durations and progress).\n');
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  for (const scenario of ['simulator', 'noisy', 'independent', 'noisy, coarse progress'] as const) {
    const clock = new ManualClock();
    const tasks = plan(scenario, 42, clock.now());
    const fixed = fixedPoll(tasks);
    const tuning = process.env.BENCH_POLLER_OPTIONS ? JSON.parse(process.env.BENCH_POLLER_OPTIONS) : {};
    const est = process.env.BENCH_ESTIMATOR_OPTIONS ? JSON.parse(process.env.BENCH_ESTIMATOR_OPTIONS) : {};
    const ours = await ourPoller(tasks, clock, scenario.endsWith('coarse progress') ? 'coarse' : 'smooth', tuning, est);
    const cold = coldStarts(tasks);
    const subsets: Array<[string, (i: number) => boolean]> = [
      ['all tasks', () => true],
      [`cold starts (${cold.size})`, (i) => cold.has(i)],
      [`after ${WARM_UP} tasks`, (i) => i >= WARM_UP],
    ];
    console.log(`Scenario "${scenario}"`);
    console.log(row('fixed 10 s poll', summarize(fixed.requests, fixed.delays)));
    const lines: string[] = [];
    for (const [label, keep] of subsets) {
      const pick = (xs: number[]) => xs.filter((_, i) => keep(i));
      const f = summarize(pick(fixed.requests), pick(fixed.delays));
      const o = summarize(pick(ours.requests), pick(ours.delays));
      console.log(row(`ours (${label})`, o));
      const ratio = o.requestsPerTask / f.requestsPerTask;
      lines.push(`  ${label.padEnd(20)} requests ${(ratio * 100).toFixed(0).padStart(3)} % of fixed [<= 50 %: ${mark(ratio <= 0.5)}]` +
        `   median delay ${o.medianDelayS.toFixed(1).padStart(4)} s [<= 5 s: ${mark(o.medianDelayS <= 5)}]`);
    }
    for (const line of lines) console.log(line);
    console.log(`  most requests in flight at once: ${ours.maxConcurrent}\n`);
  }
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s of real time)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
