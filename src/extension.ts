// Composition root of activation: builds what must exist from the start (the task list, the Seedance view,
// settings, the key's context) and registers every other entry point so that it loads the features bundle
// (dist/features.js, composed in src/features.ts) on first use. No logic here.
// Activation is cheap on purpose: no network, no HTTP stack, and not the code of generation, polling,
// panels, storyboards or tools unless restored tasks need checking or a storyboard is open, in which case
// they load right after activate() returns.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { isStoryboardFile } from './core/storyboard/takes';
import { loadTasks, TaskPersistence } from './core/tasks/persistence';
import { TaskStore } from './core/tasks/taskStore';
import type { Features } from './features';
import { PublicApi, type SeedanceApi } from './vscode/api';
import { ApiKeyStore } from './vscode/apiKey';
import { whenAgentJobsAppear } from './vscode/agentJobs/agentJobsTrigger';
import { registerMcpProvider } from './vscode/agentJobs/mcpProvider';
import { DeferredEntryPoints } from './vscode/deferred';
import { updateHostContext } from './vscode/hostKind';
import { DisposableStore } from './vscode/disposables';
import { configureSharedStrings } from './vscode/l10n';
import { OutputChannelLogger } from './vscode/log';
import { allowTestModalAnswers } from './vscode/modal';
import { SeedanceSettings } from './vscode/settings';
import type { TestOverrides } from './vscode/testHooks';
import { loadTestHooks } from './vscode/testMode';
import { TaskTreeProvider } from './vscode/taskTreeProvider';

export type { SeedanceApi, TaskSnapshot } from './vscode/api';

/** Writes the task list one last time on shutdown (set by the current activation). */
let flushOnExit: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): SeedanceApi {
  configureSharedStrings();
  return compose(context, {});
}

export function deactivate(): Promise<void> | undefined {
  return flushOnExit?.();
}

function compose(context: vscode.ExtensionContext, overrides: TestOverrides): SeedanceApi {
  const started = performance.now();
  const owner = new DisposableStore();
  context.subscriptions.push(owner);

  const log = owner.add(new OutputChannelLogger('Seedance'));
  const settings = owner.add(new SeedanceSettings(log, context.workspaceState));
  const keys = owner.add(new ApiKeyStore(context.secrets, log));
  const hooks = loadTestHooks(context, log);
  allowTestModalAnswers(hooks !== undefined);

  // Unfinished tasks are parsed now (the poller resumes them soon after); settled ones when first needed.
  const loaded = loadTasks(context.workspaceState, { deferSettled: true });
  const store = owner.add(new TaskStore({
    initial: loaded.tasks,
    deferred: () => {
      const settled = loaded.settled.load();
      for (const problem of settled.problems) log.warn(problem);
      return settled.tasks;
    },
    onListenerError: (e) => log.error('A task listener failed', e),
  }));
  const persistence = owner.add(new TaskPersistence(store, context.workspaceState, {
    onError: (e) => log.error('Saving the task list failed', e),
    storedRemoteIds: loaded.settled.remoteIds,
  }));
  flushOnExit = () => persistence.flush();

  const tree = owner.add(new TaskTreeProvider(store));
  const view = owner.add(vscode.window.createTreeView('seedance.tasks', { treeDataProvider: tree }));
  tree.attach(view);

  let features: Features | undefined;
  const loadFeatures = (): Features => {
    if (features) return features;
    if (owner.isDisposed) throw new Error('Seedance Studio is no longer active in this window.');
    const t0 = performance.now();
    // esbuild.js maps this path to the sibling bundle dist/features.js (external, loaded at run time).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { composeFeatures } = require('./features') as typeof import('./features');
    features = composeFeatures({
      context, owner, log, settings, keys, store, persistence, view,
      registerSerializer: entryPoints.registerSerializer,
      testRun: hooks !== undefined,
      pollerOverrides: overrides.poller,
    });
    log.info(`Loaded the features in ${(performance.now() - t0).toFixed(1)} ms; ${features.poller.idle ? 'nothing to check' : 'checking unfinished tasks'}.`);
    return features;
  };
  const entryPoints = owner.add(new DeferredEntryPoints(context.extension.packageJSON, loadFeatures));
  const loadSoon = (why: string) => {
    const timer = setTimeout(() => {
      if (features || owner.isDisposed) return;
      log.info(`Loading the features: ${why}.`);
      try {
        loadFeatures();
      } catch (e) {
        log.error('Loading the features failed', e);
      }
    }, 0);
    owner.add({ dispose: () => clearTimeout(timer) });
  };
  // Restored tasks that are not settled need the poller or a download now, not on first use.
  if (loaded.tasks.length > 0) loadSoon(`${loaded.tasks.length} unfinished task(s) restored`);
  // Storyboard checks and CodeLens need the features as soon as a storyboard is open.
  const isStoryboard = (d: vscode.TextDocument) => d.uri.scheme === 'file' && isStoryboardFile(d.fileName);
  if (vscode.workspace.textDocuments.some(isStoryboard)) loadSoon('a storyboard is open');
  else {
    const opened = owner.add(vscode.workspace.onDidOpenTextDocument((d) => {
      if (!isStoryboard(d)) return;
      opened.dispose();
      loadSoon('a storyboard was opened');
    }));
  }

  // Jobs an agent started through the MCP server in this workspace (now or later) need the features.
  owner.add(whenAgentJobsAppear(loadSoon));
  // VS Code 1.101+: the MCP server offered to VS Code's own agents (feature-detected; nothing on 1.100).
  owner.add(registerMcpProvider(
    context.extensionPath,
    String(context.extension.packageJSON.version),
    settings,
    keys,
    (line) => log.warn(line),
  ));

  const api = owner.add(new PublicApi(store, (args) => loadFeatures().estimate(args)));
  keys.updateContext().catch((e: unknown) => log.error('Updating the API key context failed', e));
  void Promise.resolve(updateHostContext()).catch((e: unknown) => log.error('Updating the host context failed', e));
  settings.warnAboutWorkspaceApiBaseUrl();
  for (const problem of loaded.problems) log.warn(problem);
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms; ${loaded.tasks.length + loaded.settled.count} task(s) restored (${loaded.settled.count} finished, read when first shown).`);

  if (!hooks) return api;
  const reactivate = async (next: TestOverrides = {}) => {
    await hooks.releaseForReactivation(
      { poller: features?.poller, persistence, owner, workspaceState: context.workspaceState },
      next.storedTasks,
    );
    return compose(context, next) as SeedanceApi & { testHooks: ReturnType<typeof hooks.createTestHooks> };
  };
  return Object.assign(api, { testHooks: hooks.createTestHooks({
    store, tree, view, features: loadFeatures, persistence, keys, context, reactivate,
    restoreWebview: (viewType, panel, state) => entryPoints.restore(viewType, panel, state),
  }) });
}
