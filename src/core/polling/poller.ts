// The status-check loop: one self-rescheduling setTimeout for every watched task (never setInterval), one
// request at a time, the next timer set only after the last request finished. Quiet (no timer) when nothing
// is watched. It owns three things and delegates the rest:
//   - when each task is due: pollCadence.ts (pure policy, from what durationEstimate.ts learned);
//   - what an answer means for a task: applyStatus.ts (pure);
//   - retries: the only place a failed status check is tried again (the client sends each check once).
//     429/5xx/network/timeouts back the whole loop off (the service, not one task, is unwell), honouring
//     Retry-After; the first lasting problem is reported once, within about 30 s; Refresh checks at once,
//     even during backoff. Auth and configuration errors pause the loop until resume() (a bad key is not
//     hammered).

import { isApiError, type ApiErrorKind } from '../api/errors';
import type { VideoTask } from '../api/types';
import { applyStatus, isWatched, NOT_FOUND_CONFIRM_MS, type StatusAnswer } from './applyStatus';
import { systemClock, type Clock, type TimerHandle } from '../clock';
import { LearnedDurations } from './durationEstimate';
import type { Disposable } from '../events';
import { nextCheckDelay, stallDeadline } from './pollCadence';
import { taskLogLine, type TrackedTask } from '../tasks/task';
import type { TaskStore } from '../tasks/taskStore';

export { NOT_FOUND_MESSAGE } from './applyStatus';

/** CometClient.getVideo (one request, no retries), injected so tests and the benchmark need no HTTP. */
export type GetVideo = (remoteId: string, signal?: AbortSignal) => Promise<VideoTask>;

/** A problem worth telling the person about, reported once per episode (not once per failed request). */
export interface PollerProblem {
  /** The ApiError kind, or 'unknown' for an unexpected exception. */
  readonly kind: ApiErrorKind | 'unknown';
  readonly message: string;
  /** True when polling is paused until resume() (auth or configuration errors). */
  readonly paused: boolean;
  readonly consecutiveFailures: number;
  /** The original error, for the error boundary and the log. */
  readonly error?: unknown;
}

export interface PollerOptions {
  readonly store: TaskStore;
  readonly getVideo: GetVideo;
  readonly clock?: Clock;
  /** What was learned about durations (the extension loads it from global state). Default: nothing. */
  readonly learned?: LearnedDurations;
  /** After each finish was learned from (the extension saves `learned` there). */
  readonly onLearned?: () => void;
  /** A task reached succeeded (the extension downloads there). Not awaited; failures are logged. */
  readonly onSucceeded?: (task: TrackedTask) => void | Promise<void>;
  readonly onFailed?: (task: TrackedTask) => void | Promise<void>;
  readonly onStalled?: (task: TrackedTask) => void | Promise<void>;
  /** The first lasting problem of an episode (or any auth/configuration error). */
  readonly onProblem?: (problem: PollerProblem) => void;
  /** Requests work again after a reported problem. */
  readonly onRecovered?: () => void;
  /** Log lines (no URLs, no keys, no prompts). */
  readonly log?: (line: string) => void;
  /** A fixed stall deadline (from submit or Keep Waiting). Default: pollCadence.stallDeadline (30 min or more). */
  readonly stallAfterMs?: number;
  /** Multiplies every interval of the cadence and the backoff (tests shrink it). Default 1. */
  readonly timeScale?: number;
}

/** Counters for benchmarks and diagnostics. */
export interface PollerCounters {
  readonly requests: number;
  readonly failedRequests: number;
  /** Timer wake-ups of the loop. */
  readonly wakeUps: number;
  /** Most requests ever in flight at once (1 by design). */
  readonly maxConcurrent: number;
}

/** Backoff after consecutive failures: 2.5 s, 5 s, 10 s, ... up to 2 min (Retry-After wins, up to 15 min). */
const BACKOFF_BASE_MS = 2_500;
const BACKOFF_MAX_MS = 120_000;
const RETRY_AFTER_MAX_MS = 15 * 60_000;
/** A problem is "lasting" once failures span this long, or the next wait alone is this long. */
const LASTING_PROBLEM_MS = 15_000;
/** A finish is learned from only when the check before it was this recent (else the interval says little). */
const LEARN_WITHIN_MS = 30_000;

interface Watch {
  dueAt: number;
  /** When this session last saw the task unfinished. */
  lastUnfinishedAt?: number;
  urlMisses: number;
  /** Odd answers about this id in a row (not a status): each doubles this task's wait, up to the backoff cap. */
  oddAnswers?: number;
}

export class TaskPoller implements Disposable {
  private readonly store: TaskStore;
  private readonly clock: Clock;
  private readonly learned: LearnedDurations;
  private readonly scale: number;
  private readonly stallAfterMs: number | undefined;
  private readonly watches = new Map<string, Watch>();
  private subscription: Disposable | undefined;
  private timer: TimerHandle | undefined;
  private timerDueAt: number | undefined;
  private running = false;
  private inFlight = 0;
  private abort: AbortController | undefined;
  private backoffUntil = 0;
  private failures = 0;
  private failingSince = 0;
  private problemReported = false;
  private isPaused = false;
  private started = false;
  private disposed = false;
  private stats = { requests: 0, failedRequests: 0, wakeUps: 0, maxConcurrent: 0 };

  constructor(private readonly options: PollerOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.learned = options.learned ?? new LearnedDurations();
    this.scale = options.timeScale ?? 1;
    this.stallAfterMs = options.stallAfterMs;
  }

  /** Starts watching the store; every watched task (restored ones included, stalled too) is checked soon. */
  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.subscription = this.store.onDidChange(() => this.sync());
    this.sync();
  }

  /** Checks now (all watched tasks, or one), even during backoff: the person pressed Refresh. */
  refresh(localId?: string): void {
    if (!this.started || this.disposed) return;
    this.backoffUntil = 0;
    this.sync(false);
    const now = this.clock.now();
    for (const [id, watch] of this.watches) if (localId === undefined || id === localId) watch.dueAt = Math.min(watch.dueAt, now);
    this.schedule();
  }

  /** Keep Waiting on a stalled task: a fresh deadline and the normal cadence, checked at once. */
  keepWaiting(localId: string): boolean {
    const task = this.store.get(localId);
    if (!task || task.status !== 'stalled' || !task.remoteId) return false;
    const now = this.clock.now();
    this.store.update(localId, { status: 'running', waitingSince: now });
    this.watches.set(localId, { dueAt: now, urlMisses: 0 });
    this.schedule();
    return true;
  }

  /**
   * Check Again on a failed task that has a service id: it is watched again and checked at once, sending no
   * create (nothing is billed). The service's next answer decides: a video lands, or it fails again.
   */
  checkAgain(localId: string): boolean {
    const task = this.store.get(localId);
    if (!task || task.status !== 'failed' || !task.remoteId) return false;
    const now = this.clock.now();
    this.store.update(localId, { status: 'running', failure: undefined, finishedAt: undefined, notFoundSince: undefined, waitingSince: now });
    this.watches.set(localId, { dueAt: now, urlMisses: 0 });
    this.backoffUntil = 0;
    this.schedule();
    return true;
  }

  /** Lifts a pause after an auth/configuration problem (the key or settings changed) and checks everything. */
  resume(): void {
    if (this.disposed) return;
    this.isPaused = false;
    this.problemReported = false;
    this.failures = 0;
    this.refresh();
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** No timer pending and no request in flight. */
  get idle(): boolean {
    return this.timer === undefined && !this.running;
  }

  /** When the loop next wakes (epoch ms), if a timer is pending. */
  get nextWakeAt(): number | undefined {
    return this.timerDueAt;
  }

  get counters(): PollerCounters {
    return { ...this.stats };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription?.dispose();
    this.clearTimer();
    this.abort?.abort();
    this.watches.clear();
  }

  /** Watches new watched tasks (first check per the cadence), forgets the others, then reschedules. */
  private sync(reschedule = true): void {
    if (this.disposed) return;
    const now = this.clock.now();
    const seen = new Set<string>();
    for (const task of this.store.listUnsettled()) {
      if (!isWatched(task)) continue;
      seen.add(task.localId);
      if (!this.watches.has(task.localId)) {
        this.watches.set(task.localId, { dueAt: now + this.delayFor(task, now, false), urlMisses: 0 });
      }
    }
    for (const id of [...this.watches.keys()]) if (!seen.has(id)) this.watches.delete(id);
    if (reschedule) this.schedule();
  }

  private delayFor(task: TrackedTask, now: number, checked: boolean): number {
    return nextCheckDelay({
      elapsedMs: now - (task.submittedAt ?? task.createdAt),
      checked,
      stalled: task.status === 'stalled',
      belief: this.learned.estimate(task.request),
      scale: this.scale,
    });
  }

  /** One timer for the earliest due check (or the end of a backoff); none when nothing is watched. */
  private schedule(): void {
    if (this.disposed || this.running) return;
    if (this.isPaused || this.watches.size === 0) return this.clearTimer();
    let due = Infinity;
    for (const w of this.watches.values()) due = Math.min(due, w.dueAt);
    due = Math.max(due, this.backoffUntil);
    if (this.timer !== undefined && this.timerDueAt === due) return;
    this.clearTimer();
    this.timerDueAt = due;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerDueAt = undefined;
      this.runDue().catch((error: unknown) => this.options.log?.(`poll loop error: ${messageOf(error)}`));
    }, Math.max(0, due - this.clock.now()));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = undefined;
  }

  /** Checks every due task, one request after another; always ends by scheduling the next wake-up. */
  private async runDue(): Promise<void> {
    if (this.running || this.disposed) return;
    this.running = true;
    this.stats.wakeUps++;
    try {
      for (;;) {
        const now = this.clock.now();
        if (this.disposed || this.isPaused || now < this.backoffUntil) break;
        const next = this.earliestDue(now);
        if (!next) break;
        try {
          await this.check(next);
        } catch (error) {
          this.options.log?.(`poll check error: ${messageOf(error)}`);
        }
      }
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  private earliestDue(now: number): string | undefined {
    let best: string | undefined;
    let bestDue = Infinity;
    for (const [id, w] of this.watches) if (w.dueAt <= now && w.dueAt < bestDue) [best, bestDue] = [id, w.dueAt];
    return best;
  }

  /** One request for one task, and what follows from the answer. */
  private async check(localId: string): Promise<void> {
    const watch = this.watches.get(localId);
    const task = this.store.get(localId);
    if (!watch || !task || !isWatched(task) || !task.remoteId) {
      this.watches.delete(localId);
      return;
    }
    // Whatever happens below (even a throw), this task is not due again at once.
    watch.dueAt = this.clock.now() + this.delayFor(task, this.clock.now(), true);
    const answer = await this.ask(task.remoteId);
    if (this.disposed) return;
    if (!answer) {
      // A passing failure: this check is still owed, as soon as the backoff ends.
      if (this.watches.get(localId) === watch) watch.dueAt = this.clock.now();
      return;
    }
    const now = this.clock.now();
    const before = this.store.get(localId);
    if (!before || !isWatched(before) || this.watches.get(localId) !== watch) return; // removed or reset meanwhile
    watch.urlMisses = answer.kind === 'task' && answer.video.status === 'succeeded' && !answer.video.videoUrl ? watch.urlMisses + 1 : 0;
    // An odd answer about this one id (not a status) backs this task off; a real answer resets it.
    watch.oddAnswers = answer.kind === 'task' ? 0 : (watch.oddAnswers ?? 0) + 1;
    const stallAfterMs = this.stallAfterMs ?? stallDeadline(this.learned.estimate(before.request), this.scale);
    const after = this.store.update(localId, (current) => applyStatus(current, answer, now, {
      stallAfterMs,
      urlMisses: watch.urlMisses,
      notFoundConfirmMs: NOT_FOUND_CONFIRM_MS * this.scale,
    }));
    if (!after) return;
    if (isWatched(after)) {
      watch.lastUnfinishedAt = now;
      const odd = watch.oddAnswers ?? 0;
      watch.dueAt = now + (odd > 0
        ? Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (odd - 1)) * this.scale
        : watch.urlMisses > 0 ? Math.min(5_000 * this.scale, this.delayFor(after, now, true)) : this.delayFor(after, now, true));
      if (answer.kind !== 'task') this.options.log?.(`${after.remoteId}: odd status answer (${answer.kind}${answer.code ? ` ${answer.code}` : ''}, ${odd} in a row); asked again in ${Math.round((watch.dueAt - now) / 1000)} s`);
    } else {
      this.watches.delete(localId);
    }
    if (after.status === before.status) return;
    if (after.status === 'succeeded') {
      this.learn(after, watch);
      this.hook('succeeded', after, () => this.options.onSucceeded?.(after));
    } else if (after.status === 'failed') {
      this.hook(`failed (${after.failure?.kind ?? '-'}/${after.failure?.code ?? '-'})`, after, () => this.options.onFailed?.(after));
    } else if (after.status === 'stalled') {
      this.hook('stalled', after, () => this.options.onStalled?.(after));
    }
  }

  /** Sends the request; a definite answer comes back, a passing failure backs the loop off (undefined). */
  private async ask(remoteId: string): Promise<StatusAnswer | undefined> {
    this.stats.requests++;
    this.stats.maxConcurrent = Math.max(this.stats.maxConcurrent, ++this.inFlight);
    const abort = new AbortController();
    this.abort = abort;
    const sentAt = this.clock.now();
    try {
      const video = await this.options.getVideo(remoteId, abort.signal);
      this.succeeded();
      return { kind: 'task', video };
    } catch (error) {
      if (this.disposed) return undefined;
      this.stats.failedRequests++;
      const kind = isApiError(error) ? error.kind : 'unknown';
      // A definite answer from a working service about this one id.
      if (kind === 'notFound' || kind === 'invalidRequest') {
        this.succeeded();
        const code = isApiError(error) ? error.code : undefined;
        return kind === 'notFound' ? { kind, code } : { kind: 'rejected', code, message: messageOf(error) };
      }
      this.failed(kind, error, sentAt);
      return undefined;
    } finally {
      this.inFlight--;
      this.abort = undefined;
    }
  }

  private succeeded(): void {
    this.failures = 0;
    this.backoffUntil = 0;
    if (this.problemReported) {
      this.problemReported = false;
      this.safely('onRecovered', () => this.options.onRecovered?.());
    }
  }

  /** A check sent at `sentAt` failed in a way that may pass (or needs the person: auth, configuration). */
  private failed(kind: ApiErrorKind | 'unknown', error: unknown, sentAt: number): void {
    const now = this.clock.now();
    // The episode starts when its first failing request was sent (a timeout takes a while to fail).
    if (this.failures++ === 0) this.failingSince = sentAt;
    const problem = { kind, message: messageOf(error), consecutiveFailures: this.failures, error };
    if (kind === 'auth' || kind === 'configuration') {
      this.isPaused = true;
      this.clearTimer();
      this.report({ ...problem, paused: true });
      return;
    }
    // 429, 5xx, network, timeout, an unreadable answer, anything unexpected: the whole loop waits.
    const retryAfter = isApiError(error) ? error.retryAfterMs : undefined;
    const wait = retryAfter !== undefined
      ? Math.min(RETRY_AFTER_MAX_MS, Math.max(1_000, retryAfter))
      : Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (this.failures - 1)) * this.scale;
    this.backoffUntil = now + wait;
    this.options.log?.(`status check failed: ${kind} (${this.failures} in a row); next try in ${Math.round(wait / 1000)} s`);
    if (now - this.failingSince >= LASTING_PROBLEM_MS * this.scale || wait >= LASTING_PROBLEM_MS * this.scale) {
      this.report({ ...problem, paused: false });
    }
  }

  private report(problem: PollerProblem): void {
    if (this.problemReported) return;
    this.problemReported = true;
    this.options.log?.(`status check problem reported: ${problem.kind}${problem.paused ? ' (checks paused)' : ''}`);
    this.safely('onProblem', () => this.options.onProblem?.(problem));
  }

  /**
   * The finish lies between the last unfinished check (or the submit, when the first check already saw it
   * finished) and now: learn its middle, if that is narrow. Skipping finishes seen at the first check would
   * leave the quickest ones out and bias what is learned toward long durations.
   */
  private learn(task: TrackedTask, watch: Watch): void {
    const now = task.finishedAt ?? this.clock.now();
    const before = watch.lastUnfinishedAt ?? task.submittedAt;
    if (before === undefined || now - before > LEARN_WITHIN_MS * this.scale || task.submittedAt === undefined) return;
    this.learned.observe(task.request, ((before + now) / 2 - task.submittedAt) / this.scale);
    this.safely('onLearned', () => this.options.onLearned?.());
  }

  private hook(what: string, task: TrackedTask, call: () => void | Promise<void>): void {
    this.options.log?.(`${taskLogLine(task)}: ${what}`);
    this.safely(what, call);
  }

  /** Hooks belong to other layers: their failures (thrown or rejected) are logged and never stop the loop. */
  private safely(name: string, call: () => void | Promise<void>): void {
    try {
      Promise.resolve(call()).catch((error: unknown) => this.options.log?.(`${name} failed: ${messageOf(error)}`));
    } catch (error) {
      this.options.log?.(`${name} failed: ${messageOf(error)}`);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
