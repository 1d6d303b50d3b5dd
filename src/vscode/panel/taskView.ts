// A tracked task as one result card sees it. The public snapshot supplies the words for errors (one
// source for "why it failed"); the card also needs the finer status (submitting, stalled, uncertain) and
// the download's progress, and a URI the webview may load the video from.
import * as path from 'node:path';
import { toPublicSnapshot, type TrackedTask } from '../../core/tasks/task';
import type { TaskView } from '../../shared/protocol';

/** `videoUri` maps an absolute file path to a webview URI (webview.asWebviewUri). */
export function toTaskView(task: TrackedTask, videoUri: (file: string) => string): TaskView {
  const snapshot = toPublicSnapshot(task);
  const { bytes, total } = task.download;
  return {
    id: task.localId,
    status: task.status,
    progress: task.progress,
    prompt: snapshot.prompt,
    model: snapshot.model,
    seconds: snapshot.seconds,
    size: snapshot.size,
    resolution: snapshot.resolution,
    createdAt: task.createdAt,
    download: { state: task.download.state, ...(bytes !== undefined ? { bytes } : {}), ...(total !== undefined ? { total } : {}) },
    ...(snapshot.error !== undefined ? { error: snapshot.error } : {}),
    ...(snapshot.file !== undefined ? { video: { uri: videoUri(snapshot.file), fileName: path.basename(snapshot.file) } } : {}),
  };
}
