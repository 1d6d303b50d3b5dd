// How long a generation is likely to take, so the poller can poll sparsely while a task cannot be done yet
// and densely around the moment it probably finishes. Starts from a prior (a guess from the vendor's
// "most jobs finish within 1 to 3 minutes depending on model, duration, and resolution") and learns from
// finished tasks: a per-model speed factor, and how far actual durations scatter around the estimate.
// With no learning yet the spread is wide, so the poller behaves like a plain 10 s poll around the middle.

import { findModel } from './catalog';
import type { TaskRequest } from './tasks/task';

export interface DurationEstimate {
  /** Expected time from submit to finish (ms). */
  readonly expectedMs: number;
  /** Half-width of the window the finish probably falls in (ms). */
  readonly spreadMs: number;
}

/** Seconds of fixed overhead and seconds of work per clip second at 720p, by model tier (a guess). */
const PRIOR_BY_TIER: Record<string, { baseS: number; perClipSecondS: number }> = {
  '2.0': { baseS: 55, perClipSecondS: 10 },
  '2.0 Fast': { baseS: 40, perClipSecondS: 7 },
  '1.5 Pro': { baseS: 50, perClipSecondS: 9 },
  '1.0 Pro': { baseS: 45, perClipSecondS: 8 },
};
const RESOLUTION_FACTOR: Record<string, number> = { '480p': 0.7, '720p': 1, '1080p': 1.5 };

/** The built-in guess (ms), clamped to 45 s .. 4 min. */
export function priorDurationMs(request: Pick<TaskRequest, 'model' | 'seconds' | 'resolution'>): number {
  const model = findModel(request.model);
  const tierKey = model ? (model.id.endsWith('-fast') ? '2.0 Fast' : model.tier) : '2.0';
  const tier = PRIOR_BY_TIER[tierKey] ?? PRIOR_BY_TIER['2.0'];
  const res = RESOLUTION_FACTOR[request.resolution] ?? 1;
  const seconds = Number.isFinite(request.seconds) && request.seconds > 0 ? request.seconds : 5;
  const s = tier.baseS + tier.perClipSecondS * seconds * res;
  return Math.round(Math.min(240, Math.max(45, s)) * 1000);
}

export interface DurationEstimatorOptions {
  readonly prior?: (request: TaskRequest) => number;
  /** Starting relative scatter (mean |actual/expected - 1|). 0.25 means "we know little". */
  readonly initialScatter?: number;
  /** Weight of one precise observation in the running averages. */
  readonly learningRate?: number;
  /** The window never gets narrower than this fraction of the expected time on each side. */
  readonly minSpreadFraction?: number;
  /** Window half-width = this many mean deviations (2 covers a uniform scatter fully). */
  readonly spreadDeviations?: number;
}

/**
 * Learns speed factors (actual / prior) at three levels: the exact settings (model + resolution + seconds,
 * which people reuse a lot), the model, and overall; an estimate uses the most specific level that has seen
 * a finished task. How far durations scatter is learned overall. In memory only: a fresh session starts
 * from the prior (wide window) and narrows within a few finished tasks.
 */
export class DurationEstimator {
  private readonly prior: (request: TaskRequest) => number;
  private readonly rate: number;
  private readonly minSpread: number;
  private readonly deviations: number;
  private readonly factors = new Map<string, { factor: number; n: number }>();
  private scatter: number;
  private observations = 0;

  constructor(options: DurationEstimatorOptions = {}) {
    this.prior = options.prior ?? priorDurationMs;
    this.scatter = options.initialScatter ?? 0.25;
    this.rate = options.learningRate ?? 0.2;
    this.minSpread = options.minSpreadFraction ?? 0.03;
    this.deviations = options.spreadDeviations ?? 2;
  }

  estimate(request: TaskRequest): DurationEstimate {
    const expectedMs = this.prior(request) * this.factorFor(request);
    const spreadMs = expectedMs * Math.max(this.minSpread, this.deviations * this.scatter);
    return { expectedMs, spreadMs };
  }

  /**
   * A task finished somewhere between `earliestMs` and `latestMs` after submit (the last check that saw it
   * unfinished and the check that saw it done). Wide intervals (sparse checks, backoff) teach less.
   */
  observe(request: TaskRequest, earliestMs: number, latestMs: number): void {
    if (!(latestMs > 0) || earliestMs > latestMs) return;
    const actual = (Math.max(0, earliestMs) + latestMs) / 2;
    const prior = this.prior(request);
    const expected = prior * this.factorFor(request);
    const precision = Math.min(1, (0.1 * actual) / Math.max(1, latestMs - earliestMs));
    const w = this.rate * Math.max(0.2, precision);
    // The first observations move faster, so a badly wrong prior is corrected within a few tasks.
    const deviation = Math.abs(actual / expected - 1);
    this.scatter += Math.max(w, 1 / (2 + this.observations)) * (deviation - this.scatter);
    const ratio = actual / prior;
    for (const key of keysFor(request)) {
      const entry = this.factors.get(key);
      if (!entry) {
        this.factors.set(key, { factor: ratio, n: 1 });
      } else {
        entry.factor += Math.max(w, 1 / (1 + entry.n)) * (ratio - entry.factor);
        entry.n++;
      }
    }
    this.observations++;
  }

  private factorFor(request: TaskRequest): number {
    for (const key of keysFor(request)) {
      const entry = this.factors.get(key);
      if (entry) return entry.factor;
    }
    return 1;
  }
}

/** Most specific first. */
function keysFor(request: TaskRequest): string[] {
  return [`${request.model}|${request.resolution}|${request.seconds}`, request.model, '*'];
}
