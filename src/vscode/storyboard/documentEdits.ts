// Writing into the person's storyboard: a shot's id (the first time it is generated) and the chosen take.
// Every change goes through src/core/storyboard/edits.ts (the YAML document model, read back before it is
// returned) and is applied as a WorkspaceEdit on the document, so Undo takes it back and the open editor
// keeps its cursor. The person's file is never saved behind their back: a storyboard shown in an editor
// stays unsaved (the id appears in front of them and is saved with their work). Only a file that no editor
// shows and that had no unsaved changes is saved, since the edit would otherwise live in a hidden buffer.
import * as vscode from 'vscode';
import { editShotSetting, newShotId, type TextEdit } from '../../core/storyboard/edits';
import { findShot, parseStoryboard, shotKey, type Shot, type ShotKey } from '../../core/storyboard/parse';

async function documentOf(uri: vscode.Uri): Promise<vscode.TextDocument> {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? vscode.workspace.openTextDocument(uri);
}

/** Whether an editor tab shows the file (then its unsaved state is the person's business). */
function shownInEditor(uri: vscode.Uri): boolean {
  const same = (other: vscode.Uri | undefined) => other !== undefined && other.scheme === uri.scheme && other.fsPath === uri.fsPath;
  if (vscode.window.visibleTextEditors.some((e) => same(e.document.uri))) return true;
  // Any tab showing the file (a text or diff editor in the background counts: the person opened it).
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => {
    const input = t.input as { uri?: vscode.Uri; modified?: vscode.Uri } | undefined;
    return same(input?.uri) || same(input?.modified);
  }));
}

async function apply(document: vscode.TextDocument, edits: readonly TextEdit[]): Promise<void> {
  if (edits.length === 0) return;
  const saveAfter = !document.isDirty && !shownInEditor(document.uri);
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) {
    edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.text);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(vscode.l10n.t('Could not write into {0}; is it read-only?', vscode.workspace.asRelativePath(document.uri)));
  if (saveAfter) await document.save();
}

function refused(uri: vscode.Uri, shot: Shot, reason: string): Error {
  return new Error(vscode.l10n.t('Nothing was written into {0}: shot {1} "{2}" cannot take the change ({3}).', vscode.workspace.asRelativePath(uri), shot.index + 1, shot.title, reason));
}

/**
 * Gives every named shot (by key: id or `#N`) an id, writing the new ones into the file. `attached` names
 * the id a shot without one should get (its takes were found by its text and settings: re-attached, see
 * takeIndex.ts). Resolves with key -> id for the shots found; throws, writing nothing, when an id would not
 * read back.
 */
export async function ensureShotIds(
  uri: vscode.Uri,
  keys: readonly string[],
  attached: ReadonlyMap<number, string> = new Map(),
): Promise<Map<string, string>> {
  const document = await documentOf(uri);
  let text = document.getText();
  const taken = new Set(parseStoryboard(text).shots.map((s) => s.id).filter((id): id is string => !!id));
  for (const id of attached.values()) taken.add(id);
  const ids = new Map<string, string>();
  const edits: TextEdit[] = [];
  for (const key of keys) {
    const board = parseStoryboard(text);
    const shot = findShot(board, key) ?? board.shots.find((s) => !s.id && attached.get(s.index) === key);
    if (!shot) continue;
    if (shot.id) {
      ids.set(key, shot.id);
      continue;
    }
    const id = attached.get(shot.index) ?? newShotId(taken);
    taken.add(id);
    // Each edit is checked against the text with the edits before it (the offsets move), then applied as one.
    const result = editShotSetting(text, shot, 'id', id);
    if (!result.ok) throw refused(uri, shot, result.reason);
    ids.set(key, id);
    edits.push(result.edit);
    text = text.slice(0, result.edit.offset) + result.edit.text + text.slice(result.edit.offset + result.edit.length);
  }
  await apply(document, toOriginalOffsets(edits));
  return ids;
}

/**
 * Sets one key of one shot (by id): used for `take:`. A re-attached shot (`attached`, no id in the file)
 * gets its id written too, in the same edit. Throws, writing nothing, when it would not read back.
 */
export async function setShotValue(
  uri: vscode.Uri,
  shotId: string,
  key: ShotKey,
  value: string,
  attached: ReadonlyMap<number, string> = new Map(),
): Promise<void> {
  const document = await documentOf(uri);
  let text = document.getText();
  const edits: TextEdit[] = [];
  let shot = findShot(parseStoryboard(text), shotId);
  if (!shot) {
    const lost = parseStoryboard(text).shots.find((s) => !s.id && attached.get(s.index) === shotId);
    if (!lost) throw new Error(vscode.l10n.t('The shot "{0}" is no longer in {1}.', shotId, vscode.workspace.asRelativePath(uri)));
    const withId = editShotSetting(text, lost, 'id', shotId);
    if (!withId.ok) throw refused(uri, lost, withId.reason);
    edits.push(withId.edit);
    text = text.slice(0, withId.edit.offset) + withId.edit.text + text.slice(withId.edit.offset + withId.edit.length);
    shot = parseStoryboard(text).shots[lost.index];
  }
  const result = editShotSetting(text, shot, key, value);
  if (!result.ok) throw refused(uri, shot, result.reason);
  edits.push(result.edit);
  await apply(document, edits.length === 1 ? edits : [combine(document.getText(), text, result.edit)]);
}

/** Two edits made one after the other, as one replacement of the original text (the span both touch). */
function combine(original: string, intermediate: string, second: TextEdit): TextEdit {
  const final = intermediate.slice(0, second.offset) + second.text + intermediate.slice(second.offset + second.length);
  let start = 0;
  while (start < original.length && start < final.length && original[start] === final[start]) start++;
  let endO = original.length;
  let endF = final.length;
  while (endO > start && endF > start && original[endO - 1] === final[endF - 1]) {
    endO--;
    endF--;
  }
  return { offset: start, length: endO - start, text: final.slice(start, endF) };
}

/**
 * Edits made one after another (each on the text the previous one left) as edits of the original text:
 * each one's offset moves back by what the earlier edits before it added.
 */
function toOriginalOffsets(sequential: readonly TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (let i = 0; i < sequential.length; i++) {
    let offset = sequential[i].offset;
    for (let j = i - 1; j >= 0; j--) {
      const e = sequential[j];
      if (e.offset <= offset) offset -= e.text.length - e.length;
    }
    out.push({ ...sequential[i], offset });
  }
  return out;
}

export { shotKey };
