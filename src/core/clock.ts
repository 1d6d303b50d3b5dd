// Time and timers behind a small interface, so the poller and the persistence debounce can be driven by a
// manual clock in tests and benchmarks (no real waiting) and by the real one in the extension.

/** An opaque timer handle; only the clock that made it can cancel it. */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the Unix epoch (Date.now() for the real clock). */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock. Timers are unref'd so a forgotten one never keeps a test process or the host alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const t = setTimeout(callback, Math.max(0, ms));
    t.unref?.();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

interface ManualTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

/**
 * A clock that only moves when told to. `advance` runs due timers in order and lets promise chains settle
 * between them, so code that awaits a (fake) request and then schedules its next timer behaves as it would
 * in real time, only instantly. Lives in core (not test/) because the benchmark uses it too.
 */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, ManualTimer>();

  constructor(start = Date.UTC(2026, 10, 24, 15, 30, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, dueAt: this.current + Math.max(0, ms), callback });
    return { manualTimerId: id };
  }

  clearTimeout(handle: TimerHandle): void {
    const id = (handle as { manualTimerId?: number } | undefined)?.manualTimerId;
    if (id !== undefined) this.timers.delete(id);
  }

  /** How many timers are scheduled and not yet run or cancelled. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** When the earliest pending timer is due, or undefined when none is pending. */
  get nextDueAt(): number | undefined {
    let min: number | undefined;
    for (const t of this.timers.values()) if (min === undefined || t.dueAt < min) min = t.dueAt;
    return min;
  }

  /** Moves time forward by `ms`, running every timer that falls due (including ones scheduled meanwhile). */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  /** Moves time forward to `target` (never backwards), running due timers in due order. */
  async advanceTo(target: number): Promise<void> {
    await settle();
    for (;;) {
      const next = this.earliest();
      if (!next || next.dueAt > target) break;
      this.timers.delete(next.id);
      this.current = Math.max(this.current, next.dueAt);
      next.callback();
      await settle();
    }
    this.current = Math.max(this.current, target);
    await settle();
  }

  /**
   * Runs timers until none is pending or `limitMs` of fake time has passed; returns the time advanced.
   * Useful for "run the loop until it goes quiet".
   */
  async runUntilIdle(limitMs = 24 * 60 * 60 * 1000): Promise<number> {
    const start = this.current;
    for (;;) {
      await settle();
      const next = this.earliest();
      if (!next || next.dueAt - start > limitMs) break;
      await this.advanceTo(next.dueAt);
    }
    return this.current - start;
  }

  private earliest(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.dueAt < best.dueAt || (t.dueAt === best.dueAt && t.id < best.id)) best = t;
    }
    return best;
  }
}

/** Lets pending promise callbacks (and the microtasks they queue) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
