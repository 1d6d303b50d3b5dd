// Ownership of disposables: whoever creates a registration adds it to a store it owns, and the owner's
// dispose() releases everything in reverse order (listeners before the objects they listen to).
import type * as vscode from 'vscode';

export class DisposableStore implements vscode.Disposable {
  private items: { dispose(): unknown }[] = [];
  private disposed = false;

  /** Takes ownership; disposes at once if this store is already disposed. Returns its argument. */
  add<T extends { dispose(): unknown }>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const items = this.items.reverse();
    this.items = [];
    for (const item of items) {
      try {
        item.dispose();
      } catch {
        // One failing dispose must not keep the rest alive.
      }
    }
  }
}

