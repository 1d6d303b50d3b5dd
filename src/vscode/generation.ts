// Turning a request into a tracked task, through ONE pipeline for every create: prepare (validate, resolve
// defaults and reference images; nothing is sent for invalid input) -> quote and authorize (the gate,
// pricing/gate.ts, with who is asking) -> persist -> send (core's submitGeneration), then the right words
// for the outcome. Every entry point (panel, quick input, selection, storyboard shot and Generate All, the
// language model tools, `seedance.generate` with arguments) comes through `run`; none asks about money itself.
// Programmatic calls get a promise of the service's task id or a rejection; interactive ones get messages.
import * as vscode from 'vscode';
import { ApiError } from '../core/api/errors';
import { prepareGeneration, type PreparedGeneration } from '../core/generationArgs';
import { fieldsOf } from '../core/generationRequest';
import { imagesOf } from '../core/requestImages';
import { submitGeneration, type SubmitOutcome } from '../core/submit';
import type { TaskRequest, TrackedTask } from '../core/tasks/task';
import type { TaskStore } from '../core/tasks/taskStore';
import type { ApiKeyStore } from './apiKey';
import type { ClientProvider } from './clientProvider';
import type { ErrorBoundary } from './errorBoundary';
import type { Logger } from './log';
import { ask } from './modal';
import type { AdmitOptions, PaymentGate } from './pricing/gate';
import type { Caller, Question } from '../core/gate/policy';
import type { PriceLabels } from './pricing/priceLabels';
import type { GenerationChoice } from './quickGenerate';
import type { SeedanceSettings } from './settings';
import { withUploadProgress } from './uploadProgress';
import { requestShapeFix } from './requestShape';
import { homeWorkspaceRoot, localWorkspaceFolders } from './workspaceFolder';

/** The request may have reached CometAPI; an uncertain entry is in the list. Never retried by itself. */
export class UncertainSubmissionError extends Error {
  override readonly name = 'UncertainSubmissionError';
  constructor(readonly task: TrackedTask, options?: { cause?: unknown }) {
    // The words of core's UNCERTAIN_SUBMIT_MESSAGE, at the edge so they follow VS Code's language.
    super(vscode.l10n.t('The request may have reached CometAPI, but no answer came back. It may have been submitted (and billed); check your CometAPI usage before sending it again.'), options);
  }
}

/** How a create reaches the gate: who is asking, what their UI already asked, where images may come from. */
export interface Route {
  readonly caller: Caller;
  /** Questions the entry point's own UI already answered (the panel's Generate button is the review). */
  readonly answered?: readonly Question[];
  /** The review dialog's words, for entry points whose review is the gate's dialog (a storyboard shot). */
  readonly review?: AdmitOptions['review'];
  /** Reference images must lie inside the workspace folders (agents and storyboards). */
  readonly imagesInWorkspace?: boolean;
  /** The storyboard shot this create is a take of. */
  readonly storyboard?: { readonly file: string; readonly shotId: string };
}

const PERSON: Route = { caller: { kind: 'person' } };
/** The panel's button and the quick input's last step are the person's review of the whole request. */
const REVIEWED_BY_PERSON: Route = { caller: { kind: 'person' }, answered: ['review'] };

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
    /** Quote and authorize: the one policy for every paid request (issue 17). */
    private readonly gate?: PaymentGate,
  ) {}

  /**
   * `seedance.generate` with an argument object (another extension: trusted code, never asked, absolute
   * image paths accepted): resolves to the service's task id. Rejects with a GenerationInputError or
   * GateRefusedError (nothing sent) or the service's error.
   */
  generateFromArgs(args: unknown): Promise<string> {
    return this.generateForCaller(args, { caller: { kind: 'extension' } });
  }

  /**
   * A language model tool (or any later agent entry point): never asked (VS Code's tool approval may have
   * been "Always Allow"ed), capped by seedance.budget.agentDailyLimit, images only from the workspace.
   */
  generateForAgent(args: unknown): Promise<string> {
    return this.generateForCaller(args, { caller: { kind: 'agent' }, imagesInWorkspace: true });
  }

  /**
   * Validates and submits a choice made in the UI; problems are shown, not thrown. `reviewed`: the flow the
   * choice came from was the person's review (quick input, the selection's confirmation).
   */
  async generateInteractive(choice: GenerationChoice, reviewed = true): Promise<TrackedTask | undefined> {
    const route = reviewed ? REVIEWED_BY_PERSON : PERSON;
    const prepared = await this.prepare(choice, route);
    await this.preflight();
    return this.submitInteractive(prepared, route);
  }

  /**
   * The panel's submit: resolves with the local id whenever the list has an entry for the request
   * (accepted, failed or uncertain: the panel's card shows which); rejects when nothing was created.
   */
  async submitForPanel(args: unknown): Promise<string> {
    const prepared = await this.prepare(args, REVIEWED_BY_PERSON);
    await this.preflight();
    const outcome = await this.submit(prepared, REVIEWED_BY_PERSON);
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
   * identity in the request (and so in the task, the list's grouping and the saved record). `route`: a
   * single shot is a person's (reviewed through the gate's dialog); a shot of Generate All is a batch's.
   * Images must lie inside the workspace. Resolves with the outcome whenever a task exists; throws when
   * nothing was created (invalid input, no key, a refusal or a "no" before sending).
   */
  async submitShot(args: unknown, storyboard: { file: string; shotId: string }, route: Pick<Route, 'caller' | 'review' | 'answered'> = PERSON): Promise<SubmitOutcome> {
    const full: Route = { ...route, imagesInWorkspace: true, storyboard };
    const prepared = await this.prepare(args, full);
    await this.preflight();
    const outcome = await this.submit(prepared, full);
    if (!outcome.ok) this.log.error('Create request failed', outcome.error);
    return outcome;
  }

  /** The estimate in words for the quick-input flow (undefined when pricing is not wired). */
  get priceLabels(): PriceLabels | undefined {
    return this.gate?.labels;
  }

  /** The gate itself (the storyboard's Generate All authorizes its total there). */
  get paymentGate(): PaymentGate | undefined {
    return this.gate;
  }

  /**
   * Resubmits an uncertain request after a warning that it may be billed twice (the warning is the review).
   * The uncertain entry leaves the list, but the spending record keeps counting it as "may have been billed".
   */
  async resubmitUncertain(task: TrackedTask): Promise<TrackedTask | undefined> {
    const resubmit = vscode.l10n.t('Resubmit');
    const answer = await ask({
      id: 'resubmitUncertain',
      message: vscode.l10n.t('Send this request again?'),
      detail: vscode.l10n.t('The first request may have reached CometAPI and may already be generating (and billed). Check your CometAPI usage first: sending it again may cost twice.'),
      choices: [resubmit],
    });
    if (answer !== resubmit) return undefined;
    // argsOf keeps every reference image (a GenerationChoice holds one).
    const next = await this.generateInteractive(argsOf(task.request) as unknown as GenerationChoice);
    if (next) this.store.remove(task.localId);
    return next;
  }

  /** The person says an uncertain request was not billed: it leaves the list and stops counting. */
  async dismissUncertain(task: TrackedTask): Promise<void> {
    this.store.remove(task.localId);
    await this.gate?.dismissUncertain(task.localId);
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
  prepareOnly(args: unknown, options: { imagesInWorkspace?: boolean } = {}): Promise<PreparedGeneration> {
    return this.prepare(args, { caller: { kind: 'person' }, ...options });
  }

  private async generateForCaller(args: unknown, route: Route): Promise<string> {
    const prepared = await this.prepare(args, route);
    await this.preflight();
    const outcome = await this.submit(prepared, route);
    if (outcome.ok && outcome.task.remoteId) return outcome.task.remoteId;
    if (!outcome.ok && outcome.uncertain) throw new UncertainSubmissionError(outcome.task, { cause: outcome.error });
    throw outcome.ok ? new Error(vscode.l10n.t('CometAPI accepted the request without a task id.')) : outcome.error;
  }

  private prepare(args: unknown, route: Route): Promise<PreparedGeneration> {
    const folders = localWorkspaceFolders();
    return prepareGeneration(args, this.settings.defaults(), {
      baseDir: homeWorkspaceRoot(),
      // The live model list, when read, decides what may be sent (availability.ts, CONTRACT 16).
      context: { shape: this.settings.requestShape(), listed: this.gate?.labels.listed?.() },
      ...(route.imagesInWorkspace ? { imageRoots: folders.map((f) => f.uri.fsPath) } : {}),
    });
  }

  /** Every create goes through here: the gate first (nothing is sent when it refuses), then the request. */
  private async submit(prepared: PreparedGeneration, route: Route): Promise<SubmitOutcome> {
    const done = await this.gate?.admit(prepared.request, {
      caller: route.caller,
      ...(route.answered ? { answered: route.answered } : {}),
      ...(route.review ? { review: route.review } : {}),
    });
    const request = route.storyboard ? { ...prepared.request, storyboard: route.storyboard } : prepared.request;
    let task: TrackedTask | undefined;
    try {
      const outcome = await submitGeneration(
        {
          store: this.store,
          createVideo: (r) => withUploadProgress(
            [r.inputReference, ...(r.moreReferences ?? [])].reduce((sum, image) => sum + (image?.data.length ?? 0), 0),
            (onUploadProgress) => this.client.createVideo(r, { onUploadProgress }),
          ),
          log: (l) => this.log.info(l),
          persist: this.persist,
        },
        request,
        prepared.uploads,
      );
      task = outcome.task;
      return outcome;
    } finally {
      done?.(task);
    }
  }

  private async submitInteractive(prepared: PreparedGeneration, route: Route): Promise<TrackedTask | undefined> {
    const outcome = await this.submit(prepared, route);
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
        await this.submitInteractive(prepared, { ...route, answered: ['review'] });
      },
    });
    return undefined;
  }
}

export function choiceOf(request: TaskRequest): GenerationChoice {
  return {
    ...fieldsOf(request),
    ...(request.inputReference ? { inputReference: request.inputReference.path } : {}),
  };
}

/** The argument object that sends `request` again, every reference image included. */
export function argsOf(request: TaskRequest): Record<string, unknown> {
  const refs = imagesOf(request).map((r) => r.path);
  const { inputReference: _first, ...choice } = choiceOf(request);
  return { ...choice, ...(refs.length === 1 ? { inputReference: refs[0] } : refs.length > 1 ? { inputReference: refs } : {}) };
}
