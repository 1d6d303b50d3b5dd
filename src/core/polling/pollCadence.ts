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
//  - Requests are capped by a plain fixed 10 s poll (checks at 10, 20, 30 s ...; the comparator): if
//    the sparsest delay-meeting schedule costs more than that under the belief, the densest within that cost
//    is used instead. Our early first check is paid for inside that cap.
//  - The belief can be wrong for a task. Once a task has outlived the belief's 99th percentile (a load spike,
//    a slower regime, a heavy tail) the belief has failed for it: back to the vendor's guidance, every 10 s,
//    until the learned durations catch up (their drift term follows such changes within a few finishes).
//  - With nothing learned the early first check takes the place of a fixed poll's check at 10 s: the next
//    one comes at 20 s, then every 10 s. Checks are then those of a plain 10 s poll, one for one (a task
//    finishing between 4 and 10 s, rare for video, costs one more check and waits until 20 s).
//  - The first check comes FIRST_CHECK_MS after submit (immediate rejections and unknown ids show up early),
//    and its cost is absorbed by the sparse gaps that follow while a finish is unlikely. With a belief the
//    plan may move it to LATEST_FIRST_CHECK_MS: a service that finishes within seconds is better met by a
//    slightly later first check than by paying a second one.
// Progress figures are not used: services report them coarsely, not at all, or back-loaded, and a belief
// built on them was what made the previous poller late.

import type { DurationBelief } from './durationEstimate';
import { distribution, HORIZON_CAP_MS, type Distribution } from './durationDistribution';

export const FIRST_CHECK_MS = 4_000;
/** With a learned belief the plan may put the first check this late instead (still "a few seconds"). */
export const LATEST_FIRST_CHECK_MS = 6_000;
/** Nothing learned, or the belief failed for this task: the service's 10-20 s guidance, low end. */
export const PLAUSIBLE_MAX_GAP_MS = 10_000;
/** Below the 20 s "never left without a check" guarantee, leaving room for latency and other tasks' checks queued first. */
export const MAX_GAP_MS = 17_000;
/**
 * The densest checking: a gap this short already shows every finish in it within 5 s (the median target) once
 * LATENCY_ALLOWANCE_MS is added; a shorter one spends checks without moving any delay target.
 */
export const MIN_GAP_MS = 4_400;
export const STALLED_GAP_MS = 5 * 60_000;
/** What a request (and other tasks' checks queued before it) adds to each delay, assumed when planning. */
const LATENCY_ALLOWANCE_MS = 600;
/**
 * Planned delay quantiles under the belief, kept inside the targets (5 s median, 10 s p90) with a margin for the
 * belief being somewhat off.
 */
const PLAN: ReadonlyArray<{ delayMs: number; share: number }> = [
  { delayMs: 5_000, share: 0.4 },
  { delayMs: 10_000, share: 0.05 },
];
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
  if (!input.checked) {
    const first = input.belief && !input.stalled ? plan(distribution(input.belief)).first : FIRST_CHECK_MS;
    return Math.max(0, first * scale - input.elapsedMs);
  }
  if (input.stalled) return STALLED_GAP_MS * scale;
  if (!input.belief) return scale * plainGap(input.elapsedMs / scale);
  // The learned belief is in real milliseconds; the gap rules run in unscaled time and are scaled at the end.
  return scale * learnedGap(input.belief, input.elapsedMs / scale);
}

/** Nothing learned: 20 s after submit for the check after the early first one (it replaced the 10 s one), then every 10 s. */
function plainGap(t: number): number {
  return t < PLAUSIBLE_MAX_GAP_MS ? 2 * PLAUSIBLE_MAX_GAP_MS - t : PLAUSIBLE_MAX_GAP_MS;
}

/** The gap at `t` ms after submit for a task with this learned belief about its duration. */
export function learnedGap(belief: DurationBelief, t: number): number {
  const d = distribution(belief);
  return gapWith(d, t, plan(d).k);
}

/** Keller's gap with constant k, clamped, and the plain 10 s once the belief failed for this task. */
function gapWith(d: Distribution, t: number, k: number): number {
  if (t > d.failedAfter) return PLAUSIBLE_MAX_GAP_MS;
  const g0 = clamp(k / Math.sqrt(Math.max(1e-15, d.hazard(t))), MIN_GAP_MS, MAX_GAP_MS);
  const h = Math.max(d.hazard(t), d.hazard(t + g0 / 2), d.hazard(t + g0));
  return clamp(k / Math.sqrt(Math.max(1e-15, h)), MIN_GAP_MS, MAX_GAP_MS);
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

// ---- Keller's constant for a belief ------------------------------------------------------------------

interface Plan {
  /** Keller's constant: gap = k / sqrt(hazard per ms). */
  readonly k: number;
  /** When the first check comes (ms after submit). */
  readonly first: number;
}

const cache = new Map<string, Plan>();

/**
 * The plan for a belief. For each first check (FIRST_CHECK_MS or LATEST_FIRST_CHECK_MS), k is the sparsest
 * schedule whose predicted delays meet PLAN, unless it costs more checks than a plain fixed 10 s poll; then
 * the densest within that cost (when even the sparsest schedule costs more,
 * requests cannot be saved by waiting, so the delay plan wins). Of the two, the one that meets PLAN within
 * that cost with fewer checks; else the one within the cost with fewer late finishes (a service that
 * finishes within seconds is better met by a slightly later first check than by a second one).
 */
function plan(d: Distribution): Plan {
  const hit = cache.get(d.key);
  if (hit !== undefined) return hit;
  const budget = fixedPollChecks(d);
  const options = [FIRST_CHECK_MS, LATEST_FIRST_CHECK_MS].map((first) => {
    let k = largestK((x) => predict(d, x, first).late.every((share, i) => share <= PLAN[i].share));
    if (predict(d, k, first).checks > budget && predict(d, MAX_K, first).checks <= budget) {
      k = smallestK((x) => predict(d, x, first).checks <= budget);
    }
    const p = predict(d, k, first);
    const withinBudget = p.checks <= budget + 1e-9;
    return {
      k,
      first,
      checks: p.checks,
      late: p.late[0],
      meets: withinBudget && p.late.every((share, i) => share <= PLAN[i].share),
      withinBudget,
    };
  });
  const meeting = options.filter((o) => o.meets).sort((a, b) => a.checks - b.checks);
  const affordable = options.filter((o) => o.withinBudget).sort((a, b) => a.late - b.late);
  const best = meeting[0] ?? affordable[0] ?? options[0];
  const result = { k: best.k, first: best.first };
  if (cache.size > 2_000) cache.clear();
  cache.set(d.key, result);
  return result;
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
function predict(d: Distribution, k: number, first: number): { checks: number; late: number[] } {
  let prev = 0;
  let t = first;
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
 * Expected checks of a plain fixed 10 s poll (at 10, 20, 30 s ...), up to the same horizon: each check
 * after the first happens if the one before saw the task unfinished.
 */
function fixedPollChecks(d: Distribution): number {
  let sum = 1;
  for (let c = PLAUSIBLE_MAX_GAP_MS; c <= d.horizon; c += PLAUSIBLE_MAX_GAP_MS) sum += d.survival(c + LATENCY_ALLOWANCE_MS);
  return sum;
}

// ---- Small helpers ----------------------------------------------------------------------------------

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** For tests and diagnostics: what the plan for a belief predicts (checks vs a plain fixed 10 s poll, late shares). */
export function planSummary(belief: DurationBelief): { checks: number; fixedChecks: number; late: number[]; first: number } {
  const d = distribution(belief);
  const chosen = plan(d);
  const p = predict(d, chosen.k, chosen.first);
  return { checks: p.checks, fixedChecks: fixedPollChecks(d), late: p.late, first: chosen.first };
}
