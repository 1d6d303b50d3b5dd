// The parts of the webview host base (webviewHost.ts) that need no VS Code: the page's ready handshake, the
// extension's requests to the page answered by id, and one host per key. Kept apart so plain mocha tests them
// (test/unit/webviewHost.test.ts); nothing here imports 'vscode'.

/** Anything that can be undone or released (a vscode.Disposable, a timer). */
interface Releasable {
  dispose(): unknown;
}

/**
 * Whether the page's script runs and listens. A page says `ready` when its document loads; it stops
 * listening when VS Code unloads it (a hidden panel that is not kept alive) or reloads it (new webview
 * options). Waiters are told when it opens, and fail after their deadline or when the host goes.
 */
export class ReadyGate {
  private open = false;
  private closedFor: Error | undefined;
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private readonly goneListeners = new Set<() => void>();

  get isReady(): boolean {
    return this.open;
  }

  /** The page said `ready`. */
  markReady(): void {
    if (this.closedFor) return;
    this.open = true;
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  /** The page is gone until it says `ready` again (hidden, or reloading). */
  markNotReady(): void {
    const was = this.open;
    this.open = false;
    if (was) for (const listener of [...this.goneListeners]) listener();
  }

  /**
   * Calls `listener` when the page that listens now goes away (hidden, or reloading): what it was asked
   * will not be answered. Returns the function that stops listening.
   */
  onceGone(listener: () => void): () => void {
    const once = () => {
      this.goneListeners.delete(once);
      listener();
    };
    this.goneListeners.add(once);
    return () => this.goneListeners.delete(once);
  }

  /**
   * Resolves once the page is ready; rejects with `onTimeout()` after `timeoutMs` (so a page that never
   * loads, e.g. a tab the editor does not show, cannot hang the caller), or when the gate is closed for good.
   */
  wait(timeoutMs: number, onTimeout: () => Error): Promise<void> {
    if (this.closedFor) return Promise.reject(this.closedFor);
    if (this.open) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(onTimeout());
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The host is gone: every waiter fails with `reason`, and so does every later wait. */
  close(reason: Error): void {
    this.open = false;
    this.closedFor = reason;
    for (const w of this.waiters.splice(0)) w.reject(reason);
  }
}

/**
 * Requests from the extension to the page, each with its own id and deadline: the page's answer names the
 * id, so answers that arrive late, twice or for a request given up on are simply not matched.
 */
export class PendingReplies<T> {
  private seq = 0;
  private readonly pending = new Map<
    string,
    { resolve: (value: T) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }
  >();

  /** `prefix` makes the ids of one host's requests recognisable in logs (`f1`, `f2`, ...). */
  constructor(private readonly prefix = 'r') {}

  /** A fresh id, never used before by this instance. */
  nextId(): string {
    return `${this.prefix}${++this.seq}`;
  }

  /** How many requests wait for their answer. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Waits for the answer to `id`; fails with `onTimeout()` when none comes within `timeoutMs`. Register
   * before posting the request, so an answer cannot arrive before anyone waits for it.
   */
  expect(id: string, timeoutMs: number, onTimeout: () => Error): Promise<T> {
    if (this.pending.has(id)) return Promise.reject(new Error(`Request ${id} is already waiting for its answer.`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(onTimeout());
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
  }

  /** The page answered `id`; false when nobody waits for it (late, repeated or unknown). */
  resolve(id: string, value: T): boolean {
    return this.settle(id, (p) => p.resolve(value));
  }

  /** The page said `id` failed; false when nobody waits for it. */
  reject(id: string, error: Error): boolean {
    return this.settle(id, (p) => p.reject(error));
  }

  /** Every waiting request fails with `error` (the page went away for good). */
  rejectAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.reject(id, error);
  }

  private settle(id: string, how: (p: { resolve: (value: T) => void; reject: (e: Error) => void }) => void): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    clearTimeout(p.timer);
    how(p);
    return true;
  }
}

/** A host the registry can forget when it goes. */
export interface DisposableHost extends Releasable {
  onDidDispose(callback: () => void): void;
}

/**
 * At most one host per key (one Generate panel, one spending view, one preview per storyboard). Creating is
 * synchronous, so `open` cannot run twice for one key; a panel VS Code restores after a reload is adopted only
 * when no host holds its key yet, and closed otherwise (a second copy after a split would stay blank).
 */
export class HostRegistry<H extends DisposableHost> implements Releasable {
  private readonly hosts = new Map<string, H>();

  get(key: string): H | undefined {
    return this.hosts.get(key);
  }

  get size(): number {
    return this.hosts.size;
  }

  /** The host for `key`, created by `create` when there is none. */
  open(key: string, create: () => H): H {
    return this.hosts.get(key) ?? this.add(key, create());
  }

  /** A restored panel: adopted by `adopt` when `key` is free; otherwise `discard` closes it and undefined comes back. */
  restore(key: string, adopt: () => H, discard: () => void): H | undefined {
    if (this.hosts.has(key)) {
      discard();
      return undefined;
    }
    return this.add(key, adopt());
  }

  /** Disposes every host (each one leaves the registry as it goes). */
  dispose(): void {
    for (const host of [...this.hosts.values()]) host.dispose();
    this.hosts.clear();
  }

  private add(key: string, host: H): H {
    this.hosts.set(key, host);
    host.onDidDispose(() => {
      if (this.hosts.get(key) === host) this.hosts.delete(key);
    });
    return host;
  }
}
