// What was learned about how long generations take, per setting, so the cadence policy can check sparsely
// where a finish is very unlikely. Durations are modelled in log space (a queue's durations are roughly
// log-normal: positive, skewed, multiplicative noise), at four levels of similarity:
//   exact (model + resolution + seconds bucket) -> model + resolution -> model -> everything.
// Each level is pulled toward the level above it while it has few observations (see estimate()).
// Recency-weighted (each level remembers about its last WINDOW finishes), and a fast global drift term
// follows the service when it slows down or speeds up for every setting at once (a load spike, a new
// regime): it is the recent average of how far finishes landed from their level's mean.
// Plain data in, plain data out (toJSON / fromJSON), so durationMemory.ts can keep it across reloads.

import type { TaskRequest } from '../tasks/task';

/** A belief about one task's duration: ln(ms) is about normal(mu, sigma). */
export interface DurationBelief {
  readonly mu: number;
  readonly sigma: number;
  /**
   * The recent finishes behind it, ln(ms), drift included, when the level they come from has at least
   * MIN_SAMPLES: the cadence then plans on their shape (two humps, a flat spread) instead of the bell.
   */
  readonly samples?: readonly number[];
}

interface Stats {
  /** Observations so far (capped at WINDOW: older ones fade out). */
  n: number;
  /** Recency-weighted mean and variance of ln(duration ms). */
  mean: number;
  variance: number;
  /** The last SAMPLES finishes, ln(ms) less the drift at the time (optional: older saved states have none). */
  recent?: number[];
}

/** The persisted form. `v` moves when the shape or the meaning changes; anything else loads as "nothing learned". */
export interface LearnedDurationsState {
  readonly v: 2;
  readonly drift: number;
  readonly levels: Readonly<Record<string, Stats>>;
}

/** Each level weighs about its last 20 finishes: slow enough to average noise, quick to follow a new regime. */
const WINDOW = 20;
/** The global drift follows the last few finishes only (a spike or regime change shows within a few tasks). */
const DRIFT_WEIGHT = 0.3;
/** Nothing is claimed until this many finishes were seen at all. */
const MIN_OBSERVATIONS = 3;
/** A level with n finishes weighs n against PRIOR_N of its parent's; the top level's parent is a wide guess (PRIOR_SIGMA). */
const PRIOR_N = 3;
const PRIOR_SIGMA = 0.6;
/** Recent finishes kept per level, and how many a level needs before its shape is used. */
const SAMPLES = 16;
export const MIN_SAMPLES = 8;
/** Bounded: the most recently used levels are kept. */
export const MAX_LEVELS = 300;

/** Seconds buckets: people vary the clip length a little, and duration moves smoothly with it. */
function secondsBucket(seconds: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds / 5) * 5 : 0;
}

/** The level keys for a request, most specific first. */
export function levelKeys(request: Pick<TaskRequest, 'model' | 'resolution' | 'seconds'>): string[] {
  return [
    `${request.model}|${request.resolution}|${secondsBucket(request.seconds)}`,
    `${request.model}|${request.resolution}`,
    request.model,
    '*',
  ];
}

export class LearnedDurations {
  private readonly levels = new Map<string, Stats>();
  private drift = 0;
  private version = 0;

  /** Goes up on every observation (lets callers cache derived values). */
  get revision(): number {
    return this.version;
  }

  /**
   * The belief for a request, or undefined when nothing has been learned yet. Built from the most general
   * level to the most specific: each level's figures are pulled toward its parent's as if the parent
   * contributed PRIOR_N observations, so a setting seen three times does not claim more than it knows, and
   * settings that do not matter (durations unrelated to them) fall back to the overall spread.
   */
  estimate(request: Pick<TaskRequest, 'model' | 'resolution' | 'seconds'>): DurationBelief | undefined {
    let belief: { mean: number; variance: number } | undefined;
    let samples: number[] | undefined;
    for (const key of levelKeys(request).reverse()) {
      const s = this.levels.get(key);
      if (!s) continue;
      // The most specific level with enough recent finishes gives the shape.
      if (s.recent && s.recent.length >= MIN_SAMPLES) samples = s.recent;
      // A level's own spread is widened toward PRIOR_SIGMA while it has few finishes.
      const own = (s.n * s.variance + PRIOR_N * PRIOR_SIGMA ** 2) / (s.n + PRIOR_N);
      if (!belief) {
        if (s.n < MIN_OBSERVATIONS) return undefined;
        belief = { mean: s.mean, variance: own };
        continue;
      }
      // Mix with the parent as if it contributed PRIOR_N finishes (the mixture's variance includes how far
      // the two means are apart).
      const w = s.n / (s.n + PRIOR_N);
      belief = {
        mean: w * s.mean + (1 - w) * belief.mean,
        variance: w * own + (1 - w) * belief.variance + w * (1 - w) * (s.mean - belief.mean) ** 2,
      };
    }
    if (!belief) return undefined;
    const mu = belief.mean + this.drift;
    const sigma = Math.sqrt(belief.variance);
    return samples ? { mu, sigma, samples: samples.map((x) => x + this.drift) } : { mu, sigma };
  }

  /** A task with these settings took about durationMs from submit to finish. */
  observe(request: Pick<TaskRequest, 'model' | 'resolution' | 'seconds'>, durationMs: number): void {
    if (!(durationMs > 0) || !Number.isFinite(durationMs)) return;
    const x = Math.log(durationMs);
    const keys = levelKeys(request);
    // Drift: how far this finish landed from what was expected without drift (before learning from it).
    const expected = this.estimate(request);
    if (expected) this.drift += DRIFT_WEIGHT * (x - (expected.mu - this.drift) - this.drift);
    for (const key of keys) {
      const s = this.levels.get(key) ?? { n: 0, mean: x, variance: 0 };
      s.n = Math.min(WINDOW, s.n + 1);
      const w = 1 / s.n;
      const before = s.mean;
      s.mean += w * (x - before);
      s.variance += w * ((x - before) * (x - s.mean) - s.variance);
      s.recent = [...(s.recent ?? []), Math.round((x - this.drift) * 1000) / 1000].slice(-SAMPLES);
      // Re-insert so the Map's order is least recently used first (bounded below).
      this.levels.delete(key);
      this.levels.set(key, s);
    }
    // The level means now carry part of what the drift said (about 1/WINDOW of it); take that out.
    if (expected) this.drift *= 1 - 1 / WINDOW;
    while (this.levels.size > MAX_LEVELS) this.levels.delete(this.levels.keys().next().value as string);
    this.version++;
  }

  toJSON(): LearnedDurationsState {
    const levels: Record<string, Stats> = {};
    for (const [k, s] of this.levels) levels[k] = { ...s, ...(s.recent ? { recent: [...s.recent] } : {}) };
    return { v: 2, drift: this.drift, levels };
  }

  /** Restores toJSON(); anything malformed or of another version is skipped (starting fresh is always safe). */
  static fromJSON(state: unknown): LearnedDurations {
    const out = new LearnedDurations();
    if (!state || typeof state !== 'object' || (state as { v?: unknown }).v !== 2) return out;
    const s = state as Partial<LearnedDurationsState>;
    const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
    if (finite(s.drift) && Math.abs(s.drift) < 5) out.drift = s.drift;
    const entries = s.levels && typeof s.levels === 'object' ? Object.entries(s.levels) : [];
    for (const [key, v] of entries.slice(-MAX_LEVELS)) {
      if (!v || !finite(v.n) || !finite(v.mean) || !finite(v.variance) || v.n < 1 || v.variance < 0) continue;
      const recent = Array.isArray(v.recent) ? v.recent.filter(finite).slice(-SAMPLES) : undefined;
      out.levels.set(key, { n: Math.min(WINDOW, v.n), mean: v.mean, variance: v.variance, ...(recent ? { recent } : {}) });
    }
    return out;
  }
}

/**
 * The duration to tell a person ("usually about 40 s"): the median of the recent finishes when there are
 * enough of them, else the belief's median (exp(mu) for a log-normal). Milliseconds.
 */
export function typicalDurationMs(belief: DurationBelief): number {
  if (belief.samples && belief.samples.length > 0) {
    const sorted = [...belief.samples].sort((a, b) => a - b);
    const mid = sorted.length / 2;
    const ln = sorted.length % 2 === 1 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
    return Math.exp(ln);
  }
  return Math.exp(belief.mu);
}
