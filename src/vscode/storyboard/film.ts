// Assemble Film and Export Timeline for one storyboard: find the chosen take of every shot, read the takes
// (core/film/probe.ts, through Mediabunny, loaded here for the first time), refuse what cannot be joined
// by copying packets (naming the shots), ask before replacing a film the person replaced by hand, join with
// progress and Cancel (core/film/join.ts: temp file, rename; nothing partial left), then write the
// sidecar. Export Timeline writes the same cut as OpenTimelineIO beside the film.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { executeSeedanceCommand } from '../commands/execute';
import { findMismatches, type Difference } from '../../core/film/compatibility';
import { filmOwnership, filmPaths, readSidecar, sha256File, staleShots, writeFileAtomic, FILM_SCHEMA, type ChosenNow, type FilmPaths, type FilmSidecar } from '../../core/film/filmFiles';
import { joinTakes, JoinCancelledError } from '../../core/film/join';
import { buildTimeline } from '../../core/film/otio';
import { probeTake, UnreadableTakeError, type TakeFacts } from '../../core/film/probe';
import { shotKey } from '../../core/storyboard/parse';
import { chosenTake, isPlayable } from '../../core/storyboard/takes';
import { ask } from '../modal';
import { stringValue } from './previewView';
import { ShotGeneration } from './shotGeneration';
import type { StoryboardService, StoryboardSnapshot } from './storyboardService';

export interface FilmDeps {
  readonly service: StoryboardService;
  readonly log: (line: string) => void;
}

interface PlannedShot {
  readonly key: string;
  readonly shotId: string | undefined;
  readonly number: number;
  readonly title: string;
  /** The chosen take's video, when it is on disk. */
  readonly file: string | undefined;
}

/** A film that cannot be made as asked: the message names the shots; `regenerate` the shots to make again. */
export class FilmRefusedError extends Error {
  constructor(message: string, readonly regenerate?: { readonly uri: vscode.Uri; readonly shots: readonly string[] }) {
    super(message);
  }
}

export function planShots(snap: StoryboardSnapshot): PlannedShot[] {
  return snap.resolved.shots.map((s, i) => {
    const take = s.shot.id ? chosenTake(snap.takes.get(s.shot.id), stringValue(s.shot.settings.take?.value)) : undefined;
    const file = take && isPlayable(take) ? take.videoFile : undefined;
    return { key: shotKey(s.shot), shotId: s.shot.id, number: i + 1, title: s.shot.title || vscode.l10n.t('(untitled shot)'), file };
  });
}

function shotName(s: PlannedShot): string {
  return vscode.l10n.t('shot {0} "{1}"', s.number, s.title);
}

function differenceWords(d: Difference): string {
  switch (d.kind) {
    case 'videoCodec': return vscode.l10n.t('video codec {0}, the film is {1}', d.found, d.expected);
    case 'size': return vscode.l10n.t('size {0}, the film is {1}', d.found, d.expected);
    case 'videoDescription': return vscode.l10n.t('other video encoder settings');
    case 'audioMissing': return vscode.l10n.t('no sound, the film has sound');
    case 'audioExtra': return vscode.l10n.t('sound ({0}), the film has none', d.found);
    case 'audioFormat': return vscode.l10n.t('sound {0}, the film is {1}', d.found, d.expected);
  }
}

export class Films {
  /** Films being assembled, by storyboard: a second click joins the run in progress instead of racing it. */
  private readonly assembling = new Map<string, Promise<vscode.Uri | undefined>>();

  constructor(private readonly deps: FilmDeps) {}

  /** `seedance.storyboard.assembleFilm(uri?)`: resolves with the film's URI (undefined when cancelled or declined). */
  assemble(uriArg?: unknown): Promise<vscode.Uri | undefined> {
    const uri = ShotGeneration.storyboardUri(uriArg);
    const key = uri.toString();
    let run = this.assembling.get(key);
    if (!run) {
      run = this.assembleNow(uri).finally(() => this.assembling.delete(key));
      this.assembling.set(key, run);
    }
    return run;
  }

  private async assembleNow(uri: vscode.Uri): Promise<vscode.Uri | undefined> {
    // The film is made from the takes on disk now, not from what was last seen (one written a moment ago by a
    // pull or another window may not have been noticed yet).
    this.deps.service.refresh(uri);
    const snap = await this.deps.service.snapshot(uri);
    if (!snap.folder) throw new FilmRefusedError(vscode.l10n.t('Open a workspace folder first: the film is saved in its output folder.'));
    const shots = await this.shotsToUse(snap, vscode.l10n.t('Assemble the Others'));
    if (!shots) return undefined;
    const facts = await this.readTakes(shots);
    const mismatches = findMismatches(facts);
    if (mismatches.length > 0) {
      const lines = mismatches.map((m) => vscode.l10n.t('{0}: {1}', shotName(shots[m.index]), m.differences.map(differenceWords).join('; ')));
      throw new FilmRefusedError(
        vscode.l10n.t('These takes cannot be joined to {0} without re-encoding: {1}. Re-generate them at the storyboard\'s settings, or choose other takes.', shotName(shots[0]), lines.join(' · ')),
        { uri, shots: mismatches.map((m) => shots[m.index].key) },
      );
    }
    const paths = filmPaths(snap.folder, snap.file);
    if ((await filmOwnership(paths)) === 'replaced') {
      const replace = vscode.l10n.t('Replace');
      const answer = await ask({
        id: 'film.replaceChanged',
        message: vscode.l10n.t('{0} was changed or put there outside Seedance Studio. Replace it with the assembled film?', path.basename(paths.film)),
        detail: vscode.l10n.t('The file in the takes folder is not the film Seedance Studio wrote last. Replacing it cannot be undone.'),
        choices: [replace],
      });
      if (answer !== replace) return undefined;
    }
    const started = Date.now();
    let joined;
    try {
      joined = await vscode.window.withProgress({
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Assembling the film of {0}', snap.resolved.title ?? path.basename(uri.fsPath)),
        cancellable: true,
      }, async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        try {
          return await joinTakes(facts, paths.film, {
            signal: abort.signal,
            onProgress: (fraction) => {
              const now = Math.round(fraction * 100);
              if (now > reported) progress.report({ increment: now - reported, message: vscode.l10n.t('{0}%', now) });
              reported = now;
            },
          });
        } finally {
          sub.dispose();
        }
      });
    } catch (error) {
      if (error instanceof JoinCancelledError) {
        this.deps.log(`Film: cancelled ${paths.film}; nothing was written`);
        void vscode.window.showInformationMessage(vscode.l10n.t('The film was cancelled; nothing was written.'));
        return undefined;
      }
      throw error;
    }
    const sidecar: FilmSidecar = {
      schema: FILM_SCHEMA,
      version: 1,
      storyboard: snap.file,
      createdAt: new Date().toISOString(),
      film: {
        file: path.basename(paths.film),
        sha256: await sha256File(paths.film),
        bytes: (await fs.stat(paths.film)).size,
        duration: joined.duration,
        width: facts[0].video.width,
        height: facts[0].video.height,
        frameRate: frameRate(facts),
        ...(facts[0].audio ? { audio: facts[0].audio.codecString } : {}),
      },
      shots: await Promise.all(joined.shots.map(async (j, i) => ({
        shotId: shots[i].shotId ?? shots[i].key,
        title: shots[i].title,
        take: path.basename(j.file),
        sha256: await sha256File(j.file),
        duration: round(j.duration),
        start: round(j.start),
      }))),
    };
    await writeFileAtomic(paths.sidecar, `${JSON.stringify(sidecar, null, 2)}\n`);
    this.deps.log(`Film: wrote ${paths.film} (${shots.length} shots, ${joined.duration.toFixed(3)} s, ${joined.hasAudio ? 'with sound' : 'silent'}) in ${Date.now() - started} ms`);
    this.deps.service.refresh(uri);
    const filmUri = vscode.Uri.file(paths.film);
    const play = vscode.l10n.t('Play in Preview');
    void vscode.window.showInformationMessage(vscode.l10n.t('Assembled {0}: {1} shots, {2} s.', path.basename(paths.film), shots.length, joined.duration.toFixed(1)), play).then((a) => {
      if (a === play) void executeSeedanceCommand('seedance.storyboard.preview', uri);
    });
    return filmUri;
  }

  /** `seedance.storyboard.exportTimeline(uri?)`: the OTIO file's URI. */
  async exportTimeline(uriArg?: unknown): Promise<vscode.Uri | undefined> {
    const uri = ShotGeneration.storyboardUri(uriArg);
    this.deps.service.refresh(uri);
    const snap = await this.deps.service.snapshot(uri);
    if (!snap.folder) throw new FilmRefusedError(vscode.l10n.t('Open a workspace folder first: the timeline is saved in its output folder.'));
    const shots = await this.shotsToUse(snap, vscode.l10n.t('Export the Others'));
    if (!shots) return undefined;
    const facts = await this.readTakes(shots);
    const paths = filmPaths(snap.folder, snap.file);
    const timeline = buildTimeline({
      name: snap.resolved.title ?? path.basename(uri.fsPath),
      rate: frameRate(facts),
      hasAudio: facts.some((f) => f.audio),
      shots: facts.map((f, i) => ({ name: `${shots[i].number}. ${shots[i].title}`, file: f.file, duration: f.duration })),
    });
    await writeFileAtomic(paths.timeline, `${JSON.stringify(timeline, null, 2)}\n`);
    this.deps.log(`Film: wrote the timeline ${paths.timeline} (${shots.length} clips)`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} for an editing application that imports OpenTimelineIO.', path.basename(paths.timeline)));
    return vscode.Uri.file(paths.timeline);
  }

  /** What the preview shows about the film: where it is, and which shots changed since it was made. */
  async state(snap: StoryboardSnapshot): Promise<{ paths: FilmPaths; sidecar: FilmSidecar; stale: string[] } | undefined> {
    if (!snap.folder) return undefined;
    const paths = filmPaths(snap.folder, snap.file);
    const sidecar = await readSidecar(paths.sidecar);
    if (!sidecar) return undefined;
    try {
      await fs.access(paths.film);
    } catch {
      return undefined;
    }
    const planned = planShots(snap);
    const chosen: ChosenNow[] = await Promise.all(planned.map(async (s) => ({
      shotId: s.shotId ?? s.key,
      take: s.file ? path.basename(s.file) : undefined,
      ...(s.file ? { modifiedMs: (await fs.stat(s.file).catch(() => undefined))?.mtimeMs } : {}),
    })));
    const staleIds = staleShots(sidecar, chosen);
    const titles = staleIds.map((id) =>
      planned.find((p) => (p.shotId ?? p.key) === id)?.title ?? sidecar.shots.find((s) => s.shotId === id)?.title ?? id);
    return { paths, sidecar, stale: titles };
  }

  /** The shots with a take on disk, after asking about the others; undefined when declined. */
  private async shotsToUse(snap: StoryboardSnapshot, goLabel: string): Promise<PlannedShot[] | undefined> {
    const planned = planShots(snap);
    const missing = planned.filter((s) => !s.file);
    const ready = planned.filter((s) => s.file);
    if (ready.length === 0) {
      throw new FilmRefusedError(planned.length === 0
        ? vscode.l10n.t('This storyboard has no shots yet.')
        : vscode.l10n.t('No shot has a chosen take on disk yet: generate the shots first.'));
    }
    if (missing.length > 0) {
      const answer = await ask({
        id: 'film.missingTakes',
        message: missing.length === 1
          ? vscode.l10n.t('{0} has no take on disk.', missing.map(shotName).join(', '))
          : vscode.l10n.t('{0} shots have no take on disk: {1}.', missing.length, missing.map(shotName).join(', ')),
        detail: ready.length === 1 ? vscode.l10n.t('Only 1 shot can be used.') : vscode.l10n.t('The other {0} shots can be used, in order.', ready.length),
        choices: [goLabel],
      });
      if (answer !== goLabel) return undefined;
    }
    return ready;
  }

  private async readTakes(shots: readonly PlannedShot[]): Promise<TakeFacts[]> {
    const facts: TakeFacts[] = [];
    for (const s of shots) {
      try {
        facts.push(await probeTake(s.file!));
      } catch (error) {
        const reason = error instanceof UnreadableTakeError || error instanceof Error ? error.message : String(error);
        throw new FilmRefusedError(vscode.l10n.t('The take of {0} ({1}) cannot be read as a video: {2}', shotName(s), path.basename(s.file!), reason));
      }
    }
    return facts;
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

/** Pictures per second of the first take (the others have the same parameters), to 3 decimals. */
function frameRate(facts: readonly TakeFacts[]): number {
  const f = facts[0];
  return f && f.duration > 0 ? Math.round((f.video.frames / f.duration) * 1000) / 1000 : 24;
}
