// The API other extensions (and the integration tests) get from activate(): a snapshot list of tasks and
// an event when it changes. Snapshots never carry the signed video URL or internal bookkeeping.
import type * as vscode from 'vscode';
import { Emitter } from '../core/events';
import type { CostEstimate } from '../core/pricing/estimate';
import { toPublicSnapshot, type PublicTaskSnapshot } from '../core/tasks/task';
import type { TaskStore } from '../core/tasks/taskStore';

/** One task as the API shows it (see PublicTaskSnapshot for what `id` is). */
export type TaskSnapshot = PublicTaskSnapshot;

export interface SeedanceApi {
  /** Every tracked task, newest first. */
  listTasks(): TaskSnapshot[];
  /** Fires with the full list after any task was added, changed or removed (at most once per tick). */
  readonly onDidChangeTasks: vscode.Event<readonly TaskSnapshot[]>;
  /**
   * The estimated cost of what `seedance.generate` would send for this argument object (left-out fields
   * take the seedance.default* settings). `usd` is absent when the price is unknown. Throws
   * GenerationInputError for an object `seedance.generate` would refuse. An estimate: CometAPI bills.
   */
  estimateCost(args: unknown): CostEstimate;
}


export class PublicApi implements SeedanceApi, vscode.Disposable {
  private readonly emitter = new Emitter<readonly TaskSnapshot[]>();
  private readonly subscription: { dispose(): void };
  readonly onDidChangeTasks: vscode.Event<readonly TaskSnapshot[]> = this.emitter.event as vscode.Event<readonly TaskSnapshot[]>;

  constructor(
    private readonly store: TaskStore,
    private readonly estimator: (args: unknown) => CostEstimate = () => ({ source: 'unknown' }),
  ) {
    this.subscription = store.onDidChange(() => {
      // Building snapshots costs something with many tasks; skip it when nobody listens.
      if (this.emitter.listenerCount > 0) this.emitter.fire(this.listTasks());
    });
  }

  /** An arrow property so `const { listTasks } = api` works too. */
  readonly listTasks = (): TaskSnapshot[] => this.store.list().map(toPublicSnapshot);

  /** An arrow property for the same reason; a fresh object each call, so callers cannot change ours. */
  readonly estimateCost = (args: unknown): CostEstimate => ({ ...this.estimator(args) });

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
