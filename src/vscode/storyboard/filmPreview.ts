// The film's part of the storyboard preview: the `film` message (the assembled film, whether it is older
// than the chosen takes, and the sound of every video the page shows) and the page's film requests
// (Assemble Film, Export Timeline, Play with Sound). Kept apart from previewPanel.ts, which only forwards.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { executeSeedanceCommand } from '../commands/execute';
import { readSoundFacts, type SoundFacts } from '../../core/film/soundFacts';
import { isPlayable } from '../../core/storyboard/takes';
import type { FilmFromWebview, FilmToWebview, SoundView } from '../../shared/storyboardProtocol';
import { downloadToComputer, filesAreLocal } from '../hostKind';
import type { Films } from './film';
import type { StoryboardService, StoryboardSnapshot } from './storyboardService';

const CODEC_WORDS: Record<string, string> = { aac: 'AAC', mp3: 'MP3', opus: 'Opus', flac: 'FLAC', 'ac-3': 'AC-3', 'e-ac-3': 'E-AC-3', pcm: 'PCM', alac: 'ALAC' };

export class FilmPreviewPart {
  /** Sound facts by file, valid while its size and time stay the same. */
  private readonly sounds = new Map<string, { stamp: string; facts: SoundFacts | undefined }>();

  constructor(private readonly films: Films, private readonly service: StoryboardService) {}

  async message(snap: StoryboardSnapshot, toUri: (file: string) => string): Promise<FilmToWebview> {
    const state = await this.films.state(snap).catch(() => undefined);
    const sounds: Record<string, SoundView> = {};
    const videos = [...snap.takes.values()].flat().filter(isPlayable).map((t) => t.videoFile!);
    await Promise.all(videos.map(async (file) => {
      const facts = await this.soundOf(file);
      if (facts) sounds[toUri(file)] = view(facts);
    }));
    const canAssemble = snap.resolved.shots.some((s) => s.shot.id && (snap.takes.get(s.shot.id) ?? []).some(isPlayable));
    const playDownloads = !filesAreLocal();
    if (!state) return { type: 'film', sounds, canAssemble, playDownloads };
    const stat = await fs.stat(state.paths.film);
    const facts = (await this.soundOf(state.paths.film)) ?? { hasAudio: false };
    const videoUri = `${toUri(state.paths.film)}?v=${Math.round(stat.mtimeMs)}`;
    sounds[videoUri] = view(facts);
    const f = state.sidecar.film;
    const count = state.sidecar.shots.length;
    return {
      type: 'film',
      sounds,
      canAssemble,
      playDownloads,
      film: {
        videoUri,
        fileName: path.basename(state.paths.film),
        summary: [count === 1 ? vscode.l10n.t('1 shot') : vscode.l10n.t('{0} shots', count), vscode.l10n.t('{0} s', f.duration.toFixed(1)), `${f.width}×${f.height}`].join(' · '),
        staleShots: state.stale,
        sound: view(facts),
      },
    };
  }

  async handle(message: FilmFromWebview, uri: vscode.Uri): Promise<void> {
    switch (message.type) {
      case 'assembleFilm':
        await executeSeedanceCommand('seedance.storyboard.assembleFilm', uri, 'interactive');
        return;
      case 'exportTimeline':
        await executeSeedanceCommand('seedance.storyboard.exportTimeline', uri, 'interactive');
        return;
      case 'playWithSound': {
        const snap = await this.service.snapshot(uri);
        let file: string | undefined;
        if (message.shot === undefined) file = (await this.films.state(snap))?.paths.film;
        else file = snap.takes.get(message.shot)?.find((t) => t.key === message.take)?.videoFile;
        if (!file) return;
        // The system's player (desktop VS Code's webviews have no AAC decoder; the system's player has). In a
        // browser or a remote window that player is on another machine than the file: it is downloaded to the
        // person's computer instead (openExternal of a file URI goes nowhere there).
        if (!filesAreLocal()) return downloadToComputer(vscode.Uri.file(file));
        if (!(await vscode.env.openExternal(vscode.Uri.file(file)))) void vscode.window.showWarningMessage(vscode.l10n.t('No application opened {0}.', path.basename(file)));
        return;
      }
    }
  }

  private async soundOf(file: string): Promise<SoundFacts | undefined> {
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat) return undefined;
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    const known = this.sounds.get(file);
    if (known?.stamp === stamp) return known.facts;
    const facts = await readSoundFacts(file).catch(() => undefined);
    this.sounds.set(file, { stamp, facts });
    return facts;
  }
}

function view(facts: SoundFacts): SoundView {
  return { hasAudio: facts.hasAudio, ...(facts.codec ? { codec: CODEC_WORDS[facts.codec] ?? facts.codec } : {}) };
}
