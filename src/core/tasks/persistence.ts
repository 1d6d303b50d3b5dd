// Saves the task list in a Memento (VS Code's workspaceState satisfies MementoLike structurally) inside a
// versioned envelope, and loads it back tolerantly: whatever parses is kept, nothing throws on load.
//
// Why the signed video URL is persisted: workspaceState lives in VS Code's per-profile storage outside the
// workspace folder (not in the repository, not synced by Settings Sync), the same trust level as the
// downloaded video itself. Persisting it lets a video that finished while the window was closing be
// downloaded after a reload without depending on how long CometAPI keeps task ids. It is dropped on load once
// it is surely expired (VIDEO_URL_RETENTION_MS after the task finished) and never logged or exported.

import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Disposable } from '../events';
import { fieldsOf } from '../generationRequest';
import { isSettled, type StoredEnvelopeV1, type StoredTaskV1, type TrackedTask } from './task';
import { deferTasks, looksSettled, NOTHING_DEFERRED, type DeferredTasks } from './settledTasks';
import { isRecord, parseTask } from './storedTask';
import type { TaskStore } from './taskStore';

/** The workspaceState key the envelope is stored under. */
export const TASKS_STATE_KEY = 'seedanceStudio.tasks';

/** Version written by this build. Bump it together with a MIGRATIONS entry from the previous version. */
export const CURRENT_STORE_VERSION = 1;

/** The most tasks kept in workspace state: the oldest settled ones are dropped on save, never an unsettled one. */
export const MAX_STORED_TASKS = 200;

/** Signed URLs are assumed dead this long after the task finished (the vendor's TOS links last 24 h). */
export const VIDEO_URL_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The part of vscode.Memento we use; PromiseLike because VS Code returns a Thenable. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** Turns the task array of version N into the task array of version N + 1. Must not throw on odd input. */
export type Migration = (tasks: readonly unknown[]) => unknown[];

/** Migrations keyed by the version they migrate FROM. Empty while only version 1 exists. */
export const MIGRATIONS: ReadonlyMap<number, Migration> = new Map();

export interface LoadedTasks {
  /** Tasks that parsed, newest first as stored, repaired for a fresh session (see repairAfterReload). */
  readonly tasks: TrackedTask[];
  /** How many stored entries were unreadable and skipped. */
  readonly skipped: number;
  /** The version found in storage (undefined when nothing or garbage was stored). */
  readonly storedVersion?: number;
  /** What went wrong, for the log (never contains URLs or prompts). */
  readonly problems: string[];
  /** With `deferSettled`: the settled entries, parsed on first use (see settledTasks.ts). Else empty. */
  readonly settled: DeferredTasks;
}

export interface ParseOptions {
  /** Current time, for dropping expired URLs. */
  readonly now?: number;
  readonly migrations?: ReadonlyMap<number, Migration>;
  /** Put entries that say they are settled aside in `settled` instead of parsing them now (activation). */
  readonly deferSettled?: boolean;
}

/** Reads and parses the stored envelope. Never throws. */
export function loadTasks(memento: MementoLike, options: ParseOptions & { key?: string } = {}): LoadedTasks {
  let raw: unknown;
  try {
    raw = memento.get<unknown>(options.key ?? TASKS_STATE_KEY);
  } catch (error) {
    return { tasks: [], skipped: 0, problems: [`Could not read stored tasks: ${String(error)}`], settled: NOTHING_DEFERRED };
  }
  return parseStoredTasks(raw, options);
}

/** Parses whatever was stored (any shape) into tasks. Never throws. */
export function parseStoredTasks(raw: unknown, options: ParseOptions = {}): LoadedTasks {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { tasks: [], skipped: 0, problems, settled: NOTHING_DEFERRED };
  const now = options.now ?? Date.now();
  const migrations = options.migrations ?? MIGRATIONS;

  let version: number;
  let entries: unknown[];
  if (Array.isArray(raw)) {
    // No envelope at all: treat as the current version and keep what parses.
    problems.push('Stored tasks had no version envelope; reading them as version 1.');
    version = CURRENT_STORE_VERSION;
    entries = raw;
  } else if (isRecord(raw) && Array.isArray(raw.tasks)) {
    version = typeof raw.version === 'number' && Number.isInteger(raw.version) ? raw.version : CURRENT_STORE_VERSION;
    entries = raw.tasks;
  } else {
    return { tasks: [], skipped: 0, problems: ['Stored tasks were not readable; starting with an empty list.'], settled: NOTHING_DEFERRED };
  }
  const storedVersion = version;

  while (version < CURRENT_STORE_VERSION) {
    const migrate = migrations.get(version);
    if (!migrate) {
      problems.push(`No migration from stored task version ${version}; keeping what parses.`);
      break;
    }
    try {
      entries = migrate(entries);
      version++;
    } catch (error) {
      problems.push(`Migration from version ${version} failed (${String(error)}); keeping what parses.`);
      break;
    }
  }
  if (version > CURRENT_STORE_VERSION) {
    // Written by a newer build (the person downgraded): fields we do not know are lost on the next save,
    // but tasks we can read are kept rather than thrown away.
    problems.push(`Stored tasks are version ${version}, newer than this build (${CURRENT_STORE_VERSION}); keeping what parses.`);
  }

  const tasks: TrackedTask[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  const later: unknown[] = [];
  for (const entry of entries) {
    if (options.deferSettled && looksSettled(entry)) {
      later.push(entry);
      continue;
    }
    const task = parseTask(entry);
    if (!task || seen.has(task.localId)) {
      skipped++;
      continue;
    }
    seen.add(task.localId);
    tasks.push(repairAfterReload(task, now));
  }
  if (skipped > 0) problems.push(`${skipped} stored task(s) were unreadable and skipped.`);
  const settled = deferTasks(later, (entry) => {
    const task = parseTask(entry);
    return task && repairAfterReload(task, options.now ?? Date.now());
  });
  return { tasks, skipped, storedVersion, problems, settled };
}

/**
 * The envelope for the given tasks: every task that is not settled (see isSettled: still running or
 * uncertain, or finished with its video not saved yet), however many, then the newest settled ones (failed,
 * or saved) up to MAX_STORED_TASKS in all. Dropping an unsettled entry would forget a billed video, or one
 * the person has not got yet.
 */
export function toStoredEnvelope(tasks: readonly TrackedTask[], maxTasks = MAX_STORED_TASKS): StoredEnvelopeV1 {
  const newestFirst = [...tasks].sort((a, b) => b.createdAt - a.createdAt);
  const mustKeep = (t: TrackedTask) => !isSettled(t);
  let room = Math.max(0, maxTasks - newestFirst.filter(mustKeep).length);
  const kept = newestFirst.filter((t) => mustKeep(t) || room-- > 0);
  return { version: 1, tasks: kept.map(toStoredTask) };
}

function toStoredTask(task: TrackedTask): StoredTaskV1 {
  // Explicit field list: a new domain field is not persisted by accident (it needs a version decision). The
  // request's generation fields are the exception: they are the request, and StoredTaskV1 declares them as such.
  const stored: StoredTaskV1 = {
    localId: task.localId,
    remoteId: task.remoteId,
    status: task.status,
    progress: task.progress,
    request: {
      ...fieldsOf(task.request),
      inputReference: task.request.inputReference
        ? { path: task.request.inputReference.path, name: task.request.inputReference.name }
        : undefined,
      storyboard: task.request.storyboard ? { file: task.request.storyboard.file, shotId: task.request.storyboard.shotId } : undefined,
      moreReferences: task.request.moreReferences?.map((r) => ({ path: r.path, name: r.name })),
    },
    createdAt: task.createdAt,
    submittedAt: task.submittedAt,
    finishedAt: task.finishedAt,
    lastPolledAt: task.lastPolledAt,
    waitingSince: task.waitingSince,
    failure: task.failure ? { kind: task.failure.kind, code: task.failure.code, message: task.failure.message } : undefined,
    videoUrl: task.videoUrl,
    download: {
      state: task.download.state, bytes: task.download.bytes, total: task.download.total, error: task.download.error,
      target: task.download.target, interrupted: task.download.interrupted,
    },
    file: task.file,
    metadataFile: task.metadataFile,
    startedBy: task.startedBy,
  };
  return JSON.parse(JSON.stringify(stored)) as StoredTaskV1; // drops undefined keys
}

/**
 * Fixes states that cannot survive a reload:
 * - submitting -> uncertain: the create request may have reached the service when the window closed.
 * - downloading -> download failed, marked `interrupted` with its target kept: the extension deletes the
 *   temporary file the cut-off download left and starts it again (downloads cost nothing).
 * - a signed URL older than VIDEO_URL_RETENTION_MS after finishing is dropped.
 */
export function repairAfterReload(task: TrackedTask, now: number): TrackedTask {
  let out = task;
  if (out.status === 'submitting') {
    out = {
      ...out,
      status: 'uncertain',
      failure: {
        kind: 'interrupted',
        message: 'VS Code closed while this request was being sent; it may or may not have reached CometAPI.',
      },
    };
  }
  if (out.download.state === 'downloading') {
    out = {
      ...out,
      download: {
        state: 'failed', bytes: out.download.bytes, total: out.download.total, error: 'The download was interrupted when VS Code closed.',
        target: out.download.target, interrupted: true,
      },
    };
  }
  if (out.videoUrl !== undefined && out.finishedAt !== undefined && now - out.finishedAt > VIDEO_URL_RETENTION_MS) {
    const { videoUrl: _expired, ...rest } = out;
    out = rest;
  }
  return out;
}

export interface TaskPersistenceOptions {
  readonly key?: string;
  readonly clock?: Clock;
  /** Quiet period before a routine save (default 1000 ms). */
  readonly debounceMs?: number;
  readonly maxTasks?: number;
  /** A failed write (storage error); persistence keeps going and retries on the next change. */
  readonly onError?: (error: unknown) => void;
  /** Service ids already in storage that the store has not loaded yet (LoadedTasks.settled.remoteIds). */
  readonly storedRemoteIds?: readonly string[];
}

/**
 * Keeps the Memento in step with a TaskStore: a debounced save after every change, an immediate save when a
 * task first gets its service id (losing that id would orphan a billed task), and a final save on dispose.
 * Writes never overlap, and an unchanged list is not written again.
 */
export class TaskPersistence implements Disposable {
  private readonly key: string;
  private readonly clock: Clock;
  private readonly debounceMs: number;
  private readonly maxTasks: number;
  private readonly subscription: Disposable;
  private timer: unknown;
  private lastWritten: string | undefined;
  private savedRemoteIds = new Set<string>();
  private writing: Promise<void> | undefined;
  private again = false;
  private disposed = false;
  private writeCount = 0;

  constructor(
    private readonly store: TaskStore,
    private readonly memento: MementoLike,
    private readonly options: TaskPersistenceOptions = {},
  ) {
    this.key = options.key ?? TASKS_STATE_KEY;
    this.clock = options.clock ?? systemClock;
    this.debounceMs = options.debounceMs ?? 1000;
    this.maxTasks = options.maxTasks ?? MAX_STORED_TASKS;
    // listUnsettled(), not list(): the settled tasks stay unparsed until needed; their ids come separately.
    for (const task of store.listUnsettled()) if (task.remoteId) this.savedRemoteIds.add(task.remoteId);
    for (const id of options.storedRemoteIds ?? []) this.savedRemoteIds.add(id);
    this.subscription = store.onDidChange((ids) => this.onStoreChange(ids));
  }

  /** How many times the Memento was written (for tests and the benchmark). */
  get writes(): number {
    return this.writeCount;
  }

  /** Writes the current list now (if it differs from the last write) and resolves when stored. Never rejects. */
  flush(): Promise<void> {
    this.cancelTimer();
    if (this.writing) {
      this.again = true;
      return this.writing;
    }
    this.writing = this.writeLoop().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  /** Stops listening and writes one last time (await flush() first where the caller can wait). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    void this.flush();
  }

  private onStoreChange(ids: readonly string[]): void {
    if (this.disposed) return;
    const firstId = ids.some((id) => {
      const remoteId = this.store.get(id)?.remoteId;
      return remoteId !== undefined && !this.savedRemoteIds.has(remoteId);
    });
    if (firstId) {
      void this.flush();
      return;
    }
    if (this.timer === undefined) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.debounceMs);
    }
  }

  private async writeLoop(): Promise<void> {
    do {
      this.again = false;
      const tasks = this.store.list();
      const envelope = toStoredEnvelope(tasks, this.maxTasks);
      const text = JSON.stringify(envelope);
      if (text === this.lastWritten) continue;
      try {
        await this.memento.update(this.key, envelope);
        this.writeCount++;
        this.lastWritten = text;
        for (const task of tasks) if (task.remoteId) this.savedRemoteIds.add(task.remoteId);
      } catch (error) {
        this.options.onError?.(error);
      }
    } while (this.again);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
