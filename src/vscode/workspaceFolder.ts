// VS Code's side of the one rule for "which workspace folder" (src/core/workspaceFolder.ts): the first
// workspace folder on the local disk holds what Seedance Studio writes and is what paths are shown against;
// a file's own folder is asked only about an existing file. Every caller goes through here.
import * as vscode from 'vscode';
import { folderHolding, homeFolder, localFolders } from '../core/workspaceFolder';

/** The workspace folder videos, takes, storyboards and agents' files belong to (undefined: none open). */
export function homeWorkspaceFolder(): vscode.WorkspaceFolder | undefined {
  return homeFolder(vscode.workspace.workspaceFolders);
}

/** The home folder's path on disk (see homeWorkspaceFolder). */
export function homeWorkspaceRoot(): string | undefined {
  return homeWorkspaceFolder()?.uri.fsPath;
}

/** Every workspace folder on the local disk (where reference images may come from). */
export function localWorkspaceFolders(): vscode.WorkspaceFolder[] {
  return localFolders(vscode.workspace.workspaceFolders);
}

/** The workspace folder that holds an existing file, if any. */
export function workspaceFolderHolding(file: string | vscode.Uri): vscode.WorkspaceFolder | undefined {
  const fsPath = typeof file === 'string' ? file : file.scheme === 'file' ? file.fsPath : undefined;
  return fsPath === undefined ? undefined : folderHolding(vscode.workspace.workspaceFolders, fsPath);
}
