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
//     Past the 99th percentile the belief has failed for this task: every PLAUSIBLE_MAX_GAP_MS again.
//     Inside the plausible zone the checks are placed by Keller's inspection rule (the gap shrinks with the
//     square root of the hazard, the chance per second of finishing now given it has not yet), as sparse as
//     keeps the expected delay within TARGET_DELAY_MS, and never denser than BUDGET x the checks a fixed 10 s
//     poll would spend on the same learned distribution. So a well-known setting gets few checks aimed where
//     it finishes, and a noisy one gets the fixed poll's checks moved to where finishes are most likely.
// Progress figures are deliberately not used: services report them coarsely, not at all, or back-loaded,
// and a cadence aimed at an extrapolated finish was what made the previous poller late.

import type { DurationBelief } from './durationEstimate';

export const FIRST_CHECK_MS = 4_000;
export const PLAUSIBLE_MAX_GAP_MS = 10_000;
/** Below the 20 s "never left without a check" guarantee, leaving room for latency and other tasks' checks. */
export const MAX_GAP_MS = 18_000;
export const MIN_GAP_MS = 3_000;
export const STALLED_GAP_MS = 5 * 60_000;
/**
 * Never plan more than this share of a fixed 10 s poll's expected checks: the hard limit is 1.0, and 5 %
 * is left for the belief being somewhat off.
 */
const BUDGET = 0.95;
const WINDOW_CAP_MS = 2 * 60 * 60_000;
/** The expected delay aimed for: the 5 s target, less what the request itself and other tasks' checks add. */
const TARGET_DELAY_MS = 4_500;
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
  return gapWith(belief, t, () => densityFor(belief));
}

/**
 * The gap rule itself, shared by learnedGap and the budget arithmetic: sparse before the plausible window,
 * Keller inside it, and the plain 10 s once the task outlived the window (the belief failed for this task).
 */
function gapWith(belief: DurationBelief, t: number, k: () => number): number {
  const { from, to } = window(belief);
  if (t + PLAUSIBLE_MAX_GAP_MS < from) return Math.min(MAX_GAP_MS, from - t);
  if (t > to) return PLAUSIBLE_MAX_GAP_MS;
  return clamp(k() / Math.sqrt(Math.max(1e-12, hazard(belief, t))), MIN_GAP_MS, PLAUSIBLE_MAX_GAP_MS);
}

/**
 * Where a finish is plausible: between the 1st and the 99th percentile of the belief (the end capped at
 * WINDOW_CAP_MS, which bounds the arithmetic below; a task that old is stalled anyway).
 */
function window(belief: DurationBelief): { from: number; to: number } {
  return { from: Math.exp(belief.mu - UNLIKELY_Z * belief.sigma), to: Math.min(WINDOW_CAP_MS, Math.exp(belief.mu + UNLIKELY_Z * belief.sigma)) };
}

/**
 * How long a task may stay unfinished before it counts as stalled (then checked every STALLED_GAP_MS):
 * STALL_AFTER_MS, or three times the learned 99th percentile when that is longer, so a service that got
 * slower for everyone does not turn every task into a stalled one.
 */
export const STALL_AFTER_MS = 30 * 60_000;
export function stallDeadline(belief: DurationBelief | undefined, scale = 1): number {
  const learned = belief ? 3 * window(belief).to : 0;
  return scale * Math.max(STALL_AFTER_MS, learned);
}

// ---- The budget: Keller's constant for a belief -------------------------------------------------------

const cache = new Map<string, number>();

/**
 * The Keller constant k (gap = k / sqrt(hazard)) for a belief: the sparsest schedule whose expected delay
 * is within TARGET_DELAY_MS, unless that costs more than BUDGET x a fixed 10 s poll's expected checks, in
 * which case the densest schedule within that budget. (Larger k: sparser, fewer checks, later finds.)
 */
function densityFor(exact: DurationBelief): number {
  // Computed for the belief rounded to 5 % (k changes slowly with it), so nearby beliefs share one result.
  const belief = { mu: Math.round(exact.mu * 20) / 20, sigma: Math.max(0.05, Math.round(exact.sigma * 20) / 20) };
  const key = `${belief.mu}|${belief.sigma}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const budget = BUDGET * fixedPollChecks(belief);
  // Delay grows and checks fall as k grows: the sparsest k meeting the delay target, unless it is denser
  // than the budget allows (then the budget's k: requests are the hard limit).
  const meetsDelay = bisect((k) => evaluate(belief, k).delay <= TARGET_DELAY_MS, true);
  const withinBudget = bisect((k) => evaluate(belief, k).checks <= budget, false);
  const k = Math.max(meetsDelay, withinBudget);
  if (cache.size > 2_000) cache.clear();
  cache.set(key, k);
  return k;
}

/**
 * The edge of a monotone condition over k in [1, 1e9], searched in log k: the largest k where it holds
 * (`holdsBelow`: it holds for small k) or the smallest (it holds for large k).
 */
function bisect(holds: (k: number) => boolean, holdsBelow: boolean): number {
  let lo = 0, hi = Math.log(1e9);
  if (holdsBelow ? !holds(1) : holds(1)) return 1;
  if (holdsBelow ? holds(1e9) : !holds(1e9)) return 1e9;
  while (hi - lo > 0.01) {
    const mid = (lo + hi) / 2;
    if (holds(Math.exp(mid)) === holdsBelow) lo = mid;
    else hi = mid;
  }
  return Math.exp(holdsBelow ? lo : hi);
}

/**
 * Expected checks of a fixed 10 s poll (checks at 10, 20, ... s) up to the end of the plausible window;
 * after it both schedules check every 10 s, so the rest costs the same and is left out of both.
 */
function fixedPollChecks(belief: DurationBelief): number {
  const end = window(belief).to;
  let sum = 0;
  for (let t = 0; t <= end; t += PLAUSIBLE_MAX_GAP_MS) sum += survival(belief, t);
  return sum;
}

/**
 * Expected checks and expected delay (finish -> the check that sees it) of our schedule with constant k,
 * up to the end of the plausible window. Check i happens if the task outlived check i-1; a finish in (a, b]
 * waits on average about (b - a) / 2.
 */
function evaluate(belief: DurationBelief, k: number): { checks: number; delay: number } {
  const end = window(belief).to;
  let t = FIRST_CHECK_MS;
  let checks = 1; // the first check always happens
  let delay = (t / 2) * (1 - survival(belief, t)); // finished before the first check
  while (t <= end) {
    const s = survival(belief, t);
    const gap = gapWith(belief, t, () => k);
    checks += s;
    delay += (gap / 2) * (s - survival(belief, t + gap));
    t += gap;
  }
  return { checks, delay };
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
