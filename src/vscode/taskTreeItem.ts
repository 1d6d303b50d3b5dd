// How one task looks in the Seedance view: label (shortened prompt), status icon, progress and elapsed
// time, a tooltip with the prompt and every parameter, and a contextValue that menus match on.
import * as vscode from 'vscode';
import { describeModel, modelLabel } from '../core/catalog';
import type { TrackedTask } from '../core/tasks/task';
import { imagesOf } from '../core/requestImages';
import { shortPrompt } from '../core/prompt';
import { failureWords, storedReasonWords } from './errorWords';

/** The element type of the tree: one stable object per task, keyed by the task's local id. */
export interface TaskNode {
  readonly localId: string;
}

/** "42s", "3m 05s", "1h 02m". */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

function elapsed(task: TrackedTask, now: number): string {
  const start = task.submittedAt ?? task.createdAt;
  return formatElapsed((task.finishedAt ?? now) - start);
}

/** Menus match these tokens with regular expressions (see package.json view/item/context). */
export function contextValueOf(task: TrackedTask): string {
  const parts = ['seedanceTask', `status:${task.status}`, `download:${task.download.state}`];
  if (task.remoteId) parts.push('hasRemoteId');
  if (task.startedBy === 'agent') parts.push('startedBy:agent');
  return parts.join(' ');
}

export function iconOf(task: TrackedTask): vscode.ThemeIcon {
  const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
  switch (task.status) {
    case 'submitting':
      return icon('cloud-upload', 'charts.blue');
    case 'queued':
      return icon('clock', 'charts.blue');
    case 'running':
      return icon('sync~spin', 'charts.blue');
    case 'stalled':
      return icon('watch', 'charts.orange');
    case 'uncertain':
      return icon('question', 'list.warningForeground');
    case 'failed':
      return icon('error', 'testing.iconFailed');
    case 'succeeded':
      switch (task.download.state) {
        case 'downloaded':
          return icon('pass-filled', 'testing.iconPassed');
        case 'downloading':
          return icon('loading~spin', 'charts.green');
        case 'failed':
          return icon('warning', 'list.warningForeground');
        case 'none':
          return icon('cloud-download', 'charts.green');
      }
  }
}

/**
 * While a task is moving, its state (progress, elapsed time) leads the label: the sidebar is narrow by default
 * and cuts the description first, which hid exactly what a person watches. Undefined once nothing is moving
 * (the icon and the description say the rest).
 */
export function movingStateOf(task: TrackedTask, now: number): string | undefined {
  const time = elapsed(task, now);
  switch (task.status) {
    case 'submitting':
      return vscode.l10n.t('Sending…');
    case 'queued':
      return vscode.l10n.t('Queued · {0}', time);
    case 'running':
    case 'stalled':
      return vscode.l10n.t('{0}% · {1}', task.progress, time);
    case 'succeeded':
      return task.download.state === 'downloading' ? downloadingText(task.download) : undefined;
    default:
      return undefined;
  }
}

function downloadingText(download: { readonly bytes?: number; readonly total?: number }): string {
  return download.total ? vscode.l10n.t('Downloading {0}%', Math.floor(((download.bytes ?? 0) / download.total) * 100)) : vscode.l10n.t('Downloading…');
}

export function descriptionOf(task: TrackedTask, now: number): string {
  const time = elapsed(task, now);
  switch (task.status) {
    case 'submitting':
    case 'queued':
    case 'running':
      return movingStateOf(task, now)!;
    case 'stalled':
      return vscode.l10n.t('Still not finished · {0}% · {1}', task.progress, time);
    case 'uncertain':
      return vscode.l10n.t('May have been submitted');
    case 'failed':
      return vscode.l10n.t('Failed · {0}', time);
    case 'succeeded':
      switch (task.download.state) {
        case 'downloading':
          return downloadingText(task.download);
        case 'downloaded':
          return vscode.l10n.t('Done · {0}', time);
        case 'failed':
          return vscode.l10n.t('Download failed · {0}', time);
        case 'none':
          return vscode.l10n.t('Ready to download · {0}', time);
      }
  }
}

function statusText(task: TrackedTask): string {
  switch (task.status) {
    case 'submitting':
      return vscode.l10n.t('Sending the request');
    case 'queued':
      return vscode.l10n.t('Queued');
    case 'running':
      return vscode.l10n.t('Generating ({0}%)', task.progress);
    case 'stalled':
      return vscode.l10n.t('Taking unusually long: checked every few minutes (Keep Waiting checks it closely again)');
    case 'uncertain':
      return vscode.l10n.t('Uncertain: may have been submitted');
    case 'failed':
      return vscode.l10n.t('Failed');
    case 'succeeded':
      return task.download.state === 'downloaded' ? vscode.l10n.t('Done, saved') : task.download.state === 'failed' ? vscode.l10n.t('Done, download failed') : vscode.l10n.t('Done');
  }
}

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\r?\n/g, ' ');
}

export function tooltipOf(task: TrackedTask): vscode.MarkdownString {
  const { request } = task;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${cell(statusText(task))}**\n\n`);
  // Not appendText: it turns every space into &nbsp;, leaving the hover no place to wrap but mid-word.
  md.appendMarkdown(`> ${cell(request.prompt.replace(/\s+/g, ' ').trim())}\n\n`);
  const model = describeModel(request.model);
  const rows: [string, string][] = [
    [vscode.l10n.t('Model'), model ? `${model.label} (${request.model})` : request.model],
    [vscode.l10n.t('Duration'), vscode.l10n.t('{0} s', request.seconds)],
    [vscode.l10n.t('Aspect ratio'), request.size],
    [vscode.l10n.t('Resolution'), request.resolution],
  ];
  const images = imagesOf(request);
  if (images.length === 1) rows.push([vscode.l10n.t('Reference image'), images[0].name]);
  // Several: every one, numbered in upload order (the order a prompt's "[Image 2]" refers to).
  else images.forEach((image, i) => rows.push([vscode.l10n.t('Reference image {0}', i + 1), image.name]));
  if (task.remoteId) rows.push([vscode.l10n.t('Task ID'), task.remoteId]);
  if (task.startedBy === 'agent') rows.push([vscode.l10n.t('Started by'), vscode.l10n.t('An agent, through the Seedance MCP server')]);
  rows.push([vscode.l10n.t('Requested'), new Date(task.createdAt).toLocaleString()]);
  if (task.file && task.download.state === 'downloaded') rows.push([vscode.l10n.t('File'), task.file]);
  if (task.failure) rows.push([vscode.l10n.t('Reason'), failureWords(task.failure, vscode.l10n)]);
  if (task.download.state === 'failed' && task.download.error) rows.push([vscode.l10n.t('Download'), storedReasonWords(task.download.error, vscode.l10n)]);
  md.appendMarkdown(`| | |\n|---|---|\n${rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`).join('\n')}\n`);
  return md;
}

/** The item without its tooltip (built on hover by TaskTreeProvider.resolveTreeItem). */
export function taskTreeItem(task: TrackedTask, now: number): vscode.TreeItem {
  const moving = movingStateOf(task, now);
  const prompt = shortPrompt(task.request.prompt);
  const item = new vscode.TreeItem(moving ? `${moving} · ${prompt}` : prompt, vscode.TreeItemCollapsibleState.None);
  item.id = task.localId;
  item.iconPath = iconOf(task);
  // The state already leads the label while moving; then the description names the model instead.
  item.description = moving ? modelLabel(task.request.model) : descriptionOf(task, now);
  if (task.startedBy === 'agent') item.description = vscode.l10n.t('{0} · agent', item.description as string);
  item.contextValue = contextValueOf(task);
  item.accessibilityInformation = { label: `${prompt}, ${statusText(task)}${moving ? `, ${moving}` : ''}` };
  if (task.status === 'succeeded' && task.download.state === 'downloaded' && task.file) {
    item.command = { command: 'seedance.previewTask', title: vscode.l10n.t('Preview'), arguments: [{ localId: task.localId }] };
  }
  return item;
}
