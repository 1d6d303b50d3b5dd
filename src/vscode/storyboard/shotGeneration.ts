// Generate one shot, or all of them: the storyboard's side of the one submit path (GenerationController
// validates, checks the budget and persists). Ids are written into the file before anything is sent, so a
// take is never without its shot; a continuation sends the previous shot's chosen take's last frame; Generate
// All runs through the scheduler in src/core/storyboard/batch.ts.
import * as vscode from 'vscode';
import { findModel } from '../../core/catalog';
import { GenerationInputError, type GenerateArgs } from '../../core/generationArgs';
import { runBatch, type BatchEvent, type BatchResult, type BatchShot, type ShotRunState, type SubmitResult } from '../../core/storyboard/batch';
import { findShot, shotKey } from '../../core/storyboard/parse';
import { plannedTakes, StoryboardRuns, takeSincePlan } from '../../core/storyboard/runRegistry';
import type { ResolvedShot } from '../../core/storyboard/rules';
import { chosenTake, hasTakeOrPending, isPlayable } from '../../core/storyboard/takes';
import type { SubmitOutcome } from '../../core/submit';
import { isRunning, type TrackedTask } from '../../core/tasks/task';
import type { Event } from '../../core/events';
import { ensureShotIds } from './documentEdits';
import { formatTotal, shotEstimate, type ShotPricer } from './pricing';
import type { FrameCapture } from './previewPanel';
import { sumEstimates } from '../../core/pricing/estimate';
import type { Caller, Question } from '../../core/gate/policy';
import type { AdmitOptions, BatchAuthorization, GateRequest } from '../pricing/gate';
import { uriArgument } from '../commands/commandArgs';
import { executeSeedanceCommand } from '../commands/execute';
import { imageLabel, outsideImagesLine } from '../workspaceImages';
import { isStoryboardUri, type StoryboardService, type StoryboardSnapshot } from './storyboardService';

export interface ShotGenerationDeps {
  readonly service: StoryboardService;
  readonly store: { get(localId: string): TrackedTask | undefined; readonly onDidChange: Event<readonly string[]> };
  /** GenerationController.submitShot: the one pipeline (gate, persistence); `route` says who is asking. */
  submitShot(args: GenerateArgs, ref: { file: string; shotId: string }, route: ShotRoute): Promise<SubmitOutcome>;
  readonly frames: FrameCapture;
  readonly pricer: ShotPricer;
  /**
   * The gate: Generate All's one confirmation with its total, and a single shot's questions asked before its
   * id is written into the file.
   */
  readonly gate: {
    authorizeBatch(batch: BatchAuthorization): Promise<void>;
    askFirst(request: GateRequest, options: AdmitOptions): Promise<readonly Question[]>;
  };
  concurrency(): number;
  autoDownload(): boolean;
  download(localId: string): Promise<unknown>;
  describeError(error: unknown): string;
  log(line: string): void;
  /** One Generate All per storyboard, and one create per shot at a time (shared with CodeLens and preview). */
  readonly runs?: StoryboardRuns<GenerateAllResult | undefined>;
}

/** What `seedance.storyboard.generateAll` resolves with (for other extensions and tests). */
export interface GenerateAllResult {
  readonly states: Record<string, ShotRunState>;
  readonly stopped?: { readonly message: string; readonly remaining: readonly string[] };
  readonly cancelled?: boolean;
}

/** Who a shot's create is for (GenerationController's Route, as far as storyboards need it). */
export interface ShotRoute {
  readonly caller: Caller;
  readonly review?: { readonly message: string; readonly detail: string };
  /** Questions the person already answered for this very request (askFirst). */
  readonly answered?: readonly Question[];
}

export interface GenerateAllOptions {
  /** Only these shots (ids, or #N for a shot without one yet), whether they have takes or not. */
  readonly shots?: readonly string[];
  /**
   * Who started it: a person (the one confirmation with the total) or an agent (the tool's own approval,
   * then the agent daily cap on the total; never asked here).
   */
  readonly by?: 'person' | 'agent';
  readonly onEvent?: (event: BatchEvent) => void;
}

export class ShotGeneration {
  readonly runs: StoryboardRuns<GenerateAllResult | undefined>;
  /** Per storyboard in a run: the take keys there were when it started (see takeSincePlan). */
  private readonly planned = new Map<string, ReadonlySet<string>>();

  constructor(private readonly deps: ShotGenerationDeps) {
    this.runs = deps.runs ?? new StoryboardRuns();
  }

  /** The storyboard a command is about: the argument, else the active editor's. */
  static storyboardUri(arg: unknown): vscode.Uri {
    const uri = uriArgument(arg) ?? vscode.window.activeTextEditor?.document.uri;
    if (!isStoryboardUri(uri)) throw new Error(vscode.l10n.t('Open a storyboard (a file named *.storyboard.md) first.'));
    return uri;
  }

  /** `seedance.storyboard.generateShot(uri?, shotId?)`: resolves with the new take's local id. */
  async generateShot(uriArg?: unknown, keyArg?: unknown): Promise<string | undefined> {
    const uri = ShotGeneration.storyboardUri(uriArg);
    let snap = await this.deps.service.snapshot(uri);
    requireFolder(snap);
    const target = await this.pickShot(snap, typeof keyArg === 'string' ? keyArg : undefined);
    if (!target) return undefined;
    if (target.errors.length > 0) {
      throw new GenerationInputError([vscode.l10n.t('Shot {0} "{1}" cannot be generated yet:', target.shot.index + 1, target.shot.title), ...target.errors.map((e) => e.message)]);
    }
    // Asked before anything is written: a no leaves the file as it was (no new `id:` line).
    const person = { kind: 'person' } as const;
    const asked = await this.argsFor(snap, target, 'now');
    const shown = this.review(target);
    let answered: readonly Question[];
    try {
      answered = await this.deps.gate.askFirst(
        { model: target.model, seconds: target.seconds, resolution: target.resolution },
        { caller: person, review: shown },
      );
    } catch (error) {
      if (error instanceof vscode.CancellationError) return undefined;
      throw error;
    }
    const ids = await ensureShotIds(uri, [shotKey(target.shot)], snap.attached);
    const id = ids.get(shotKey(target.shot));
    if (!id) throw new Error(vscode.l10n.t('The shot is no longer in the file.'));
    snap = await this.deps.service.snapshot(uri);
    const shot = snap.resolved.shots.find((s) => s.shot.id === id);
    if (!shot) throw new Error(vscode.l10n.t('The shot is no longer in the file.'));
    const args = await this.argsFor(snap, shot, 'now');
    const review = this.review(shot);
    // The answers cover what was shown; a shot edited while the dialog was open is asked about again.
    const same = JSON.stringify(args) === JSON.stringify(asked) && JSON.stringify(review) === JSON.stringify(shown);
    const release = this.runs.claim(id);
    if (!release) throw new Error(vscode.l10n.t('Shot {0} "{1}" is being sent right now; its take appears in a moment.', shot.shot.index + 1, shot.shot.title));
    let outcome: SubmitOutcome;
    try {
      outcome = await this.deps.submitShot(
        args,
        { file: snap.file, shotId: id },
        { caller: person, review, ...(same ? { answered } : {}) },
      );
    } catch (error) {
      if (error instanceof vscode.CancellationError) return undefined;
      throw error;
    } finally {
      release();
    }
    if (outcome.ok) {
      vscode.window.setStatusBarMessage(vscode.l10n.t('$(sync~spin) Seedance: shot "{0}" requested.', shot.shot.title), 5_000);
      return outcome.task.localId;
    }
    void vscode.window.showErrorMessage(vscode.l10n.t('Shot "{0}": {1}', shot.shot.title, this.deps.describeError(outcome.error)));
    return outcome.task.localId;
  }

  /**
   * `seedance.storyboard.generateAll(uri?)`: every shot without a take, in order. The agent tool passes
   * `options`: only the named shots (ids or #N), its own confirmation instead of this one, and a listener.
   */
  async generateAll(uriArg?: unknown, options: GenerateAllOptions = {}): Promise<GenerateAllResult | undefined> {
    const uri = ShotGeneration.storyboardUri(uriArg);
    const key = uri.toString();
    // One run per storyboard: a second call (any entry point) joins the first and says so.
    const { joined, result } = this.runs.start(key, async (onEvent) => {
      this.planned.set(key, plannedTakes((await this.deps.service.snapshot(uri)).takes));
      try {
        return await this.runAll(uri, { ...options, onEvent });
      } finally {
        this.planned.delete(key);
      }
    }, options.onEvent);
    if (joined) {
      void vscode.window.showInformationMessage(describeRunInProgress(this.runs.summary(key), vscode.workspace.asRelativePath(uri)));
    }
    return result;
  }

  private async runAll(uri: vscode.Uri, options: GenerateAllOptions): Promise<GenerateAllResult | undefined> {
    let snap = await this.deps.service.snapshot(uri);
    requireFolder(snap);
    const title = snap.resolved.title ?? vscode.workspace.asRelativePath(uri);
    const named = options.shots
      ? new Set(options.shots.map((k) => findShot(snap.resolved.board, k)).filter((x) => x !== undefined))
      : undefined;
    const wanted = named
      ? snap.resolved.shots.filter((s) => named.has(s.shot))
      : snap.resolved.shots.filter((s) => !s.shot.id || !hasTakeOrPending(snap.takes.get(s.shot.id)));
    if (wanted.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Every shot of "{0}" already has a take. Use Re-roll on a shot for another one.', title));
      return { states: {} };
    }
    const invalid = wanted.filter((s) => s.errors.length > 0);
    const valid = wanted.filter((s) => s.errors.length === 0);
    // One authorization for the whole batch, with its total: a person is asked once (never again per shot);
    // an agent's run is checked against the agent daily cap. Refusals throw (nothing is sent).
    const by = options.by ?? 'person';
    const estimates = valid.map((s) => shotEstimate(this.deps.pricer, s));
    const go = vscode.l10n.t('Generate {0} Shots', valid.length);
    const lines = [
      vscode.l10n.t('Estimated total: {0}. At most {1} generations at once.', formatTotal(estimates), this.concurrency()),
      ...(invalid.length ? [vscode.l10n.t('Skipped because of problems in the file: {0}.', invalid.map(label).join(', '))] : []),
      ...outsideImagesLine(valid.map((s) => ({ label: label(s), imagePaths: s.imagePaths }))),
    ];
    try {
      await this.deps.gate.authorizeBatch({
        caller: { kind: by },
        usd: sumEstimates(estimates),
        count: valid.length,
        message: vscode.l10n.t('Generate {0} shots of "{1}"?', valid.length, title),
        detail: lines.join('\n'),
        go,
      });
    } catch (error) {
      if (error instanceof vscode.CancellationError) return undefined;
      throw error;
    }
    // Every shot gets its id in the file first (one edit), so every take has its shot from the start.
    const ids = await ensureShotIds(uri, wanted.map((s) => shotKey(s.shot)), snap.attached);
    snap = await this.deps.service.snapshot(uri);
    const byIndex = snap.resolved.shots;
    const batch: BatchShot[] = wanted.map((w) => {
      const id = ids.get(shotKey(w.shot)) ?? shotKey(w.shot);
      const now = byIndex.find((s) => s.shot.id === id) ?? w;
      const prev = now.continues && now.shot.index > 0 ? byIndex[now.shot.index - 1]?.shot.id : undefined;
      return { key: id, title: now.shot.title, ...(prev ? { continuesFrom: prev } : {}), errors: now.errors.map((e) => e.message) };
    });
    const titles = new Map(batch.map((b) => [b.key, b.title]));
    for (const b of batch) if (b.errors.length) this.deps.log(`Storyboard ${snap.file}: skipping shot "${b.title}": ${b.errors.join(' ')}`);

    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Generating "{0}"', title), cancellable: true },
      async (progress, token) => {
        let sent = 0;
        let done = 0;
        return runBatch(batch, {
          concurrency: this.concurrency(),
          isCancelled: () => token.isCancellationRequested,
          submit: (shot) => this.submitInBatch(uri, shot.key, by),
          finished: (localId) => this.finished(localId),
          predecessorReady: (key) => this.predecessorReady(uri, key),
          onEvent: (e) => {
            options.onEvent?.(e);
            if (e.state === 'running') sent++;
            if (e.state === 'done' || e.state === 'failed') done++;
            progress.report({ message: vscode.l10n.t('{0} of {1} sent, {2} finished', sent, batch.length, done) });
          },
        });
      },
    );
    return this.report(title, result, titles);
  }

  private concurrency(): number {
    return Math.max(1, Math.min(8, Math.floor(this.deps.concurrency()) || 2));
  }

  private async submitInBatch(uri: vscode.Uri, id: string, by: 'person' | 'agent'): Promise<SubmitResult> {
    const snap = await this.deps.service.snapshot(uri);
    const shot = snap.resolved.shots.find((s) => s.shot.id === id);
    if (!shot) return { kind: 'refused', message: vscode.l10n.t('The shot is no longer in the file.') };
    if (shot.errors.length) return { kind: 'refused', message: shot.errors.map((e) => e.message).join(' ') };
    // Re-checked just before the create: a take that appeared since the run started is not paid for twice.
    const since = takeSincePlan(snap.takes.get(id), this.planned.get(uri.toString()) ?? new Set());
    if (since) return since;
    const release = this.runs.claim(id);
    if (!release) return { kind: 'existing' };
    try {
      return await this.createInBatch(snap, shot, id, by);
    } finally {
      release();
    }
  }

  private async createInBatch(snap: StoryboardSnapshot, shot: ResolvedShot, id: string, by: 'person' | 'agent'): Promise<SubmitResult> {
    let args: GenerateArgs;
    try {
      args = await this.argsFor(snap, shot, 'batch');
    } catch (error) {
      return { kind: 'refused', message: this.deps.describeError(error) };
    }
    let outcome: SubmitOutcome;
    try {
      // Inside the total authorized above: never asked again; the monthly limit (and an agent's cap) still hold.
      outcome = await this.deps.submitShot(args, { file: snap.file, shotId: id }, { caller: { kind: 'batch', by } });
    } catch (error) {
      // Refused before sending (nothing created): this shot is skipped; anything else stops the batch.
      if (error instanceof GenerationInputError) return { kind: 'refused', message: error.message };
      throw error;
    }
    if (outcome.ok) return { kind: 'accepted', localId: outcome.task.localId };
    const message = this.deps.describeError(outcome.error);
    return outcome.uncertain ? { kind: 'uncertain', message } : { kind: 'refused', message };
  }

  /** The request for a shot; a continuation gets the previous shot's last frame as its reference image. */
  /** The review (seedance.confirmBeforeSubmit) of one shot; with any price question it is the gate's one dialog. */
  private review(shot: ResolvedShot): { message: string; detail: string } {
    return {
      message: vscode.l10n.t('Generate shot {0} "{1}"?', shot.shot.index + 1, shot.shot.title),
      detail: [
        vscode.l10n.t('{0} s · {1} · {2} · {3}.', shot.seconds, shot.size, shot.resolution, findModel(shot.model)?.label ?? shot.model),
        ...shot.imagePaths.map((p) => imageLabel(p)).map((l) => (l.inside ? vscode.l10n.t('Reference image: {0}', l.text) : vscode.l10n.t('⚠ Reference image outside the workspace folders: {0}. Storyboards may only use images inside the workspace; this shot will be refused.', l.text))),
      ].join('\n'),
    };
  }

  private async argsFor(snap: StoryboardSnapshot, shot: ResolvedShot, mode: 'now' | 'batch'): Promise<GenerateArgs> {
    if (!shot.continues) return shot.args;
    const prev = snap.resolved.shots[shot.shot.index - 1];
    const prevTake = prev?.shot.id ? chosenTake(snap.takes.get(prev.shot.id), typeof prev.shot.settings.take?.value === 'string' ? prev.shot.settings.take.value : undefined) : undefined;
    if (!prev || !prevTake?.videoFile || !isPlayable(prevTake)) {
      throw new Error(mode === 'now'
        ? vscode.l10n.t('Shot {0} continues from shot {1}, which has no finished take yet. Generate shot {1} first, or use Generate All (it waits).', shot.shot.index + 1, shot.shot.index)
        : vscode.l10n.t('The previous shot has no finished take.'));
    }
    const frame = await this.deps.frames.lastFrame(snap.uri, prevTake.videoFile);
    // The frame first (the shot starts from it), then the shot's own images: it counts as one of them.
    return { ...shot.args, inputReference: shot.imagePaths.length > 0 ? [frame, ...shot.imagePaths] : frame };
  }

  /** Resolves when a take has finished: true once its video is saved, false when it failed or stopped. */
  private finished(localId: string): Promise<boolean> {
    let asked = false;
    return waitForStore(this.deps.store, () => {
      const task = this.deps.store.get(localId);
      if (!task) return false;
      if (task.status === 'failed' || task.status === 'uncertain' || task.status === 'stalled') return false;
      if (task.status !== 'succeeded') return undefined;
      if (task.download.state === 'downloaded') return true;
      if (task.download.state === 'failed') return false;
      if (task.download.state === 'none' && !this.deps.autoDownload() && !asked) {
        // Takes belong in their folder even with automatic download off: a continuation needs the file.
        asked = true;
        void this.deps.download(localId);
      }
      return undefined;
    });
  }

  /** A predecessor outside the batch: true once its chosen take is saved, false if it will not have one. */
  private predecessorReady(uri: vscode.Uri, id: string): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const check = async () => {
        const snap = await this.deps.service.snapshot(uri);
        const shot = findShot(snap.resolved.board, id);
        const takes = shot?.id ? snap.takes.get(shot.id) ?? [] : [];
        const chosen = chosenTake(takes, typeof shot?.settings.take?.value === 'string' ? shot.settings.take.value : undefined);
        if (chosen && isPlayable(chosen)) return true;
        if (!takes.some((t) => isRunning(t) || t.status === 'succeeded')) return false;
        return undefined;
      };
      let settled = false;
      const sub = this.deps.service.onDidChange(() => void run());
      const run = async () => {
        if (settled) return;
        const answer = await check().catch(() => false);
        if (answer === undefined || settled) return;
        settled = true;
        sub.dispose();
        resolve(answer);
      };
      void run();
    });
  }

  private report(title: string, result: BatchResult, titles: Map<string, string>): GenerateAllResult {
    const states: Record<string, ShotRunState> = {};
    const count = (s: ShotRunState) => [...result.states.values()].filter((v) => v.state === s).length;
    for (const [k, v] of result.states) states[k] = v.state;
    const names = (keys: readonly string[]) => keys.map((k) => `"${titles.get(k) ?? k}"`).join(', ');
    if (result.stopped) {
      const message = vscode.l10n.t('Generate All stopped: {0} Not started: {1}.', this.deps.describeError(result.stopped.error), names(result.stopped.remaining));
      void vscode.window.showErrorMessage(message);
      return { states, stopped: { message, remaining: result.stopped.remaining }, ...(result.cancelled ? { cancelled: true } : {}) };
    }
    const parts = [vscode.l10n.t('{0} ready', count('done'))];
    if (count('existing')) parts.push(vscode.l10n.t('{0} taken by another run or Generate Shot', count('existing')));
    if (count('failed')) parts.push(vscode.l10n.t('{0} failed', count('failed')));
    if (count('invalid')) parts.push(vscode.l10n.t('{0} skipped (problems in the file)', count('invalid')));
    if (count('blocked')) parts.push(vscode.l10n.t('{0} waiting for a previous shot that has no take', count('blocked')));
    if (count('uncertain')) parts.push(vscode.l10n.t('{0} uncertain (check your CometAPI usage)', count('uncertain')));
    if (count('notStarted')) parts.push(vscode.l10n.t('{0} not started', count('notStarted')));
    const text = vscode.l10n.t('Storyboard "{0}": {1}.', title, parts.join(', '));
    const bad = count('failed') + count('invalid') + count('blocked') + count('uncertain');
    const preview = vscode.l10n.t('Preview');
    void (bad ? vscode.window.showWarningMessage(text, preview) : vscode.window.showInformationMessage(text, preview)).then((picked) => {
      if (picked === preview) void executeSeedanceCommand('seedance.storyboard.preview');
    });
    return { states, ...(result.cancelled ? { cancelled: true } : {}) };
  }

  /** The shot named by key, the one under the cursor, or one picked from a list. */
  private async pickShot(snap: StoryboardSnapshot, key: string | undefined): Promise<ResolvedShot | undefined> {
    const shots = snap.resolved.shots;
    if (key !== undefined) {
      const shot = findShot(snap.resolved.board, key);
      if (!shot) throw new Error(vscode.l10n.t('There is no shot "{0}" in {1}.', key, vscode.workspace.asRelativePath(snap.uri)));
      return shots[shot.index];
    }
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.uri.toString() === snap.uri.toString()) {
      const offset = editor.document.offsetAt(editor.selection.active);
      const here = shots.find((s) => offset >= s.shot.headingSpan.start && offset <= s.shot.bodySpan.end);
      if (here) return here;
    }
    if (shots.length === 0) throw new Error(vscode.l10n.t('This storyboard has no shots yet: start one with a "## " heading.'));
    const picked = await vscode.window.showQuickPick(shots.map((s) => ({ label: `${s.shot.index + 1}. ${s.shot.title}`, detail: s.shot.prompt.slice(0, 120), shot: s })), {
      title: vscode.l10n.t('Generate Shot'),
      placeHolder: vscode.l10n.t('Which shot?'),
    });
    return picked?.shot;
  }
}

/** Takes live in the workspace's output folder: without a folder there is nowhere to keep them. */
function requireFolder(snap: StoryboardSnapshot): void {
  if (!snap.folder) {
    throw new Error(vscode.l10n.t('Open a folder first: a storyboard\'s takes are saved in the output folder ({0}) of the first workspace folder.', 'seedance.outputFolder'));
  }
}

/** "Generate All is already running for "x": 2 of 3 shots left." */
function describeRunInProgress(summary: { total: number; left: number } | undefined, name: string): string {
  if (!summary || summary.total === 0) return vscode.l10n.t('Generate All is already starting for {0}; this request joins it.', name);
  return summary.left === 1
    ? vscode.l10n.t('Generate All is already running for {0}: 1 of {1} shots left. This request joins it; nothing is sent twice.', name, summary.total)
    : vscode.l10n.t('Generate All is already running for {0}: {1} of {2} shots left. This request joins it; nothing is sent twice.', name, summary.left, summary.total);
}

function label(s: ResolvedShot): string {
  return `${s.shot.index + 1} "${s.shot.title}"`;
}

/** Resolves with the first defined answer of `check`, re-asked on every store change. */
function waitForStore<T>(store: { readonly onDidChange: Event<readonly string[]> }, check: () => T | undefined): Promise<T> {
  return new Promise<T>((resolve) => {
    const first = check();
    if (first !== undefined) {
      resolve(first);
      return;
    }
    const sub = store.onDidChange(() => {
      const answer = check();
      if (answer === undefined) return;
      sub.dispose();
      resolve(answer);
    });
  });
}
