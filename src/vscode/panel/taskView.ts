// A tracked task as one result card sees it. The public snapshot supplies the words for errors (one
// source for "why it failed"); the card also needs the finer status (submitting, stalled, uncertain) and
// the download's progress, and a URI the webview may load the video from.
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { fieldsOf } from '../../core/generationRequest';
import { isRunning, toPublicSnapshot, type TaskRequest, type TrackedTask } from '../../core/tasks/task';
import type { TaskView } from '../../shared/protocol';
import { failureWords, storedReasonWords } from '../errorWords';

export interface TaskViewOptions {
  /** Maps an absolute file path to a webview URI (webview.asWebviewUri). */
  readonly videoUri: (file: string) => string;
  /** What was learned about this setting's duration (durationEstimate.ts), in ms; undefined: nothing yet. */
  readonly typicalMs?: (request: TaskRequest) => number | undefined;
  /** Epoch ms (the store's clock). */
  readonly now?: number;
}

export function toTaskView(task: TrackedTask, options: TaskViewOptions): TaskView {
  const snapshot = toPublicSnapshot(task);
  const { bytes, total } = task.download;
  const now = options.now ?? Date.now();
  const start = task.submittedAt ?? task.createdAt;
  const typical = isRunning(task) ? options.typicalMs?.(task.request) : undefined;
  // The service's reason, then what to do about it (try again later; not charged).
  // Core's own stored reasons are English; said in the display language here (errorWords.ts).
  const error = task.status === 'failed' && task.failure ? failureWords(task.failure, l10n) : snapshot.error && storedReasonWords(snapshot.error, l10n);
  return {
    id: task.localId,
    status: task.status,
    progress: task.progress,
    ...fieldsOf(snapshot),
    createdAt: task.createdAt,
    elapsedMs: Math.max(0, (task.finishedAt ?? now) - start),
    ...(typical !== undefined && Number.isFinite(typical) && typical > 0 ? { typicalMs: Math.round(typical) } : {}),
    download: { state: task.download.state, ...(bytes !== undefined ? { bytes } : {}), ...(total !== undefined ? { total } : {}) },
    ...(error !== undefined ? { error } : {}),
    ...(snapshot.file !== undefined ? { video: { uri: options.videoUri(snapshot.file), fileName: path.basename(snapshot.file) } } : {}),
    // The same rule as the poller's checkAgain and the Seedance view's menu.
    ...(task.status === 'failed' && task.remoteId ? { canCheckAgain: true } : {}),
  };
}
