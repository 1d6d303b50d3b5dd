// Squiggles as the person types, from the same checks Generate applies (src/core/storyboard/rules.ts), and
// the quick fixes where one value fixes the problem. The words come from core in English; the catalogue's
// messages are shared with the simulator's and the panel's, so they are not translated here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { newShotId } from '../../core/storyboard/edits';
import { setShotSetting } from '../../core/storyboard/edits';
import { parseStoryboard } from '../../core/storyboard/parse';
import type { StoryboardProblem } from '../../core/storyboard/rules';
import { isStoryboardUri, STORYBOARD_SELECTOR, type StoryboardService } from './storyboardService';

const SOURCE = 'Seedance storyboard';
const ORPHAN_CODE = 'orphanTakes';


export class StoryboardDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('seedance-storyboard');
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly versions = new Map<string, number>();

  constructor(private readonly service: StoryboardService) {
    this.subscriptions.push(
      this.collection,
      service.onDidChange((uri) => {
        for (const d of vscode.workspace.textDocuments) {
          if (isStoryboardUri(d.uri) && (!uri || uri.toString() === d.uri.toString())) void this.update(d);
        }
      }),
      vscode.workspace.onDidOpenTextDocument((d) => isStoryboardUri(d.uri) && void this.update(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((f) => this.collection.delete(f))),
      vscode.languages.registerCodeActionsProvider(
        STORYBOARD_SELECTOR,
        { provideCodeActions: (doc, range, ctx) => this.actions(doc, range, ctx) },
        { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
      ),
    );
    for (const d of vscode.workspace.textDocuments) if (isStoryboardUri(d.uri)) void this.update(d);
  }

  /** Diagnostics now (tests wait on them through vscode.languages.getDiagnostics). */
  async update(document: vscode.TextDocument): Promise<void> {
    const version = document.version;
    this.versions.set(document.uri.toString(), version);
    const snap = await this.service.snapshot(document.uri);
    // A newer edit arrived while images were read: its own update will set the squiggles.
    if (this.versions.get(document.uri.toString()) !== version || document.isClosed) return;
    const diagnostics = snap.resolved.problems.map((p) => {
      const range = new vscode.Range(document.positionAt(p.span.start), document.positionAt(Math.max(p.span.end, p.span.start)));
      const d = new vscode.Diagnostic(range, p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = SOURCE;
      d.code = p.code;
      return d;
    });
    // A chosen take whose video is not in the takes folder (deleted, or not pulled): the film falls back to
    // the newest take, which the person should know.
    for (const s of snap.resolved.shots) {
      const take = s.shot.settings.take;
      if (!take || typeof take.value !== 'string' || !s.shot.id || !snap.folder) continue;
      const name = take.value;
      if ((snap.takes.get(s.shot.id) ?? []).some((t) => t.videoFile && path.basename(t.videoFile) === name)) continue;
      const d = new vscode.Diagnostic(
        new vscode.Range(document.positionAt(take.valueSpan.start), document.positionAt(take.valueSpan.end)),
        vscode.l10n.t('No take "{0}" in {1}; the newest take is used instead.', name, vscode.workspace.asRelativePath(snap.folder)),
        vscode.DiagnosticSeverity.Warning,
      );
      d.source = SOURCE;
      d.code = 'takeMissing';
      diagnostics.push(d);
    }
    // Takes made by this file for a shot id it no longer has (an id edited away, a shot rewritten): paid work
    // that no shot shows. Said on the first line, with a quick fix per shot that could take them back.
    for (const orphan of snap.orphans) {
      const count = orphan.takes.length;
      const prompt = orphan.prompt.length > 60 ? `${orphan.prompt.slice(0, 59)}…` : orphan.prompt;
      const d = new vscode.Diagnostic(
        document.lineAt(0).range,
        count === 1
          ? vscode.l10n.t('1 take belongs to a shot id this file no longer has ("{0}", made from "{1}"). Use the quick fix to re-attach it to a shot.', orphan.shotId, prompt)
          : vscode.l10n.t('{0} takes belong to a shot id this file no longer has ("{1}", made from "{2}"). Use the quick fix to re-attach them to a shot.', count, orphan.shotId, prompt),
        vscode.DiagnosticSeverity.Warning,
      );
      d.source = SOURCE;
      d.code = ORPHAN_CODE;
      diagnostics.push(d);
    }
    this.collection.set(document.uri, diagnostics);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  /**
   * Fixes for the problems under the range, computed from the file as it is now (not from the diagnostic
   * objects, which VS Code may hand back as copies).
   */
  private actions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    const snap = this.service.snapshotNow(document);
    const from = document.offsetAt(range.start);
    const to = document.offsetAt(range.end);
    const replace = (
      title: string,
      edit: { offset: number; length: number; text: string },
      problem: StoryboardProblem,
      preferred: boolean,
    ) => {
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = context.diagnostics.filter((d) =>
        d.source === SOURCE && d.code === problem.code && document.offsetAt(d.range.start) === problem.span.start);
      action.isPreferred = preferred;
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(
        document.uri,
        new vscode.Range(document.positionAt(edit.offset), document.positionAt(edit.offset + edit.length)),
        edit.text,
      );
      out.push(action);
    };
    for (const problem of snap.resolved.problems) {
      if (problem.span.end < from || problem.span.start > to) continue;
      for (const fix of problem.fixes ?? []) replace(fix.title, fix.edit, problem, (problem.fixes?.length ?? 0) === 1);
      if (problem.code === 'duplicateId' && problem.shotIndex !== undefined) {
        const shot = snap.resolved.board.shots[problem.shotIndex];
        if (!shot) continue;
        const taken = new Set(snap.resolved.board.shots.map((s) => s.id).filter((id): id is string => !!id));
        const edit = setShotSetting(snap.text, shot, 'id', newShotId(taken));
        if (edit) replace(vscode.l10n.t('Give this shot a new id'), edit, problem, true);
      }
    }
    if (range.start.line === 0) out.push(...this.reattachActions(document, snap, context));
    return out;
  }

  /** "Re-attach the takes of "…" to shot N": writes the orphan's id into a shot without takes of its own. */
  private reattachActions(document: vscode.TextDocument, snap: ReturnType<StoryboardService['snapshotNow']>, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    const raw = parseStoryboard(snap.text);
    for (const orphan of snap.orphans) {
      const prompt = orphan.prompt.length > 40 ? `${orphan.prompt.slice(0, 39)}…` : orphan.prompt;
      for (const shot of raw.shots) {
        const effective = snap.resolved.board.shots[shot.index]?.id;
        if (effective && (snap.takes.get(effective)?.length ?? 0) > 0) continue; // it has takes of its own
        const edit = setShotSetting(snap.text, shot, 'id', orphan.shotId);
        if (!edit) continue;
        const action = new vscode.CodeAction(vscode.l10n.t('Re-attach the takes of "{0}" to shot {1} "{2}"', prompt, shot.index + 1, shot.title), vscode.CodeActionKind.QuickFix);
        action.diagnostics = context.diagnostics.filter((d) => d.source === SOURCE && d.code === ORPHAN_CODE);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(
          document.uri,
          new vscode.Range(document.positionAt(edit.offset), document.positionAt(edit.offset + edit.length)),
          edit.text,
        );
        out.push(action);
      }
    }
    return out;
  }
}
