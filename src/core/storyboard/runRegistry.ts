// One Generate All per storyboard, whatever starts it (CodeLens, palette, preview, agent tool): the first
// call runs, a call while it runs joins it (gets its events so far and from now on, and its result), and
// every create of a shot is claimed here first, so two entry points never send the same shot at once.
// Pure: keyed by strings (the storyboard's URI, the shot's id); src/vscode/storyboard/shotGeneration.ts
// owns one instance per window, the CodeLens and preview read it for "waiting for shot N".
import type { BatchEvent, ShotRunState } from './batch';
import { isPlayable, type Take } from './takes';

interface Run<T> {
  readonly result: Promise<T>;
  readonly states: Map<string, BatchEvent>;
  readonly listeners: Set<(e: BatchEvent) => void>;
  /** Shot key -> the key of the shot it waits for (a continuation whose predecessor is not ready). */
  readonly waitingFor: Map<string, string>;
}

/** What a run is doing, for "already running" messages. */
export interface RunSummary {
  readonly total: number;
  /** Shots not settled yet (waiting, being sent, generating). */
  readonly left: number;
  readonly generating: number;
}

const SETTLED: ReadonlySet<ShotRunState> = new Set(['done', 'existing', 'failed', 'invalid', 'uncertain', 'blocked', 'notStarted']);

export class StoryboardRuns<T = unknown> {
  private readonly runs = new Map<string, Run<T>>();
  private readonly creating = new Set<string>();
  private readonly changeListeners = new Set<(storyboard: string) => void>();

  /** The run of a storyboard in progress, if any. */
  isRunning(storyboard: string): boolean {
    return this.runs.has(storyboard);
  }

  /**
   * Starts `run` unless one is in progress for the storyboard, in which case the caller joins it: its
   * listener gets the events so far, then the new ones, and the same result. The run's listener fans out to
   * everyone who joined.
   */
  start(
    storyboard: string,
    run: (onEvent: (e: BatchEvent) => void) => Promise<T>,
    listener?: (e: BatchEvent) => void,
  ): { joined: boolean; result: Promise<T> } {
    const existing = this.runs.get(storyboard);
    if (existing) {
      if (listener) {
        for (const e of existing.states.values()) listener(e);
        existing.listeners.add(listener);
      }
      return { joined: true, result: existing.result };
    }
    const states = new Map<string, BatchEvent>();
    const listeners = new Set<(e: BatchEvent) => void>(listener ? [listener] : []);
    const waitingFor = new Map<string, string>();
    const onEvent = (e: BatchEvent) => {
      states.set(e.key, e);
      if (e.waitingFor !== undefined && e.state === 'pending') waitingFor.set(e.key, e.waitingFor);
      else waitingFor.delete(e.key);
      for (const l of listeners) {
        try {
          l(e);
        } catch {
          // one listener's failure is not the run's
        }
      }
      this.changed(storyboard);
    };
    // Registered before `run` is called, so a second call in the same tick already joins.
    let settle: (value: Promise<T>) => void = () => undefined;
    const result = new Promise<T>((resolve) => (settle = resolve));
    this.runs.set(storyboard, { result, states, listeners, waitingFor });
    this.changed(storyboard);
    const running = Promise.resolve().then(() => run(onEvent));
    running.finally(() => {
      this.runs.delete(storyboard);
      this.changed(storyboard);
    }).catch(() => undefined);
    settle(running);
    return { joined: false, result };
  }

  summary(storyboard: string): RunSummary | undefined {
    const run = this.runs.get(storyboard);
    if (!run) return undefined;
    const states = [...run.states.values()];
    return {
      total: states.length,
      left: states.filter((s) => !SETTLED.has(s.state)).length,
      generating: states.filter((s) => s.state === 'running' || s.state === 'submitting').length,
    };
  }

  /** The shot a shot of a running Generate All is waiting for (its continuation's predecessor), if any. */
  waitingFor(storyboard: string, shot: string): string | undefined {
    return this.runs.get(storyboard)?.waitingFor.get(shot);
  }

  /** Whether the shot is part of the storyboard's run and not settled yet (it will be sent by the run). */
  queued(storyboard: string, shot: string): boolean {
    const state = this.runs.get(storyboard)?.states.get(shot)?.state;
    return state !== undefined && !SETTLED.has(state);
  }

  /**
   * Claims the create of a shot: a release function, or undefined while another create of the same shot is
   * under way (from any run or entry point). Release once the task is in the store (or nothing was sent).
   */
  claim(shotId: string): (() => void) | undefined {
    if (this.creating.has(shotId)) return undefined;
    this.creating.add(shotId);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.creating.delete(shotId);
    };
  }

  onDidChange(listener: (storyboard: string) => void): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  private changed(storyboard: string): void {
    for (const l of this.changeListeners) {
      try {
        l(storyboard);
      } catch {
        // a listener's failure is its own
      }
    }
  }
}

/** The take keys of every shot now: what a run was planned against. */
export function plannedTakes(takes: ReadonlyMap<string, readonly Take[]>): ReadonlySet<string> {
  return new Set([...takes.values()].flatMap((list) => list.map((t) => t.key)));
}

/**
 * The re-check just before a shot's create: a take that appeared since the run was planned and did not
 * fail (saved, running, or a create on its way) means the shot is not sent again. `localId` is set while
 * that take is still coming, so the run can wait for it.
 */
export function takeSincePlan(takes: readonly Take[] | undefined, planned: ReadonlySet<string>): { kind: 'existing'; localId?: string } | undefined {
  const fresh = (takes ?? []).filter((t) => !planned.has(t.key) && !(t.localId !== undefined && planned.has(t.localId)) && t.status !== 'failed');
  if (fresh.length === 0) return undefined;
  const coming = fresh.find((t) => !isPlayable(t));
  return coming?.localId && !fresh.some(isPlayable) ? { kind: 'existing', localId: coming.localId } : { kind: 'existing' };
}
