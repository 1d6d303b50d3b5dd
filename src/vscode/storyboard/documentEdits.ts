// Writing into the person's storyboard: a shot's id (the first time it is generated) and the chosen take.
// Done as a WorkspaceEdit (undo works, the open editor keeps its cursor), then saved, so the file in the
// repository says which takes belong to which shot and which one is in the film.
import * as vscode from 'vscode';
import { lineBreakOf, newShotId, setShotSetting, type TextEdit } from '../../core/storyboard/edits';
import { findShot, parseStoryboard, shotKey, type ShotKey } from '../../core/storyboard/parse';

async function documentOf(uri: vscode.Uri): Promise<vscode.TextDocument> {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? vscode.workspace.openTextDocument(uri);
}

async function apply(document: vscode.TextDocument, edits: readonly TextEdit[]): Promise<void> {
  if (edits.length === 0) return;
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) {
    edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.text);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(vscode.l10n.t('Could not write into {0}; is it read-only?', vscode.workspace.asRelativePath(document.uri)));
  await document.save();
}

/**
 * Gives every named shot (by key: id or `#N`) an id, writing the new ones into the file. Resolves with
 * key -> id for the shots found.
 */
export async function ensureShotIds(uri: vscode.Uri, keys: readonly string[]): Promise<Map<string, string>> {
  const document = await documentOf(uri);
  const text = document.getText();
  const board = parseStoryboard(text);
  const taken = new Set(board.shots.map((s) => s.id).filter((id): id is string => !!id));
  const ids = new Map<string, string>();
  const edits: TextEdit[] = [];
  for (const key of keys) {
    const shot = findShot(board, key);
    if (!shot) continue;
    if (shot.id) {
      ids.set(key, shot.id);
      continue;
    }
    const id = newShotId(taken);
    taken.add(id);
    ids.set(key, id);
    edits.push(setShotSetting(text, shot, 'id', id, lineBreakOf(text)));
  }
  await apply(document, edits);
  return ids;
}

/** Sets one key of one shot (by id) and saves: used for `take:`. */
export async function setShotValue(uri: vscode.Uri, shotId: string, key: ShotKey, value: string): Promise<void> {
  const document = await documentOf(uri);
  const text = document.getText();
  const shot = findShot(parseStoryboard(text), shotId);
  if (!shot) throw new Error(vscode.l10n.t('The shot "{0}" is no longer in {1}.', shotId, vscode.workspace.asRelativePath(uri)));
  await apply(document, [setShotSetting(text, shot, key, value, lineBreakOf(text))]);
}

export { shotKey };
