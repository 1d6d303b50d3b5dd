// How long a generation is likely to take, so the poller can poll sparsely while a task cannot be done yet
// and check right when it probably finishes. Starts from a prior (a guess from the vendor's "most jobs
// finish within 1 to 3 minutes depending on model, duration, and resolution") and learns from finished
// tasks, at several levels of similarity:
//   exact   - the same model, resolution and clip seconds (people reuse settings a lot): an interval of
//             speed factors (actual / prior) narrowed by every consistent observation;
//   similar - the same model and resolution, other seconds: the factor interpolated between the nearest
//             observed seconds on either side (the nearest one outside the observed range);
//   model   - the same model; all - anything observed; prior - nothing observed yet.
// How far reality scatters around each level's estimate is learned per level, so a deterministic service
// ends with tight windows for known settings while a noisy one keeps them as wide as its noise.
// In memory; toJSON()/fromJSON() let the extension persist what was learned across sessions.

import { findModel } from './catalog';
import type { TaskRequest } from './tasks/task';

export type EstimateSource = 'exact' | 'similar' | 'model' | 'all' | 'prior';
const SOURCES: readonly EstimateSource[] = ['exact', 'similar', 'model', 'all', 'prior'];

export interface DurationEstimate {
  /** Expected time from submit to finish (ms). */
  readonly expectedMs: number;
  /** Half-width of the window the finish probably falls in (ms). */
  readonly spreadMs: number;
  /** Which level of what was learned the estimate comes from. */
  readonly source?: EstimateSource;
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
  /** Starting relative scatter (mean |actual/expected - 1|) of every level. 0.25 means "we know little". */
  readonly initialScatter?: number;
  /** Weight of one observation in the running averages once past the first few. */
  readonly learningRate?: number;
  /** The window never gets narrower than this fraction of the expected time on each side. */
  readonly minSpreadFraction?: number;
  /** Window half-width = this many mean deviations (2 covers a uniform scatter fully). */
  readonly spreadDeviations?: number;
}

/** What was learned for one exact setting: the speed factor lies in [lo, hi] (as far as we know). */
interface Entry {
  model: string;
  resolution: string;
  seconds: number;
  lo: number;
  hi: number;
  n: number;
}

/** Persisted form (toJSON / fromJSON). */
export interface DurationEstimatorState {
  readonly v: 1;
  readonly entries: Entry[];
  readonly scatter: Partial<Record<EstimateSource, { value: number; n: number }>>;
}

const MAX_ENTRIES = 500;

export class DurationEstimator {
  private readonly prior: (request: TaskRequest) => number;
  private readonly rate: number;
  private readonly minSpread: number;
  private readonly deviations: number;
  private readonly entries = new Map<string, Entry>();
  private readonly scatter = new Map<EstimateSource, { value: number; n: number }>();

  constructor(options: DurationEstimatorOptions = {}) {
    this.prior = options.prior ?? priorDurationMs;
    this.rate = options.learningRate ?? 0.2;
    this.minSpread = options.minSpreadFraction ?? 0.01;
    this.deviations = options.spreadDeviations ?? 2;
    const initial = options.initialScatter ?? 0.25;
    for (const s of SOURCES) this.scatter.set(s, { value: initial, n: 0 });
  }

  estimate(request: TaskRequest): DurationEstimate {
    const prior = this.prior(request);
    const { factor, halfWidth, source } = this.factorFor(request);
    const expectedMs = prior * factor;
    const scatter = this.scatter.get(source)!.value;
    const spreadMs = Math.max(expectedMs * this.minSpread, prior * halfWidth, expectedMs * this.deviations * scatter);
    return { expectedMs, spreadMs, source };
  }

  /**
   * A task finished somewhere between `earliestMs` and `latestMs` after submit (the last check that saw it
   * unfinished and the check that saw it done, or narrower when progress told more).
   */
  observe(request: TaskRequest, earliestMs: number, latestMs: number): void {
    if (!(latestMs > 0) || !(earliestMs <= latestMs)) return;
    const a = Math.max(0, earliestMs);
    const b = latestMs;
    const prior = this.prior(request);
    const before = this.estimate(request);
    const source = before.source ?? 'prior';
    // How wrong the estimate was: its distance from the interval (0 when consistent with it).
    const distance = before.expectedMs < a ? a - before.expectedMs : before.expectedMs > b ? before.expectedMs - b : 0;
    const sc = this.scatter.get(source)!;
    sc.value += Math.max(this.rate, 1 / (2 + sc.n)) * (distance / before.expectedMs - sc.value);
    sc.n++;

    const key = keyOf(request);
    const lo = a / prior;
    const hi = b / prior;
    const entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { model: request.model, resolution: request.resolution, seconds: request.seconds, lo, hi, n: 1 });
      return;
    }
    const iLo = Math.max(entry.lo, lo);
    const iHi = Math.min(entry.hi, hi);
    if (iLo <= iHi) {
      // Consistent: what we know narrows (a deterministic service converges on its exact duration).
      entry.lo = iLo;
      entry.hi = iHi;
    } else {
      // Inconsistent (the service is noisy): move the centre toward the new observation, keep its width.
      const centre = (entry.lo + entry.hi) / 2;
      const w = Math.max(this.rate, 1 / (1 + entry.n));
      const next = centre + w * ((lo + hi) / 2 - centre);
      const half = (hi - lo) / 2;
      entry.lo = next - half;
      entry.hi = next + half;
    }
    entry.n++;
  }

  toJSON(): DurationEstimatorState {
    const scatter: Partial<Record<EstimateSource, { value: number; n: number }>> = {};
    for (const [s, v] of this.scatter) scatter[s] = { ...v };
    return { v: 1, entries: [...this.entries.values()].map((e) => ({ ...e })), scatter };
  }

  /** Restores a toJSON() state; anything malformed is skipped (a fresh start is always safe). */
  static fromJSON(state: unknown, options: DurationEstimatorOptions = {}): DurationEstimator {
    const est = new DurationEstimator(options);
    if (!state || typeof state !== 'object' || (state as { v?: unknown }).v !== 1) return est;
    const s = state as Partial<DurationEstimatorState>;
    const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
    for (const e of Array.isArray(s.entries) ? s.entries.slice(-MAX_ENTRIES) : []) {
      if (!e || typeof e.model !== 'string' || typeof e.resolution !== 'string' || !finite(e.seconds) ||
          !finite(e.lo) || !finite(e.hi) || !finite(e.n) || e.lo < 0 || e.lo > e.hi || e.n < 1) continue;
      est.entries.set(keyOf(e), { model: e.model, resolution: e.resolution, seconds: e.seconds, lo: e.lo, hi: e.hi, n: e.n });
    }
    for (const src of SOURCES) {
      const v = s.scatter?.[src];
      if (v && finite(v.value) && finite(v.n) && v.value >= 0 && v.n >= 0) est.scatter.set(src, { value: v.value, n: v.n });
    }
    return est;
  }

  private factorFor(request: TaskRequest): { factor: number; halfWidth: number; source: EstimateSource } {
    const exact = this.entries.get(keyOf(request));
    if (exact) return { factor: (exact.lo + exact.hi) / 2, halfWidth: (exact.hi - exact.lo) / 2, source: 'exact' };
    const mid = (e: Entry) => (e.lo + e.hi) / 2;
    const same = [...this.entries.values()].filter((e) => e.model === request.model);
    const similar = same.filter((e) => e.resolution === request.resolution);
    if (similar.length > 0) {
      let below: Entry | undefined;
      let above: Entry | undefined;
      for (const e of similar) {
        if (e.seconds < request.seconds && (!below || e.seconds > below.seconds)) below = e;
        if (e.seconds > request.seconds && (!above || e.seconds < above.seconds)) above = e;
      }
      let factor: number;
      if (below && above) {
        const t = (request.seconds - below.seconds) / (above.seconds - below.seconds);
        factor = mid(below) + t * (mid(above) - mid(below));
      } else {
        factor = mid((below ?? above)!);
      }
      return { factor, halfWidth: 0, source: 'similar' };
    }
    if (same.length > 0) return { factor: weightedMean(same), halfWidth: 0, source: 'model' };
    if (this.entries.size > 0) return { factor: weightedMean([...this.entries.values()]), halfWidth: 0, source: 'all' };
    return { factor: 1, halfWidth: 0, source: 'prior' };
  }
}

function weightedMean(entries: Entry[]): number {
  let sum = 0;
  let n = 0;
  for (const e of entries) {
    sum += ((e.lo + e.hi) / 2) * e.n;
    n += e.n;
  }
  return sum / n;
}

function keyOf(request: Pick<TaskRequest, 'model' | 'resolution' | 'seconds'>): string {
  return `${request.model}|${request.resolution}|${request.seconds}`;
}
