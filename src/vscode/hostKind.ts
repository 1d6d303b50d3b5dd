// What the window running the UI can do with a saved video. The extension runs where the workspace is
// (extensionKind: workspace); the person may be elsewhere: VS Code in a browser (code-server, vscode.dev,
// Codespaces) or a desktop window on a remote (SSH, WSL, containers). There the file manager and the system
// player belong to a machine other than the file's ("revealFileInOS" does not even exist in the browser, and
// openExternal of a file URI goes nowhere useful), so those actions are replaced by a download of the file to
// the person's own computer, which every host can do.
import * as vscode from 'vscode';

/** Context key for menus: true when files in the workspace are on the machine showing the UI. */
export const FILES_ARE_LOCAL_CONTEXT = 'seedance.filesAreLocal';

export function filesAreLocal(): boolean {
  return vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined;
}

export function updateHostContext(): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', FILES_ARE_LOCAL_CONTEXT, filesAreLocal());
}

/** The Seedance view, shown again after a download if it was showing before (see downloadToComputer). */
export interface SidebarHome {
  readonly visible: boolean;
  show(): Thenable<unknown>;
}

let home: SidebarHome | undefined;

/** Set by the features: the view a download to this computer returns the sidebar to. */
export function setSidebarHome(view: SidebarHome | undefined): void {
  home = view;
}

/**
 * Downloads a workspace file to the person's computer with VS Code's own Explorer "Download..." (browser:
 * a browser download; remote desktop: a save dialog on the local machine). That command acts on the Explorer's
 * selection, so the file is revealed (and selected) there first; the Seedance view, when it was showing, is
 * shown again afterwards, so the sidebar does not stay switched to the Explorer.
 */
export async function downloadToComputer(uri: vscode.Uri): Promise<void> {
  const returnTo = home?.visible ? home : undefined;
  await vscode.commands.executeCommand('revealInExplorer', uri);
  try {
    await vscode.commands.executeCommand('explorer.download');
  } finally {
    await returnTo?.show();
  }
}
