// The extension's one pricing service: the price sources (setting, live catalogue, shipped table), the
// estimate of any request, what this month has spent (the ledger plus requests being sent right now), and
// the record of every accepted create (kept by following the task store, so every submit path is
// covered). The catalogue is read lazily: the first time an estimate is asked for, never at activation.
import * as vscode from 'vscode';
import { liveListOf, type LiveList } from '../../core/availability';
import { fetchCatalogueJson } from '../../core/pricing/fetchCatalogue';
import type { BudgetSettings } from '../../core/pricing/budget';
import { CatalogueSource } from '../../core/pricing/catalogue';
import { estimateArgsOf, estimateCost, type CostEstimate, type EstimateArgs } from '../../core/pricing/estimate';
import { Ledger, type LedgerEntry } from '../../core/pricing/ledger';
import { spendingState, spentInMonthOf, uncertainKey, type Reservation } from '../../core/gate/spending';
import type { SpendingState, Starter } from '../../core/gate/policy';
import { TABLE_PRICES, type PriceSources } from '../../core/pricing/prices';
import { applyDefaults, parseGenerateArgs } from '../../core/generationArgs';
import type { TrackedTask } from '../../core/tasks/task';
import type { TaskStore } from '../../core/tasks/taskStore';
import type { Logger } from '../log';
import type { SeedanceSettings } from '../settings';
import { affectsPricing, readBudgetSettings, readPricingSetting } from './pricingSettings';

export type { CostEstimate } from '../../core/pricing/estimate';

export class PricingService implements vscode.Disposable {
  readonly ledger: Ledger;
  private readonly catalogue: CatalogueSource;
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly subscriptions: { dispose(): void }[] = [];
  /** Estimates of requests admitted by the gate and still being sent (counted as spent). */
  private readonly reserved = new Map<number, Reservation>();
  private nextReservation = 1;
  private warnedSetting = '';
  /** Fires when prices, the budget settings or the spending changed. */
  readonly onDidChange = this.emitter.event;

  constructor(
    globalState: vscode.Memento,
    private readonly settings: SeedanceSettings,
    private readonly store: TaskStore,
    private readonly log: Logger,
  ) {
    this.ledger = new Ledger(globalState);
    for (const problem of this.ledger.problems) log.warn(problem);
    this.catalogue = new CatalogueSource({
      storage: globalState,
      origin: () => {
        const base = settings.apiBase();
        return base.ok ? base.origin : undefined;
      },
      // Node's http module (VS Code's proxy support applies); small, so it stays out of the lazy HTTP bundle.
      fetchJson: (url) => fetchCatalogueJson(url),
      log: (line) => log.info(line),
    });
    this.subscriptions.push(
      this.catalogue.onDidChange(() => this.emitter.fire()),
      this.ledger.onDidChange(() => this.emitter.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsPricing(e)) this.emitter.fire();
      }),
      store.onDidChange((ids) => this.followTasks(ids)),
      // Another window may have spent since: global state is shared, so look again when this one gets focus.
      vscode.window.onDidChangeWindowState((s) => s.focused && this.ledger.reload()),
    );
    // A create cut off by a closed window comes back `uncertain` at activation (no change event): count it.
    for (const task of store.listUnsettled()) {
      if (task.status === 'uncertain' && !task.remoteId && !this.ledger.has(uncertainKey(task.localId))) this.recordUncertain(task);
    }
  }

  /** The prices to estimate with now. Starts a background catalogue read when one is due. */
  sources(): PriceSources {
    void this.catalogue.refreshIfStale();
    const setting = readPricingSetting();
    const signature = setting.problems.join('\n');
    if (signature && signature !== this.warnedSetting) {
      this.warnedSetting = signature;
      for (const p of setting.problems) this.log.warn(p);
    }
    return { setting: setting.prices, catalogue: this.catalogue.prices(), table: TABLE_PRICES };
  }

  /**
   * The Seedance ids CometAPI's catalogue for this API host lists now, or undefined when none was read (then
   * the shipped table decides what is offered). Issue 19: a known model it does not list is shown unavailable.
   */
  listedModels(): LiveList {
    return liveListOf(this.catalogue.listed());
  }

  /** When the live prices in use were read (undefined: none yet for this API host). */
  catalogueReadAt(): number | undefined {
    return this.catalogue.fetchedAt();
  }

  /** Waits for a catalogue read that is due (tests, and the first spending view). */
  refreshCatalogue(): Promise<void> {
    return this.catalogue.refreshIfStale();
  }

  /**
   * The estimate right before a paid request: when only the shipped table (or nothing) knows the price and a
   * catalogue read is due, waits for that read (a few seconds at most) so a first request is not judged
   * on the fallback alone.
   */
  async estimateBeforeSend(args: EstimateArgs, waitMs = 5_000): Promise<CostEstimate> {
    const first = this.estimateRequest(args);
    if (first.source === 'setting' || first.source === 'catalogue') return first;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.catalogue.refreshIfStale(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
    return this.estimateRequest(args);
  }

  /** The estimate for a request whose model, seconds and resolution are known. */
  estimateRequest(args: EstimateArgs): CostEstimate {
    return estimateCost(args, this.sources());
  }

  /**
   * The estimate for any argument object `seedance.generate` accepts (left-out fields take the
   * seedance.default* settings, as a submit would). Throws GenerationInputError for an object it refuses.
   */
  estimate(args: unknown): CostEstimate {
    const parsed = parseGenerateArgs(args);
    return this.estimateRequest(applyDefaults(parsed, this.settings.defaults()));
  }

  budget(): BudgetSettings {
    return readBudgetSettings();
  }

  /**
   * The one source of every spending figure (the gate, the status bar tooltip, the panel's line, the
   * spending view): the ledger counted by src/core/gate/spending.ts plus requests being sent now.
   * `reread`: read the stored ledger again first (other windows' spending counts at once); the gate does.
   */
  spending(options: { reread?: boolean; now?: number } = {}): SpendingState {
    if (options.reread) this.ledger.reload();
    return spendingState(this.ledger.list(), options.now ?? Date.now(), this.reserved.values());
  }

  /**
   * This month's counted spending as the person sees it (status bar tooltip, panel line, spending view,
   * CSV): the record alone, counted by the same rule as the gate (the gate adds requests being sent).
   */
  spentThisMonth(now = Date.now()): number {
    return spentInMonthOf(this.ledger.list(), now);
  }

  /** Counts an admitted request as spent until it is recorded or refused; returns the release. */
  reserve(usd: number | undefined, byAgent = false): () => void {
    const id = this.nextReservation++;
    this.reserved.set(id, { usd: usd ?? 0, byAgent });
    return () => {
      this.reserved.delete(id);
    };
  }

  /**
   * Records a create the service accepted (idempotent by task id). The store is followed anyway; this is
   * for callers that know more, such as the storyboard a shot belongs to.
   */
  recordAccepted(task: TrackedTask, extra: { storyboard?: string; by?: Starter } = {}): void {
    if (!task.remoteId) return;
    const priced = estimateArgsOf(task.request);
    const storyboard = extra.storyboard ?? storyboardOf(task);
    const entry: LedgerEntry = {
      taskId: task.remoteId,
      at: task.submittedAt ?? task.createdAt,
      ...priced,
      estimate: this.estimateRequest(priced),
      status: task.status === 'failed' ? 'failed' : task.status === 'succeeded' ? 'succeeded' : 'accepted',
      ...(vscode.workspace.name ? { workspace: vscode.workspace.name } : {}),
      ...(storyboard ? { storyboard } : {}),
      // An agent's job adopted from the workspace (MCP server): counted toward the agents' daily cap.
      ...(task.startedBy === 'agent' ? { by: 'agent' as const } : {}),
      ...(usageOf(task) !== undefined ? { usage: usageOf(task) } : {}),
      ...(extra.by ? { by: extra.by } : {}),
    };
    void this.ledger.record(entry);
  }

  /**
   * Records a create whose answer was lost: it may have been billed, so it counts until the person
   * dismisses it (Resubmit Anyway leaves it counted). Keyed by the local id (there is no service id).
   */
  recordUncertain(task: TrackedTask, extra: { by?: Starter } = {}): void {
    if (task.remoteId || task.status !== 'uncertain') return;
    const priced = estimateArgsOf(task.request);
    const storyboard = storyboardOf(task);
    void this.ledger.record({
      taskId: uncertainKey(task.localId),
      at: task.submittedAt ?? task.createdAt,
      ...priced,
      estimate: this.estimateRequest(priced),
      status: 'uncertain',
      ...(vscode.workspace.name ? { workspace: vscode.workspace.name } : {}),
      ...(storyboard ? { storyboard } : {}),
      ...(extra.by ? { by: extra.by } : {}),
    });
  }

  /** The person dismissed an uncertain entry (it was not billed): it stops counting. */
  dismissUncertain(localId: string): Promise<void> {
    return this.ledger.setStatus(uncertainKey(localId), 'dismissed');
  }

  flush(): Promise<void> {
    return this.ledger.flush();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.catalogue.dispose();
    this.ledger.dispose();
    this.emitter.dispose();
  }

  private followTasks(ids: readonly string[]): void {
    for (const id of ids) {
      const task = this.store.get(id);
      if (task?.status === 'uncertain' && !task.remoteId) {
        // A create whose answer was lost (now, or in a window that closed mid-create): it may be billed.
        if (!this.ledger.has(uncertainKey(task.localId))) this.recordUncertain(task);
        continue;
      }
      if (!task?.remoteId) continue;
      if (!this.ledger.has(task.remoteId)) {
        this.recordAccepted(task);
      } else if (task.status === 'failed' || task.status === 'succeeded') {
        void this.ledger.setStatus(task.remoteId, task.status, usageOf(task));
      }
    }
  }
}

/** The storyboard a take belongs to: its file, relative to the workspace folder (as the records name it). */
function storyboardOf(task: TrackedTask): string | undefined {
  return task.request.storyboard?.file;
}

/** What the service said it billed, if the task ever carries it (CometAPI does not report it today). */
function usageOf(task: TrackedTask): unknown {
  return (task as { usage?: unknown }).usage;
}
