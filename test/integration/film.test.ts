// The film in real VS Code: a storyboard generated against the simulator, assembled into one MP4 (checked
// with ffprobe: length and frames the sums of the takes) and exported as OpenTimelineIO; the preview plays
// the film and says when it is older than the chosen takes. Takes made here with ffmpeg (filed as takes of
// another storyboard, as a teammate's pull would bring them) cover what the simulator's silent clips cannot:
// a missing take (the question names it), a take of another size (refused, its shot named), a film replaced
// by hand (never overwritten without asking), and sound: AAC, which this browser decodes (nothing said), and
// AC-3, which it cannot (the measured note with Play with Sound, the case of AAC in desktop VS Code; clicked, it
// downloads the video in this browser host). Cancel is clicked on the progress of a long assembly that the
// Assemble Film CodeLens (on the title line) started.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ffprobe, makeTake, requireFfmpeg } from '../media/makeTakes';
import { screenshot, waitFor } from './helpers';
import { answering, seedance, uniquePrompt, workspaceRoot, YES } from './seedanceKit';
import { drive, webviewDriverAvailable, inPage } from './webviewDriver';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;

const DARK = 'Default Dark Modern';
const LIGHT = 'Default Light Modern';
const PREVIEW = 'main#app[data-panel="seedance-storyboard"]';
const ANSWERER_KEY = Symbol.for('seedanceStudio.test.modalAnswerer'); // src/vscode/modal.ts
const LENS_ASSEMBLE = '.monaco-editor .codelens-decoration a:has-text("Assemble Film")';

/** The notification whose text includes `text`, read in the notification centre (a toast may not show in the test host). */
async function notification(text: string): Promise<string> {
  await vscode.commands.executeCommand('notifications.showList');
  const selector = `.notifications-center .monaco-list-row:has-text(${JSON.stringify(text)})`;
  await drive([{ op: 'waitFor', frame: 'workbench', selector, timeoutMs: 30_000 }]);
  return selector;
}

async function waitPreview<A, T>(fn: (arg: A) => T, arg?: A, timeoutMs = 30_000): Promise<T> {
  const [v] = await drive(inPage(PREVIEW, [{ op: 'waitForFunction', fn: fn.toString(), arg, timeoutMs }]), timeoutMs + 10_000);
  return v as T;
}

async function setTheme(theme: string): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
  await new Promise((r) => setTimeout(r, 800));
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A storyboard whose takes are files made here, filed with records the way saved takes are. */
function boardWithTakes(root: string, name: string, shots: Array<{ id: string; title: string; take?: Parameters<typeof makeTake>[0] extends infer S ? Omit<S & object, 'file'> : never }>): vscode.Uri {
  const file = path.join(root, `${name}.storyboard.md`);
  fs.writeFileSync(file, ['---', `title: ${name}`, 'model: doubao-seedance-2-0-fast', 'seconds: 4', '---', '',
    ...shots.flatMap((s) => [`## ${s.title}`, `<!-- shot {id: ${s.id}} -->`, `${s.title} in the rain`, ''])].join('\n'));
  const folder = path.join(root, 'videos', name);
  fs.mkdirSync(folder, { recursive: true });
  shots.forEach((s, i) => {
    if (!s.take) return;
    const video = path.join(folder, `${name}-${s.id}.mp4`);
    makeTake({ ...s.take, file: video });
    fs.writeFileSync(video.replace(/\.mp4$/, '.json'), JSON.stringify({
      schema: 'seedance-studio.video', videoFile: path.basename(video), createdAt: new Date(Date.now() - 60_000 + i * 1000).toISOString(),
      storyboard: { file: `${name}.storyboard.md`, shotId: s.id },
    }));
  });
  return vscode.Uri.file(file);
}

describe('Film: assemble, export, play (real VS Code)', function () {
  this.timeout(300_000);
  let root: string;
  let themeBefore: string | undefined;

  before(async () => {
    requireFfmpeg();
    await seedance();
    // Generate All's one confirmation and a shot's review are answered "yes" through the seam (the money
    // dialogs' own branches are tested in gate.test.ts); the film's own questions are answered per test below.
    (globalThis as Record<symbol, unknown>)[ANSWERER_KEY] = YES;
    root = workspaceRoot();
    themeBefore = vscode.workspace.getConfiguration('workbench').inspect<string>('colorTheme')?.globalValue;
    await setTheme(DARK);
  });

  after(async () => {
    delete (globalThis as Record<symbol, unknown>)[ANSWERER_KEY];
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', themeBefore, vscode.ConfigurationTarget.Global);
  });

  it('a storyboard generated against the simulator is assembled into one MP4 and exported as OpenTimelineIO; the preview plays it', async function () {
    if (!webviewDriverAvailable) this.skip(); // the preview is a webview in the web backend's browser
    const words = uniquePrompt('film');
    const board = vscode.Uri.file(path.join(root, 'reel.storyboard.md'));
    fs.writeFileSync(board.fsPath, ['---', 'title: Reel', 'model: doubao-seedance-2-0-fast', 'seconds: 4', 'resolution: 480p', '---', '',
      '## Harbour', `Boats in a harbour at dawn ${words}`, '', '## Market', `A busy fish market ${words}`, '', '## Gulls', `Gulls over the pier ${words}`, ''].join('\n'));
    await vscode.window.showTextDocument(board);
    const generated = await vscode.commands.executeCommand<{ states: Record<string, string> }>('seedance.storyboard.generateAll', board);
    // On a mismatch, what the takes' tasks say (a failure's reason, a download's error) goes with it.
    const why = async () => JSON.stringify({ generated, tasks: (await seedance()).listTasks().filter((t) => t.prompt.includes(words)) });
    assert.deepEqual(Object.values(generated?.states ?? {}), ['done', 'done', 'done'], await why());
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', board);
      return l.find((x) => x.command?.command === 'seedance.storyboard.assembleFilm') ? l : undefined;
    }, 'the Assemble Film CodeLens', 20_000);
    const lens = lenses.find((x) => x.command?.command === 'seedance.storyboard.assembleFilm')!;
    assert.equal(lens.range.start.line, 1, 'on the title line (the film is named after it)');
    assert.match(lens.command!.title, /Assemble Film/);
    // Seen where the user meets it, dark and light.
    await drive([{ op: 'waitFor', frame: 'workbench', selector: LENS_ASSEMBLE, timeoutMs: 20_000 }]);
    await drive([{ op: 'screenshot', name: 'film-codelens-title-dark' }]);
    await setTheme(LIGHT);
    await drive([{ op: 'screenshot', name: 'film-codelens-title-light' }]);
    await setTheme(DARK);

    const folder = path.join(root, 'videos', 'reel');
    const takes = fs.readdirSync(folder).filter((f) => f.endsWith('.mp4')).map((f) => path.join(folder, f));
    assert.equal(takes.length, 3);
    const film = await vscode.commands.executeCommand<vscode.Uri>('seedance.storyboard.assembleFilm', board);
    assert.ok(film, 'resolves with the film');
    assert.equal(film.fsPath, path.join(folder, 'reel.film.mp4'));
    const sidecar = JSON.parse(fs.readFileSync(path.join(folder, 'reel.film.json'), 'utf8'));
    assert.deepEqual(sidecar.shots.map((s: { title: string }) => s.title), ['Harbour', 'Market', 'Gulls']);
    for (const s of sidecar.shots) assert.equal(s.sha256, sha256(path.join(folder, s.take)), `the SHA-256 of ${s.take}`);
    assert.equal(sidecar.film.sha256, sha256(film.fsPath));
    const parts = sidecar.shots.map((s: { take: string }) => ffprobe(path.join(folder, s.take)));
    const whole = ffprobe(film.fsPath);
    const sum = parts.reduce((n: number, p: { duration: number }) => n + p.duration, 0);
    assert.ok(Math.abs(whole.duration - sum) < 0.05, `film ${whole.duration} s, takes ${sum} s`);
    assert.equal(
      whole.streams[0].frames,
      parts.reduce((n: number, p: { streams: Array<{ frames: number }> }) => n + p.streams[0].frames, 0),
    );
    assert.deepEqual(
      sidecar.shots.map((s: { start: number }) => Math.round(s.start * 1000)),
      [0, Math.round(parts[0].duration * 1000), Math.round((parts[0].duration + parts[1].duration) * 1000)],
    );

    const otio = await vscode.commands.executeCommand<vscode.Uri>('seedance.storyboard.exportTimeline', board);
    assert.equal(otio?.fsPath, path.join(folder, 'reel.otio'));
    const timeline = JSON.parse(fs.readFileSync(otio!.fsPath, 'utf8'));
    assert.equal(timeline.OTIO_SCHEMA, 'Timeline.1');
    const clips = timeline.tracks.children[0].children;
    assert.deepEqual(clips.map((c: { name: string }) => c.name), ['1. Harbour', '2. Market', '3. Gulls']);
    assert.deepEqual(clips.map((c: any) => decodeURIComponent(new URL(c.media_references.DEFAULT_MEDIA.target_url).pathname).split('/').pop()), sidecar.shots.map((s: { take: string }) => s.take));

    // The preview plays the film.
    await vscode.commands.executeCommand('seedance.storyboard.preview', board);
    await drive(inPage(PREVIEW, [{ op: 'waitFor', selector: '#film-player' }]));
    assert.match(await waitPreview(() => document.getElementById('film-summary')?.textContent || null), /reel\.film\.mp4 · 3 shots/);
    await drive(inPage(PREVIEW, [{ op: 'evaluate', fn: (() => { void document.getElementById('film-player').play(); }).toString() }]));
    await waitPreview(() => document.getElementById('film-player').currentTime > 1.2, undefined, 30_000);
    // The simulator's clips have no sound track: said so, and no "cannot be heard" note.
    assert.equal(await waitPreview(() => document.body.dataset.filmSound || null), 'none');
    assert.equal(await waitPreview(() => document.getElementById('film-sound').textContent), 'No sound track');
    assert.equal(await waitPreview(() => document.getElementById('sound-note').hidden), true);
    assert.equal(await waitPreview(() => document.getElementById('film').dataset.stale), 'false');

    // "Market" is re-rolled: its newer take becomes the chosen one, so the film is older than the chosen takes.
    const market = sidecar.shots[1];
    const rerolled = await vscode.commands.executeCommand<string>('seedance.storyboard.generateShot', board, market.shotId);
    assert.ok(rerolled, 'the re-roll was sent');
    const hooks = (await seedance()).testHooks;
    await waitFor(() => {
      const t = hooks.task(rerolled);
      return t?.status === 'succeeded' && t.download.state === 'downloaded' ? t : undefined;
    }, 'the re-rolled take to be saved', 120_000);
    const stale = await waitPreview(() => (document.getElementById('film')?.dataset.stale === 'true' ? document.getElementById('film-stale').textContent : null), undefined, 30_000);
    assert.match(stale, /older than the chosen takes of "Market"/);
    await vscode.commands.executeCommand('notifications.clearAll');
    await drive(inPage(PREVIEW, [{ op: 'screenshot', name: 'film-preview-stale-dark' }]));
    const refused = (await drive([{ op: 'securityMessages' }]))[0] as string[];
    assert.deepEqual(refused.filter((l) => /storyboard|film/i.test(l)), [], 'no CSP refusals on the preview');
  });

  it('names a shot without a take and assembles the others when asked; refuses a take of another size, naming its shot', async () => {
    const board = boardWithTakes(root, 'gaps', [
      { id: 'g1', title: 'Opening', take: { seconds: 1 } },
      { id: 'g2', title: 'Nothing yet' },
      { id: 'g3', title: 'Closing', take: { seconds: 1.5, tone: 600 } },
    ]);
    const declined = await answering(() => undefined, () => vscode.commands.executeCommand<vscode.Uri | undefined>('seedance.storyboard.assembleFilm', board));
    assert.equal(declined.result, undefined);
    assert.match(declined.asked[0]?.message ?? '', /shot 2 "Nothing yet" has no take on disk/);
    assert.deepEqual(declined.asked[0]?.choices, ['Assemble the Others']);
    assert.equal(declined.asked[0]?.id, 'film.missingTakes');
    assert.equal(fs.existsSync(path.join(root, 'videos', 'gaps', 'gaps.film.mp4')), false, 'declined: nothing written');
    const done = await answering((q) => q.choices[0], () => vscode.commands.executeCommand<vscode.Uri>('seedance.storyboard.assembleFilm', board));
    assert.ok(done.result);
    const probed = ffprobe(done.result.fsPath);
    assert.deepEqual(probed.streams.map((s) => s.codec), ['h264', 'aac']);
    assert.equal(probed.streams[0].frames, 24 + 36);

    const sizes = boardWithTakes(root, 'sizes', [
      { id: 's1', title: 'Wide', take: { seconds: 1 } },
      { id: 's2', title: 'Too big', take: { seconds: 1, width: 640, height: 360 } },
    ]);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('seedance.storyboard.assembleFilm', sizes)),
      (e: Error) => /shot 2 "Too big": size 640×360, the film is 320×180/.test(e.message) || assert.fail(e.message),
    );
    assert.equal(fs.existsSync(path.join(root, 'videos', 'sizes', 'sizes.film.mp4')), false);
  });

  it('never overwrites a film replaced by hand without asking', async () => {
    const board = boardWithTakes(root, 'kept', [{ id: 'k1', title: 'One', take: { seconds: 1 } }, { id: 'k2', title: 'Two', take: { seconds: 1 } }]);
    const film = await vscode.commands.executeCommand<vscode.Uri>('seedance.storyboard.assembleFilm', board);
    // Re-assembling our own film asks nothing.
    const again = await answering(() => undefined, () => vscode.commands.executeCommand<vscode.Uri>('seedance.storyboard.assembleFilm', board));
    assert.deepEqual(again.asked, []);
    assert.ok(again.result);
    fs.writeFileSync(film.fsPath, 'my own cut, made elsewhere');
    const kept = await answering(() => undefined, () => vscode.commands.executeCommand<vscode.Uri | undefined>('seedance.storyboard.assembleFilm', board));
    assert.equal(kept.result, undefined);
    assert.match(kept.asked[0]?.message ?? '', /kept\.film\.mp4 was changed or put there outside Seedance Studio/);
    assert.equal(kept.asked[0]?.id, 'film.replaceChanged');
    assert.equal(fs.readFileSync(film.fsPath, 'utf8'), 'my own cut, made elsewhere');
    const replaced = await answering((q) => q.choices[0], () => vscode.commands.executeCommand<vscode.Uri>('seedance.storyboard.assembleFilm', board));
    assert.equal(replaced.asked[0]?.choices[0], 'Replace');
    assert.equal(ffprobe(replaced.result.fsPath).streams[0].frames, 48);
  });

  it('sound: AAC heard in this browser (nothing said); AC-3 measured silent, said with Play with Sound; dark and light', async function () {
    if (!webviewDriverAvailable) this.skip();
    // One preview at a time: the driver finds the page by its selector.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const heard = boardWithTakes(root, 'heard', [{ id: 'h1', title: 'Surf', take: { seconds: 2, tone: 330 } }, { id: 'h2', title: 'Wind', take: { seconds: 2, tone: 550 } }]);
    await vscode.commands.executeCommand('seedance.storyboard.assembleFilm', heard);
    await vscode.commands.executeCommand('seedance.storyboard.preview', heard);
    await drive(inPage(PREVIEW, [{ op: 'waitFor', selector: '#film-player' }]));
    assert.equal(await waitPreview(() => (document.getElementById('film-summary')?.textContent.startsWith('heard.film.mp4') ? document.getElementById('film-sound').textContent : null)), 'Sound: AAC');
    assert.equal(await waitPreview(() => document.querySelector('.take[data-sound]')?.getAttribute('data-sound') ?? null), 'AAC', 'each take says its sound');
    await drive(inPage(PREVIEW, [{ op: 'evaluate', fn: (() => { void document.getElementById('film-player').play(); }).toString() }]));
    assert.equal(await waitPreview(() => document.body.dataset.filmSound || null, undefined, 30_000), 'heard');
    assert.equal(await waitPreview(() => document.getElementById('sound-note').hidden), true);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    const silent = boardWithTakes(root, 'unheard', [{ id: 'u1', title: 'Thunder', take: { seconds: 2, audio: 'ac3' } }, { id: 'u2', title: 'Rain', take: { seconds: 2, audio: 'ac3', tone: 660 } }]);
    await vscode.commands.executeCommand('seedance.storyboard.assembleFilm', silent);
    await vscode.commands.executeCommand('seedance.storyboard.preview', silent);
    await drive(inPage(PREVIEW, [{ op: 'waitFor', selector: '#film-player' }]));
    assert.equal(await waitPreview(() => (document.getElementById('film-summary')?.textContent.startsWith('unheard.film.mp4') ? document.getElementById('film-sound').textContent : null)), 'Sound: AC-3');
    await drive(inPage(PREVIEW, [{ op: 'evaluate', fn: (() => { void document.getElementById('film-player').play(); }).toString() }]));
    assert.equal(await waitPreview(() => document.body.dataset.filmSound || null, undefined, 30_000), 'silent');
    const note = await waitPreview(() => (document.getElementById('sound-note').hidden ? null : document.getElementById('sound-note').textContent));
    assert.match(note, /This film has sound \(AC-3\), but this editor's player cannot decode it/);
    assert.match(note, /Play with Sound/);
    // A take played in its card is measured too, and offers the system's player.
    await drive(inPage(PREVIEW, [{ op: 'evaluate', fn: (() => { void document.querySelector('.take video').play(); }).toString() }]));
    const takeNote = await waitPreview(() => (document.querySelector('.take[data-heard="false"]') ? document.querySelector('.take[data-heard="false"] .take-sound').textContent : null), undefined, 30_000);
    assert.match(takeNote, /Sound: AC-3 · silent here/);
    assert.match(takeNote, /Play with Sound/);
    // Play All plays the takes: measured the same way, said in its bar.
    await drive(inPage(PREVIEW, [{ op: 'evaluate', fn: (() => { document.querySelector('.take video').pause(); }).toString() }, { op: 'click', selector: '#play-all' }]));
    const playAllNote = await waitPreview(() => document.getElementById('player-sound')?.textContent || null, undefined, 30_000);
    assert.match(playAllNote, /Sound: AC-3 · silent here/);
    await drive(inPage(PREVIEW, [{ op: 'press', selector: '#player-stop', key: 'Escape' }]));
    await drive(inPage(PREVIEW, [{ op: 'evaluate', fn: (() => { const v = document.getElementById('film-player'); v.pause(); v.currentTime = 0.5; window.scrollTo(0, 0); }).toString() }]));
    await vscode.commands.executeCommand('notifications.clearAll');
    await drive(inPage(PREVIEW, [{ op: 'screenshot', name: 'film-preview-sound-dark' }]));
    await setTheme(LIGHT);
    await waitPreview(() => document.body.classList.contains('vscode-light'));
    await drive(inPage(PREVIEW, [{ op: 'screenshot', name: 'film-preview-sound-light' }]));
    await setTheme(DARK);
    await screenshot('film-preview-workbench');

    // Play with Sound, clicked. In this browser host the files are on another machine than the person's
    // player, so it downloads the film (the system's player opens it there); desktop VS Code opens it directly.
    await drive(inPage(PREVIEW, [{ op: 'click', selector: '#play-with-sound' }]));
    await drive([{ op: 'waitForDownload', fileName: 'unheard.film.mp4', timeoutMs: 30_000 }]);
    const takeButton = '.take[data-heard="false"] .take-sound button';
    const take = await waitPreview((s: string) => document.querySelector(s)?.closest('.take')?.querySelector('video')?.getAttribute('src')?.split('?')[0].split('/').pop() ?? null, takeButton);
    await drive(inPage(PREVIEW, [{ op: 'click', selector: takeButton }]));
    await drive([{ op: 'waitForDownload', fileName: decodeURIComponent(take), timeoutMs: 30_000 }]);
  });

  it('Cancel, clicked on the progress of a long assembly started from the CodeLens: nothing written, the previous film untouched', async function () {
    if (!webviewDriverAvailable) this.skip(); // the notification and the CodeLens are clicked in the browser
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // One long take (4 min of small picture, ~16,000 packets) filed for every shot: twenty shots make a join of
    // minutes of film, seconds of work, long enough to click Cancel while it runs.
    const folder = path.join(root, 'videos', 'long');
    fs.mkdirSync(folder, { recursive: true });
    const long = makeTake({ file: path.join(folder, 'long-l1.mp4'), seconds: 240 });
    const file = (i: number) => path.join(folder, `long-l${i}.mp4`);
    const writeBoard = (count: number) => {
      const ids = Array.from({ length: count }, (_, i) => i + 1);
      for (const i of ids) {
        if (!fs.existsSync(file(i))) fs.linkSync(long, file(i));
        fs.writeFileSync(file(i).replace(/\.mp4$/, '.json'), JSON.stringify({
          schema: 'seedance-studio.video', videoFile: path.basename(file(i)), createdAt: new Date(Date.now() - 60_000 + i * 1000).toISOString(),
          storyboard: { file: 'long.storyboard.md', shotId: `l${i}` },
        }));
      }
      fs.writeFileSync(path.join(root, 'long.storyboard.md'), ['---', 'title: Long', 'model: doubao-seedance-2-0-fast', 'seconds: 4', '---', '',
        ...ids.flatMap((i) => [`## Part ${i}`, `<!-- shot {id: l${i}} -->`, `Part ${i} of a long walk`, ''])].join('\n'));
    };
    writeBoard(1);
    const board = vscode.Uri.file(path.join(root, 'long.storyboard.md'));
    const before = await vscode.commands.executeCommand<vscode.Uri>('seedance.storyboard.assembleFilm', board);
    const filmBefore = sha256(before.fsPath);
    const sidecarBefore = fs.readFileSync(path.join(folder, 'long.film.json'), 'utf8');

    writeBoard(20);
    await vscode.window.showTextDocument(board);
    await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', board);
      return l.filter((x) => x.command?.command === 'seedance.storyboard.generateShot').length === 20 || undefined;
    }, 'the CodeLenses of the twenty shots', 20_000);
    await vscode.commands.executeCommand('notifications.clearAll');
    // Clicked like a person: the CodeLens on the title line, then Cancel on the progress notification.
    await drive([{ op: 'click', frame: 'workbench', selector: LENS_ASSEMBLE, timeoutMs: 20_000 }]);
    const progress = await notification('Assembling the film of Long');
    await waitFor(() => fs.readdirSync(folder).find((f) => f.startsWith('.long.film.mp4.part-')), 'the film being written', 30_000);
    await drive([{ op: 'screenshot', name: 'film-cancel-progress-dark' }, { op: 'click', frame: 'workbench', selector: `${progress} .monaco-button:text-is("Cancel")` }]);
    await notification('The film was cancelled; nothing was written.');
    await waitFor(() => !fs.readdirSync(folder).some((f) => f.includes('.part-')) || undefined, 'the partial film to be removed', 10_000);
    assert.equal(sha256(before.fsPath), filmBefore, 'the previous film untouched');
    assert.equal(fs.readFileSync(path.join(folder, 'long.film.json'), 'utf8'), sidecarBefore, 'its sidecar untouched');
    await vscode.commands.executeCommand('notifications.hideList');
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
