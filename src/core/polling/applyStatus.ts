// What one status answer means for one task: a pure function from (task, answer, now) to the next task.
// The loop (poller.ts) fetches answers and stores what this returns; it decides nothing about tasks itself.

import type { VideoTask } from '../api/types';
import type { TrackedFailure, TrackedTask } from '../tasks/task';

/** What a status check can tell about one task. */
export type StatusAnswer =
  /** The service answered with the task. */
  | { readonly kind: 'task'; readonly video: VideoTask }
  /** The service does not know the id (task_not_exist). */
  | { readonly kind: 'notFound'; readonly code?: string }
  /**
   * An odd answer about this id (a 4xx other than the usual ones, a 5xx carrying invalid_request): not a
   * status, so it never ends a running, billed task; the loop backs off and asks again.
   */
  | { readonly kind: 'rejected'; readonly code?: string; readonly message: string };

export interface ApplyRules {
  /** A queued/running task still unfinished this long after waitingSince becomes stalled. */
  readonly stallAfterMs: number;
  /** How many answers in a row said "succeeded" without a download link (this one included). */
  readonly urlMisses?: number;
  /** How long task_not_exist must last before it ends a task (default NOT_FOUND_CONFIRM_MS; tests shrink it). */
  readonly notFoundConfirmMs?: number;
}

/** task_not_exist this soon after submit, before any successful check, is replication lag: ask again. */
export const NOT_FOUND_GRACE_MS = 60_000;
/** task_not_exist ends a task only when it is still the answer this long after it was first seen. */
export const NOT_FOUND_CONFIRM_MS = 5 * 60_000;
/** "Succeeded" without a link is asked again this many times before it counts as a failure. */
export const MISSING_URL_RETRIES = 3;

export const NOT_FOUND_MESSAGE = 'CometAPI no longer knows this task (it may have expired or belong to another key).';
export const MISSING_URL_MESSAGE = 'CometAPI reported the video as finished but sent no download link.';
export const NO_REASON_MESSAGE = 'CometAPI reported that the generation failed, without giving a reason.';

/**
 * The task after this answer. Only tasks the loop watches (queued, running, stalled) are changed; anything
 * else comes back as it was (the person removed or resolved it while the request was out).
 * - succeeded with a link -> succeeded, progress 100; failed -> failed with the service's reason;
 * - still going -> queued/running with the reported progress (a stalled task stays stalled until it ends
 *   or the person chooses Keep Waiting); past the deadline -> stalled;
 * - unknown id -> failed only when task_not_exist is seen again NOT_FOUND_CONFIRM_MS after it was first
 *   seen (the first one only notes the time); nothing at all during the first minute before any successful
 *   check (replication lag);
 * - any other odd answer (rejected) -> unchanged but for lastPolledAt: only a terminal status ends a task.
 */
export function applyStatus(task: TrackedTask, answer: StatusAnswer, now: number, rules: ApplyRules): TrackedTask {
  if (!isWatched(task)) return task;
  const submittedAt = task.submittedAt ?? task.createdAt;

  if (answer.kind === 'notFound') {
    if (task.lastPolledAt === undefined && now - submittedAt < NOT_FOUND_GRACE_MS) return task;
    if (task.notFoundSince === undefined) return { ...task, notFoundSince: now, lastPolledAt: now };
    if (now - task.notFoundSince < (rules.notFoundConfirmMs ?? NOT_FOUND_CONFIRM_MS)) return { ...task, lastPolledAt: now };
    return fail({ ...task, notFoundSince: undefined }, now, { kind: 'notFound', code: answer.code ?? 'task_not_exist', message: NOT_FOUND_MESSAGE });
  }
  if (answer.kind === 'rejected') return { ...task, lastPolledAt: now };

  // A real answer: an earlier task_not_exist was a passing one.
  if (task.notFoundSince !== undefined) task = { ...task, notFoundSince: undefined };
  const video = answer.video;
  const progress = clampProgress(video.progress);
  if (video.status === 'succeeded' && video.videoUrl) {
    return { ...task, status: 'succeeded', progress: 100, videoUrl: video.videoUrl, finishedAt: now, lastPolledAt: now, failure: undefined };
  }
  if (video.status === 'succeeded' && (rules.urlMisses ?? 1) > MISSING_URL_RETRIES) {
    return fail(task, now, { kind: 'invalidResponse', message: MISSING_URL_MESSAGE });
  }
  if (video.status === 'failed') {
    return fail(task, now, withoutUndefined({ kind: 'service' as const, code: video.failure?.code, message: video.failure?.message || NO_REASON_MESSAGE }), progress);
  }

  // Still going (or "succeeded" without a link yet: asked again soon).
  const waitingSince = task.waitingSince ?? submittedAt;
  // What the person sees is the newest answer; a progress figure that went missing keeps the last one.
  const shown = progress > 0 ? progress : task.progress;
  if (task.status === 'stalled') return { ...task, progress: shown, lastPolledAt: now };
  const status = now - waitingSince >= rules.stallAfterMs ? 'stalled' : video.status === 'running' || video.status === 'succeeded' ? 'running' : 'queued';
  return { ...task, status, progress: shown, lastPolledAt: now, waitingSince };
}

/** The tasks the loop checks: the service has them and they may still change. */
export function isWatched(task: TrackedTask): boolean {
  return task.remoteId !== undefined && (task.status === 'queued' || task.status === 'running' || task.status === 'stalled');
}

function fail(task: TrackedTask, now: number, failure: TrackedFailure, progress = task.progress): TrackedTask {
  return { ...task, status: 'failed', progress, failure, finishedAt: now, lastPolledAt: now };
}

function clampProgress(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, Math.round(value))) : 0;
}

function withoutUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}
