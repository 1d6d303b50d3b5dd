// Settled tasks (failed, or succeeded with the video saved) are most of a long-used workspace's list, and
// nothing needs them at activation: the poller watches unfinished tasks only, downloads resume only for
// unsaved videos, the status bar counts running ones. So a reload keeps them as stored and parses them on
// first use (the tree asks for its children, a lookup misses, a save), which keeps activation light.
import { isRecord } from './storedTask';
import type { TrackedTask } from './task';

/** What parsing the put-aside entries gave. */
export interface LoadedSettledTasks {
  readonly tasks: TrackedTask[];
  /** Entries that turned out unreadable (or repeated an id) and were skipped. */
  readonly skipped: number;
  /** What went wrong, for the log (never contains URLs or prompts). */
  readonly problems: string[];
}

/** Stored entries put aside at load; parsed once, on the first call to load(). */
export interface DeferredTasks {
  /** How many entries were put aside (before parsing: some may turn out unreadable). */
  readonly count: number;
  /** The service ids they carry (already in storage: saving them again is not urgent). */
  readonly remoteIds: readonly string[];
  /** Parses the entries the first time, then returns the same result. Never throws. */
  load(): LoadedSettledTasks;
}

export const NOTHING_DEFERRED: DeferredTasks = Object.freeze({
  count: 0,
  remoteIds: [],
  load: () => ({ tasks: [], skipped: 0, problems: [] }),
});

/**
 * Whether a raw stored entry says it is settled: a cheap look at two fields, no validation. Whatever it
 * claims, it is validated in full later; one that says nothing clear is parsed at once like any other.
 */
export function looksSettled(entry: unknown): boolean {
  if (!isRecord(entry)) return false;
  if (entry.status === 'failed') return true;
  return entry.status === 'succeeded' && isRecord(entry.download) && entry.download.state === 'downloaded';
}

/** Puts the entries aside; `parse` (one entry -> task, or undefined when unreadable) runs on the first load(). */
export function deferTasks(entries: readonly unknown[], parse: (entry: unknown) => TrackedTask | undefined): DeferredTasks {
  if (entries.length === 0) return NOTHING_DEFERRED;
  const remoteIds: string[] = [];
  for (const entry of entries) {
    const id = (entry as { remoteId?: unknown }).remoteId;
    if (typeof id === 'string' && id !== '') remoteIds.push(id);
  }
  let result: LoadedSettledTasks | undefined;
  return {
    count: entries.length,
    remoteIds,
    load: () => (result ??= parseAll(entries, parse)),
  };
}

function parseAll(entries: readonly unknown[], parse: (entry: unknown) => TrackedTask | undefined): LoadedSettledTasks {
  const tasks: TrackedTask[] = [];
  const seen = new Set<string>();
  const problems: string[] = [];
  let skipped = 0;
  for (const entry of entries) {
    let task: TrackedTask | undefined;
    try {
      task = parse(entry);
    } catch (error) {
      // parseTask does not throw on any JSON value; this guards a future parser, never the activation.
      problems.push(`A stored finished task could not be read (${error instanceof Error ? error.name : 'error'}).`);
    }
    if (!task || seen.has(task.localId)) {
      skipped++;
      continue;
    }
    seen.add(task.localId);
    tasks.push(task);
  }
  if (skipped > 0) problems.push(`${skipped} stored finished task(s) were unreadable and skipped.`);
  return { tasks, skipped, problems };
}
