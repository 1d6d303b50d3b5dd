// One self-rescheduling setTimeout loop for every active task (never setInterval): one request at a time,
// the next check scheduled only after the last one finished, so requests cannot pile up behind a slow
// service. Quiet (no timer at all) when nothing is active; wakes on poke() or when the store gains a
// pollable task.
//
// Cadence: the first check comes a few seconds after submit (immediate rejections and task_not_exist show
// up early). After that each task has a predicted finish, from the best evidence available:
//   1. its own progress, when the service reports it smoothly: two running checks give a rate, and the
//      remaining percent at that rate gives the finish (re-estimated at every check);
//   2. otherwise the duration estimate (durationEstimate.ts), learned from finished tasks with the same or
//      similar settings, with the window [expected - spread, expected + spread] it probably falls in.
// When the prediction is tight (a rate, or a narrow window) the next check is aimed just after the predicted
// finish (evenly spaced steps of at most sparseIntervalMs on the way). When it is wide: sparse checks up to
// the window (at least two once the service has shown smooth progress, so a rate exists by then), dense
// checks inside it, then the service's 10-20 s guidance (stretching toward 20 s) once it is overdue.
// Gaps for one task stay within [minGapMs, sparseIntervalMs] (2 s .. 60 s by default), so a failure mid-run
// is noticed within a minute. See bench/poller-requests.ts for requests and delays against a fixed 10 s poll.
//
// Errors: 429/5xx/network/timeouts back the whole loop off (the service, not one task, is unwell), honouring
// Retry-After; a repeated error is reported once until a request succeeds again. Auth and configuration
// errors pause the loop until resume() so a bad key is not hammered. task_not_exist fails that task.

import { isApiError, type ApiErrorKind } from './api/errors';
import type { VideoTask } from './api/types';
import { systemClock, type Clock } from './clock';
import { DurationEstimator } from './durationEstimate';
import type { Disposable } from './events';
import { isPollable, taskLogLine, type TaskRequest, type TrackedTask } from './tasks/task';
import type { TaskStore } from './tasks/taskStore';

/** CometClient.getVideo, injected so the poller needs no HTTP and tests need no server. */
export type GetVideo = (remoteId: string, signal?: AbortSignal) => Promise<VideoTask>;

/** A problem worth telling the person about, reported once per episode (not once per failed request). */
export interface PollerProblem {
  /** The ApiError kind, or 'unknown' for an unexpected exception. */
  readonly kind: ApiErrorKind | 'unknown';
  /** Plain words (no key, no URL). */
  readonly message: string;
  /** True when polling is paused until resume() (auth or configuration errors). */
  readonly paused: boolean;
  /** Consecutive failed requests so far. */
  readonly consecutiveFailures: number;
  /** The original error, for the log. */
  readonly error?: unknown;
}

/** What the poller needs from a duration model (DurationEstimator satisfies it). */
export interface DurationEstimatorLike {
  /** Expected time from submit to finish, and the half-width of the window it probably falls in (ms). */
  estimate(request: TaskRequest): { expectedMs: number; spreadMs: number };
  /** Learn from a finished task: it finished somewhere in [earliestMs, latestMs] after submit. */
  observe(request: TaskRequest, earliestMs: number, latestMs: number): void;
}

export interface PollerOptions {
  readonly store: TaskStore;
  readonly getVideo: GetVideo;
  readonly clock?: Clock;
  /** Random source in [0,1) for jitter; inject a fixed one for deterministic tests. */
  readonly random?: () => number;
  /** Called once when a task reaches succeeded (the extension downloads there). Not awaited; errors are logged. */
  readonly onSucceeded?: (task: TrackedTask) => void | Promise<void>;
  /** Called once when a task reaches failed (service failure, task_not_exist, missing video URL, rejected id). */
  readonly onFailed?: (task: TrackedTask) => void;
  /** Called when a task is marked stalled. */
  readonly onStalled?: (task: TrackedTask) => void;
  /** A repeated error (or any auth/configuration error), reported once until polling recovers or resume(). */
  readonly onProblem?: (problem: PollerProblem) => void;
  /** Requests work again after a reported problem. */
  readonly onRecovered?: () => void;
  /** Log lines (no URLs, no keys, no prompts). */
  readonly log?: (line: string) => void;
  /** Mark a task stalled when it has not finished this long after submit / keepWaiting. Default 30 min. */
  readonly stallAfterMs?: number;
  /** First check after submit. Default 4 s. */
  readonly firstPollDelayMs?: number;
  /** Cadence once a task is overdue: starts at min, stretches toward max (the service's 10-20 s guidance). */
  readonly minIntervalMs?: number;
  readonly maxIntervalMs?: number;
  /**
   * Longest gap while a task is before its expected finish window. Default 60 s: longer than the service's
   * 10-20 s guidance on purpose (fewer requests; the guidance is about load, and fewer requests only lighten
   * it); the cost is that a task failing mid-run is noticed up to this much later.
   */
  readonly sparseIntervalMs?: number;
  /** Shortest gap, used inside a narrow expected finish window. Default 3 s. */
  readonly denseIntervalMs?: number;
  /** Aim for about this many checks across the expected finish window (sets the dense gap). Default 3.5. */
  readonly windowChecks?: number;
  /**
   * Where dense checking starts, in spreads before the expected finish (1 = the window's start, 0 = the
   * expected finish itself). Lower spends fewer checks on tasks that finish late, and costs tasks that finish
   * early a little delay. Default 0.3.
   */
  readonly windowLead?: number;
  /** First wait after a retryable error; doubles per consecutive error. Default 5 s. */
  readonly baseBackoffMs?: number;
  /** Longest wait after repeated retryable errors. Default 2 min. */
  readonly maxBackoffMs?: number;
  /** Longest Retry-After honoured. Default 15 min. */
  readonly maxRetryAfterMs?: number;
  /** Relative jitter applied to gaps (0.1 = up to 10 %). Default 0.1. */
  readonly jitter?: number;
  /** Expected duration model; defaults to a fresh DurationEstimator. */
  readonly estimator?: DurationEstimatorLike;
  /** Shortest gap between two checks of one task (targeted checks; the dense cadence uses denseIntervalMs). Default 2 s. */
  readonly minGapMs?: number;
  /** A targeted check goes this long after the predicted finish. Default 1 s. */
  readonly finishMarginMs?: number;
  /** A duration window at most this wide on each side counts as tight: aim one check after it. Default 4 s. */
  readonly tightSpreadMs?: number;
  /** Predict the finish from the progress rate when the service reports progress smoothly. Default true. */
  readonly useProgress?: boolean;
}

/** Counters for benchmarks and diagnostics. */
export interface PollerCounters {
  /** getVideo calls started. */
  readonly requests: number;
  /** getVideo calls that threw. */
  readonly failedRequests: number;
  /** Timer wake-ups of the loop. */
  readonly wakeUps: number;
  /** Most requests ever in flight at once (stays 1 by design). */
  readonly maxConcurrent: number;
}

/** Shown when the service says it does not know a task id. */
export const NOT_FOUND_MESSAGE = 'CometAPI no longer knows this task (it may have expired or belong to another key).';
export const MISSING_URL_MESSAGE = 'CometAPI reported the video as finished but sent no download link.';
export const NO_REASON_MESSAGE = 'CometAPI reported that the generation failed, without giving a reason.';

/** A task_not_exist this soon after submit, before any successful check, is retried once (replication lag). */
const NOT_FOUND_GRACE_MS = 60_000;
const NOT_FOUND_RETRY_MS = 5_000;
/** Extra checks for a video URL when the service says "succeeded" without one. */
const MISSING_URL_RETRIES = 3;

interface Tracking {
  dueAt: number;
  notFoundRetries: number;
  missingUrlChecks: number;
  /** Running checks with a progress figure (elapsed ms since submit, percent), oldest first, a few at most. */
  samples: ProgressSample[];
}

interface ProgressSample {
  readonly at: number;
  readonly progress: number;
}

/** A finish predicted from progress: elapsed ms since submit, and how far off it may be (ms). */
interface RateEstimate {
  readonly finishAt: number;
  readonly errorMs: number;
}

const MAX_SAMPLES = 6;

function newTracking(dueAt: number): Tracking {
  return { dueAt, notFoundRetries: 0, missingUrlChecks: 0, samples: [] };
}

export class TaskPoller implements Disposable {
  private readonly store: TaskStore;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly estimator: DurationEstimatorLike;
  private readonly tracked = new Map<string, Tracking>();
  private readonly cfg: Required<Pick<PollerOptions,
    'stallAfterMs' | 'firstPollDelayMs' | 'minIntervalMs' | 'maxIntervalMs' | 'sparseIntervalMs' | 'denseIntervalMs' |
    'windowChecks' | 'windowLead' | 'baseBackoffMs' | 'maxBackoffMs' | 'maxRetryAfterMs' | 'jitter' | 'minGapMs' |
    'finishMarginMs' | 'tightSpreadMs' | 'useProgress'>>;
  /** Set once any task's progress gave a usable rate: this service reports progress smoothly. */
  private smoothProgressSeen = false;

  private subscription: Disposable | undefined;
  private timer: unknown;
  private timerDueAt: number | undefined;
  /** True for the whole pass (several sequential requests); guards against a second concurrent pass. */
  private passRunning = false;
  private inFlight = 0;
  private abort: AbortController | undefined;
  private backoffUntil = 0;
  private consecutiveFailures = 0;
  private problemReported = false;
  private isPaused = false;
  private started = false;
  private disposed = false;
  private stats = { requests: 0, failedRequests: 0, wakeUps: 0, maxConcurrent: 0 };

  constructor(private readonly options: PollerOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.estimator = options.estimator ?? new DurationEstimator();
    this.cfg = {
      stallAfterMs: options.stallAfterMs ?? 30 * 60_000,
      firstPollDelayMs: options.firstPollDelayMs ?? 4_000,
      minIntervalMs: options.minIntervalMs ?? 10_000,
      maxIntervalMs: options.maxIntervalMs ?? 20_000,
      sparseIntervalMs: options.sparseIntervalMs ?? 60_000,
      denseIntervalMs: options.denseIntervalMs ?? 3_000,
      windowChecks: options.windowChecks ?? 3.5,
      windowLead: options.windowLead ?? 0.3,
      baseBackoffMs: options.baseBackoffMs ?? 5_000,
      maxBackoffMs: options.maxBackoffMs ?? 120_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 15 * 60_000,
      jitter: options.jitter ?? 0.1,
      minGapMs: options.minGapMs ?? 2_000,
      finishMarginMs: options.finishMarginMs ?? 1_000,
      tightSpreadMs: options.tightSpreadMs ?? 4_000,
      useProgress: options.useProgress ?? true,
    };
  }

  /** Starts watching the store and schedules every pollable task, including tasks loaded after a reload. */
  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.subscription = this.store.onDidChange(() => this.sync());
    this.sync();
  }

  /** Re-reads the store and wakes the loop if something needs checking. Cheap; call it freely. */
  poke(): void {
    if (!this.started) return;
    this.sync();
  }

  /** Checks now (or the given task now): the person pressed "Refresh". Still one request at a time. */
  refresh(localId?: string): void {
    if (!this.started || this.disposed) return;
    this.sync(false);
    const now = this.clock.now();
    for (const [id, tracking] of this.tracked) {
      if (localId === undefined || id === localId) tracking.dueAt = Math.min(tracking.dueAt, now);
    }
    this.schedule();
  }

  /** Resumes a stalled task: polled again right away, with a fresh deadline. False if it was not stalled. */
  keepWaiting(localId: string): boolean {
    const task = this.store.get(localId);
    if (!task || task.status !== 'stalled' || !task.remoteId) return false;
    const now = this.clock.now();
    // 'running' is a safe guess (it was queued or running); the immediate check corrects it.
    this.store.update(localId, { status: 'running', waitingSince: now });
    this.tracked.set(localId, newTracking(now));
    this.schedule();
    return true;
  }

  /** Lifts an auth/configuration pause (the key or settings changed) and checks everything soon. */
  resume(): void {
    if (this.disposed) return;
    this.isPaused = false;
    this.problemReported = false;
    this.consecutiveFailures = 0;
    this.backoffUntil = 0;
    this.refresh();
  }

  /** True while paused by an auth or configuration error. */
  get paused(): boolean {
    return this.isPaused;
  }

  /** True when no timer is pending and no request is in flight. */
  get idle(): boolean {
    return this.timer === undefined && !this.passRunning;
  }

  /** When the loop next wakes (epoch ms), or undefined when no timer is pending. */
  get nextWakeAt(): number | undefined {
    return this.timerDueAt;
  }

  /** When the given task is next due to be checked (epoch ms), if it is being tracked. */
  nextCheckAt(localId: string): number | undefined {
    return this.tracked.get(localId)?.dueAt;
  }

  get counters(): PollerCounters {
    return { ...this.stats };
  }

  /** Stops the loop: clears the timer, aborts the in-flight request, stops listening. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription?.dispose();
    this.clearTimer();
    this.abort?.abort();
    this.tracked.clear();
  }

  /** Tracks new pollable tasks, forgets ones that stopped being pollable, then reschedules. */
  private sync(reschedule = true): void {
    if (this.disposed) return;
    const now = this.clock.now();
    const seen = new Set<string>();
    for (const task of this.store.list()) {
      if (!isPollable(task)) continue;
      seen.add(task.localId);
      if (!this.tracked.has(task.localId)) {
        const since = task.submittedAt ?? now;
        this.tracked.set(task.localId, newTracking(Math.max(now, since + this.cfg.firstPollDelayMs)));
      }
    }
    for (const id of [...this.tracked.keys()]) if (!seen.has(id)) this.tracked.delete(id);
    if (reschedule) this.schedule();
  }

  /** Sets the single timer for the earliest due check, or none at all when nothing is tracked. */
  private schedule(): void {
    if (this.disposed || this.passRunning) return;
    if (this.isPaused || this.tracked.size === 0) {
      this.clearTimer();
      return;
    }
    let due = Infinity;
    for (const t of this.tracked.values()) due = Math.min(due, t.dueAt);
    due = Math.max(due, this.backoffUntil);
    if (this.timer !== undefined && this.timerDueAt === due) return;
    this.clearTimer();
    const delay = Math.max(0, due - this.clock.now());
    this.timerDueAt = due;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerDueAt = undefined;
      // runPass reschedules in its finally; a throw inside must still not become an unhandled rejection.
      this.runPass().catch((e: unknown) => this.options.log?.(`poll pass failed: ${e instanceof Error ? e.message : String(e)}`));
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = undefined;
  }

  /** Checks every due task, one request after another, then schedules the next wake-up. */
  private async runPass(): Promise<void> {
    if (this.passRunning || this.disposed) return;
    this.passRunning = true;
    this.stats.wakeUps++;
    try {
      for (;;) {
        if (this.disposed || this.isPaused) break;
        const now = this.clock.now();
        if (now < this.backoffUntil) break;
        const next = this.nextDue(now);
        if (!next) break;
        await this.check(next);
      }
    } finally {
      this.passRunning = false;
    }
    this.schedule();
  }

  private nextDue(now: number): string | undefined {
    let best: string | undefined;
    let bestDue = Infinity;
    for (const [id, t] of this.tracked) {
      if (t.dueAt <= now && t.dueAt < bestDue) {
        best = id;
        bestDue = t.dueAt;
      }
    }
    return best;
  }

  /** One request for one task, and what follows from its answer. */
  private async check(localId: string): Promise<void> {
    const task = this.store.get(localId);
    const tracking = this.tracked.get(localId);
    if (!task || !tracking || !isPollable(task) || !task.remoteId) {
      this.tracked.delete(localId);
      return;
    }
    this.stats.requests++;
    this.inFlight++;
    this.stats.maxConcurrent = Math.max(this.stats.maxConcurrent, this.inFlight);
    const abort = new AbortController();
    this.abort = abort;
    let result: VideoTask;
    try {
      result = await this.options.getVideo(task.remoteId, abort.signal);
    } catch (error) {
      this.inFlight--;
      this.abort = undefined;
      if (this.disposed) return;
      this.stats.failedRequests++;
      this.onRequestError(localId, error);
      return;
    }
    this.inFlight--;
    this.abort = undefined;
    if (this.disposed) return;
    this.onRequestOk();
    // The person may have removed or changed the task while the request was out.
    const current = this.store.get(localId);
    if (!current || !isPollable(current) || !this.tracked.has(localId)) {
      this.tracked.delete(localId);
      return;
    }
    this.apply(current, tracking, result);
  }

  private apply(task: TrackedTask, tracking: Tracking, remote: VideoTask): void {
    const now = this.clock.now();
    const progress = Math.max(task.progress, clampProgress(remote.progress));
    const submittedAt = task.submittedAt ?? task.createdAt;

    if (remote.status === 'succeeded' && remote.videoUrl) {
      this.tracked.delete(task.localId);
      this.learn(task, tracking, now);
      const done = this.store.update(task.localId, {
        status: 'succeeded', progress: 100, videoUrl: remote.videoUrl, finishedAt: now, lastPolledAt: now, failure: undefined,
      });
      this.log(done, 'succeeded');
      if (done) this.callHook('onSucceeded', () => this.options.onSucceeded?.(done));
      return;
    }
    if (remote.status === 'succeeded') {
      // Success without a URL: the contract says check again a few times before giving up.
      tracking.missingUrlChecks++;
      if (tracking.missingUrlChecks <= MISSING_URL_RETRIES) {
        this.store.update(task.localId, { progress, lastPolledAt: now });
        tracking.dueAt = now + this.cfg.denseIntervalMs * 2;
        return;
      }
      this.fail(task, { kind: 'invalidResponse', message: MISSING_URL_MESSAGE }, now);
      return;
    }
    if (remote.status === 'failed') {
      this.fail(task, {
        kind: 'service',
        code: remote.failure?.code,
        message: remote.failure?.message || NO_REASON_MESSAGE,
      }, now, progress);
      return;
    }

    const status = remote.status === 'running' ? 'running' : 'queued';
    const waitingSince = task.waitingSince ?? submittedAt;
    const deadline = waitingSince + this.cfg.stallAfterMs;
    if (now >= deadline) {
      this.tracked.delete(task.localId);
      const stalled = this.store.update(task.localId, { status: 'stalled', progress, lastPolledAt: now, waitingSince });
      this.log(stalled, `stalled after ${Math.round((now - waitingSince) / 60_000)} min`);
      if (stalled) this.callHook('onStalled', () => this.options.onStalled?.(stalled));
      return;
    }
    this.store.update(task.localId, { status, progress, lastPolledAt: now, waitingSince });
    const reported = Number.isFinite(remote.progress) ? remote.progress : 0;
    if (remote.status === 'running' && reported > 0 && reported < 100) {
      tracking.samples.push({ at: now - submittedAt, progress: reported });
      if (tracking.samples.length > MAX_SAMPLES) tracking.samples.shift();
    }
    tracking.dueAt = Math.min(deadline, now + this.nextGap(task, tracking, now));
  }

  /** Tells the estimator when a task finished: between the last unfinished check and now, or closer. */
  private learn(task: TrackedTask, tracking: Tracking, now: number): void {
    const submittedAt = task.submittedAt ?? task.createdAt;
    let earliest = (task.lastPolledAt ?? submittedAt) - submittedAt;
    let latest = now - submittedAt;
    const rate = this.rateEstimate(tracking);
    if (rate) {
      // The progress rate narrows the interval (it is only trusted inside what the checks proved).
      const lo = Math.max(earliest, rate.finishAt - rate.errorMs);
      const hi = Math.min(latest, rate.finishAt + rate.errorMs);
      if (lo <= hi) {
        earliest = lo;
        latest = hi;
      }
    }
    this.estimator.observe(task.request, earliest, latest);
  }

  /**
   * The finish predicted from the progress rate between the oldest and newest running checks, if progress
   * moved between them. Progress figures are whole percent, so the error allows a percent at each end.
   */
  private rateEstimate(tracking: Tracking): RateEstimate | undefined {
    if (!this.cfg.useProgress) return undefined;
    const samples = tracking.samples;
    if (samples.length < 2) return undefined;
    const last = samples[samples.length - 1];
    const first = samples.find((s) => s.progress < last.progress && last.at - s.at >= this.cfg.minGapMs);
    if (!first) return undefined;
    const moved = last.progress - first.progress;
    const perMs = moved / (last.at - first.at);
    const remaining = 100 - last.progress;
    return { finishAt: last.at + remaining / perMs, errorMs: (1 + remaining / moved) / perMs };
  }

  /** The gap before the next check of a task that is still going (see the cadence notes at the top). */
  private nextGap(task: TrackedTask, tracking: Tracking, now: number): number {
    const { sparseIntervalMs, denseIntervalMs, minIntervalMs, maxIntervalMs, windowChecks, minGapMs, finishMarginMs } = this.cfg;
    const elapsed = now - (task.submittedAt ?? task.createdAt);

    const rate = this.rateEstimate(tracking);
    if (rate) this.smoothProgressSeen = true;
    if (rate && rate.finishAt + rate.errorMs > elapsed) {
      // Progress says when it finishes: aim just after that (the prediction is refreshed at every check).
      return this.toward(rate.finishAt + finishMarginMs - elapsed);
    }

    const { expectedMs, spreadMs } = this.estimator.estimate(task.request);
    if (spreadMs <= this.cfg.tightSpreadMs && expectedMs + spreadMs > elapsed) {
      // A known setting with a precise duration: one check just after its window.
      return this.toward(expectedMs + spreadMs + finishMarginMs - elapsed);
    }
    const windowStart = expectedMs - this.cfg.windowLead * spreadMs;
    const windowEnd = expectedMs + spreadMs;
    if (elapsed < windowStart) {
      // Evenly spaced sparse checks that land on the window start. When progress is informative, at least
      // two running checks before the window, so a rate is known by then and the window can be skipped.
      const gap = windowStart - elapsed;
      let steps = Math.ceil(gap / sparseIntervalMs);
      if (steps < 2 && this.smoothProgressSeen && tracking.samples.length === 0 && gap >= 4 * minGapMs) steps = 2;
      return Math.max(denseIntervalMs, (gap / steps) * (steps > 1 ? 1 - this.cfg.jitter * this.random() : 1));
    }
    if (elapsed <= windowEnd) {
      // Dense, but a wide (uncertain) window relaxes toward the guidance's 10 s.
      const dense = Math.min(minIntervalMs, Math.max(denseIntervalMs, (2 * spreadMs) / windowChecks));
      return this.jittered(dense);
    }
    // Overdue: the estimate was wrong, fall back to the service's guidance, stretching 10 s -> 20 s.
    const overdue = elapsed - windowEnd;
    const gap = Math.min(maxIntervalMs, minIntervalMs + overdue / 10);
    return this.jittered(gap);
  }

  /**
   * The gap toward a check aimed `ms` from now: evenly spaced steps of at most sparseIntervalMs, jitter only
   * ever making the intermediate steps earlier (never the aimed check), and never less than minGapMs.
   */
  private toward(ms: number): number {
    const { sparseIntervalMs, minGapMs } = this.cfg;
    if (ms <= sparseIntervalMs) return Math.max(minGapMs, ms);
    const steps = Math.ceil(ms / sparseIntervalMs);
    return Math.max(minGapMs, (ms / steps) * (1 - this.cfg.jitter * this.random()));
  }

  private jittered(ms: number): number {
    return ms * (1 + this.cfg.jitter * (2 * this.random() - 1));
  }

  private fail(task: TrackedTask, failure: NonNullable<TrackedTask['failure']>, now: number, progress = task.progress): void {
    this.tracked.delete(task.localId);
    const failed = this.store.update(task.localId, { status: 'failed', progress, failure: stripUndefined(failure), finishedAt: now, lastPolledAt: now });
    this.log(failed, `failed (${failure.kind ?? '-'}/${failure.code ?? '-'})`);
    if (failed) this.callHook('onFailed', () => this.options.onFailed?.(failed));
  }

  private onRequestOk(): void {
    this.consecutiveFailures = 0;
    this.backoffUntil = 0;
    if (this.problemReported) {
      this.problemReported = false;
      this.callHook('onRecovered', () => this.options.onRecovered?.());
    }
  }

  private onRequestError(localId: string, error: unknown): void {
    const now = this.clock.now();
    const kind: ApiErrorKind | 'unknown' = isApiError(error) ? error.kind : 'unknown';
    const tracking = this.tracked.get(localId);
    const task = this.store.get(localId);
    // Removed or changed while the request was out: nothing to decide for it (a global error still counts).
    const stillPollable = task !== undefined && isPollable(task);
    if (!stillPollable) this.tracked.delete(localId);

    if (kind === 'notFound') {
      // A definite answer from a working service, so not a failure of the service.
      this.onRequestOk();
      if (task && tracking && stillPollable && task.lastPolledAt === undefined && tracking.notFoundRetries === 0 &&
          now - (task.submittedAt ?? task.createdAt) < NOT_FOUND_GRACE_MS) {
        tracking.notFoundRetries++;
        tracking.dueAt = now + NOT_FOUND_RETRY_MS;
        return;
      }
      if (task && stillPollable) this.fail(task, { kind: 'notFound', code: (isApiError(error) && error.code) || 'task_not_exist', message: NOT_FOUND_MESSAGE }, now);
      return;
    }
    if (kind === 'invalidRequest') {
      // The service refuses this id for good (not a passing condition); only this task is affected.
      this.onRequestOk();
      if (task && stillPollable) this.fail(task, { kind, code: isApiError(error) ? error.code : undefined, message: messageOf(error) }, now);
      return;
    }

    this.consecutiveFailures++;
    if (kind === 'auth' || kind === 'configuration') {
      this.isPaused = true;
      this.clearTimer();
      this.reportOnce({ kind, message: messageOf(error), paused: true, consecutiveFailures: this.consecutiveFailures, error });
      return;
    }
    if (kind === 'aborted' && this.disposed) return;

    // Everything else (429, 5xx, network, timeout, unreadable response, unexpected exceptions): the service
    // or the path to it is unwell, so the whole loop waits, not just this task.
    const retryAfter = isApiError(error) ? error.retryAfterMs : undefined;
    const wait = retryAfter !== undefined
      ? Math.min(this.cfg.maxRetryAfterMs, Math.max(1_000, retryAfter))
      : this.jittered(Math.min(this.cfg.maxBackoffMs, this.cfg.baseBackoffMs * 2 ** (this.consecutiveFailures - 1)));
    this.backoffUntil = now + wait;
    this.options.log?.(`poll error ${kind} (${this.consecutiveFailures} in a row); next try in ${Math.round(wait / 1000)} s`);
    if (this.consecutiveFailures >= 2) {
      this.reportOnce({ kind, message: messageOf(error), paused: false, consecutiveFailures: this.consecutiveFailures, error });
    }
  }

  private reportOnce(problem: PollerProblem): void {
    if (this.problemReported) return;
    this.problemReported = true;
    this.options.log?.(`poll problem reported: ${problem.kind}${problem.paused ? ' (polling paused)' : ''}`);
    this.callHook('onProblem', () => this.options.onProblem?.(problem));
  }

  /** Hooks belong to other layers; their failures are logged and never stop the loop. */
  private callHook(name: string, call: () => void | Promise<void>): void {
    try {
      const result = call();
      if (result && typeof (result as Promise<void>).catch === 'function') {
        (result as Promise<void>).catch((error: unknown) => this.options.log?.(`${name} failed: ${messageOf(error)}`));
      }
    } catch (error) {
      this.options.log?.(`${name} failed: ${messageOf(error)}`);
    }
  }

  private log(task: TrackedTask | undefined, what: string): void {
    if (task) this.options.log?.(`${taskLogLine(task)}: ${what}`);
  }
}

function clampProgress(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, Math.round(value))) : 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stripUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}
