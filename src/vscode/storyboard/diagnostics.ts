// Squiggles as the person types, from the same checks Generate applies (src/core/storyboard/rules.ts), and
// the quick fixes where one value fixes the problem. The words come from core in English; the catalogue's
// messages are shared with the simulator's and the panel's, so they are not translated here.
import * as vscode from 'vscode';
import { newShotId } from '../../core/storyboard/edits';
import { setShotSetting } from '../../core/storyboard/edits';
import type { StoryboardProblem } from '../../core/storyboard/rules';
import { isStoryboardUri, STORYBOARD_SELECTOR, type StoryboardService } from './storyboardService';

const SOURCE = 'Seedance storyboard';

/** The fixes of each diagnostic, keyed by the diagnostic object the collection holds. */
const fixesOf = new WeakMap<vscode.Diagnostic, StoryboardProblem>();

export class StoryboardDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('seedance-storyboard');
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly versions = new Map<string, number>();

  constructor(private readonly service: StoryboardService) {
    this.subscriptions.push(
      this.collection,
      service.onDidChange((uri) => {
        for (const d of vscode.workspace.textDocuments) if (isStoryboardUri(d.uri) && (!uri || uri.toString() === d.uri.toString())) void this.update(d);
      }),
      vscode.workspace.onDidOpenTextDocument((d) => isStoryboardUri(d.uri) && void this.update(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      vscode.languages.registerCodeActionsProvider(STORYBOARD_SELECTOR, { provideCodeActions: (doc, range, ctx) => this.actions(doc, range, ctx) }, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
      }),
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
      fixesOf.set(d, p);
      return d;
    });
    this.collection.set(document.uri, diagnostics);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private actions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== SOURCE) continue;
      const problem = fixesOf.get(diagnostic) ?? this.problemAt(document, diagnostic);
      if (!problem) continue;
      for (const fix of problem.fixes ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, new vscode.Range(document.positionAt(fix.edit.offset), document.positionAt(fix.edit.offset + fix.edit.length)), fix.edit.text);
        if ((problem.fixes?.length ?? 0) === 1) action.isPreferred = true;
        out.push(action);
      }
      if (problem.code === 'duplicateId' && problem.shotIndex !== undefined) {
        const snap = this.service.snapshotNow(document);
        const shot = snap.resolved.board.shots[problem.shotIndex];
        if (!shot) continue;
        const taken = new Set(snap.resolved.board.shots.map((s) => s.id).filter((id): id is string => !!id));
        const edit = setShotSetting(snap.text, shot, 'id', newShotId(taken));
        const action = new vscode.CodeAction(vscode.l10n.t('Give this shot a new id'), vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, new vscode.Range(document.positionAt(edit.offset), document.positionAt(edit.offset + edit.length)), edit.text);
        out.push(action);
      }
    }
    return out;
  }

  /** A diagnostic VS Code copied (the WeakMap lost it): find the problem again by place and code. */
  private problemAt(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): StoryboardProblem | undefined {
    const snap = this.service.snapshotNow(document);
    const start = document.offsetAt(diagnostic.range.start);
    return snap.resolved.problems.find((p) => p.span.start === start && p.code === diagnostic.code);
  }
}
