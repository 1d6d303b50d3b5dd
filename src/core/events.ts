// A tiny event emitter with VS Code's Event shape, so core can publish changes without importing 'vscode'
// and the VS Code layer can pass `store.onDidChange` anywhere a vscode.Event is expected.

export interface Disposable {
  dispose(): void;
}

/** Same call shape as vscode.Event<T>: subscribe, get a Disposable that unsubscribes. */
export type Event<T> = (listener: (e: T) => unknown, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners: Array<{ fn: (e: T) => unknown; thisArgs: unknown }> = [];
  private disposed = false;

  /** @param onListenerError where a throwing listener's error goes; one bad listener must not starve the rest. */
  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    if (this.disposed) return { dispose: () => undefined };
    const entry = { fn: listener, thisArgs };
    this.listeners.push(entry);
    const subscription: Disposable = {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== entry);
      },
    };
    disposables?.push(subscription);
    return subscription;
  };

  fire(value: T): void {
    // A snapshot, so listeners that unsubscribe (or subscribe) while being called do not skip anyone.
    for (const { fn, thisArgs } of [...this.listeners]) {
      try {
        fn.call(thisArgs, value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.length;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}
