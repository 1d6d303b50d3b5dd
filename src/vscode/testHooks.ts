// NOT PUBLIC API. Hooks the integration tests need to look inside and to simulate a window reload. They
// are attached to the activation result as `testHooks` only in test runs (see testMode.ts), and they live
// in a bundle of their own (src/testHooksEntry.ts -> dist/testHooks.js) that the production build does not
// make and the VSIX does not contain: any extension can read another's exports, and these include the
// SecretStorage.
import * as vscode from 'vscode';
import { API_KEY_SECRET_ID, type ApiKeyStore, type KeySource } from './apiKey';
import type { TaskPoller, PollerOptions } from '../core/polling/poller';
import { TASKS_STATE_KEY, type TaskPersistence } from '../core/tasks/persistence';
import { CATALOGUE_STORAGE_KEY } from '../core/pricing/catalogue';
import type { TrackedTask } from '../core/tasks/task';
import type { TaskStore } from '../core/tasks/taskStore';
import type { SeedanceApi } from './api';
import type { TaskTreeProvider } from './taskTreeProvider';
import type { TaskNode } from './taskTreeItem';
import type { Features } from '../features';

/** Options a test may change when it re-runs activation (poller timing, mostly). */
export interface TestOverrides {
  /** Written to workspaceState after this activation is disposed and before the next one starts. */
  readonly storedTasks?: unknown;
  readonly poller?: Partial<Pick<PollerOptions, 'stallAfterMs' | 'timeScale'>>;
}

export interface SeedanceTestHooks {
  /** The extension's SecretStorage and the name the key is stored under (the runner's round-trip test). */
  readonly secrets: vscode.SecretStorage;
  readonly apiKeySecretName: string;
  /** Where the API key would come from now: the secret storage, the COMETAPI_KEY variable, or nowhere. */
  keySource(): Promise<KeySource>;
  /** The internal task (status uncertain/stalled, download state, ...) with the signed URL removed. */
  task(id: string): Omit<TrackedTask, 'videoUrl'> | undefined;
  /** The tree item the view shows for a task (after resolveTreeItem: with its tooltip). */
  treeItem(id: string): vscode.TreeItem | undefined;
  /** The ids of the view's top-level rows, as VS Code gets them from getChildren(). */
  treeRootIds(): string[];
  /** The number on the view's badge (undefined when none). */
  badge(): number | undefined;
  /** How many refresh events the tree has fired so far. */
  treeRefreshCount(): number;
  /** What the current activation's poller has done (loads the features). */
  pollerCounters(): TaskPoller['counters'];
  /** The persisted task envelope in workspaceState; by default after writing whatever is pending. */
  readStoredTasks(options?: { flush?: boolean }): Promise<unknown>;
  /**
   * Writes pending state, disposes everything this activation made and activates again over the same
   * storage (a window reload without the reload); `overrides.storedTasks` replaces the stored envelope
   * in between, as a previous session would have left it.
   */
  reactivate(overrides?: TestOverrides): Promise<SeedanceApi & { testHooks: SeedanceTestHooks }>;
  /** The language model tool objects the registered tools hand calls to (VS Code skips tool confirmations in test runs). */
  agentTool(name: string): vscode.LanguageModelTool<object> | undefined;
  /** The ids of the commands the features bundle handles (loads it). */
  featureCommandIds(): string[];
  /** Hands a panel to the serializer activation registered for its type, as VS Code does after a reload. */
  restoreWebview(viewType: string, panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  /**
   * Forgets the live model list and prices read for this API host and reads them again now (a suite that
   * switched the simulator's profile, whose list differs, would otherwise see the day-old read).
   */
  readCatalogueAgain(): Promise<void>;
}

export interface TestHookDeps {
  readonly store: TaskStore;
  readonly tree: TaskTreeProvider;
  readonly view: vscode.TreeView<TaskNode>;
  /** The features bundle, loaded on the first call (see extension.ts). */
  readonly features: () => Features;
  readonly restoreWebview: (viewType: string, panel: vscode.WebviewPanel, state: unknown) => Promise<void>;
  readonly persistence: TaskPersistence;
  readonly keys: ApiKeyStore;
  readonly context: vscode.ExtensionContext;
  readonly reactivate: (overrides?: TestOverrides) => Promise<SeedanceApi & { testHooks: SeedanceTestHooks }>;
}

export function createTestHooks(deps: TestHookDeps): SeedanceTestHooks {
  const find = (id: string) => deps.store.get(id) ?? deps.store.findByRemoteId(id);
  return {
    secrets: deps.context.secrets,
    apiKeySecretName: API_KEY_SECRET_ID,
    keySource: () => deps.keys.source(),
    task(id) {
      const task = find(id);
      if (!task) return undefined;
      const { videoUrl: _secret, ...rest } = task;
      return rest;
    },
    treeItem(id) {
      const task = find(id);
      if (!task) return undefined;
      const node = deps.tree.nodeFor(task.localId);
      return deps.tree.resolveTreeItem(deps.tree.getTreeItem(node), node);
    },
    treeRootIds: () => deps.tree.getChildren().map((node) => node.localId),
    badge: () => deps.view.badge?.value,
    treeRefreshCount: () => deps.tree.refreshCount,
    pollerCounters: () => deps.features().poller.counters,
    readStoredTasks: async (options) => {
      if (options?.flush !== false) await deps.persistence.flush();
      return deps.context.workspaceState.get(TASKS_STATE_KEY);
    },
    reactivate: (overrides) => deps.reactivate(overrides),
    agentTool: (name) => deps.features().tools.get(name),
    featureCommandIds: () => Object.keys(deps.features().commands),
    restoreWebview: (viewType, panel, state) => deps.restoreWebview(viewType, panel, state),
    readCatalogueAgain: async () => {
      await deps.context.globalState.update(CATALOGUE_STORAGE_KEY, undefined);
      await deps.features().refreshCatalogue();
    },
  };
}

/**
 * The first half of a simulated reload: stop polling, write what is pending, optionally replace the stored
 * envelope (as a previous session would have left it), then dispose everything this activation owns and
 * wait until the workbench has processed that (a round trip), so the next activation's view registration
 * cannot overtake the old one's disposal. A real reload gets this for free: the extension host restarts.
 */
export async function releaseForReactivation(
  parts: { poller: TaskPoller | undefined; persistence: TaskPersistence; owner: vscode.Disposable; workspaceState: vscode.Memento },
  storedTasks?: unknown,
): Promise<void> {
  parts.poller?.dispose();
  await parts.persistence.flush();
  parts.persistence.dispose();
  if (storedTasks !== undefined) await parts.workspaceState.update(TASKS_STATE_KEY, storedTasks);
  parts.owner.dispose();
  await vscode.commands.executeCommand('setContext', 'seedance.reactivated', true);
}
