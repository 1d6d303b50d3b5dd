// Tasks and their lifecycle (CONTRACT 4.1, 12 "Task lifecycle"). A task's state is computed from the time
// elapsed since it was created, so nothing runs in the background and close() has no timers to chase.
// Tests can override a state at any time (POST /__sim/tasks/{id}/state).

import { performance } from 'node:perf_hooks';
import type { AspectRatio } from '../../src/core/catalog';
import { newArkRequestId, randomAlnum, TEXT } from './errors';
import type { ResolutionClass } from './models';
import type { ProgressMode } from './options';

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
  outcome: Outcome;
  override?: { phase: Phase | 'stuck'; progress?: number; atMs: number; error?: TaskError };
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
}

/** Realistic total render time in seconds (the docs' "1 to 3 minutes depending on model, duration, size"). */
export function renderSeconds(model: string, seconds: number, resolution: ResolutionClass): number {
  const modelFactor = model.endsWith('-mini') ? 0.65 : model.endsWith('-fast') ? 0.7 : model.includes('1-0') ? 0.8 : model.includes('1-5') ? 0.9 : 1;
  const resFactor = { '480p': 0.7, '720p': 1, '1080p': 1.4, '4K': 2 }[resolution];
  const raw = 75 * modelFactor * resFactor * Math.pow(seconds / 5, 0.6);
  return Math.min(180, Math.max(60, raw));
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

  create(input: NewTask, timeScale: number): Task {
    const { outcome, slow } = outcomeFromPrompt(input.prompt);
    const totalMs = renderSeconds(input.model, input.seconds, input.resolution) * 1000 * timeScale * (slow ? 10 : 1);
    let id: string;
    do id = `task_${randomAlnum(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
    while (this.byId.has(id));
    const arkId = newArkRequestId();
    const task: Task = {
      ...input,
      id,
      createdAtMs: Date.now(),
      createdMono: performance.now(),
      queueMs: totalMs * 0.2,
      runMs: totalMs * 0.8,
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
  const coarse = mode === 'coarse';
  const o = task.override;
  if (o) {
    const phase: Phase = o.phase === 'stuck' ? 'running' : o.phase;
    const terminal = phase === 'succeeded' || phase === 'failed' || phase === 'error';
    const fallback = phase === 'queued' ? (coarse ? 10 : 0) : phase === 'running' ? (coarse ? 50 : task.reported) : phase === 'succeeded' || coarse ? 100 : task.reported;
    return {
      phase,
      progress: o.progress ?? fallback,
      completedAtMs: terminal ? o.atMs : undefined,
      error: phase === 'failed' || phase === 'error' ? (o.error ?? task.failure) : undefined,
    };
  }
  const elapsed = now - task.createdMono;
  if (elapsed < task.queueMs) return { phase: 'queued', progress: coarse ? 10 : 0 };
  const runFraction = (elapsed - task.queueMs) / Math.max(1, task.runMs);
  const smooth = (f: number) => Math.min(99, 1 + Math.floor(98 * Math.min(1, f)));
  switch (task.outcome) {
    case 'stuck':
      // Upstream "expired"/"cancelled" mapped to in-progress: it never ends.
      return { phase: 'running', progress: coarse ? 50 : smooth(runFraction) };
    case 'success':
      if (runFraction < 1) return { phase: 'running', progress: coarse ? 50 : smooth(runFraction) };
      return { phase: 'succeeded', progress: 100, completedAtMs: task.createdAtMs + task.queueMs + task.runMs };
    default: {
      const at = FAIL_AT[task.outcome];
      if (runFraction < at) return { phase: 'running', progress: coarse ? 50 : smooth(runFraction) };
      return {
        phase: task.outcome === 'fail' ? 'failed' : 'error',
        // new-api reports 100 for any finished upstream task; smooth mode freezes where it stopped.
        progress: coarse ? 100 : smooth(at),
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
  };
}

/** A test's instruction to move a task (POST /__sim/tasks/{id}/state). Either vocabulary is accepted. */
export interface TaskStateChange {
  /** queued|submitted, in_progress|running, completed|success|succeeded, failed, error, or stuck. */
  status: string;
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

/** Validates a state change (throws with a readable reason) and applies it. */
export function applyStateChange(task: Task, change: unknown): void {
  if (typeof change !== 'object' || change === null) throw new Error('state change must be a JSON object');
  const { status, progress, error } = change as Record<string, unknown>;
  const phase = typeof status === 'string' ? STATUS_ALIASES[status.toLowerCase()] : undefined;
  if (!phase) throw new Error(`unknown status ${JSON.stringify(status)}; use one of ${Object.keys(STATUS_ALIASES).join(', ')}`);
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
    error: e ? { code: String(e.code ?? ''), message: e.message } : undefined,
  };
  // A re-finished task gets a URL signed at its new completion time.
  task.storedUrl = undefined;
}
