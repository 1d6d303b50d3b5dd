// The poller against a fixed 10 s poll, in virtual time: requests per task and how late a finished video is
// noticed, over families of services with different duration distributions and progress reporting.
//
// It drives the real loop (src/core/polling/poller.ts), the real cadence policy and the real learned durations on a
// ManualClock; only the service is fake (it answers after 300 ms of fake latency with queued / running /
// succeeded and a progress figure). Each scenario submits TASKS tasks with random settings from the
// catalogue, about every 45 s (so several overlap). "warm" scenarios first run WARM_UP tasks of the same
// family through a poller whose learned durations are then saved (toJSON) and loaded (fromJSON) into the
// measured one, as a reload would; "cold" scenarios start with nothing learned.
// Families marked * were added after the policy was designed and were not used to shape it.
//
// The fixed poll is computed exactly, as the same fake service would answer it: a check sent at c is answered
// LATENCY_MS later and sees the finish when D <= c + LATENCY_MS. The comparator of the ratio target is the one
// the issue names, a plain fixed 10 s poll: checks at 10, 20, 30 s ... after submit. Our poller also makes the
// early first check the issue asks for (a few seconds after submit) and pays for it inside that budget. Beside
// it, for reference, "4 s+10": a fixed poll with the same early first check, then every 10 s after it.
// Run: npm run bench:poller            (`-- --seed N` draws every scenario's tasks from other seeds: the figures
//                                       move by a few tenths of a second from seed to seed; look at several)

import type { VideoTask } from '../src/core/api/types';
import { MODELS } from '../src/core/catalog';
import { ManualClock } from '../src/core/clock';
import { LearnedDurations } from '../src/core/polling/durationEstimate';
import { FIRST_CHECK_MS } from '../src/core/polling/pollCadence';
import { TaskPoller } from '../src/core/polling/poller';
import { createSubmittingTask, type TaskRequest } from '../src/core/tasks/task';
import { TaskStore } from '../src/core/tasks/taskStore';

const TASKS = 300;
const WARM_UP = 100;
/** `--seed N`: added to every scenario's seeds (0: the figures the closing notes quote). */
const SEED_OFFSET = (() => {
  const at = process.argv.indexOf('--seed');
  const n = at >= 0 ? Number(process.argv[at + 1]) : 0;
  return Number.isInteger(n) ? n : 0;
})();
const MEAN_ARRIVAL_MS = 45_000;
const LATENCY_MS = 300;
const FIXED_MS = 10_000;
const SEC = 1000;
const MIN = 60 * SEC;

type Progress = 'smooth' | 'coarse' | 'none' | 'back-loaded';

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

function gaussian(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

/** A service whose typical duration depends on the settings (a made-up law, not the policy's). */
function typicalMs(request: TaskRequest): number {
  const perModel: Record<string, number> = {
    'doubao-seedance-2-0': 70, 'doubao-seedance-2-0-fast': 45, 'doubao-seedance-1-5-pro': 60, 'doubao-seedance-1-0-pro': 50,
  };
  const res: Record<string, number> = { '480p': 0.7, '720p': 1, '1080p': 1.6 };
  return ((perModel[request.model] ?? 60) + 9 * request.seconds * (res[request.resolution] ?? 1)) * SEC;
}

/** Noisy log-normal around the typical duration, with a heavy tail (5 % take 2-5x longer). */
function noisy(rnd: () => number, ms: number): number {
  const tail = rnd() < 0.05 ? 2 + 3 * rnd() : 1;
  return ms * Math.exp(0.35 * gaussian(rnd)) * tail;
}

interface Family {
  readonly name: string;
  readonly warm: boolean;
  readonly progress: Progress;
  readonly unseen?: boolean;
  /** Added after the design was frozen, with other seeds. */
  readonly heldOut?: boolean;
  /** Duration of task i submitted at `at` ms into the run (measured run only; the warm-up passes at = -1). */
  duration(rnd: () => number, request: TaskRequest, i: number, at: number): number;
}

const lognormal = (rnd: () => number, r: TaskRequest) => noisy(rnd, typicalMs(r));
const half = (TASKS / 2) * MEAN_ARRIVAL_MS;

const FAMILIES: Family[] = [
  { name: 'log-normal, cold, smooth progress', warm: false, progress: 'smooth', duration: lognormal },
  { name: 'log-normal, warm, coarse progress', warm: true, progress: 'coarse', duration: lognormal },
  { name: 'log-normal, warm, no progress', warm: true, progress: 'none', duration: lognormal },
  { name: 'log-normal, warm, back-loaded', warm: true, progress: 'back-loaded', duration: lognormal },
  { name: 'fast tier 15-45 s, cold', warm: false, progress: 'coarse', duration: (rnd) => 15 * SEC + 30 * SEC * rnd() },
  { name: 'fast tier 15-45 s, warm', warm: true, progress: 'coarse', duration: (rnd) => 15 * SEC + 30 * SEC * rnd() },
  {
    name: 'load spike +2-4 min, warm', warm: true, progress: 'coarse',
    // For a third of the run every task waits minutes in the queue first.
    duration: (rnd, r, _i, at) => lognormal(rnd, r) + (at >= half * 0.6 && at < half * 1.3 ? (2 + 2 * rnd()) * MIN : 0),
  },
  { name: 'regime change: 3x slower, warm', warm: true, progress: 'coarse', duration: (rnd, r, _i, at) => lognormal(rnd, r) * (at >= half ? 3 : 1) },
  { name: 'regime change: 3x faster, warm', warm: true, progress: 'coarse', duration: (rnd, r, _i, at) => lognormal(rnd, r) / (at >= half ? 3 : 1) },
  {
    name: 'bimodal 20 s / 4 min, warm', warm: true, progress: 'none', unseen: true,
    duration: (rnd) => (rnd() < 0.3 ? 20 * SEC * Math.exp(0.2 * gaussian(rnd)) : 4 * MIN * Math.exp(0.2 * gaussian(rnd))),
  },
  { name: 'unrelated to settings, warm', warm: true, progress: 'smooth', unseen: true, duration: (rnd) => 30 * SEC * Math.exp(Math.log(20) * rnd()) },
  { name: 'very short 2-10 s, warm', warm: true, progress: 'none', unseen: true, duration: (rnd) => 2 * SEC + 8 * SEC * rnd() },
  { name: 'uniform 1-20 min, warm', warm: true, progress: 'coarse', unseen: true, duration: (rnd) => MIN + 19 * MIN * rnd() },
  { name: 'uniform 1-20 min, cold', warm: false, progress: 'coarse', unseen: true, duration: (rnd) => MIN + 19 * MIN * rnd() },
  // Held out (marked "+"): written after the cadence design was frozen, never used to change it, other seeds.
  {
    name: 'gamma(3) ~90 s by model, warm', warm: true, progress: 'smooth', unseen: true, heldOut: true,
    duration: (rnd, r) => (typicalMs(r) / 3) * (-Math.log(1 - rnd()) - Math.log(1 - rnd()) - Math.log(1 - rnd())) / 1.5,
  },
  {
    name: 'Pareto tail from 40 s, warm', warm: true, progress: 'none', unseen: true, heldOut: true,
    duration: (rnd) => 40 * SEC / Math.pow(1 - rnd(), 1 / 2.5),
  },
];

interface Planned {
  readonly request: TaskRequest;
  readonly submitAt: number;
  readonly durationMs: number;
}

function plan(family: Family, count: number, seed: number, start: number, measured: boolean): Planned[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const out: Planned[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    const model = pick(MODELS);
    const seconds = model.minSeconds + Math.floor(rnd() * (model.maxSeconds - model.minSeconds + 1));
    const resolution = pick(model.resolutions);
    const request: TaskRequest = { prompt: `bench ${i}`, model: model.id, seconds, size: '16:9', resolution };
    at += -Math.log(1 - rnd()) * MEAN_ARRIVAL_MS;
    const durationMs = Math.max(1_000, Math.round(family.duration(rnd, request, i, measured ? at - start : -1)));
    out.push({ request, submitAt: Math.round(at), durationMs });
  }
  return out;
}

interface Outcome {
  requests: number[];
  delays: number[];
  maxGaps: number[];
  maxConcurrent: number;
}

/** What the fake service answers for a task: queued for the first fifth, then running, then done. */
function answer(id: string, now: number, submitAt: number, durationMs: number, progress: Progress): VideoTask {
  const base = { id, rawStatus: '', unknownStatus: false };
  const f = (now - submitAt) / durationMs;
  if (f >= 1) return { ...base, status: 'succeeded', progress: 100, videoUrl: `https://video.invalid/${id}.mp4` };
  const queued = f < 0.2;
  const running = (f - 0.2) / 0.8;
  const pct =
    progress === 'coarse' ? (queued ? 10 : 50) :
    progress === 'none' ? 0 :
    queued ? 0 :
    progress === 'smooth' ? 1 + Math.floor(98 * running) :
    1 + Math.floor(98 * running ** 3);
  return { ...base, status: queued ? 'queued' : 'running', progress: pct };
}

async function run(tasks: Planned[], clock: ManualClock, progress: Progress, learned: LearnedDurations): Promise<Outcome> {
  const store = new TaskStore();
  const byId = new Map<string, Planned>();
  const calls = new Map<string, number[]>();
  const getVideo = async (id: string): Promise<VideoTask> => {
    const list = calls.get(id) ?? [];
    list.push(clock.now());
    calls.set(id, list);
    await new Promise<void>((resolve) => clock.setTimeout(resolve, LATENCY_MS));
    const t = byId.get(id)!;
    return answer(id, clock.now(), t.submitAt, t.durationMs, progress);
  };
  const poller = new TaskPoller({ store, getVideo, clock, learned });
  poller.start();
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    await clock.advanceTo(t.submitAt);
    byId.set(`task_${i}`, t);
    store.add({ ...createSubmittingTask(t.request, clock.now(), `L${i}`), remoteId: `task_${i}`, status: 'queued', submittedAt: clock.now() });
  }
  await clock.runUntilIdle();
  const maxConcurrent = poller.counters.maxConcurrent;
  poller.dispose();
  const out: Outcome = { requests: [], delays: [], maxGaps: [], maxConcurrent };
  tasks.forEach((t, i) => {
    const task = store.get(`L${i}`)!;
    if (task.status !== 'succeeded' || task.finishedAt === undefined) throw new Error(`task ${i} ended ${task.status}`);
    const times = calls.get(`task_${i}`) ?? [];
    const finish = t.submitAt + t.durationMs;
    out.requests.push(times.length);
    out.delays.push(task.finishedAt - finish);
    // Longest time the task went without a check while unfinished (from submit, then between checks).
    let gap = 0;
    let prev = t.submitAt;
    for (const at of times) {
      gap = Math.max(gap, at - prev);
      prev = at;
      if (at >= finish) break;
    }
    out.maxGaps.push(gap);
  });
  return out;
}

/** A fixed poll with its first check at `first` ms, then every FIXED_MS: requests until it sees the finish, and its delay. */
function fixedPoll(durationMs: number, first: number): { requests: number; delay: number } {
  const n = durationMs <= first + LATENCY_MS ? 1 : 1 + Math.ceil((durationMs - LATENCY_MS - first) / FIXED_MS);
  const seenAt = first + (n - 1) * FIXED_MS + LATENCY_MS;
  return { requests: n, delay: seenAt - durationMs };
}

function quantile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const sec = (ms: number) => (ms / 1000).toFixed(1);

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`Poller benchmark: ${TASKS} tasks per scenario (~${MEAN_ARRIVAL_MS / 1000} s apart, ${LATENCY_MS} ms latency); warm = ${WARM_UP} tasks learned first, saved and reloaded${SEED_OFFSET ? `; seeds moved by ${SEED_OFFSET}` : ''}.`);
  console.log('Delays: from the service having the result to the store showing it. * = family not used to design the policy; + = held out: added after the design was frozen.\n');
  const header = ['scenario'.padEnd(36), 'req/task', 'fixed', 'ratio [<=1.0]', 'median [<=5 s]', 'p90 [<=10 s]', 'worst [<=20 s]', 'max gap [<=20 s]', 'fixed: med p90', '4 s+10 ratio'];
  console.log(header.join(' | '));
  const warmRatios: number[] = [];
  const fixedDelaysAll: number[] = [];
  let misses = 0;
  for (const [index, family] of FAMILIES.entries()) {
    const clock = new ManualClock();
    let learned = new LearnedDurations();
    if (family.warm) {
      const warmUp = plan(family, WARM_UP, (family.heldOut ? 9_000 : 1000) + index + SEED_OFFSET, clock.now(), false);
      await run(warmUp, clock, family.progress, learned);
      learned = LearnedDurations.fromJSON(JSON.parse(JSON.stringify(learned.toJSON())));
    }
    const tasks = plan(family, TASKS, (family.heldOut ? 7_000 : 42) + index + SEED_OFFSET, clock.now(), true);
    const ours = await run(tasks, clock, family.progress, learned);
    if (ours.maxConcurrent !== 1) throw new Error(`${ours.maxConcurrent} requests were in flight at once`);
    const fixed = tasks.map((t) => fixedPoll(t.durationMs, FIXED_MS));
    const sameStart = tasks.map((t) => fixedPoll(t.durationMs, FIRST_CHECK_MS));
    const fixedRequests = fixed.map((f) => f.requests);
    const fixedDelays = fixed.map((f) => f.delay);
    fixedDelaysAll.push(...fixedDelays);
    const ratio = mean(ours.requests) / mean(fixedRequests);
    const sameStartRatio = mean(ours.requests) / mean(sameStart.map((f) => f.requests));
    if (family.warm) warmRatios.push(ratio);
    const med = quantile(ours.delays, 0.5);
    const p90 = quantile(ours.delays, 0.9);
    const worst = Math.max(...ours.delays);
    const gap = Math.max(...ours.maxGaps);
    const checks = [ratio <= 1.0, med <= 5_000, p90 <= 10_000, worst <= 20_000, gap <= 20_000];
    misses += checks.filter((ok) => !ok).length;
    console.log([
      `${family.heldOut ? '+ ' : family.unseen ? '* ' : ''}${family.name}`.padEnd(36),
      mean(ours.requests).toFixed(2).padStart(8),
      mean(fixedRequests).toFixed(2).padStart(5),
      `${ratio.toFixed(3)} ${mark(checks[0])}`.padStart(13),
      `${sec(med)} s ${mark(checks[1])}`.padStart(14),
      `${sec(p90)} s ${mark(checks[2])}`.padStart(12),
      `${sec(worst)} s ${mark(checks[3])}`.padStart(14),
      `${sec(gap)} s ${mark(checks[4])}`.padStart(16),
      `${sec(quantile(fixedDelays, 0.5))} ${sec(quantile(fixedDelays, 0.9))}`.padStart(14),
      sameStartRatio.toFixed(2).padStart(12),
    ].join(' | '));
  }
  const avg = mean(warmRatios);
  console.log(`\nAverage ratio where something was learned (warm scenarios): ${avg.toFixed(2)} [<= 0.9: ${mark(avg <= 0.9)}]`);
  console.log(`Fixed 10 s poll (10, 20, 30 s ...), all scenarios: median delay ${sec(quantile(fixedDelaysAll, 0.5))} s, p90 ${sec(quantile(fixedDelaysAll, 0.9))} s. ${misses + (avg <= 0.9 ? 0 : 1)} MISS in total.`);
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s of real time)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
