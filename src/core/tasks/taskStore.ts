// The single source of truth for tracked tasks. Views are projections of it: they listen to onDidChange and
// refresh only the ids it names. It emits only on real change and coalesces bursts (the poller may update
// several tasks in one pass) into one event per tick, so the tree never flickers for nothing.

import { Emitter, type Disposable, type Event } from '../events';
import { isRunning, isSettled, type TrackedTask } from './task';

/** A partial update. Set an optional field to `undefined` to remove it. `localId` cannot change. */
export type TaskPatch = Partial<Omit<TrackedTask, 'localId'>>;

/** Either a patch or a function from the current task to the next one. */
export type TaskUpdate = TaskPatch | ((current: TrackedTask) => TrackedTask);

export interface TaskStoreOptions {
  /** Tasks to start with (e.g. loaded from persistence); no event is fired for them. */
  readonly initial?: readonly TrackedTask[];
  /** How the coalesced event is deferred; defaults to queueMicrotask (one event per tick). */
  readonly schedule?: (flush: () => void) => void;
  /** Where an error thrown by a listener goes (it never reaches the code that changed the store). */
  readonly onListenerError?: (error: unknown) => void;
  /**
   * Settled tasks restored from storage but not parsed yet: called once, the first time something needs
   * every task (list, size, a lookup of an id not loaded yet); they join without an event (they were there
   * all along). Must not throw. Ids already present win.
   */
  readonly deferred?: () => readonly TrackedTask[];
}

/**
 * Fields whose change alone is not worth an event: lastPolledAt moves on every poll and nobody displays it
 * live; emitting for it would refresh the tree every 10 s for nothing. It is still stored.
 */
const QUIET_FIELDS: ReadonlySet<string> = new Set(['lastPolledAt']);

export class TaskStore implements Disposable {
  private readonly tasks = new Map<string, TrackedTask>();
  /** Insertion order, used to break createdAt ties so list() is stable. */
  private readonly order = new Map<string, number>();
  private seq = 0;
  private readonly emitter: Emitter<readonly string[]>;
  private pending = new Set<string>();
  private flushScheduled = false;
  private disposed = false;
  private readonly schedule: (flush: () => void) => void;
  private deferred: (() => readonly TrackedTask[]) | undefined;

  /** Fires with the local ids that were added, changed or removed since the last event (at most once per tick). */
  readonly onDidChange: Event<readonly string[]>;

  constructor(options: TaskStoreOptions = {}) {
    this.emitter = new Emitter<readonly string[]>(options.onListenerError);
    this.onDidChange = this.emitter.event;
    this.schedule = options.schedule ?? ((flush) => queueMicrotask(flush));
    for (const task of options.initial ?? []) {
      if (!this.tasks.has(task.localId)) this.insert(normalize(task));
    }
    this.deferred = options.deferred;
  }

  /** Whether restored settled tasks are still waiting to be parsed (nothing has needed them yet). */
  get hasDeferred(): boolean {
    return this.deferred !== undefined;
  }

  /**
   * Adds a new task. Throws if the local id is already present (ids are generated, so that is a bug); the
   * check does not load deferred tasks (random ids do not collide; if one did, the new task would win).
   */
  add(task: TrackedTask): void {
    if (this.tasks.has(task.localId)) throw new Error(`Task ${task.localId} is already tracked.`);
    this.insert(normalize(task));
    this.changed(task.localId);
  }

  /**
   * Applies an update and returns the task as stored afterwards (undefined if the id is unknown). Fires
   * onDidChange only when something other than lastPolledAt really changed (deep comparison).
   */
  update(localId: string, change: TaskUpdate): TrackedTask | undefined {
    const current = this.get(localId);
    if (!current) return undefined;
    const proposed = typeof change === 'function' ? change(current) : { ...current, ...change };
    const next = normalize({ ...proposed, localId });
    if (deepEqual(current, next)) return current;
    this.tasks.set(localId, next);
    if (!deepEqual(current, next, QUIET_FIELDS)) this.changed(localId);
    return next;
  }

  /** Removes a task; returns whether it was there. */
  remove(localId: string): boolean {
    if (!this.tasks.has(localId)) this.loadDeferred();
    if (!this.tasks.delete(localId)) return false;
    this.order.delete(localId);
    this.changed(localId);
    return true;
  }

  get(localId: string): TrackedTask | undefined {
    const task = this.tasks.get(localId);
    if (task || !this.deferred) return task;
    this.loadDeferred();
    return this.tasks.get(localId);
  }

  /** The task with this service id, if tracked. */
  findByRemoteId(remoteId: string): TrackedTask | undefined {
    for (const task of this.tasks.values()) if (task.remoteId === remoteId) return task;
    if (!this.deferred) return undefined;
    this.loadDeferred();
    return this.findByRemoteId(remoteId);
  }

  /** All tasks, newest first (createdAt, then insertion order). */
  list(): TrackedTask[] {
    this.loadDeferred();
    return this.sorted([...this.tasks.values()]);
  }

  /**
   * The tasks that are not settled (see isSettled), newest first: what the poller, the download resumer and
   * the running counts need. Never loads the deferred tasks (they are all settled).
   */
  listUnsettled(): TrackedTask[] {
    const out: TrackedTask[] = [];
    for (const task of this.tasks.values()) if (!isSettled(task)) out.push(task);
    return this.sorted(out);
  }

  get size(): number {
    this.loadDeferred();
    return this.tasks.size;
  }

  /** How many tasks are running (see isRunning): the status bar's and the view badge's number. */
  get runningCount(): number {
    let n = 0;
    // The deferred tasks are all settled, so none of them is running: counted without loading them.
    for (const task of this.tasks.values()) if (isRunning(task)) n++;
    return n;
  }

  /** Fires the pending coalesced event now (if any). Mainly for tests and shutdown. */
  flushEvents(): void {
    this.flushScheduled = false;
    if (this.pending.size === 0 || this.disposed) return;
    const ids = [...this.pending];
    this.pending = new Set();
    this.emitter.fire(ids);
  }

  dispose(): void {
    this.disposed = true;
    this.pending.clear();
    this.emitter.dispose();
  }

  private sorted(tasks: TrackedTask[]): TrackedTask[] {
    return tasks.sort((a, b) => b.createdAt - a.createdAt || (this.order.get(b.localId) ?? 0) - (this.order.get(a.localId) ?? 0));
  }

  private loadDeferred(): void {
    const load = this.deferred;
    if (!load) return;
    this.deferred = undefined;
    for (const task of load()) if (!this.tasks.has(task.localId)) this.insert(normalize(task));
  }

  private insert(task: TrackedTask): void {
    this.tasks.set(task.localId, task);
    this.order.set(task.localId, this.seq++);
  }

  private changed(localId: string): void {
    if (this.disposed) return;
    this.pending.add(localId);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.schedule(() => this.flushEvents());
    }
  }
}

/** Drops undefined-valued properties (so `{a: undefined}` equals `{}`) and freezes the top level. */
function normalize(task: TrackedTask): TrackedTask {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(task)) if (value !== undefined) out[key] = value;
  return Object.freeze(out) as unknown as TrackedTask;
}

/** Structural equality over JSON-like values; `ignore` names top-level keys to skip. */
export function deepEqual(a: unknown, b: unknown, ignore?: ReadonlySet<string>): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) {
    if (ignore?.has(key)) continue;
    const va = ra[key];
    const vb = rb[key];
    if (va === undefined && vb === undefined) continue;
    if (!deepEqual(va, vb)) return false;
  }
  return true;
}
