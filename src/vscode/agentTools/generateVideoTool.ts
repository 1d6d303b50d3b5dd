// seedance_generate_video and seedance_estimate_cost: the same arguments as `seedance.generate`, through the
// same validation and submit path. Generating returns at once with the task id (a tool call that waited for
// the render would time out); the model checks back with seedance_get_video.
import * as vscode from 'vscode';
import { ApiError } from '../../core/api/errors';
import { modelLabel } from '../../core/catalog';
import { GenerationInputError, type PreparedGeneration } from '../../core/generationArgs';
import { settingsOf } from '../../core/generationRequest';
import {
  describeEstimate, describeInvalidInput, describeSubmitted, describeUncertain, formatUsd, NO_KEY_TEXT,
} from '../../core/agentTools/resultText';
import { formatPerSecond } from '../../core/pricing/estimate';
import { UncertainSubmissionError } from '../generation';
import { GateRefusedError } from '../../core/gate/policy';
import { imageLabel, taskView, toolResult, type AgentToolDeps } from './agentToolDeps';

type GenerateInput = Record<string, unknown>;

/** Validation only; a problem is an answer for the model, anything else is a real failure. */
async function prepared(
  deps: AgentToolDeps,
  input: unknown,
): Promise<{ ok: true; value: PreparedGeneration } | { ok: false; problems: readonly string[] }> {
  try {
    return { ok: true, value: await deps.prepare(input) };
  } catch (error) {
    if (error instanceof GenerationInputError) return { ok: false, problems: error.problems };
    throw error;
  }
}

function summary(p: PreparedGeneration): string {
  const r = p.request;
  const label = modelLabel(r.model);
  return vscode.l10n.t('{0}, {1} s, {2}, {3}{4}', label, r.seconds, r.size, r.resolution, '');
}

/**
 * Each reference image by its workspace-relative path; one outside the workspace folders is flagged (the
 * gate refuses it: agents may only send images from the workspace).
 */
export function describeImagesForPerson(paths: readonly string[]): string[] {
  return paths.map((file) => {
    const label = imageLabel(file);
    return label.inside
      ? vscode.l10n.t('Reference image: {0}', label.text)
      : vscode.l10n.t('⚠ Reference image outside the workspace folders: {0}. It will not be sent; agents may only use images inside the workspace.', label.text);
  });
}

/** The agent daily cap, as a line of the confirmation. */
export function describeAllowance(allowance: { limit: number; spentToday: number }): string {
  return allowance.limit > 0
    ? vscode.l10n.t('Agents may start up to {0} a day (seedance.budget.agentDailyLimit); {1} counted today.', formatUsd(allowance.limit), formatUsd(allowance.spentToday))
    : vscode.l10n.t('Agents may only estimate and list (seedance.budget.agentDailyLimit is 0): this request will be refused.');
}

export class GenerateVideoTool implements vscode.LanguageModelTool<GenerateInput> {
  constructor(private readonly deps: AgentToolDeps) {}

  async prepareInvocation(
    options: vscode.LanguageModelToolInvocationPrepareOptions<GenerateInput>,
  ): Promise<vscode.PreparedToolInvocation> {
    const check = await prepared(this.deps, options.input);
    // Invalid input sends nothing, so there is nothing to confirm: invoke answers with the rules.
    if (!check.ok) return { invocationMessage: vscode.l10n.t('Checking the video request') };
    const request = check.value.request;
    const cost = describeEstimateForPerson(this.deps.estimate(options.input), request.seconds);
    const images = [request.inputReference, ...(request.moreReferences ?? [])].filter((i) => i !== undefined).map((i) => i.path);
    const message = [
      this.deps.destination(),
      vscode.l10n.t('Settings: {0}.', summary(check.value)),
      ...describeImagesForPerson(images),
      vscode.l10n.t('Prompt: {0}', request.prompt),
      cost,
      describeAllowance(this.deps.agentAllowance()),
    ].join('\n\n');
    return {
      invocationMessage: vscode.l10n.t('Requesting a Seedance video'),
      confirmationMessages: { title: vscode.l10n.t('Generate a video with Seedance?'), message },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<GenerateInput>): Promise<vscode.LanguageModelToolResult> {
    const check = await prepared(this.deps, options.input);
    if (!check.ok) return toolResult(describeInvalidInput(check.problems), { ok: false, problems: check.problems });
    if (!(await this.deps.hasApiKey())) return toolResult(NO_KEY_TEXT, { ok: false, reason: 'noApiKey' });
    const request = check.value.request;
    const estimate = this.deps.estimate(options.input);
    try {
      const id = await this.deps.generate(options.input);
      const task = this.deps.store.findByRemoteId(id);
      const view = task ? taskView(task) : { id, status: 'queued' as const, progress: 0, ...request };
      const folder = this.deps.outputFolder();
      return toolResult(describeSubmitted(view, describeEstimate(estimate, request.model, request.seconds), folder), {
        ok: true, taskId: id, estimate, outputFolder: folder, task: view,
      });
    } catch (error) {
      return failure(error);
    }
  }
}

export class EstimateCostTool implements vscode.LanguageModelTool<GenerateInput> {
  constructor(private readonly deps: AgentToolDeps) {}

  prepareInvocation(): vscode.PreparedToolInvocation {
    return { invocationMessage: vscode.l10n.t('Estimating the cost of a Seedance video') };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<GenerateInput>): Promise<vscode.LanguageModelToolResult> {
    const check = await prepared(this.deps, options.input);
    if (!check.ok) return toolResult(describeInvalidInput(check.problems), { ok: false, problems: check.problems });
    const r = check.value.request;
    const estimate = this.deps.estimate(options.input);
    const text = [`For ${r.model}, ${r.seconds} s, ${r.size}, ${r.resolution}:`, describeEstimate(estimate, r.model, r.seconds), 'Nothing was sent.'].join('\n');
    return toolResult(text, { ok: true, request: settingsOf(r), ...estimate });
  }
}

/** The person-facing price line of a confirmation. */
export function describeEstimateForPerson(estimate: { usd?: number; perSecond?: number }, seconds?: number): string {
  if (estimate.usd === undefined) return vscode.l10n.t('Estimated cost: price unknown (set one in the seedance.pricing setting).');
  const usd = formatUsd(estimate.usd);
  return estimate.perSecond !== undefined && seconds !== undefined
    ? vscode.l10n.t('Estimated cost: {0} ({1} s at {2}). An estimate, not a bill.', usd, seconds, formatPerSecond(estimate.perSecond))
    : vscode.l10n.t('Estimated cost: {0}. An estimate, not a bill.', usd);
}

/** Every way a generate call can end without a task id, as an answer the model can act on. */
export function failure(error: unknown): vscode.LanguageModelToolResult {
  if (error instanceof GenerationInputError) {
    return toolResult(describeInvalidInput(error.problems), { ok: false, problems: error.problems });
  }
  if (error instanceof UncertainSubmissionError) {
    return toolResult(describeUncertain(error.task.localId), { ok: false, reason: 'uncertain', localId: error.task.localId });
  }
  if (error instanceof GateRefusedError) {
    // The rule in words the agent can relay; it must not try again by itself.
    return toolResult(`Nothing was sent. ${error.message}`, { ok: false, reason: 'refused', rule: error.reason, limit: error.refusal.limit, spent: error.refusal.spent, estimatedUsd: error.refusal.usd });
  }
  if (error instanceof ApiError && error.kind === 'auth') {
    return toolResult(`${NO_KEY_TEXT.replace('no CometAPI API key is set', 'CometAPI did not accept the API key, or none is set')}`, { ok: false, reason: 'auth' });
  }
  const message = error instanceof Error ? error.message : String(error);
  const kind = error instanceof ApiError ? error.kind : error instanceof Error ? error.name : 'error';
  return toolResult(`Nothing was generated: ${message}\nTell the user; do not retry by yourself unless the message says it is safe.`, { ok: false, reason: kind, message });
}
