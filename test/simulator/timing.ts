// How long a task takes and what progress it reports, like a real queue (issue 8): durations vary from task
// to task (log-normal around a per-setting median, plus a heavy tail), the fast tiers are faster, and a load
// spike can add minutes of queueing. Deterministic mode uses the medians exactly.
//
// Medians follow the contract's "most jobs finish within 1 to 3 minutes depending on model, duration, and
// resolution/size" (CONTRACT 4.2): the work a setting asks for (model cost x resolution cost x seconds) is
// mapped on a log scale onto 60-180 s, so the cheapest setting (Mini or Fast, 480p, 4 s) takes about 60 s and
// the dearest (standard 2.0, 4K, 15 s) 180 s. Everything is in simulated seconds; timeScale shrinks it.

import type { ResolutionClass } from './models';
import type { ProgressMode } from './options';
import type { Rng } from './random';

const MODEL_COST: Record<string, number> = {
  'doubao-seedance-2-0': 1,
  'doubao-seedance-2-0-fast': 0.4,
  'doubao-seedance-2-0-mini': 0.35,
  'doubao-seedance-1-5-pro': 0.8,
  'doubao-seedance-1-0-pro': 0.7,
};
const RESOLUTION_COST: Record<ResolutionClass, number> = { '480p': 0.5, '720p': 1, '1080p': 2.2, '4K': 5 };
const LEAST_WORK = 0.35 * 0.5 * 4; // Mini/Fast at 480p for 4 s (1.0 Pro at 480p for 2 s is about the same)
const MOST_WORK = 1 * 5 * 15; // standard 2.0 at 4K for 15 s

/** The median render time in seconds for a setting, within 60-180 s (also the deterministic duration). */
export function renderSeconds(model: string, seconds: number, resolution: ResolutionClass): number {
  const work = (MODEL_COST[model] ?? 1) * (RESOLUTION_COST[resolution] ?? 1) * Math.max(1, seconds);
  const f = Math.log(work / LEAST_WORK) / Math.log(MOST_WORK / LEAST_WORK);
  return 60 + 120 * Math.min(1, Math.max(0, f));
}

/** Spread of the log-normal body: about two tasks in three within ±30 % of the median. */
export const DURATION_SIGMA = 0.3;
/** Share of tasks in the heavy tail, and the tail's shape (Pareto, capped). */
export const TAIL_SHARE = 0.05;
const TAIL_ALPHA = 1.3;
const TAIL_CAP = 8;

export interface TimingPlan {
  /** Waiting in the queue (status SUBMITTED/queued), ms of real time. */
  queueMs: number;
  /** Rendering (IN_PROGRESS/in_progress), ms of real time. */
  runMs: number;
}

export interface PlanInput {
  model: string;
  seconds: number;
  resolution: ResolutionClass;
  /** [sim:slow]: ten times longer. */
  slow: boolean;
  timeScale: number;
  deterministic: boolean;
  /** Extra queueing from a load spike, simulated seconds (0 when none). */
  spikeSeconds: number;
}

export function planTask(input: PlanInput, rng: Rng): TimingPlan {
  const median = renderSeconds(input.model, input.seconds, input.resolution);
  let total = median;
  let queueShare = 0.2;
  let spike = input.spikeSeconds;
  if (!input.deterministic) {
    total = median * rng.logNormal(DURATION_SIGMA);
    if (rng.next() < TAIL_SHARE) total *= Math.min(TAIL_CAP, 1 + rng.pareto(TAIL_ALPHA));
    queueShare = rng.between(0.1, 0.35);
    spike *= rng.between(0.5, 1.5);
  }
  const scale = 1000 * input.timeScale * (input.slow ? 10 : 1);
  return { queueMs: (total * queueShare + spike) * scale, runMs: total * (1 - queueShare) * scale };
}

/**
 * Progress while queued or running (f = fraction of the run done, 0..1). Create always answers 0; a
 * success always reports 100 (the presenter handles terminal states).
 *   coarse     new-api's Seedance adaptor: 10 queued, 50 running (CONTRACT 4.1)
 *   none       0 until done
 *   smooth     grows evenly, 1..99
 *   backloaded little for most of the run, most of it at the end (f cubed)
 */
export function progressAt(mode: ProgressMode, phase: 'queued' | 'running', f: number): number {
  const x = Math.min(1, Math.max(0, f));
  switch (mode) {
    case 'coarse':
      return phase === 'queued' ? 10 : 50;
    case 'none':
      return 0;
    case 'smooth':
      return phase === 'queued' ? 0 : Math.min(99, 1 + Math.floor(98 * x));
    case 'backloaded':
      return phase === 'queued' ? 0 : Math.min(99, Math.floor(99 * x * x * x));
  }
}

/** Progress a finished task reports: 100 on success; on failure new-api's 100 (coarse), else where it stopped. */
export function finalProgress(mode: ProgressMode, succeeded: boolean, stoppedAt: number): number {
  if (succeeded) return 100;
  if (mode === 'coarse') return 100;
  if (mode === 'none') return 0;
  return progressAt(mode, 'running', stoppedAt);
}
