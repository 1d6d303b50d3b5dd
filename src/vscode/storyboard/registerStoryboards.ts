// Entry point of the storyboard module for extension.ts: builds the service, the editor features, the
// previews and the commands from a few narrow dependencies. The price source is one of them (`pricer`):
// the cost module plugs in here; without it every price reads "price unknown".
import type * as vscode from 'vscode';
import type { LiveList } from '../../core/availability';
import type { GenerateArgs, GenerationDefaults } from '../../core/generationArgs';
import type { SubmitOutcome } from '../../core/submit';
import type { TrackedTask } from '../../core/tasks/task';
import type { Event } from '../../core/events';
import type { CommandTable } from '../commands/commandTypes';
import type { RegisterSerializer } from '../deferred';
import { StoryboardCodeLens } from './codeLens';
import { StoryboardDiagnostics } from './diagnostics';
import { Films } from './film';
import { filmCommands, type FilmCommandId } from './filmCommands';
import { FilmPreviewPart } from './filmPreview';
import { StoryboardLanguageFeatures } from './language';
import { StoryboardPreviews } from './previewPanel';
import { unknownPricer, type ShotPricer } from './pricing';
import { ShotGeneration, type GenerateAllResult, type ShotGenerationDeps, type ShotRoute } from './shotGeneration';
import { storyboardCommands, type StoryboardCommandId } from './storyboardCommands';
import { StoryboardService } from './storyboardService';
import { StoryboardRuns } from '../../core/storyboard/runRegistry';

export interface StoryboardDeps {
  readonly extensionUri: vscode.Uri;
  readonly store: { list(): TrackedTask[]; get(localId: string): TrackedTask | undefined; readonly onDidChange: Event<readonly string[]> };
  readonly defaults: () => GenerationDefaults;
  readonly outputFolder: () => string | undefined;
  readonly onSettingsChange: Event<unknown>;
  /** GenerationController.submitShot: validation, the gate, persistence. */
  submitShot(args: GenerateArgs, ref: { file: string; shotId: string }, route: ShotRoute): Promise<SubmitOutcome>;
  /** The payment gate (Generate All's one authorization with its total). */
  readonly gate: ShotGenerationDeps['gate'];
  /** seedance.storyboard.concurrency */
  concurrency(): number;
  autoDownload(): boolean;
  download(localId: string): Promise<unknown>;
  describeError(error: unknown): string;
  log(line: string): void;
  /** Where prices come from; default: none known ("price unknown"). */
  readonly pricer?: ShotPricer;
  /** Where restored previews come from (activation registered the serializer, see ../deferred.ts). */
  readonly registerSerializer: RegisterSerializer;
  /** workspaceState: remembers the output folders used before, whose takes are still found. */
  readonly history?: { get<T>(key: string): T | undefined; update(key: string, value: unknown): Thenable<void> };
  /** CometAPI's live model list for this API host, when read (issue 19). */
  readonly listed?: () => LiveList;
}

export interface Storyboards extends vscode.Disposable {
  readonly commands: CommandTable<StoryboardCommandId | FilmCommandId>;
  readonly previews: StoryboardPreviews;
  readonly service: StoryboardService;
  /** Prices changed: redraw the CodeLens. */
  refreshPrices(): void;
  /** Generate one or all shots (the commands, and the agent tool). */
  readonly shots: ShotGeneration;
}

export function registerStoryboards(deps: StoryboardDeps): Storyboards {
  const pricer = deps.pricer ?? unknownPricer;
  const service = new StoryboardService({
    store: deps.store,
    defaults: deps.defaults,
    outputFolder: deps.outputFolder,
    onSettingsChange: deps.onSettingsChange,
    ...(deps.history ? { history: deps.history } : {}),
    ...(deps.listed ? { listed: deps.listed } : {}),
  });
  // The runs in progress: CodeLens and preview show "waiting for shot N" from here, so they redraw with it.
  const runs = new StoryboardRuns<GenerateAllResult | undefined>();
  const runsChanged = runs.onDidChange((key) => service.changed(key));
  const films = new Films({ service, log: deps.log });
  const previews = new StoryboardPreviews({
    runs,
    extensionUri: deps.extensionUri,
    service,
    pricer,
    outputFolder: deps.outputFolder,
    log: deps.log,
    describeError: deps.describeError,
    registerSerializer: deps.registerSerializer,
    film: new FilmPreviewPart(films, service),
  });
  const diagnostics = new StoryboardDiagnostics(service);
  const lenses = new StoryboardCodeLens(service, pricer, runs);
  const language = new StoryboardLanguageFeatures(service);
  const generation = new ShotGeneration({
    service,
    store: deps.store,
    submitShot: deps.submitShot,
    frames: previews,
    pricer,
    gate: deps.gate,
    concurrency: deps.concurrency,
    autoDownload: deps.autoDownload,
    download: deps.download,
    describeError: deps.describeError,
    log: deps.log,
    runs,
  });
  return {
    commands: { ...storyboardCommands(generation, previews), ...filmCommands(films) },
    previews,
    service,
    // Prices and the live model list arrive together (pricing's change event): checks, completions and lenses.
    refreshPrices: () => {
      lenses.refresh();
      service.redrawAll();
    },
    shots: generation,
    dispose() {
      for (const d of [runsChanged, language, lenses, diagnostics, previews, service]) d.dispose();
    },
  };
}
