// Tasks and their lifecycle (CONTRACT 4.1, 12 "Task lifecycle"). A task's state is computed from the time
// elapsed since it was created, so nothing runs in the background and close() has no timers to chase.
// How long each phase lasts is decided at creation (timing.ts). Tests can override a state at any time
// (POST /__sim/tasks/{id}/state), including a status word outside both documented vocabularies.

import { performance } from 'node:perf_hooks';
import { newArkRequestId, randomAlnum, TEXT } from './errors';
import type { AspectRatio, ResolutionClass } from './models';
import type { ProgressMode } from './options';
import { finalProgress, progressAt, type TimingPlan } from './timing';

/** The median render time (bench/poller-requests.ts reads it from here). */
export { renderSeconds } from './timing';

/** Profile-neutral phases; the presenter maps them to SUBMITTED/queued and so on. */
export type Phase = 'queued' | 'running' | 'succeeded' | 'failed' | 'error';
export type Outcome = 'success' | 'fail' | 'error' | 'stuck';

export interface TaskError {
  code: string;
  message: string;
}

export interface Task {
  readonly id: string;
  /** The API key that created it: the "account" that may see it. */
  readonly owner: string;
  readonly model: string;
  readonly prompt: string;
  readonly seconds: number;
  readonly ratio: AspectRatio;
  readonly resolution: ResolutionClass;
  readonly width: number;
  readonly height: number;
  readonly referenceImages: number;
  /** Unix ms (wall clock) for created_at / completed_at. */
  readonly createdAtMs: number;
  /** Monotonic ms, for elapsed time (immune to wall-clock jumps). */
  readonly createdMono: number;
  readonly queueMs: number;
  readonly runMs: number;
  /** Polls before this (monotonic ms) get task_not_exist: the replication lag right after create. */
  readonly visibleFromMono: number;
  outcome: Outcome;
  /** A test's forced state. `error: null` means a failure reported without any reason. */
  override?: { phase: Phase | 'stuck'; progress?: number; atMs: number; error?: TaskError | null; wireStatus?: string };
  /** Highest progress reported so far: progress never goes down (unless a test sets it). */
  reported: number;
  /** new-api keeps the URL it stored at completion; set on first look after success ('newapi' mode). */
  storedUrl?: string;
  /** Failure detail decided at creation, so repeated polls agree. */
  readonly failure: TaskError;
}

export interface TaskState {
  phase: Phase;
  progress: number;
  /** Unix ms when it reached a terminal phase; undefined while not terminal. */
  completedAtMs?: number;
  error?: TaskError;
  /** A status word a test forced, sent verbatim instead of the profile's word for the phase. */
  wireStatus?: string;
}

/** What a test sees of a task (GET /__sim/tasks, Simulator.tasks()). */
export interface TaskView {
  id: string;
  owner: string;
  model: string;
  prompt: string;
  seconds: number;
  ratio: AspectRatio;
  resolution: ResolutionClass;
  width: number;
  height: number;
  referenceImages: number;
  outcome: Outcome;
  phase: Phase;
  progress: number;
  createdAt: number;
  completedAt: number | null;
  /** Planned time in the queue and rendering, real ms (after timeScale): what timing.ts drew for it. */
  queueMs: number;
  runMs: number;
  /** Present when a test forced a status word (sent verbatim). */
  wireStatus?: string;
}

/** Tags in the prompt that script a task's fate, so tests are deterministic. */
export function outcomeFromPrompt(prompt: string): { outcome: Outcome; slow: boolean } {
  const p = prompt.toLowerCase();
  const outcome: Outcome = p.includes('[sim:fail]') ? 'fail' : p.includes('[sim:error]') ? 'error' : p.includes('[sim:stuck]') ? 'stuck' : 'success';
  return { outcome, slow: p.includes('[sim:slow]') };
}

// Where in its run a failing task gives up: a content check fails early, an internal error later.
const FAIL_AT = { fail: 0.5, error: 0.7 } as const;

export interface NewTask {
  owner: string;
  model: string;
  prompt: string;
  seconds: number;
  ratio: AspectRatio;
  resolution: ResolutionClass;
  width: number;
  height: number;
  referenceImages: number;
}

export class TaskStore {
  private readonly byId = new Map<string, Task>();

  /** `plan` is how long it queues and runs; `lagMs` how long polls still miss it. */
  create(input: NewTask, plan: TimingPlan, lagMs: number): Task {
    const { outcome } = outcomeFromPrompt(input.prompt);
    let id: string;
    do id = `task_${randomAlnum(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
    while (this.byId.has(id));
    const arkId = newArkRequestId();
    const task: Task = {
      ...input,
      id,
      createdAtMs: Date.now(),
      createdMono: performance.now(),
      queueMs: plan.queueMs,
      runMs: plan.runMs,
      visibleFromMono: performance.now() + lagMs,
      outcome,
      reported: 0,
      failure:
        outcome === 'error'
          ? { code: 'InternalServiceError', message: `${TEXT.internalError} Request id: ${arkId}` }
          : { code: 'InputTextSensitiveContentDetected', message: `${TEXT.sensitiveText} Request id: ${arkId}` },
    };
    this.byId.set(id, task);
    return task;
  }

  /** The task if `owner` may see it (another account's id is as unknown as a made-up one). */
  get(id: string, owner?: string): Task | undefined {
    const t = this.byId.get(id);
    return t && (owner === undefined || t.owner === owner) ? t : undefined;
  }

  all(): Task[] {
    return [...this.byId.values()];
  }

  clear(): void {
    this.byId.clear();
  }
}

/** The task's state now. Advances `reported` so progress is monotonic across polls. */
export function stateOf(task: Task, mode: ProgressMode, nowMono = performance.now()): TaskState {
  const state = rawState(task, mode, nowMono);
  if (task.override?.progress !== undefined) {
    task.reported = state.progress;
  } else {
    state.progress = Math.max(state.progress, task.reported);
    task.reported = state.progress;
  }
  return state;
}

function rawState(task: Task, mode: ProgressMode, now: number): TaskState {
  const o = task.override;
  if (o) {
    const phase: Phase = o.phase === 'stuck' ? 'running' : o.phase;
    const terminal = phase === 'succeeded' || phase === 'failed' || phase === 'error';
    const fallback =
      phase === 'queued' ? progressAt(mode, 'queued', 0)
      : phase === 'running' ? (mode === 'coarse' ? 50 : task.reported)
      : phase === 'succeeded' ? 100
      : mode === 'coarse' ? 100 : task.reported;
    return {
      phase,
      progress: o.progress ?? fallback,
      completedAtMs: terminal ? o.atMs : undefined,
      error: phase === 'failed' || phase === 'error' ? (o.error === null ? undefined : (o.error ?? task.failure)) : undefined,
      wireStatus: o.wireStatus,
    };
  }
  const elapsed = now - task.createdMono;
  if (elapsed < task.queueMs) return { phase: 'queued', progress: progressAt(mode, 'queued', 0) };
  const runFraction = (elapsed - task.queueMs) / Math.max(1, task.runMs);
  const running = (f: number): TaskState => ({ phase: 'running', progress: progressAt(mode, 'running', f) });
  switch (task.outcome) {
    case 'stuck':
      // Upstream "expired"/"cancelled" mapped to in-progress: it never ends.
      return running(Math.min(runFraction, 0.99));
    case 'success':
      if (runFraction < 1) return running(runFraction);
      return { phase: 'succeeded', progress: 100, completedAtMs: task.createdAtMs + task.queueMs + task.runMs };
    default: {
      const at = FAIL_AT[task.outcome];
      if (runFraction < at) return running(runFraction);
      return {
        phase: task.outcome === 'fail' ? 'failed' : 'error',
        // new-api reports 100 for any finished upstream task; the other modes freeze where it stopped.
        progress: finalProgress(mode, false, at),
        completedAtMs: task.createdAtMs + task.queueMs + task.runMs * at,
        error: task.failure,
      };
    }
  }
}

export function viewOf(task: Task, mode: ProgressMode): TaskView {
  const s = stateOf(task, mode);
  return {
    id: task.id,
    owner: task.owner,
    model: task.model,
    prompt: task.prompt,
    seconds: task.seconds,
    ratio: task.ratio,
    resolution: task.resolution,
    width: task.width,
    height: task.height,
    referenceImages: task.referenceImages,
    outcome: task.outcome,
    phase: s.phase,
    progress: s.progress,
    createdAt: Math.floor(task.createdAtMs / 1000),
    completedAt: s.completedAtMs === undefined ? null : Math.floor(s.completedAtMs / 1000),
    queueMs: Math.round(task.queueMs),
    runMs: Math.round(task.runMs),
    ...(s.wireStatus !== undefined ? { wireStatus: s.wireStatus } : {}),
  };
}

/** A test's instruction to move a task (POST /__sim/tasks/{id}/state). Either vocabulary is accepted. */
export interface TaskStateChange {
  /**
   * queued|submitted, in_progress|running, completed|success|succeeded, failed, error, or stuck. May be
   * omitted when `wireStatus` is given: the phase then follows from that word (CONTRACT 9).
   */
  status?: string;
  /**
   * Send this status word verbatim instead of the profile's word, e.g. new-api's NOT_START, QUEUED or
   * FAILURE, Ark's expired or cancelled, or a word nobody documents. The task behaves as `status` says.
   */
  wireStatus?: string;
  progress?: number;
  /** For failed/error: the reason to report instead of the default. */
  error?: TaskError;
}

const STATUS_ALIASES: Record<string, Phase | 'stuck'> = {
  submitted: 'queued',
  queued: 'queued',
  in_progress: 'running',
  running: 'running',
  success: 'succeeded',
  completed: 'succeeded',
  succeeded: 'succeeded',
  failed: 'failed',
  error: 'error',
  stuck: 'stuck',
};

// What a forced wire word means when no status is given (CONTRACT 9). Ark's expired and cancelled never
// produce a video and carry no documented reason. Any other word: a task that never ends.
const WIRE_PHASES: Record<string, Phase> = {
  not_start: 'queued',
  pending: 'queued',
  processing: 'running',
  failure: 'failed',
  expired: 'failed',
  cancelled: 'failed',
  canceled: 'failed',
};
const NO_REASON = new Set(['expired', 'cancelled', 'canceled']);

/** Validates a state change (throws with a readable reason) and applies it. */
export function applyStateChange(task: Task, change: unknown): void {
  if (typeof change !== 'object' || change === null) throw new Error('state change must be a JSON object');
  const { status, wireStatus, progress, error } = change as Record<string, unknown>;
  if (wireStatus !== undefined && (typeof wireStatus !== 'string' || wireStatus.trim() === '')) {
    throw new Error('wireStatus must be a non-empty string');
  }
  const wire = (wireStatus as string | undefined)?.toLowerCase();
  let phase: Phase | 'stuck' | undefined;
  if (status !== undefined) phase = typeof status === 'string' ? STATUS_ALIASES[status.toLowerCase()] : undefined;
  else if (wire !== undefined) phase = STATUS_ALIASES[wire] ?? WIRE_PHASES[wire] ?? 'stuck';
  if (!phase) {
    throw new Error(
      `unknown status ${JSON.stringify(status)}; use one of ${Object.keys(STATUS_ALIASES).join(', ')} (or wireStatus for any other word)`,
    );
  }
  if (progress !== undefined && !(Number.isInteger(progress) && (progress as number) >= 0 && (progress as number) <= 100)) {
    throw new Error('progress must be an integer 0-100');
  }
  if (error !== undefined && (typeof error !== 'object' || error === null || typeof (error as TaskError).message !== 'string')) {
    throw new Error('error must be {code, message}');
  }
  const e = error as TaskError | undefined;
  task.override = {
    phase,
    progress: progress as number | undefined,
    atMs: Date.now(),
    error: e ? { code: String(e.code ?? ''), message: e.message } : wire && NO_REASON.has(wire) ? null : undefined,
    wireStatus: wireStatus as string | undefined,
  };
  // A re-finished task gets a URL signed at its new completion time.
  task.storedUrl = undefined;
}
