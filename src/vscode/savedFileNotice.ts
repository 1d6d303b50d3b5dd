// "Saved as …" with Open and Reveal: after an action writes a file the person did not pick in a dialog of
// their own (a CSV export, a second copy of a video), the notification says where it went and offers the
// next step. Not awaited by the command that wrote the file: the command's result does not wait on a click.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { workspaceFolderHolding } from './workspaceFolder';
import { filesAreLocal } from './hostKind';

/**
 * Shows `message` with Open and Reveal for `file`; resolves once the notification is answered or dismissed.
 * Never rejects (callers do not await it): a failed Open or Reveal is shown as an error of its own.
 */
export async function announceSavedFile(message: string, file: vscode.Uri): Promise<void> {
  try {
    await offer(message, file);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not show {0}: {1}', path.basename(file.fsPath), error instanceof Error ? error.message : String(error)));
  }
}

async function offer(message: string, file: vscode.Uri): Promise<void> {
  const open = vscode.l10n.t('Open');
  // Where the file is on this machine: the system's file manager. Elsewhere (a browser, a remote window) that
  // would be another machine's, so the workspace's Explorer shows it instead (when it is in the workspace).
  const local = filesAreLocal();
  const inWorkspace = workspaceFolderHolding(file) !== undefined;
  const reveal = local || inWorkspace ? vscode.l10n.t('Reveal') : undefined;
  const picked = await vscode.window.showInformationMessage(message, open, ...(reveal ? [reveal] : []));
  if (picked === open) await vscode.commands.executeCommand('vscode.open', file);
  else if (picked === reveal) await vscode.commands.executeCommand(local ? 'revealFileInOS' : 'revealInExplorer', file);
}

/** The path relative to the workspace folder when the file is inside it, else the whole path. */
export function describeLocation(file: vscode.Uri): string {
  return vscode.workspace.asRelativePath(file, false);
}
