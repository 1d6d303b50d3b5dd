// The Seedance view is a projection of the TaskStore: newest first, one stable node per task, and on a
// store change only the changed nodes are refreshed (the whole list only when tasks were added or
// removed). Store events arriving close together (one poll pass checks several tasks one after another)
// are merged into one refresh. While tasks run and the view is visible, their elapsed time is refreshed
// every few seconds.
import * as vscode from 'vscode';
import { systemClock, type Clock } from '../core/clock';
import { isInFlight } from '../core/tasks/task';
import type { TaskStore } from '../core/tasks/taskStore';
import { GROUP_PREFIX, storyboardGroupItem } from './storyboard/treeGroup';
import { taskTreeItem, tooltipOf, type TaskNode } from './taskTreeItem';

export interface TaskTreeOptions {
  readonly clock?: Clock;
  /** Store changes within this window become one refresh. Default 100 ms. */
  readonly coalesceMs?: number;
  /** How often running tasks' elapsed time is refreshed while the view is visible. Default 5 s. */
  readonly tickMs?: number;
}

export class TaskTreeProvider implements vscode.TreeDataProvider<TaskNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TaskNode | TaskNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  private readonly nodes = new Map<string, TaskNode>();
  private readonly pending = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly clock: Clock;
  private readonly coalesceMs: number;
  private readonly tickMs: number;
  private flushTimer: unknown;
  private tickTimer: unknown;
  private visible = false;
  /** Refresh events fired (for the benchmark and tests). */
  refreshCount = 0;

  constructor(private readonly store: TaskStore, options: TaskTreeOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.coalesceMs = options.coalesceMs ?? 100;
    this.tickMs = options.tickMs ?? 5_000;
    this.subscriptions.push(store.onDidChange((ids) => this.onStoreChange(ids)));
  }

  /** Follows the view's visibility (elapsed-time ticks only while someone can see them). */
  attach(view: vscode.TreeView<TaskNode>): void {
    this.visible = view.visible;
    this.subscriptions.push(view.onDidChangeVisibility((e) => {
      this.visible = e.visible;
      this.scheduleTick();
    }));
    this.scheduleTick();
  }

  /** The node for a task (the same object every time, so VS Code can match refreshes to items). */
  nodeFor(localId: string): TaskNode {
    let node = this.nodes.get(localId);
    if (!node) {
      node = Object.freeze({ localId });
      this.nodes.set(localId, node);
    }
    return node;
  }

  getChildren(element?: TaskNode): TaskNode[] {
    const board = element && this.storyboardOf(element);
    if (board) return this.store.list().filter((t) => t.request.storyboard?.file === board).map((t) => this.nodeFor(t.localId));
    if (element) return [];
    // Takes of a storyboard are grouped under it, at the place of its newest take.
    const out: TaskNode[] = [];
    const groups = new Set<string>();
    for (const t of this.store.list()) {
      const file = t.request.storyboard?.file;
      if (file === undefined) out.push(this.nodeFor(t.localId));
      else if (!groups.has(file)) {
        groups.add(file);
        out.push(this.nodeFor(GROUP_PREFIX + file));
      }
    }
    return out;
  }

  getTreeItem(element: TaskNode): vscode.TreeItem {
    const board = this.storyboardOf(element);
    if (board) return storyboardGroupItem(board, this.store.list().filter((t) => t.request.storyboard?.file === board));
    const task = this.store.get(element.localId);
    if (!task) return new vscode.TreeItem(vscode.l10n.t('(removed)'));
    return taskTreeItem(task, this.clock.now());
  }

  resolveTreeItem(item: vscode.TreeItem, element: TaskNode): vscode.TreeItem {
    const task = this.store.get(element.localId);
    if (task) item.tooltip = tooltipOf(task);
    return item;
  }

  getParent(element: TaskNode): TaskNode | undefined {
    const file = this.store.get(element.localId)?.request.storyboard?.file;
    return file === undefined ? undefined : this.nodeFor(GROUP_PREFIX + file);
  }

  private storyboardOf(element: TaskNode): string | undefined {
    return element.localId.startsWith(GROUP_PREFIX) ? element.localId.slice(GROUP_PREFIX.length) : undefined;
  }

  /** Sends pending refreshes now (tests and the benchmark). */
  flush(): void {
    this.cancel('flush');
    if (this.pending.size === 0) return;
    const ids = [...this.pending];
    this.pending.clear();
    let structural = false;
    const changed: TaskNode[] = [];
    for (const id of ids) {
      const known = this.nodes.get(id);
      const exists = this.store.get(id) !== undefined;
      if (!exists) {
        if (known) this.nodes.delete(id);
        structural = true;
      } else if (!known) {
        structural = true;
      } else {
        changed.push(known);
      }
    }
    this.refreshCount++;
    this.emitter.fire(structural ? undefined : changed);
    this.scheduleTick();
  }

  dispose(): void {
    this.cancel('flush');
    this.cancel('tick');
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }

  private onStoreChange(ids: readonly string[]): void {
    for (const id of ids) this.pending.add(id);
    if (this.flushTimer === undefined) {
      this.flushTimer = this.clock.setTimeout(() => {
        this.flushTimer = undefined;
        this.flush();
      }, this.coalesceMs);
    }
  }

  private scheduleTick(): void {
    const running = this.visible && this.store.runningCount > 0;
    if (!running) {
      this.cancel('tick');
      return;
    }
    if (this.tickTimer !== undefined) return;
    this.tickTimer = this.clock.setTimeout(() => {
      this.tickTimer = undefined;
      // Stalled tasks show their elapsed time too: refreshed on the same tick.
      for (const task of this.store.listUnsettled()) if (isInFlight(task)) this.pending.add(task.localId);
      this.flush();
    }, this.tickMs);
  }

  private cancel(which: 'flush' | 'tick'): void {
    const key = which === 'flush' ? 'flushTimer' : 'tickTimer';
    if (this[key] !== undefined) this.clock.clearTimeout(this[key]);
    this[key] = undefined;
  }
}
