// A task as the agent tools (language model tools and the MCP server) report it: the public snapshot (never
// the signed URL), its file relative to the workspace folder, the storyboard it is a take of, and whether an
// agent started it. One function for both, so the two report the same facts in the same words.
import { fieldsOf } from '../generationRequest';
import { relativeInside } from '../files/pathContainment';
import { toPublicSnapshot, type TrackedTask } from '../tasks/task';
import type { AgentTaskView } from './resultText';

/** A path for the model: relative to the workspace folder when inside it, absolute otherwise. */
export function pathForAgent(root: string | undefined, file: string | undefined): string | undefined {
  if (!file) return undefined;
  if (!root) return file;
  // The folder itself stays absolute: an empty path would say nothing.
  return relativeInside(root, file) || file;
}

export function agentTaskView(task: TrackedTask, displayPath: (file: string | undefined) => string | undefined): AgentTaskView {
  const snapshot = toPublicSnapshot(task);
  const storyboard = task.request.storyboard;
  return {
    id: snapshot.id,
    status: snapshot.status,
    progress: snapshot.progress,
    ...fieldsOf(snapshot),
    ...(snapshot.file ? { file: displayPath(snapshot.file) } : {}),
    ...(snapshot.error ? { error: snapshot.error } : {}),
    ...(storyboard ? { storyboard: { file: storyboard.file, shotId: storyboard.shotId } } : {}),
  };
}
