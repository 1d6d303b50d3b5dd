// SKELETON (implementation in progress): the API below is the agreed shape.
import type { VideoTask } from './api/types';
import type { ApiErrorKind } from './api/errors';
import type { Clock } from './clock';
import type { Disposable } from './events';
import type { TaskRequest, TrackedTask } from './tasks/task';
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
}

export interface PollerOptions {
  readonly store: TaskStore;
  readonly getVideo: GetVideo;
  readonly clock?: Clock;
  /** Random source in [0,1) for jitter; injectable for deterministic tests. */
  readonly random?: () => number;
  /** Called once when a task reaches succeeded (the extension downloads there). Not awaited; errors are logged. */
  readonly onSucceeded?: (task: TrackedTask) => void | Promise<void>;
  /** Called once when a task reaches failed (from the service, task_not_exist, or a missing video URL). */
  readonly onFailed?: (task: TrackedTask) => void;
  /** Called when a task is marked stalled. */
  readonly onStalled?: (task: TrackedTask) => void;
  /** A repeated error (or any auth/configuration error), reported once until polling recovers. */
  readonly onProblem?: (problem: PollerProblem) => void;
  /** Polling works again after a reported problem. */
  readonly onRecovered?: () => void;
  /** Log lines (no URLs, no keys, no prompts). */
  readonly log?: (line: string) => void;
  /** Mark a task stalled when it has not finished this long after submit / keepWaiting. Default 30 min. */
  readonly stallAfterMs?: number;
  /** First check after submit. Default 4 s (catches immediate rejections early). */
  readonly firstPollDelayMs?: number;
  /** Cadence bounds when we know nothing useful (the service's guidance, 10-20 s). */
  readonly minIntervalMs?: number;
  readonly maxIntervalMs?: number;
  /** Longest gap while the task is confidently far from its expected finish. */
  readonly sparseIntervalMs?: number;
  /** Shortest gap, used around the expected finish. */
  readonly denseIntervalMs?: number;
  /** Longest wait after repeated 429/5xx/network errors. */
  readonly maxBackoffMs?: number;
  /** Expected duration model; defaults to a DurationEstimator with the built-in prior. */
  readonly estimator?: DurationEstimatorLike;
}

/** What the poller needs from a duration model (see durationEstimate.ts). */
export interface DurationEstimatorLike {
  /** Expected time from submit to finish, and how uncertain that is (ms, one-sided half-width). */
  estimate(request: TaskRequest): { expectedMs: number; spreadMs: number };
  /** Learn from a finished task: it finished somewhere in [earliestMs, latestMs] after submit. */
  observe(request: TaskRequest, earliestMs: number, latestMs: number): void;
}

/** Counters for benchmarks and diagnostics. */
export interface PollerCounters {
  /** getVideo calls started. */
  readonly requests: number;
  /** getVideo calls that threw. */
  readonly failedRequests: number;
  /** Timer wake-ups of the loop. */
  readonly wakeUps: number;
  /** Most requests ever in flight at once (must stay 1). */
  readonly maxConcurrent: number;
}

/**
 * One self-rescheduling setTimeout loop for all active tasks (never setInterval): one request at a time,
 * next check scheduled after the last finished, adaptive cadence, backoff, quiet when idle.
 */
export class TaskPoller implements Disposable {
  constructor(private readonly options: PollerOptions) {}
  /** Starts watching the store and schedules every pollable task (also tasks loaded after a reload). */
  start(): void { void this.options; throw new Error('not implemented yet'); }
  /** Check soon: new task, window focus, or "refresh". Cheap to call often. */
  poke(): void { throw new Error('not implemented yet'); }
  /** Resume a stalled task: it is polled again and gets a fresh deadline. Returns false if not stalled. */
  keepWaiting(_localId: string): boolean { throw new Error('not implemented yet'); }
  /** Lift an auth/configuration pause (after the key or settings changed). */
  resume(): void { throw new Error('not implemented yet'); }
  /** True while paused by an auth or configuration error. */
  get paused(): boolean { return false; }
  /** True when no timer is pending and no request in flight. */
  get idle(): boolean { return true; }
  /** When the loop next wakes (epoch ms), or undefined when idle. */
  get nextWakeAt(): number | undefined { return undefined; }
  get counters(): PollerCounters { return { requests: 0, failedRequests: 0, wakeUps: 0, maxConcurrent: 0 }; }
  /** Stops the loop: clears the timer, aborts the in-flight request, stops listening. */
  dispose(): void { /* */ }
}
