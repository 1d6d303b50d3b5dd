// When to check a task next: a pure function of what is known about it. The loop (poller.ts) asks after
// every check; nothing here keeps state except a cache of derived numbers.
//
// The rules, in order (times are from submit; `scale` shrinks them all for tests):
//  1. First check FIRST_CHECK_MS after submit (immediate rejections and unknown ids show up early); a task
//     restored after a reload is checked at once.
//  2. A stalled task (past its deadline) is checked every STALLED_GAP_MS until it ends or is dismissed.
//  3. Nothing learned for this setting: every PLAUSIBLE_MAX_GAP_MS (the service's 10-20 s guidance, low end).
//  4. Learned: while a finish is very unlikely (before the 1st percentile of the learned durations, widened
//     while little is learned), checks may be up to MAX_GAP_MS apart, landing on that percentile. From there
//     on a finish is plausible and checks are at most PLAUSIBLE_MAX_GAP_MS apart: never worse than a fixed
//     10 s poll on a task that finishes where we did not expect it.
//     Inside the plausible zone the checks are placed by Keller's inspection rule (the gap shrinks with the
//     square root of the hazard, the chance per second of finishing now given it has not yet), with the
//     overall density set so that the expected number of checks is BUDGET times what a fixed 10 s poll would
//     spend on the same learned distribution. So what the sparse start saves is spent where finishes are
//     most likely, and never more than the fixed poll would spend in expectation.
// Progress figures are deliberately not used: services report them coarsely, not at all, or back-loaded,
// and a cadence aimed at an extrapolated finish was what made the previous poller late.

import type { DurationBelief } from './durationEstimate';

export const FIRST_CHECK_MS = 4_000;
export const PLAUSIBLE_MAX_GAP_MS = 10_000;
/** Below the 20 s "never left without a check" guarantee, leaving room for latency and other tasks' checks. */
export const MAX_GAP_MS = 18_000;
export const MIN_GAP_MS = 3_000;
export const STALLED_GAP_MS = 5 * 60_000;
/** Spend at most this share of a fixed 10 s poll's expected checks (the "fewer where learned allows"). */
const BUDGET = 0.9;
/** "Very unlikely": below this quantile of the learned durations (z of the 1st percentile). */
const UNLIKELY_Z = 2.326;

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
  const unlikelyUntil = Math.exp(belief.mu - UNLIKELY_Z * belief.sigma);
  if (t + PLAUSIBLE_MAX_GAP_MS < unlikelyUntil) return Math.min(MAX_GAP_MS, unlikelyUntil - t);
  const k = densityFor(belief);
  return clamp(k / Math.sqrt(Math.max(1e-12, hazard(belief, t))), MIN_GAP_MS, PLAUSIBLE_MAX_GAP_MS);
}

/**
 * How long a task may stay unfinished before it counts as stalled (then checked every STALLED_GAP_MS):
 * STALL_AFTER_MS, or three times the learned 99th percentile when that is longer, so a service that got
 * slower for everyone does not turn every task into a stalled one.
 */
export const STALL_AFTER_MS = 30 * 60_000;
export function stallDeadline(belief: DurationBelief | undefined, scale = 1): number {
  const learned = belief ? 3 * Math.exp(belief.mu + UNLIKELY_Z * belief.sigma) : 0;
  return scale * Math.max(STALL_AFTER_MS, learned);
}

// ---- The budget: Keller's constant for a belief -------------------------------------------------------

const cache = new Map<string, number>();

/** The Keller constant k (gap = k / sqrt(hazard)) whose expected checks meet BUDGET x the fixed poll's. */
function densityFor(belief: DurationBelief): number {
  const key = `${belief.mu.toFixed(3)}|${belief.sigma.toFixed(3)}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const budget = BUDGET * fixedPollChecks(belief);
  // Larger k means sparser checks and fewer of them; find the smallest k within budget (bisection in log k).
  let lo = Math.log(1), hi = Math.log(1e9);
  if (expectedChecks(belief, Math.exp(hi)) > budget) lo = hi;
  for (let i = 0; i < 40 && hi - lo > 1e-3; i++) {
    const mid = (lo + hi) / 2;
    if (expectedChecks(belief, Math.exp(mid)) > budget) lo = mid;
    else hi = mid;
  }
  const k = Math.exp(hi);
  if (cache.size > 500) cache.clear();
  cache.set(key, k);
  return k;
}

/** Expected checks of a fixed 10 s poll (checks at 10, 20, ... s): E[ceil(T / 10 s)]. */
function fixedPollChecks(belief: DurationBelief): number {
  let sum = 0;
  for (let t = 0; t < 1e8; t += PLAUSIBLE_MAX_GAP_MS) {
    const s = survival(belief, t);
    if (s < 1e-5) break;
    sum += s;
  }
  return sum;
}

/** Expected checks of our schedule with Keller constant k: check i happens if the task outlived check i-1. */
function expectedChecks(belief: DurationBelief, k: number): number {
  let sum = 1; // the first check always happens
  let t = FIRST_CHECK_MS;
  for (let i = 0; i < 100_000; i++) {
    const s = survival(belief, t);
    if (s < 1e-5) break;
    sum += s;
    const unlikelyUntil = Math.exp(belief.mu - UNLIKELY_Z * belief.sigma);
    t += t + PLAUSIBLE_MAX_GAP_MS < unlikelyUntil
      ? Math.min(MAX_GAP_MS, unlikelyUntil - t)
      : clamp(k / Math.sqrt(Math.max(1e-12, hazard(belief, t))), MIN_GAP_MS, PLAUSIBLE_MAX_GAP_MS);
  }
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
