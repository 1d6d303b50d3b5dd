// Tree commands receive the tree node; the panel, notifications and other callers may pass a node-like
// object or a task id (the extension's own id or the service's). One resolver for all of them.
import * as vscode from 'vscode';
import type { TrackedTask } from '../../core/tasks/task';
import type { TaskStore } from '../../core/tasks/taskStore';

export function resolveTask(store: TaskStore, arg: unknown): TrackedTask {
  let id: string | undefined;
  if (typeof arg === 'string') id = arg;
  else if (typeof arg === 'object' && arg !== null && typeof (arg as { localId?: unknown }).localId === 'string') id = (arg as { localId: string }).localId;
  else if (typeof arg === 'object' && arg !== null && typeof (arg as { id?: unknown }).id === 'string') id = (arg as { id: string }).id;
  const task = id === undefined ? undefined : store.get(id) ?? store.findByRemoteId(id);
  if (!task) throw new Error(vscode.l10n.t('Choose a video in the Seedance view first.'));
  return task;
}
