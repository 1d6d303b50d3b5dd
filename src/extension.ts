// Composition root: builds the objects, registers them, pushes every disposable. No logic here.
// Activation is cheap on purpose: no network and no HTTP stack unless restored tasks need checking (the
// client is created on first use, see clientProvider.ts).
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { EstimateArgs } from './core/pricing/estimate';
import { loadLearnedDurations, saveLearnedDurations } from './core/durationMemory';
import { TaskPoller } from './core/poller';
import { loadTasks, TaskPersistence } from './core/tasks/persistence';
import { TaskStore } from './core/tasks/taskStore';
import { VideoSaver } from './core/videoSaver';
import { PublicApi, type SeedanceApi } from './vscode/api';
import { ApiKeyStore } from './vscode/apiKey';
import { ClientProvider } from './vscode/clientProvider';
import { createAgentTools, registerAgentTools } from './vscode/agentTools/registerAgentTools';
import { storyboardRunner } from './vscode/agentTools/storyboardRunner';
import { apiKeyCommands } from './vscode/commands/apiKeyCommands';
import { generateCommands } from './vscode/commands/generateCommands';
import { registerCommands } from './vscode/commands/register';
import { taskCommands } from './vscode/commands/taskCommands';
import { describeDestination } from './vscode/destination';
import { updateHostContext } from './vscode/hostKind';
import { DisposableStore } from './vscode/disposables';
import { DownloadController } from './vscode/downloads';
import { ErrorBoundary } from './vscode/errorBoundary';
import { configureSharedStrings } from './vscode/l10n';
import { GenerationController } from './vscode/generation';
import { OutputChannelLogger } from './vscode/log';
import { registerGeneratePanel } from './vscode/panel/registerGeneratePanel';
import { allowTestModalAnswers } from './vscode/modal';
import { BudgetGuard } from './vscode/pricing/budgetGuard';
import { pricingCommands } from './vscode/pricing/pricingCommands';
import { PricingService } from './vscode/pricing/pricingService';
import { openPricingSettings } from './vscode/pricing/pricingSettings';
import { registerSpendingView, spendingLine } from './vscode/pricing/spendingView';
import { TaskNotifier } from './vscode/notifications';
import { SeedanceSettings } from './vscode/settings';
import { RunningTasksIndicator } from './vscode/statusBar';
import type { TestOverrides } from './vscode/testHooks';
import { loadTestHooks } from './vscode/testMode';
import { registerStoryboards } from './vscode/storyboard/registerStoryboards';
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
  const client = owner.add(new ClientProvider(settings, keys, log));
  const boundary = new ErrorBoundary(log, {
    setApiKey: () => vscode.commands.executeCommand('seedance.setApiKey'),
    openSettings: (query) => vscode.commands.executeCommand('workbench.action.openSettings', query),
    showLog: () => log.show(),
  });

  // Unfinished tasks are parsed now (the poller resumes them at once); settled ones when first needed.
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

  const saver = new VideoSaver({
    store,
    downloadVideo: (url, file, options) => client.downloadVideo(url, file, options),
    getVideo: (id, signal) => client.getVideo(id, signal),
    extensionVersion: String(context.extension.packageJSON.version),
    log: (line) => log.info(line),
    persist: () => persistence.flush(),
  });
  const pricing = owner.add(new PricingService(context.globalState, settings, store, log));
  const generation = new GenerationController(store, client, keys, settings, boundary, log, () => persistence.flush(), new BudgetGuard(pricing));
  const downloads = owner.add(new DownloadController(store, saver, settings, boundary, log));
  const notifier = new TaskNotifier(boundary, () => poller.resume());
  const learned = loadLearnedDurations(context.globalState);
  const poller: TaskPoller = owner.add(new TaskPoller({
    store,
    getVideo: (id, signal) => client.getVideo(id, signal),
    learned,
    onLearned: () => saveLearnedDurations(context.globalState, learned, (e) => log.error('Saving learned durations failed', e)),
    onSucceeded: (task) => downloads.onSucceeded(task),
    onFailed: boundary.guard('Failure notification', (task) => notifier.failed(task)),
    onStalled: boundary.guard('Stall notification', (task) => notifier.stalled(task)),
    onProblem: (problem) => notifier.problem(problem),
    onRecovered: () => log.info('Polling works again.'),
    log: (line) => log.info(line),
    ...overrides.poller,
  }));

  const tree = owner.add(new TaskTreeProvider(store));
  const view = owner.add(vscode.window.createTreeView('seedance.tasks', { treeDataProvider: tree }));
  tree.attach(view);
  owner.add(new RunningTasksIndicator(store, view, { text: () => spendingLine(pricing), onDidChange: pricing.onDidChange }));
  const spending = owner.add(registerSpendingView(context, pricing, (line) => log.info(line)));

  const panel = owner.add(registerGeneratePanel(context, {
    store,
    submit: (args) => generation.submitForPanel(args),
    defaults: () => settings.defaults(),
    outputFolder: () => downloads.outputFolderPath(),
    describeError: (error) => boundary.describe(error),
    log: (line) => log.info(line),
    pricing: {
      snapshot: () => ({ sources: pricing.sources(), limit: pricing.budget().monthlyLimit, spent: pricing.spentThisMonth(), confirmAbove: pricing.budget().confirmAbove }),
      onDidChange: pricing.onDidChange,
      openPriceSettings: () => void openPricingSettings('pricing'),
    },
  }));

  const pricer = { estimate: (r: EstimateArgs) => pricing.estimateRequest(r) };
  // Storyboards: shots go through the same GenerationController (validation, budget, persistence) as the rest.
  const storyboards = owner.add(registerStoryboards({
    extensionUri: context.extensionUri,
    store,
    defaults: () => settings.defaults(),
    outputFolder: () => downloads.outputFolderPath(),
    onSettingsChange: settings.onDidChange,
    submitShot: (args, ref) => generation.submitShot(args, ref),
    confirmBeforeSubmit: () => settings.confirmBeforeSubmit(),
    concurrency: () => settings.storyboardConcurrency(),
    autoDownload: () => settings.autoDownload(),
    download: (localId) => downloads.download(localId, { interactive: false }),
    describeError: (error) => boundary.describe(error),
    log: (line) => log.info(line),
    pricer,
  }));
  owner.add(pricing.onDidChange(() => storyboards.refreshPrices()));

  registerCommands(owner, boundary, {
    ...generateCommands(generation, settings, panel),
    ...storyboards.commands,
    ...apiKeyCommands(keys, settings),
    ...taskCommands({ store, poller, downloads, generation, log, panel }),
    ...pricingCommands(spending),
  });
  // A new key or new connection settings may fix what paused polling.
  owner.add(keys.onDidChange(() => poller.resume()));
  owner.add(settings.onDidChange((change) => change.connection && poller.resume()));
  const api = owner.add(new PublicApi(store, (args) => pricing.estimate(args)));
  const agentTools = createAgentTools({
    store,
    prepare: (args) => generation.prepareOnly(args),
    generate: (args) => generation.generateFromArgs(args),
    hasApiKey: async () => (await keys.source()) !== 'none',
    destination: () => describeDestination(settings),
    estimate: (args) => pricing.estimate(args),
    outputFolder: () => downloads.outputFolderPath(),
    storyboards: storyboardRunner({ service: storyboards.service, shots: storyboards.shots, pricer, store }),
  });
  owner.add(registerAgentTools(agentTools));

  poller.start();
  downloads.resumePending();
  keys.updateContext().catch((e: unknown) => log.error('Updating the API key context failed', e));
  void Promise.resolve(updateHostContext()).catch((e: unknown) => log.error('Updating the host context failed', e));
  settings.warnAboutWorkspaceApiBaseUrl();
  for (const problem of loaded.problems) log.warn(problem);
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms; ${loaded.tasks.length + loaded.settled.count} task(s) restored (${loaded.settled.count} finished, read when first shown), ${poller.idle ? 'nothing to check' : 'checking unfinished ones'}.`);

  const hooks = loadTestHooks(context, log);
  allowTestModalAnswers(hooks !== undefined);
  if (!hooks) return api;
  const reactivate = async (next: TestOverrides = {}) => {
    await hooks.releaseForReactivation({ poller, persistence, owner, workspaceState: context.workspaceState }, next.storedTasks);
    return compose(context, next) as SeedanceApi & { testHooks: ReturnType<typeof hooks.createTestHooks> };
  };
  return Object.assign(api, { testHooks: hooks.createTestHooks({ store, tree, view, poller, persistence, keys, context, reactivate, agentTools }) });
}
