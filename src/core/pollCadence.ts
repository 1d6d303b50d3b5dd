// When to check a task next: a pure function of what is known about it. The loop (poller.ts) asks after
// every check; nothing here keeps state except a cache of derived numbers.
//
// Why it looks like this (the reasoning, briefly):
//  - What a person feels is the delay from "the service has the result" to the next check. A check is worth
//    the chance that the task finished since the last one: checks pay off where finishes are likely and are
//    wasted where they are not. The belief about the duration T is learned per setting: a log-normal bell,
//    or, once a setting has MIN_SAMPLES recent finishes (durationEstimate.ts), their own shape as a kernel
//    density in log time, so two humps or a flat spread are not forced into one bell.
//  - Keller's inspection rule minimises expected checks + lambda x expected delay: the gap at t is
//    k / sqrt(hazard(t)), hazard = density / survival (the chance per second of finishing now, given it has
//    not yet). Dense around the likely finish, up to MAX_GAP_MS apart where a finish is unlikely (early on,
//    between two humps, far in the tail); never under MIN_GAP_MS. The hazard is read at the start, middle
//    and end of a gap, so a gap never steps over the rise of the density.
//  - The targets are quantiles (median <= 5 s, p90 <= 10 s), not a mean, so k is chosen per belief as the
//    sparsest schedule whose predicted delay quantiles under that belief are inside PLAN (the targets with a
//    margin for the belief being off; delays include a request's latency): the p90 allowance is what lets
//    unlikely stretches be sparse.
//  - Requests are capped by a fixed 10 s poll with the same first check (at FIRST_CHECK_MS, then every 10 s
//    after it): if the sparsest delay-meeting schedule costs more than that under the belief, the densest
//    within that cost is used instead.
//  - The belief can be wrong for a task. Once a task has outlived the belief's 99th percentile (a load spike,
//    a slower regime, a heavy tail) the belief has failed for it: back to the vendor's guidance, every 10 s,
//    until the learned durations catch up (their drift term follows such changes within a few finishes).
//    With nothing learned it is the same 10 s: exactly a fixed poll after the first check.
//  - The first check comes FIRST_CHECK_MS after submit: immediate rejections and unknown ids show up early,
//    and its cost is absorbed by the sparse gaps that follow while a finish is unlikely.
// Progress figures are not used: services report them coarsely, not at all, or back-loaded, and a belief
// built on them was what made the previous poller late.

import type { DurationBelief } from './durationEstimate';

export const FIRST_CHECK_MS = 4_000;
/** Nothing learned, or the belief failed for this task: the service's 10-20 s guidance, low end. */
export const PLAUSIBLE_MAX_GAP_MS = 10_000;
/** Below the 20 s "never left without a check" guarantee, leaving room for latency and other tasks' checks queued first. */
export const MAX_GAP_MS = 17_000;
export const MIN_GAP_MS = 3_000;
export const STALLED_GAP_MS = 5 * 60_000;
/** What a request (and other tasks' checks queued before it) adds to each delay, assumed when planning. */
const LATENCY_ALLOWANCE_MS = 600;
/** Planned delay quantiles under the belief, kept inside the targets (5 s median, 10 s p90) with a margin for the belief being somewhat off. */
const PLAN: ReadonlyArray<{ delayMs: number; share: number }> = [
  { delayMs: 5_000, share: 0.4 },
  { delayMs: 10_000, share: 0.05 },
];
/** Past this quantile of the belief the belief has failed for this task. */
const FAILED_Z = 2.326;
/** Planning stops where the belief leaves almost nothing unfinished (or at this age). */
const HORIZON_SURVIVAL = 0.002;
const HORIZON_CAP_MS = 2 * 60 * 60_000;

export interface CadenceInput {
  /** Time since the task was submitted (ms). */
  readonly elapsedMs: number;
  /** False until this session has checked the task once. */
  readonly checked: boolean;
  readonly stalled: boolean;
  /** What was learned for its setting, if anything. */
  readonly belief?: DurationBelief;
  /** Multiplies every interval (1 in production; tests shrink it). */
  readonly scale?: number;
}

/** How long to wait before the next check of this task (ms). */
export function nextCheckDelay(input: CadenceInput): number {
  const scale = input.scale ?? 1;
  if (!input.checked) return Math.max(0, FIRST_CHECK_MS * scale - input.elapsedMs);
  if (input.stalled) return STALLED_GAP_MS * scale;
  if (!input.belief) return PLAUSIBLE_MAX_GAP_MS * scale;
  // The learned belief is in real milliseconds; the gap rules run in unscaled time and are scaled at the end.
  return scale * learnedGap(input.belief, input.elapsedMs / scale);
}

/** The gap at `t` ms after submit for a task whose duration is believed log-normal(mu, sigma). */
export function learnedGap(belief: DurationBelief, t: number): number {
  const d = distribution(belief);
  return gapWith(d, t, keller(d));
}

/** Keller's gap with constant k, clamped, and the plain 10 s once the belief failed for this task. */
function gapWith(d: Distribution, t: number, k: number): number {
  if (t > d.failedAfter) return PLAUSIBLE_MAX_GAP_MS;
  const g0 = clamp(k / Math.sqrt(Math.max(1e-15, d.hazard(t))), MIN_GAP_MS, MAX_GAP_MS);
  const h = Math.max(d.hazard(t), d.hazard(t + g0 / 2), d.hazard(t + g0));
  return clamp(k / Math.sqrt(Math.max(1e-15, h)), MIN_GAP_MS, MAX_GAP_MS);
}

function failedAfter(belief: DurationBelief): number {
  return Math.exp(belief.mu + FAILED_Z * belief.sigma);
}

/**
 * How long a task may stay unfinished before it counts as stalled (then checked every STALLED_GAP_MS):
 * STALL_AFTER_MS, or three times the learned 99th percentile when that is longer, so a service that got
 * slower for everyone does not turn every task into a stalled one.
 */
export const STALL_AFTER_MS = 30 * 60_000;
export function stallDeadline(belief: DurationBelief | undefined, scale = 1): number {
  const learned = belief ? 3 * Math.min(HORIZON_CAP_MS, distribution(belief).failedAfter) : 0;
  return scale * Math.max(STALL_AFTER_MS, learned);
}

// ---- What the belief says about the duration -----------------------------------------------------------

/** A duration distribution as the planner needs it (times in ms from submit). */
interface Distribution {
  /** Identifies the plan (nearby beliefs share one). */
  readonly key: string;
  survival(t: number): number;
  /** Per ms: density / survival. */
  hazard(t: number): number;
  /** Past this the belief has failed for the task (its 99th percentile). */
  readonly failedAfter: number;
  /** Planning stops here (almost nothing left unfinished, or HORIZON_CAP_MS). */
  readonly horizon: number;
}

/**
 * The log-normal bell (mu and sigma rounded to 0.05: k changes slowly with them), or, when the belief
 * carries enough recent finishes, their own shape: a kernel density in log time (Gaussian kernels, a robust
 * Silverman bandwidth), so two humps or a flat spread are planned as what they are.
 */
function distribution(belief: DurationBelief): Distribution {
  if (belief.samples && belief.samples.length >= 4) return empirical(belief.samples);
  const b = rounded(belief);
  return {
    key: `${b.mu}|${b.sigma}`,
    survival: (t) => survival(b, t),
    hazard: (t) => hazard(b, t),
    failedAfter: failedAfter(b),
    horizon: Math.min(HORIZON_CAP_MS, Math.exp(b.mu + 2.878 * b.sigma)), // survival 0.002
  };
}

const distributions = new Map<string, Distribution>();

function empirical(raw: readonly number[]): Distribution {
  const xs = raw.map((x) => Math.round(x * 20) / 20).sort((a, b) => a - b);
  const key = `e|${xs.join(',')}`;
  const hit = distributions.get(key);
  if (hit) return hit;
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const med = xs[Math.floor(n / 2)];
  const mad = xs.map((x) => Math.abs(x - med)).sort((a, b) => a - b)[Math.floor(n / 2)] / 0.6745;
  const bw = Math.max(0.08, 0.9 * Math.min(sd, mad > 0 ? mad : sd) * n ** -0.2);
  // Tabulated once in log time (steps of bw / 8), so planning costs no more than for the bell.
  const step = bw / 8;
  const lo = xs[0] - 5 * bw;
  const size = Math.ceil((xs[n - 1] + 5 * bw - lo) / step) + 1;
  const tail = new Float64Array(size);
  const dens = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const u = lo + i * step;
    let q = 0, f = 0;
    for (const x of xs) {
      q += upperTail((u - x) / bw);
      f += normalDensity((u - x) / bw);
    }
    tail[i] = q / n;
    dens[i] = f / (n * bw); // per unit of ln t
  }
  const lookup = (table: Float64Array, t: number, before: number, after: number) => {
    if (t <= 0) return before;
    const pos = (Math.log(t) - lo) / step;
    if (pos <= 0) return before;
    if (pos >= size - 1) return after;
    const i = Math.floor(pos);
    return table[i] + (pos - i) * (table[i + 1] - table[i]);
  };
  const last = { mu: xs[n - 1], sigma: bw };
  const surv = (t: number) => (t > 0 && (Math.log(t) - lo) / step >= size - 1 ? survival(last, t) / n : lookup(tail, t, 1, 0));
  const haz = (t: number) => {
    if (t <= 0) return 0;
    const s = surv(t);
    // Far in the tail only the longest kernel is left.
    if (s < 1e-9) return hazard(last, t);
    return lookup(dens, t, 0, 0) / t / s;
  };
  // Percentiles from the table.
  const at = (p: number) => {
    for (let i = 0; i < size; i++) if (tail[i] <= p) return Math.exp(lo + i * step);
    return Math.exp(lo + (size - 1) * step);
  };
  const d: Distribution = { key, survival: surv, hazard: haz, failedAfter: at(0.01), horizon: Math.min(HORIZON_CAP_MS, at(HORIZON_SURVIVAL)) };
  if (distributions.size > 200) distributions.clear();
  distributions.set(key, d);
  return d;
}

// ---- Keller's constant for a belief ------------------------------------------------------------------

const cache = new Map<string, number>();

function rounded(exact: DurationBelief): DurationBelief {
  return { mu: Math.round(exact.mu * 20) / 20, sigma: Math.min(3, Math.max(0.05, Math.round(exact.sigma * 20) / 20)) };
}

/**
 * k for a belief: the sparsest schedule whose predicted delays meet PLAN, unless it costs more checks than
 * a fixed 10 s poll with the same first check; then the densest within that cost (when even the sparsest
 * schedule costs more, requests cannot be saved by waiting, so the delay plan wins).
 */
function keller(d: Distribution): number {
  const hit = cache.get(d.key);
  if (hit !== undefined) return hit;
  const meetsPlan = largestK((k) => predict(d, k).late.every((share, i) => share <= PLAN[i].share));
  const budget = fixedPollChecks(d);
  let k = meetsPlan;
  if (predict(d, k).checks > budget) {
    const sparsest = predict(d, MAX_K);
    if (sparsest.checks <= budget) k = smallestK((x) => predict(d, x).checks <= budget);
  }
  if (cache.size > 2_000) cache.clear();
  cache.set(d.key, k);
  return k;
}

/** k ranges over [MIN_K, MAX_K] (ms^0.5): gap = k / sqrt(hazard per ms); the ends give MIN_GAP_MS and MAX_GAP_MS everywhere. */
const MAX_K = 1e9;
const MIN_K = 1e-9;

/** The largest k where `holds` (it holds for small k), searched in log k; MIN_K if it never holds. */
function largestK(holds: (k: number) => boolean): number {
  if (!holds(MIN_K)) return MIN_K;
  if (holds(MAX_K)) return MAX_K;
  let lo = Math.log(MIN_K), hi = Math.log(MAX_K);
  while (hi - lo > 0.02) {
    const mid = (lo + hi) / 2;
    if (holds(Math.exp(mid))) lo = mid;
    else hi = mid;
  }
  return Math.exp(lo);
}

/** The smallest k where `holds` (it holds for large k, and does at MAX_K). */
function smallestK(holds: (k: number) => boolean): number {
  let lo = Math.log(MIN_K), hi = Math.log(MAX_K);
  if (holds(MIN_K)) return MIN_K;
  while (hi - lo > 0.02) {
    const mid = (lo + hi) / 2;
    if (holds(Math.exp(mid))) hi = mid;
    else lo = mid;
  }
  return Math.exp(hi);
}

/**
 * Under the belief, for the schedule with constant k: expected checks, and the share of tasks seen later
 * than each PLAN delay (a finish at D is seen at the first check at or after D, plus the latency).
 */
function predict(d: Distribution, k: number): { checks: number; late: number[] } {
  let prev = 0;
  let t = FIRST_CHECK_MS;
  let checks = 1; // the first check always happens
  const late = PLAN.map(() => 0);
  for (;;) {
    // Finishes in (prev, t] wait t - D + latency: later than x when D < t + latency - x.
    const fPrev = 1 - d.survival(prev);
    for (let i = 0; i < PLAN.length; i++) {
      const cut = Math.min(t, t + LATENCY_ALLOWANCE_MS - PLAN[i].delayMs);
      if (cut > prev) late[i] += 1 - d.survival(cut) - fPrev;
    }
    if (t > d.horizon) break;
    checks += d.survival(t);
    prev = t;
    t += gapWith(d, t, k);
  }
  return { checks, late };
}

/**
 * Expected checks of a fixed 10 s poll that starts with the same first check (at FIRST_CHECK_MS, then every
 * 10 s after it), up to the same horizon: each check after the first happens if the one before saw the
 * task unfinished.
 */
function fixedPollChecks(d: Distribution): number {
  let sum = 1;
  for (let c = FIRST_CHECK_MS; c <= d.horizon; c += PLAUSIBLE_MAX_GAP_MS) sum += d.survival(c);
  return sum;
}

// ---- Log-normal arithmetic ----------------------------------------------------------------------------

/** P(T > t). */
function survival(belief: DurationBelief, t: number): number {
  if (t <= 0) return 1;
  return upperTail((Math.log(t) - belief.mu) / belief.sigma);
}

/** Hazard per ms at t: density / survival. */
export function hazard(belief: DurationBelief, t: number): number {
  if (t <= 0) return 0;
  const z = (Math.log(t) - belief.mu) / belief.sigma;
  return millsInverse(z) / (belief.sigma * t);
}

/** phi(z) / Q(z), stable in both tails. */
function millsInverse(z: number): number {
  if (z > 5) {
    // Continued fraction for Q(z)/phi(z) = 1 / (z + 1/(z + 2/(z + 3/(z + ...)))).
    let f = z;
    for (let n = 30; n >= 1; n--) f = z + n / f;
    return f;
  }
  return normalDensity(z) / upperTail(z);
}

function normalDensity(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Q(z) = P(Z > z) for a standard normal. */
function upperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes' erfcc (Chebyshev fit), fractional error < 1.2e-7 everywhere.
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const r = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** For tests and diagnostics: what the plan for a belief predicts (checks vs the same-start fixed poll, late shares). */
export function planSummary(belief: DurationBelief): { checks: number; fixedChecks: number; late: number[] } {
  const d = distribution(belief);
  const p = predict(d, keller(d));
  return { checks: p.checks, fixedChecks: fixedPollChecks(d), late: p.late };
}
