// What a command's arguments may be, and the one place they are checked: arguments come from menus (the
// tree node), keybindings (nothing), notifications and the panel (a node-like object or an id), other
// extensions, tasks and tests (ids, paths, URI strings), so a handler never trusts their declared type.
import * as vscode from 'vscode';
import type { TrackedTask } from '../../core/tasks/task';
import type { TaskStore } from '../../core/tasks/taskStore';

/** A task: the tree's node ({ localId }), a node-like { id }, or an id (the extension's own or the service's). */
export type TaskRef = string | { readonly localId: string } | { readonly id: string };

/** A storyboard: its Uri, a URI string or a file path; none means the active editor's. */
export type StoryboardRef = vscode.Uri | string;

/** The task an argument names, or an error that says where to choose one. */
export function resolveTask(store: TaskStore, arg: unknown): TrackedTask {
  const id = taskId(arg);
  const task = id === undefined ? undefined : store.get(id) ?? store.findByRemoteId(id);
  if (!task) throw new Error(vscode.l10n.t('Choose a video in the Seedance view first.'));
  return task;
}

function taskId(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { localId, id } = arg as { localId?: unknown; id?: unknown };
  if (typeof localId === 'string') return localId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * A Uri, a URI string ("file:///…", "untitled:…"), or a file path (POSIX or Windows: a one-letter "scheme"
 * is a drive); undefined for anything else, including ''.
 */
export function uriArgument(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg !== 'string' || arg === '') return undefined;
  return /^[a-zA-Z][\w+.-]+:/.test(arg) ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
}
