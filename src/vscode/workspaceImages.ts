// Reference images as confirmations show them (issue 17): workspace-relative when inside the workspace
// folders, otherwise the full path, flagged, because agents and storyboards may only send images from the
// workspace (a person picking a file in a dialog may choose any; the gate's prepare step enforces the rule).
import * as vscode from 'vscode';
import { workspaceFolderHolding } from './workspaceFolder';
import { relativeInside } from '../core/files/pathContainment';

/**
 * An image path for a confirmation: workspace-relative (against whichever folder holds it) when inside
 * the workspace folders; otherwise the full path, flagged, because agents and storyboards may not send it.
 */
export function imageLabel(file: string): { readonly text: string; readonly inside: boolean } {
  const folder = workspaceFolderHolding(file);
  const shown = folder ? relativeInside(folder.uri.fsPath, file) : undefined;
  if (!folder || !shown) return { text: file, inside: false };
  return { text: (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${folder.name}/${shown}` : shown, inside: true };
}

/** The confirmation line for a storyboard's images outside the workspace (empty when there are none). */
export function outsideImagesLine(shots: readonly { readonly label: string; readonly imagePaths: readonly string[] }[]): string[] {
  const outside = shots.flatMap((s) => s.imagePaths.map((p) => imageLabel(p)).filter((l) => !l.inside).map((l) => `${s.label}: ${l.text}`));
  return outside.length
    ? [vscode.l10n.t('⚠ Reference images outside the workspace folders (those shots will be refused; storyboards may only use images inside the workspace): {0}.', outside.join('; '))]
    : [];
}
