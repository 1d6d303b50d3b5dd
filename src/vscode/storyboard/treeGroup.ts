// Storyboard takes in the Seedance view: grouped under one node per storyboard (the tree provider asks
// here), so a film's takes do not drown single generations and the group opens the preview.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { homeWorkspaceFolder } from '../workspaceFolder';
import { STORYBOARD_SUFFIX } from '../../core/storyboard/takes';
import type { TrackedTask } from '../../core/tasks/task';

/** A group node's id prefix; task local ids are UUIDs, so the two never collide. */
export const GROUP_PREFIX = 'storyboard:';

export function storyboardGroupItem(file: string, tasks: readonly TrackedTask[]): vscode.TreeItem {
  const base = path.posix.basename(file);
  const name = base.toLowerCase().endsWith(STORYBOARD_SUFFIX) ? base.slice(0, -STORYBOARD_SUFFIX.length) : base;
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `${GROUP_PREFIX}${file}`;
  item.iconPath = new vscode.ThemeIcon('list-ordered');
  item.description = vscode.l10n.t('storyboard · {0} takes', tasks.length);
  item.tooltip = file;
  item.contextValue = 'storyboardGroup';
  const folder = homeWorkspaceFolder();
  if (folder) {
    const uri = vscode.Uri.joinPath(folder.uri, ...file.split('/'));
    item.resourceUri = uri;
    item.command = { title: vscode.l10n.t('Open Storyboard Preview'), command: 'seedance.storyboard.preview', arguments: [uri] };
  }
  return item;
}
