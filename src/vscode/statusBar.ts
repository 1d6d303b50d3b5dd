// Shows how many generations are under way: a badge on the Seedance view and a status bar item (only
// while something runs; clicking it reveals the view). Both follow the store.
import * as vscode from 'vscode';
import type { TaskStore } from '../core/tasks/taskStore';
import type { TaskNode } from './taskTreeItem';

/** One line about this month's spending for the tooltip (issue 11), and when it changes. */
export interface SpendingLine {
  text(): string;
  readonly onDidChange: vscode.Event<void>;
}

export class RunningTasksIndicator implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };
  private readonly spendingSubscription?: { dispose(): void };
  private shown = -1;
  private runningTooltip = '';

  constructor(
    private readonly store: TaskStore,
    private readonly view: vscode.TreeView<TaskNode>,
    private readonly spending?: SpendingLine,
  ) {
    this.item = vscode.window.createStatusBarItem('seedance.running', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('Seedance Generations');
    this.item.command = { command: 'seedance.tasks.focus', title: vscode.l10n.t('Show Seedance Videos') };
    this.subscription = store.onDidChange(() => this.update());
    this.spendingSubscription = spending?.onDidChange(() => this.updateTooltip());
    this.update();
  }

  private updateTooltip(): void {
    const spent = this.spending?.text();
    this.item.tooltip = spent ? `${this.runningTooltip}\n${spent}` : this.runningTooltip;
  }

  /** How many tasks count as running (the badge's number; core's isRunning decides). */
  get count(): number {
    return this.store.runningCount;
  }

  private update(): void {
    const count = this.count;
    if (count === this.shown) return;
    this.shown = count;
    // Whole sentences per count (Chinese translates both alike), each ending with its full stop.
    const tooltip = count === 1 ? vscode.l10n.t('1 video generation running.') : vscode.l10n.t('{0} video generations running.', count);
    this.view.badge = count > 0 ? { value: count, tooltip } : undefined;
    if (count === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(sync~spin) ${vscode.l10n.t('Seedance: {0}', count)}`;
    this.runningTooltip = count === 1
      ? vscode.l10n.t('1 video generation running. Click to show it.')
      : vscode.l10n.t('{0} video generations running. Click to show them.', count);
    this.updateTooltip();
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.spendingSubscription?.dispose();
    this.item.dispose();
  }
}
