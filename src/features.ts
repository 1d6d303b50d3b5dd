// The features bundle (dist/features.js): everything activation itself does not need: generation, polling,
// downloads, prices, the Generate panel, storyboards, the agent tools and every command's handler.
// extension.ts loads it on first use (a command, a tool, a restored webview, a storyboard open, the API's
// estimate) or right after activation when restored tasks need checking or a storyboard is open, and hands
// it what activation already built (the store, the view, settings, the key). Composition only, no logic.
import * as vscode from 'vscode';
import type { CostEstimate, EstimateArgs } from './core/pricing/estimate';
import { loadLearnedDurations, saveLearnedDurations } from './core/polling/durationMemory';
import { typicalDurationMs } from './core/polling/durationEstimate';
import { setSidebarHome } from './vscode/hostKind';
import { TaskPoller, type PollerOptions } from './core/polling/poller';
import type { TaskPersistence } from './core/tasks/persistence';
import type { TaskStore } from './core/tasks/taskStore';
import { VideoSaver } from './core/download/videoSaver';
import type { ApiKeyStore } from './vscode/apiKey';
import { ClientProvider } from './vscode/clientProvider';
import { connectAgentCommands } from './vscode/agentJobs/connectAgent';
import { registerAgentJobs } from './vscode/agentJobs/registerAgentJobs';
import { createAgentTools } from './vscode/agentTools/registerAgentTools';
import { storyboardRunner } from './vscode/agentTools/storyboardRunner';
import { apiKeyCommands } from './vscode/commands/apiKeyCommands';
import { generateCommands } from './vscode/commands/generateCommands';
import type { CommandTable } from './vscode/commands/commandTypes';
import { executeSeedanceCommand } from './vscode/commands/execute';
import { wrapCommands } from './vscode/commands/register';
import { taskCommands } from './vscode/commands/taskCommands';
import type { DeferredTargets, RegisterSerializer } from './vscode/deferred';
import { describeDestination } from './vscode/destination';
import type { DisposableStore } from './vscode/disposables';
import { DownloadController } from './vscode/downloads';
import { ErrorBoundary } from './vscode/errorBoundary';
import { configureSharedStrings } from './vscode/l10n';
import { GenerationController } from './vscode/generation';
import type { OutputChannelLogger } from './vscode/log';
import { registerGeneratePanel } from './vscode/panel/registerGeneratePanel';
import { allowTestModalAnswers } from './vscode/modal';
import { PaymentGate } from './vscode/pricing/gate';
import { pricingCommands } from './vscode/pricing/pricingCommands';
import { promoteCommands } from './vscode/commands/promoteCommands';
import { PricingService } from './vscode/pricing/pricingService';
import { openPricingSettings } from './vscode/pricing/pricingSettings';
import { registerSpendingView, spendingLine } from './vscode/pricing/spendingView';
import { TaskNotifier } from './vscode/notifications';
import type { SeedanceSettings } from './vscode/settings';
import { RunningTasksIndicator } from './vscode/statusBar';
import { registerStoryboards } from './vscode/storyboard/registerStoryboards';
import type { TaskNode } from './vscode/taskTreeItem';

/** What activation built and shares with the features. */
export interface ActivationParts {
  readonly context: vscode.ExtensionContext;
  /** The activation's owner: the features' disposables go in it, so a deactivation releases them too. */
  readonly owner: DisposableStore;
  readonly log: OutputChannelLogger;
  readonly settings: SeedanceSettings;
  readonly keys: ApiKeyStore;
  readonly store: TaskStore;
  readonly persistence: TaskPersistence;
  readonly view: vscode.TreeView<TaskNode>;
  readonly registerSerializer: RegisterSerializer;
  /** A test run: modal questions may be answered by a test (see modal.ts). */
  readonly testRun: boolean;
  readonly pollerOverrides?: Partial<Pick<PollerOptions, 'stallAfterMs' | 'timeScale'>>;
}

export interface Features extends DeferredTargets {
  readonly poller: TaskPoller;
  /** The API's estimateCost: what `seedance.generate` would cost with these arguments. */
  estimate(args: unknown): CostEstimate;
  /** Reads CometAPI's live model list and prices when a read is due (test hooks: after forgetting the last). */
  refreshCatalogue(): Promise<void>;
}

export function composeFeatures(parts: ActivationParts): Features {
  // This bundle has its own copy of @vscode/l10n and of modal.ts: configure them as activation did its own.
  configureSharedStrings();
  allowTestModalAnswers(parts.testRun);
  const { context, owner, log, settings, keys, store, persistence } = parts;

  const client = owner.add(new ClientProvider(settings, keys, log));
  const boundary = new ErrorBoundary(log, {
    setApiKey: () => executeSeedanceCommand('seedance.setApiKey'),
    openSettings: (query) => vscode.commands.executeCommand('workbench.action.openSettings', query),
    showLog: () => log.show(),
  });
  const saver = new VideoSaver({
    store,
    downloadVideo: (url, file, options) => client.downloadVideo(url, file, options),
    getVideo: (id, signal) => client.getVideo(id, signal),
    extensionVersion: String(context.extension.packageJSON.version),
    log: (line) => log.info(line),
    persist: () => persistence.flush(),
  });
  const pricing = owner.add(new PricingService(context.globalState, settings, store, log));
  const gate = new PaymentGate(pricing);
  const generation = new GenerationController(store, client, keys, settings, boundary, log, () => persistence.flush(), gate);
  const downloads = owner.add(new DownloadController(store, saver, settings, boundary, log));
  const notifier = new TaskNotifier(boundary, () => poller.resume());
  // Jobs agents start through the MCP server (dist/mcp.js) in this workspace join the list (src/core/agentJobs/).
  const agentJobs = registerAgentJobs({
    store,
    download: (id) => downloads.download(id, { interactive: false }),
    log: (line) => log.info(line),
  });
  if (agentJobs) owner.add(agentJobs);
  const learned = loadLearnedDurations(context.globalState);
  const poller: TaskPoller = owner.add(new TaskPoller({
    store,
    getVideo: (id, signal) => client.getVideo(id, signal),
    learned,
    onLearned: () => saveLearnedDurations(context.globalState, learned, (e) => log.error('Saving learned durations failed', e)),
    onSucceeded: (task) => (task.startedBy === 'agent' && agentJobs ? agentJobs.onSucceeded(task) : downloads.onSucceeded(task)),
    onFailed: boundary.guard('Failure notification', (task) => notifier.failed(task)),
    onStalled: boundary.guard('Stall notification', (task) => notifier.stalled(task)),
    onProblem: (problem) => notifier.problem(problem),
    onRecovered: () => log.info('Polling works again.'),
    log: (line) => log.info(line),
    ...parts.pollerOverrides,
  }));

  // A download to this computer goes through the Explorer; the sidebar then comes back to the Seedance view.
  setSidebarHome({
    get visible() {
      return parts.view.visible;
    },
    show: () => vscode.commands.executeCommand('workbench.view.extension.seedance'),
  });
  owner.add({ dispose: () => setSidebarHome(undefined) });
  owner.add(new RunningTasksIndicator(store, parts.view, { text: () => spendingLine(pricing), onDidChange: pricing.onDidChange }));
  const spending = owner.add(registerSpendingView(context, pricing, (line) => log.info(line), parts.registerSerializer));

  const panel = owner.add(registerGeneratePanel(context, {
    store,
    submit: (args) => generation.submitForPanel(args),
    defaults: () => settings.defaults(),
    outputFolder: () => downloads.outputFolderPath(),
    describeError: (error) => boundary.describe(error),
    log: (line) => log.info(line),
    typicalMs: (request) => {
      const belief = learned.estimate(request);
      return belief ? typicalDurationMs(belief) : undefined;
    },
    pricing: {
      snapshot: () => {
        const listed = pricing.listedModels();
        return {
          sources: pricing.sources(),
          limit: pricing.budget().monthlyLimit,
          spent: pricing.spentThisMonth(),
          confirmAbove: pricing.budget().confirmAbove,
          ...(listed ? { listedModels: [...listed] } : {}),
        };
      },
      onDidChange: pricing.onDidChange,
      openPriceSettings: () => void openPricingSettings('pricing'),
    },
  }, parts.registerSerializer));

  const pricer = { estimate: (r: EstimateArgs) => pricing.estimateRequest(r) };
  // Storyboards: shots go through the same GenerationController (validation, budget, persistence) as the rest.
  const storyboards = owner.add(registerStoryboards({
    extensionUri: context.extensionUri,
    store,
    defaults: () => settings.defaults(),
    outputFolder: () => downloads.outputFolderPath(),
    onSettingsChange: settings.onDidChange,
    submitShot: (args, ref, route) => generation.submitShot(args, ref, route),
    gate,
    concurrency: () => settings.storyboardConcurrency(),
    autoDownload: () => settings.autoDownload(),
    download: (localId) => downloads.download(localId, { interactive: false }),
    describeError: (error) => boundary.describe(error),
    log: (line) => log.info(line),
    pricer,
    registerSerializer: parts.registerSerializer,
    history: context.workspaceState,
    listed: () => pricing.listedModels(),
  }));
  owner.add(pricing.onDidChange(() => storyboards.refreshPrices()));

  // Every command's handler, in one table: the compiler refuses a missing or unknown id (commandTypes.ts).
  const table: CommandTable = {
    ...generateCommands(generation, settings, panel),
    ...storyboards.commands,
    ...apiKeyCommands(keys, settings),
    ...taskCommands({ store, poller, downloads, generation, log, panel }),
    ...pricingCommands(spending),
    ...promoteCommands({
      store,
      generation,
      estimate: pricer.estimate,
      unavailable: (model) => generation.priceLabels?.unavailable?.(model),
    }),
    ...connectAgentCommands(context, settings, (line) => log.info(line)),
  };
  const commands = wrapCommands(boundary, table);
  // A new key or new connection settings may fix what paused polling.
  owner.add(keys.onDidChange(() => poller.resume()));
  owner.add(settings.onDidChange((change) => change.connection && poller.resume()));
  const agentTools = createAgentTools({
    store,
    prepare: (args) => generation.prepareOnly(args),
    generate: (args) => generation.generateForAgent(args),
    agentAllowance: () => gate.agentAllowance(),
    hasApiKey: async () => (await keys.source()) !== 'none',
    destination: () => describeDestination(settings),
    estimate: (args) => pricing.estimate(args),
    outputFolder: () => downloads.outputFolderPath(),
    storyboards: storyboardRunner({ service: storyboards.service, shots: storyboards.shots, pricer, store }),
  });

  poller.start();
  downloads.resumePending();
  return {
    commands,
    tools: agentTools,
    poller,
    estimate: (args) => pricing.estimate(args),
    refreshCatalogue: () => pricing.refreshCatalogue(),
  };
}
