// What a learned belief says about one task's duration, as the cadence planner needs it: survival and
// hazard over time since submit, the point past which the belief has failed for the task, and where
// planning can stop. Either the log-normal bell of the belief, or, when the belief carries enough recent
// finishes, their own shape (a kernel density in log time). Pure arithmetic, no state except caches.

import type { DurationBelief } from './durationEstimate';

/** Past this quantile of the belief the belief has failed for this task. */
const FAILED_Z = 2.326;
/** Planning stops where the belief leaves almost nothing unfinished (or at this age). */
const HORIZON_SURVIVAL = 0.002;
export const HORIZON_CAP_MS = 2 * 60 * 60_000;

/** A duration distribution as the planner needs it (times in ms from submit). */
export interface Distribution {
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
export function distribution(belief: DurationBelief): Distribution {
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
  const d: Distribution = {
    key,
    survival: surv,
    hazard: haz,
    failedAfter: at(0.01),
    horizon: Math.min(HORIZON_CAP_MS, at(HORIZON_SURVIVAL)),
  };
  if (distributions.size > 200) distributions.clear();
  distributions.set(key, d);
  return d;
}

/** mu and sigma rounded to 0.05 (the plan changes slowly with them), so nearby beliefs share one plan. */
function rounded(exact: DurationBelief): DurationBelief {
  return { mu: Math.round(exact.mu * 20) / 20, sigma: Math.min(3, Math.max(0.05, Math.round(exact.sigma * 20) / 20)) };
}

function failedAfter(belief: DurationBelief): number {
  return Math.exp(belief.mu + FAILED_Z * belief.sigma);
}

// ---- Log-normal arithmetic ----------------------------------------------------------------------------

/** P(T > t). */
export function survival(belief: DurationBelief, t: number): number {
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

