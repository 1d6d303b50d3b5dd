// CodeLens on a storyboard: on every shot, Generate (with its estimated cost), the latest take's state and
// Preview; on the first line, Generate All (how many shots, total cost) and Preview. Computed from the
// service's snapshot (cheap: no I/O here) and refreshed when the text, a take or a price changes.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { shotKey } from '../../core/storyboard/parse';
import type { ResolvedShot } from '../../core/storyboard/rules';
import type { StoryboardRuns } from '../../core/storyboard/runRegistry';
import { hasTakeOrPending, isPlayable, type Take } from '../../core/storyboard/takes';
import { storedReasonWords } from '../errorWords';
import { formatCost, formatTotal, shotEstimate, type ShotPricer } from './pricing';
import { STORYBOARD_SELECTOR, type StoryboardService } from './storyboardService';

/** The latest take's state in a few words, and what clicking it does (`plain`: the words where nothing is clicked, if they differ). */
export function takeState(take: Take): { text: string; plain?: string; command?: vscode.Command } {
  // A stored reason in the display language (errorWords.ts), then shortened to fit the line.
  const short = (stored: string) => {
    const s = storedReasonWords(stored, vscode.l10n);
    return s.length > 48 ? `${s.slice(0, 47)}…` : s;
  };
  switch (take.status) {
    case 'submitting':
      return { text: vscode.l10n.t('$(sync~spin) sending…') };
    case 'queued':
      return { text: vscode.l10n.t('$(clock) queued') };
    case 'running':
      return { text: vscode.l10n.t('$(sync~spin) {0}%', take.progress) };
    case 'stalled':
      return { text: vscode.l10n.t('$(watch) stalled'), command: { title: '', command: 'seedance.tasks.focus' } };
    case 'uncertain':
      return { text: vscode.l10n.t('$(question) uncertain: check your CometAPI usage'), command: { title: '', command: 'seedance.tasks.focus' } };
    case 'failed':
      return { text: vscode.l10n.t('$(error) failed: {0}', short(take.failure ?? vscode.l10n.t('no reason given'))) };
    case 'succeeded':
    case 'saved':
      if (take.videoFile) return { text: vscode.l10n.t('$(pass) ready: open'), plain: vscode.l10n.t('ready'), command: { title: '', command: 'vscode.open', arguments: [vscode.Uri.file(take.videoFile)] } };
      if (take.downloading) return { text: vscode.l10n.t('$(cloud-download) downloading') };
      return { text: take.failure ? vscode.l10n.t('$(warning) ready, download failed: {0}', short(take.failure)) : vscode.l10n.t('$(pass) ready, not downloaded') };
  }
}

export class StoryboardCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly service: StoryboardService,
    private readonly pricer: ShotPricer,
    private readonly runs?: StoryboardRuns<unknown>,
  ) {
    this.subscriptions = [
      vscode.languages.registerCodeLensProvider(STORYBOARD_SELECTOR, this),
      service.onDidChange(() => this.emitter.fire()),
    ];
  }

  /** Prices changed (the cost module can call this). */
  refresh(): void {
    this.emitter.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const snap = this.service.snapshotNow(document);
    const lenses: vscode.CodeLens[] = [];
    const uri = document.uri;
    const { shots } = snap.resolved;
    const board = uri.toString();
    // A shot a running Generate All will send is not "to do" (it is on its way), and not offered again.
    const queued = (s: ResolvedShot) => this.runs?.queued(board, shotKey(s.shot)) === true;
    const todo = shots.filter((s) => (!s.shot.id || !hasTakeOrPending(snap.takes.get(s.shot.id))) && !queued(s));
    const top = new vscode.Range(0, 0, 0, 0);
    const title = snap.resolved.title ?? path.basename(uri.fsPath);
    const running = this.runs?.summary(board);
    lenses.push(new vscode.CodeLens(top, {
      title: running
        ? running.left === 1
          ? vscode.l10n.t('$(sync~spin) Generate All running: 1 shot left')
          : vscode.l10n.t('$(sync~spin) Generate All running: {0} shots left', running.left)
        : todo.length === 0
          ? vscode.l10n.t('$(check-all) Every shot of "{0}" has a take', title)
          : todo.length === 1
            ? vscode.l10n.t('$(run-all) Generate All: 1 shot, {0}', formatTotal(todo.map((s) => shotEstimate(this.pricer, s))))
            : vscode.l10n.t('$(run-all) Generate All: {0} shots, {1}', todo.length, formatTotal(todo.map((s) => shotEstimate(this.pricer, s)))),
      command: 'seedance.storyboard.generateAll',
      arguments: [uri],
      tooltip: vscode.l10n.t('Generate every shot that has no take yet, in order'),
    }));
    lenses.push(new vscode.CodeLens(top, { title: vscode.l10n.t('$(open-preview) Preview'), command: 'seedance.storyboard.preview', arguments: [uri] }));
    // The film (issue 20): once a shot has a take to put in it; on the `title:` line (the film's name), or the
    // first line when the storyboard has no title.
    if (shots.some((s) => s.shot.id && (snap.takes.get(s.shot.id) ?? []).some(isPlayable))) {
      const titleEntry = snap.resolved.board.defaults.title;
      const filmLine = titleEntry ? document.lineAt(document.positionAt(titleEntry.keySpan.start).line).range : top;
      lenses.push(new vscode.CodeLens(filmLine, { title: vscode.l10n.t('$(device-camera-video) Assemble Film'), command: 'seedance.storyboard.assembleFilm', arguments: [uri, 'interactive'], tooltip: vscode.l10n.t('Join the chosen take of every shot, in order, into one MP4 (no re-encoding)') }));
    }

    for (const s of shots) {
      const range = document.lineAt(document.positionAt(s.shot.headingSpan.start).line).range;
      const key = shotKey(s.shot);
      const takes = s.shot.id ? snap.takes.get(s.shot.id) ?? [] : [];
      const problems = s.errors.length;
      const waitsFor = this.runs?.waitingFor(board, key);
      const waitsForIndex = waitsFor !== undefined ? shots.findIndex((x) => shotKey(x.shot) === waitsFor) : -1;
      if (waitsForIndex >= 0 || (queued(s) && takes.length === 0)) {
        // Part of the run: it says what it waits for instead of offering to pay for it again.
        lenses.push(new vscode.CodeLens(range, {
          title: waitsForIndex >= 0 ? vscode.l10n.t('$(watch) waiting for shot {0}', waitsForIndex + 1) : vscode.l10n.t('$(clock) in Generate All'),
          command: 'seedance.storyboard.preview',
          arguments: [uri, key],
        }));
        lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Preview'), command: 'seedance.storyboard.preview', arguments: [uri, key] }));
        continue;
      }
      lenses.push(new vscode.CodeLens(range, {
        title: problems > 0
          ? vscode.l10n.t('$(play) Generate ({0} to fix first)', problems)
          : takes.length > 0
            ? vscode.l10n.t('$(refresh) Re-roll: {0}', formatCost(shotEstimate(this.pricer, s)))
            : vscode.l10n.t('$(play) Generate: {0}', formatCost(shotEstimate(this.pricer, s))),
        command: 'seedance.storyboard.generateShot',
        arguments: [uri, key, 'interactive'],
      }));
      const latest = takes[takes.length - 1];
      if (latest) {
        const state = takeState(latest);
        const count = takes.length > 1 ? vscode.l10n.t(' ({0} takes)', takes.length) : '';
        lenses.push(new vscode.CodeLens(range, {
          title: state.text + count,
          command: state.command?.command ?? 'seedance.storyboard.preview',
          arguments: state.command?.arguments ?? [uri],
        }));
      }
      lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Preview'), command: 'seedance.storyboard.preview', arguments: [uri, key] }));
    }
    return lenses;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}
