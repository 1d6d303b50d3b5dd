// What the language model tools answer: plain English sentences a model reads well, next to the same facts
// as JSON. These texts are read by a language model, not shown as UI, so they are not localized; what a
// person sees (the confirmation before a paid request) is worded at the VS Code edge through vscode.l10n.
// Nothing here ever carries the API key or a signed video URL: the views are built from public snapshots.

import { acceptsReferenceImage, MODELS, type ModelInfo } from '../catalog';
import { formatPerSecond, formatUsd, type CostEstimate } from '../pricing/estimate';
import type { PublicTaskSnapshot } from '../tasks/task';

/**
 * A task as the tools report it: the public snapshot (never the signed URL), its file relative to the
 * workspace folder when it is inside it, and the storyboard shot it is a take of.
 */
export type AgentTaskView = PublicTaskSnapshot & { readonly storyboard?: { readonly file: string; readonly shotId: string } };

/** The estimate the pricing code makes. */
export type EstimateView = CostEstimate;

const SOURCE_WORDS: Record<EstimateView['source'], string> = {
  catalogue: "CometAPI's live price list",
  table: "the extension's built-in price table",
  setting: "the user's seedance.pricing setting",
  unknown: 'no known price',
};


/** One sentence on the price; never "$0" for a price nobody knows. */
export function describeEstimate(estimate: EstimateView, model: string, seconds: number): string {
  if (estimate.usd === undefined) {
    return `Estimated cost: unknown (there is no known price for ${model}; the user can set one in the seedance.pricing setting).`;
  }
  const rate = estimate.perSecond !== undefined ? ` (${seconds} s at ${formatPerSecond(estimate.perSecond)})` : '';
  return `Estimated cost: about ${formatUsd(estimate.usd)}${rate}, from ${SOURCE_WORDS[estimate.source]}. This is an estimate, not a bill.`;
}

/** The total of a batch; undefined when some part has no known price. */
export function describeTotal(usd: number | undefined): string {
  return usd === undefined
    ? 'Estimated total: unknown (some shots have no known price).'
    : `Estimated total: about ${formatUsd(usd)}. This is an estimate, not a bill.`;
}

function modelRules(model: ModelInfo): string {
  const image = acceptsReferenceImage(model) ? `accepts up to ${model.maxReferenceImages} reference images` : 'text only (no reference image)';
  return `${model.id} (${model.label}): ${model.minSeconds}-${model.maxSeconds} s; ${model.resolutions.join(', ')}; sizes ${model.sizes.join(', ')}; ${image}.`;
}

/** The rules every generation must respect, one line per model, for a model to correct its input. */
export function catalogueRules(): string {
  return ['The Seedance models and what each accepts:', ...MODELS.map((m) => `- ${modelRules(m)}`)].join('\n');
}

/** Invalid input: what was wrong, the rules, and that nothing was sent. */
export function describeInvalidInput(problems: readonly string[]): string {
  return [
    'Nothing was sent: the input is invalid.',
    ...problems.map((p) => `- ${p}`),
    catalogueRules(),
    'Correct the input and call the tool again.',
  ].join('\n');
}

function statusWords(task: AgentTaskView): string {
  switch (task.status) {
    case 'queued':
      return 'queued at CometAPI (waiting to start)';
    case 'running':
      return task.progress > 0 ? `generating (${task.progress}% done)` : 'generating';
    case 'succeeded':
      return task.file ? 'finished and downloaded' : 'finished; the video is being downloaded into the workspace';
    case 'failed':
      return 'failed';
  }
}

/** One task, as a few sentences. */
export function describeTask(task: AgentTaskView): string {
  const lines = [
    `Video ${task.id}: ${statusWords(task)}.`,
    `Prompt: "${task.prompt}"`,
    `Settings: ${task.model}, ${task.seconds} s, ${task.size}, ${task.resolution}.`,
  ];
  if (task.storyboard) lines.push(`Storyboard: ${task.storyboard.file}, shot ${task.storyboard.shotId}.`);
  if (task.file) lines.push(`File: ${task.file}`);
  if (task.error) lines.push(`Reason: ${task.error}`);
  if (task.status === 'queued' || task.status === 'running') {
    lines.push('Generation takes minutes. Check again later with seedance_get_video; do not submit it again.');
  }
  return lines.join('\n');
}

export function describeTaskList(tasks: readonly AgentTaskView[], total: number, filter: string): string {
  if (tasks.length === 0) return `No videos${filter ? ` ${filter}` : ''} in this workspace yet.`;
  const head = `${total} video(s)${filter ? ` ${filter}` : ''}; ${tasks.length < total ? `the newest ${tasks.length}` : 'all'}, newest first:`;
  const rows = tasks.map((t) => {
    const where = t.file ? `, file ${t.file}` : '';
    const why = t.error ? `, reason: ${t.error}` : '';
    return `- ${t.id}: ${statusWords(t)}${where}${why}. "${shorten(t.prompt, 80)}" (${t.model}, ${t.seconds} s, ${t.size}, ${t.resolution})`;
  });
  return [head, ...rows].join('\n');
}

/** The answer to a generate call that was accepted. */
export function describeSubmitted(task: AgentTaskView, estimate: string, outputFolder: string | undefined): string {
  return [
    `Submitted. CometAPI accepted the request as task ${task.id}.`,
    `Settings: ${task.model}, ${task.seconds} s, ${task.size}, ${task.resolution}.`,
    estimate,
    outputFolder
      ? `When it is ready (usually 1-3 minutes), the video is downloaded into ${outputFolder} and listed in the Seedance view.`
      : 'When it is ready (usually 1-3 minutes), it is listed in the Seedance view (no workspace folder is open, so it is not saved into one).',
    'Do not wait for it in this call and do not submit it again: check on it later with seedance_get_video.',
  ].join('\n');
}

/** The answer when no key is stored: the model must ask the person. */
export const NO_KEY_TEXT =
  'Nothing was sent: no CometAPI API key is set. Ask the user to run the command "Seedance: Set API Key" and then try again.';

/** The answer when the request may have reached CometAPI without an answer. */
export function describeUncertain(localId: string): string {
  return [
    `The request may have reached CometAPI, but no answer came back, so it may be generating (and billed) already.`,
    `It is listed in the Seedance view as ${localId} ("may have been sent").`,
    'Do not submit it again by yourself: ask the user to check their CometAPI usage and decide.',
  ].join('\n');
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export { formatUsd };
