// Turning a request into a tracked task: validation first (nothing is sent for invalid input), then
// core's submitGeneration, then the right words for the outcome. Programmatic calls get a promise of the
// service's task id or a rejection; interactive ones get messages with actions.
import * as vscode from 'vscode';
import { ApiError } from '../core/api/errors';
import { prepareGeneration, type PreparedGeneration } from '../core/generationArgs';
import { imagesOf } from '../core/requestImages';
import { submitGeneration, type SubmitOutcome } from '../core/submit';
import type { TaskRequest, TrackedTask } from '../core/tasks/task';
import type { TaskStore } from '../core/tasks/taskStore';
import type { ApiKeyStore } from './apiKey';
import type { ClientProvider } from './clientProvider';
import type { ErrorBoundary } from './errorBoundary';
import type { Logger } from './log';
import { askModal } from './modal';
import type { BudgetGuard } from './pricing/budgetGuard';
import type { PriceLabels } from './pricing/priceLabels';
import { confirmGeneration, type GenerationChoice } from './quickGenerate';
import type { SeedanceSettings } from './settings';
import { withUploadProgress } from './uploadProgress';
import { requestShapeFix } from './requestShape';
import { describeDestination } from './destination';

/** The request may have reached CometAPI; an uncertain entry is in the list. Never retried by itself. */
export class UncertainSubmissionError extends Error {
  override readonly name = 'UncertainSubmissionError';
  constructor(readonly task: TrackedTask, options?: { cause?: unknown }) {
    // The words of core's UNCERTAIN_SUBMIT_MESSAGE, at the edge so they follow VS Code's language.
    super(vscode.l10n.t('The request may have reached CometAPI, but no answer came back. It may have been submitted (and billed); check your CometAPI usage before sending it again.'), options);
  }
}

export class GenerationController {
  constructor(
    private readonly store: TaskStore,
    private readonly client: ClientProvider,
    private readonly keys: ApiKeyStore,
    private readonly settings: SeedanceSettings,
    private readonly boundary: ErrorBoundary,
    private readonly log: Logger,
    /** Stores the task list and resolves when written (awaited before every create request). */
    private readonly persist?: () => Promise<void>,
    /** The monthly budget and price confirmation, checked right before every create (issue 11). */
    private readonly budget?: BudgetGuard,
  ) {}

  /**
   * `seedance.generate` with an argument object: validates, submits with no UI and resolves to the
   * service's task id. Rejects with a GenerationInputError (nothing sent) or the service's error.
   */
  async generateFromArgs(args: unknown): Promise<string> {
    const prepared = await this.prepare(args);
    await this.preflight();
    const outcome = await this.submit(prepared, false);
    if (outcome.ok && outcome.task.remoteId) return outcome.task.remoteId;
    if (!outcome.ok && outcome.uncertain) throw new UncertainSubmissionError(outcome.task, { cause: outcome.error });
    throw outcome.ok ? new Error(vscode.l10n.t('CometAPI accepted the request without a task id.')) : outcome.error;
  }

  /** Validates and submits a choice made in the UI; problems are shown, not thrown. */
  async generateInteractive(choice: GenerationChoice): Promise<TrackedTask | undefined> {
    const prepared = await this.prepare(choice);
    await this.preflight();
    return this.submitInteractive(prepared);
  }

  /**
   * The panel's submit: resolves with the local id whenever the list has an entry for the request
   * (accepted, failed or uncertain: the panel's card shows which); rejects when nothing was created.
   */
  async submitForPanel(args: unknown): Promise<string> {
    const prepared = await this.prepare(args);
    await this.preflight();
    const outcome = await this.submit(prepared);
    if (!outcome.ok) {
      this.log.error('Create request failed', outcome.error);
      // The card shows the failure; a refused size field also needs the setting's button, which only a
      // notification can offer.
      if (requestShapeFix(outcome.error)) void this.boundary.show(outcome.error);
    }
    return outcome.task.localId;
  }

  /**
   * A storyboard shot (src/vscode/storyboard/): validated and sent like every generation, with the shot's
   * identity in the request (and so in the task, the list's grouping and the saved record). Resolves with
   * the outcome whenever a task exists (accepted, refused or uncertain); throws when nothing was created
   * (invalid input, no key, a refusal before sending).
   */
  async submitShot(args: unknown, storyboard: { file: string; shotId: string }): Promise<SubmitOutcome> {
    const prepared = await this.prepare(args);
    await this.preflight();
    const outcome = await this.submit({ ...prepared, request: { ...prepared.request, storyboard } });
    if (!outcome.ok) this.log.error('Create request failed', outcome.error);
    return outcome;
  }

  /** The confirmation before a paid request, when seedance.confirmBeforeSubmit is on. */
  async confirmIfWanted(choice: GenerationChoice): Promise<GenerationChoice> {
    if (!this.settings.confirmBeforeSubmit()) return choice;
    return confirmGeneration(choice, this.budget?.labels, describeDestination(this.settings));
  }

  /** The estimate in words for the quick-input flow (undefined when pricing is not wired). */
  get priceLabels(): PriceLabels | undefined {
    return this.budget?.labels;
  }

  /**
   * Resubmits an uncertain request after a warning that it may be billed twice; the uncertain entry is
   * replaced by the new task.
   */
  async resubmitUncertain(task: TrackedTask): Promise<TrackedTask | undefined> {
    const resubmit = vscode.l10n.t('Resubmit');
    const answer = await askModal(
      vscode.l10n.t('Send this request again?'),
      vscode.l10n.t('The first request may have reached CometAPI and may already be generating (and billed). Check your CometAPI usage first: sending it again may cost twice.'),
      resubmit,
    );
    if (answer !== resubmit) return undefined;
    // argsOf keeps every reference image (a GenerationChoice holds one).
    const next = await this.generateInteractive(argsOf(task.request) as unknown as GenerationChoice);
    if (next) this.store.remove(task.localId);
    return next;
  }

  /**
   * Before a task is added: the base URL must be usable and a key must be there for it (asking first if
   * the key was entered for another origin). Nothing is created when this fails.
   */
  private async preflight(): Promise<void> {
    const base = this.settings.apiBase();
    if (!base.ok) throw new ApiError('configuration', base.problem, { reason: 'badBaseUrl' });
    await this.keys.keyFor(base.origin);
  }

  /** Validation with defaults and the reference image, sending nothing (for previews and confirmations). */
  prepareOnly(args: unknown): Promise<PreparedGeneration> {
    return this.prepare(args);
  }

  private prepare(args: unknown): Promise<PreparedGeneration> {
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    return prepareGeneration(args, this.settings.defaults(), {
      baseDir: folder?.uri.fsPath,
      context: { shape: this.settings.requestShape() },
    });
  }

  /** Every create goes through here: the budget first (nothing is sent when it refuses), then the request. */
  private async submit(prepared: PreparedGeneration, interactive = true): Promise<SubmitOutcome> {
    const done = await this.budget?.admit(prepared.request, { interactive });
    let task: TrackedTask | undefined;
    try {
      const outcome = await submitGeneration(
        {
          store: this.store,
          createVideo: (r) => withUploadProgress([r.inputReference, ...(r.moreReferences ?? [])].reduce((sum, image) => sum + (image?.data.length ?? 0), 0), (onUploadProgress) => this.client.createVideo(r, { onUploadProgress })),
          log: (l) => this.log.info(l),
          persist: this.persist,
        },
        prepared.request,
        prepared.uploads,
      );
      task = outcome.task;
      return outcome;
    } finally {
      done?.(task);
    }
  }

  private async submitInteractive(prepared: PreparedGeneration): Promise<TrackedTask | undefined> {
    const outcome = await this.submit(prepared);
    if (outcome.ok) {
      vscode.window.setStatusBarMessage(vscode.l10n.t('$(sync~spin) Seedance: video requested; you will be notified when it is ready.'), 5_000);
      return outcome.task;
    }
    this.log.error('Create request failed', outcome.error);
    if (outcome.uncertain) {
      void this.boundary.show(new UncertainSubmissionError(outcome.task, { cause: outcome.error }), {
        actions: [{ title: vscode.l10n.t('Show Videos'), run: () => vscode.commands.executeCommand('seedance.tasks.focus') }],
      });
      return undefined;
    }
    // Nothing reached the service, so trying again cannot bill twice; the failed entry is replaced.
    void this.boundary.show(outcome.error, {
      retry: async () => {
        this.store.remove(outcome.task.localId);
        await this.submitInteractive(prepared);
      },
    });
    return undefined;
  }
}

export function choiceOf(request: TaskRequest): GenerationChoice {
  return {
    prompt: request.prompt,
    model: request.model,
    seconds: request.seconds,
    size: request.size,
    resolution: request.resolution,
    ...(request.inputReference ? { inputReference: request.inputReference.path } : {}),
  };
}

/** The argument object that sends `request` again, every reference image included. */
export function argsOf(request: TaskRequest): Record<string, unknown> {
  const refs = imagesOf(request).map((r) => r.path);
  const { inputReference: _first, ...choice } = choiceOf(request);
  return { ...choice, ...(refs.length === 1 ? { inputReference: refs[0] } : refs.length > 1 ? { inputReference: refs } : {}) };
}

/** The confirmation's line about where the request goes (and whether CometAPI bills it). */
