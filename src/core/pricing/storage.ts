// The little of VS Code's Memento (globalState) that pricing needs, so core code and plain mocha tests can
// use a Map-backed stand-in.

export interface KeyValueStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** An in-memory storage (tests, benchmarks). */
export class MemoryStorage implements KeyValueStorage {
  readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    const value = this.data.get(key);
    // A copy, as a real Memento returns what was serialised, never the caller's object.
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}
