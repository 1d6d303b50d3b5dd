// Storyboards in real VS Code against the simulator: squiggles and quick fixes on a real file, CodeLens,
// Generate All with every take downloaded into the storyboard's folder, a continuation sent with the last
// frame the preview captured (checked in the simulator), a take chosen in the preview and found again
// after a reload with an empty task list (as on another machine), Play All, and screenshots dark and light.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { screenshot, waitFor } from './helpers';
import { createRequests, filesIn, reactivate, seedance, sim, uniquePrompt, withSetting, workspaceRoot, YES } from './seedanceKit';
import { drive, webviewDriverAvailable, inPage } from './webviewDriver';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const DARK = 'Default Dark Modern';
const LIGHT = 'Default Light Modern';
const PREVIEW = 'main#app[data-panel="seedance-storyboard"]';

async function evalPreview<A, T>(fn: (arg: A) => T, arg?: A): Promise<T> {
  const [v] = await drive(inPage(PREVIEW, [{ op: 'evaluate', fn: fn.toString(), arg }]));
  return v as T;
}
async function waitPreview<A, T>(fn: (arg: A) => T, arg?: A, timeoutMs = 30_000): Promise<T> {
  const [v] = await drive(inPage(PREVIEW, [{ op: 'waitForFunction', fn: fn.toString(), arg, timeoutMs }]), timeoutMs + 10_000);
  return v as T;
}

/** The storyboard as the person sees it: the open editor's text (ids are written there, not saved for them). */
function textOf(uri: vscode.Uri): string {
  return vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath)?.getText() ?? fs.readFileSync(uri.fsPath, 'utf8');
}

function diagnosticsOf(uri: vscode.Uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Seedance storyboard');
}

async function setTheme(theme: string): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
  await new Promise((r) => setTimeout(r, 800));
}

describe('Storyboards (real VS Code)', function () {
  this.timeout(300_000);
  let root: string;
  let film: vscode.Uri;
  const words = uniquePrompt('sb');
  let themeBefore: string | undefined;

  const ANSWERER = Symbol.for('seedanceStudio.test.modalAnswerer'); // src/vscode/modal.ts
  before(async () => {
    await seedance();
    // Generate All's one confirmation and a shot's review are answered "yes" through the seam (the money
    // dialogs' own branches are tested in gate.test.ts); confirmBeforeSubmit stays on, as users have it.
    (globalThis as Record<symbol, unknown>)[ANSWERER] = YES;
    root = workspaceRoot();
    themeBefore = vscode.workspace.getConfiguration('workbench').inspect<string>('colorTheme')?.globalValue;
    await setTheme(DARK);
    film = vscode.Uri.file(path.join(root, 'film.storyboard.md'));
    fs.writeFileSync(film.fsPath, [
      '---',
      'title: Lighthouse Test',
      'model: doubao-seedance-2-0-fast',
      'seconds: 5',
      '---',
      '',
      '## Dusk over the sea',
      `A slow aerial push toward a white lighthouse at dusk ${words}`,
      '',
      '## The keeper climbs',
      '<!-- shot',
      'continue: true',
      '-->',
      `The keeper climbs the spiral stairs with a lantern ${words}`,
      '',
      '## The lamp',
      `The great lamp turns on and sweeps the dark sea ${words}`,
      '',
    ].join('\n'));
  });

  after(async () => {
    delete (globalThis as Record<symbol, unknown>)[ANSWERER];
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', themeBefore, vscode.ConfigurationTarget.Global);
  });

  it('squiggles what the catalogue refuses, at the right place, with quick fixes', async () => {
    const broken = vscode.Uri.file(path.join(root, 'broken.storyboard.md'));
    fs.writeFileSync(broken.fsPath, [
      '---', //                               0
      'model: doubao-seedance-2-0', //        1
      '---', //                               2
      '## One', //                            3
      '<!-- shot', //                         4
      'seconds: 20', //                       5
      '-->', //                               6
      'waves on rocks', //                    7
      '## Two', //                            8
      '<!-- shot model: seedance-3 -->', //   9
      'a gull', //                            10
      '## Three', //                          11
      '<!-- shot', //                         12
      'image: refs/missing.png', //           13
      'continue: true', //                    14
      '-->', //                               15
      '', //                                  16
    ].join('\n'));
    await vscode.window.showTextDocument(broken);
    const diags = await waitFor(() => {
      const d = diagnosticsOf(broken);
      return d.length >= 4 ? d : undefined;
    }, 'storyboard diagnostics', 20_000);
    const at = (code: string) => diags.filter((d) => d.code === code).map((d) => d.range.start.line);
    assert.deepEqual(at('seconds'), [5]);
    assert.deepEqual(at('model'), [9]);
    assert.deepEqual(at('imageMissing'), [13]);
    assert.deepEqual(at('image'), [], '2.0 takes reference images');
    assert.deepEqual(at('continueModel'), [], '2.0 takes the previous last frame');
    assert.deepEqual(at('prompt'), [11], 'empty prompt flagged on the heading');
    assert.match(diags.find((d) => d.code === 'seconds')!.message, /4 to 15 seconds; you asked for 20/);

    const secondsDiag = diags.find((d) => d.code === 'seconds')!;
    let offered: string[] = [];
    const fix = await waitFor(async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', broken, secondsDiag.range, vscode.CodeActionKind.QuickFix.value);
      offered = actions.map((a) => a.title);
      return actions.find((a) => a.title === 'Use 15 seconds' && a.edit);
    }, 'the quick fix', 15_000, 500).catch(() => assert.fail(`quick fixes offered: ${offered.join(', ')}`));
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await waitFor(() => diagnosticsOf(broken).every((d) => d.code !== 'seconds'), 'the seconds squiggle to go');
    assert.match(vscode.workspace.textDocuments.find((d) => d.uri.fsPath === broken.fsPath)!.getText(), /seconds: 15/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.rmSync(broken.fsPath);
  });

  it('shows CodeLens: Generate All with count and cost, and Generate, Preview on every shot', async () => {
    await vscode.window.showTextDocument(film);
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', film);
      return l.length >= 8 ? l : undefined;
    }, 'CodeLens');
    const titles = lenses.map((l) => l.command?.title ?? '');
    // Priced by the PricingService (the simulator's catalogue), never $0.
    assert.ok(titles.some((t) => /Generate All: 3 shots, \$\d+\.\d\d/.test(t)), titles.join(' | '));
    assert.equal(titles.filter((t) => /Generate: \$\d+\.\d\d/.test(t)).length, 3, titles.join(' | '));
    assert.equal(titles.some((t) => /\$0\.00/.test(t)), false, 'no paid shot shows as free');
    assert.equal(lenses.filter((l) => l.command?.command === 'seedance.storyboard.preview').length, 4);
    const shotLens = lenses.find((l) => l.command?.command === 'seedance.storyboard.generateShot')!;
    assert.equal(shotLens.range.start.line, 6, 'on the first heading');
    // Completions and hover for keys and values, from the catalogue.
    const doc = await vscode.workspace.openTextDocument(film);
    const continueLine = doc.getText().split('\n').indexOf('continue: true');
    const keyItems = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', film, new vscode.Position(continueLine, 0));
    const labels = keyItems.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const key of ['model', 'seconds', 'image', 'continue', 'take']) assert.ok(labels.includes(key), `key ${key} offered: ${labels.join(', ')}`);
    const modelLine = doc.getText().split('\n').indexOf('model: doubao-seedance-2-0-fast');
    const valueItems = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', film, new vscode.Position(modelLine, 'model: '.length));
    const values = valueItems.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(values.includes('seedance-2-5') && values.includes('doubao-seedance-2-0'), values.join(', '));
    assert.ok(!values.includes('doubao-seedance-1-0-pro') && !values.includes('doubao-seedance-1-5-pro'), `retired models are not offered: ${values.join(', ')}`);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', film, new vscode.Position(modelLine, 'model: '.length + 3));
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hoverText, /Seedance 2\.0 Fast/);

    await screenshot('storyboard-codelens-dark');
    await setTheme(LIGHT);
    await screenshot('storyboard-codelens-light');
    await setTheme(DARK);
  });

  it('Generate All downloads every take into the storyboard folder and continues from the captured last frame', async function () {
    if (!webviewDriverAvailable) this.skip(); // the frame is captured in a webview: needs the web backend's browser
    const result = await vscode.commands.executeCommand<{ states: Record<string, string> }>('seedance.storyboard.generateAll', film);
    assert.ok(result, 'generateAll resolved with its result');
    const seen = (await seedance()).listTasks()
      .filter((t) => t.prompt.includes(words))
      .map((t) => ({ status: t.status, error: t.error, file: !!t.file }));
    assert.deepEqual(Object.values(result.states), ['done', 'done', 'done'], `${JSON.stringify(result)}; tasks: ${JSON.stringify(seen)}`);
    const text = textOf(film);
    const ids = [...text.matchAll(/\bid: ([a-z0-9]+)\b/g)].map((m) => m[1]);
    assert.equal(ids.length, 3, `ids written into the file:\n${text}`);
    assert.deepEqual(Object.keys(result.states), ids);

    const folder = path.join(root, 'videos', 'film');
    const files = filesIn(folder);
    assert.equal(files.filter((f) => f.endsWith('.mp4')).length, 3, files.join(', '));
    const records = files.filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8')));
    assert.deepEqual(records.map((r) => r.storyboard.shotId).sort(), [...ids].sort());
    assert.ok(records.every((r) => r.storyboard.file === 'film.storyboard.md'));
    const first = records.find((r) => r.storyboard.shotId === ids[0]);
    const frame = path.join(folder, first.videoFile.replace(/\.mp4$/, '.last-frame.png'));
    assert.ok(fs.existsSync(frame), `the last frame saved beside the take: ${files.join(', ')}`);
    assert.deepEqual([...fs.readFileSync(frame).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);

    // The simulator got the frame as the continuation's reference image, and nothing for the others.
    const tasks = await sim.tasks();
    const mine = (p: string) => tasks.find((t) => t.prompt.includes(p) && t.prompt.includes(words));
    assert.equal(mine('keeper climbs')?.referenceImages, 1);
    assert.equal(mine('aerial push')?.referenceImages, 0);
    assert.equal(mine('great lamp')?.referenceImages, 0);
    assert.equal(tasks.filter((t) => t.prompt.includes(words)).length, 3, 'one create per shot');
    // The takes are grouped under the storyboard in the Seedance view (a picture to look at).
    await vscode.commands.executeCommand('seedance.tasks.focus');
    await screenshot('storyboard-tree');
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it('previews takes, re-rolls a shot, chooses a take and finds it again after a reload with no task list', async function () {
    if (!webviewDriverAvailable) this.skip();
    await vscode.commands.executeCommand('seedance.storyboard.preview', film);
    await drive(inPage(PREVIEW, [{ op: 'waitFor', selector: '.shot .take video' }]));
    assert.equal(await evalPreview(() => document.querySelectorAll('.shot').length), 3);
    const firstId = await evalPreview(() => document.querySelector('.shot')?.getAttribute('data-shot'));
    // Re-roll shot 1: a second take, the first kept.
    await drive(inPage(PREVIEW, [{ op: 'click', selector: `.shot[data-shot="${firstId}"] button.reroll` }]));
    await waitPreview((id: string) => document.querySelectorAll(`.shot[data-shot="${id}"] .take video`).length === 2, firstId, 60_000);
    const older = await evalPreview((id: string) => document.querySelector(`.shot[data-shot="${id}"] .take`)?.getAttribute('data-take'), firstId);
    assert.ok(older);
    // The newest is shown as chosen until the person chooses; choose the older one, with the keyboard.
    await drive(inPage(PREVIEW, [
      { op: 'focus', selector: `.shot[data-shot="${firstId}"] .take[data-take="${older}"] button.choose` },
      { op: 'press', selector: `.shot[data-shot="${firstId}"] .take[data-take="${older}"] button.choose`, key: 'Enter' },
    ]));
    await waitFor(() => textOf(film).includes(`take: ${older}`), 'the choice written into the storyboard', 20_000);
    await waitPreview((a: { id: string; take: string }) => document.querySelector(`.shot[data-shot="${a.id}"] .take[data-take="${a.take}"]`)?.getAttribute('data-chosen') === 'true', { id: firstId, take: older });
    // The choice rebuilt the shot's card; the keyboard focus is still on that take's button (now "Chosen"),
    // not dropped to the page, where the next Enter or Tab would start over from the top.
    const focused = await evalPreview(() => `${document.activeElement?.getAttribute('data-focus')} "${document.activeElement?.textContent?.trim()}"`);
    assert.equal(focused, `choose:${older} "Chosen"`);

    // A reload on "another machine": no tracked tasks at all, only the repository's files.
    await reactivate({ storedTasks: { version: 1, tasks: [] } });
    assert.equal((await seedance()).listTasks().filter((t) => t.prompt.includes(words)).length, 0);
    await vscode.commands.executeCommand('seedance.storyboard.preview', film);
    await waitPreview((a: { id: string; take: string }) => {
      const takes = document.querySelectorAll(`.shot[data-shot="${a.id}"] .take`);
      return takes.length === 2 && document.querySelector(`.shot[data-shot="${a.id}"] .take[data-take="${a.take}"]`)?.getAttribute('data-chosen') === 'true';
    }, { id: firstId, take: older });
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', film);
    assert.ok(lenses.some((l) => /ready: open \(2 takes\)/.test(l.command?.title ?? '')), lenses.map((l) => l.command?.title).join(' | '));
    assert.ok(lenses.some((l) => /Every shot of "Lighthouse Test" has a take/.test(l.command?.title ?? '')));
    assert.deepEqual(diagnosticsOf(film).map((d) => d.message), [], 'the chosen take is found: no warning');
    await vscode.window.showTextDocument(film, { viewColumn: vscode.ViewColumn.One });
    await screenshot('storyboard-codelens-takes-dark');
  });

  it('plays the chosen takes back to back with the shot titles (Play All), dark and light', async function () {
    if (!webviewDriverAvailable) this.skip();
    await vscode.commands.executeCommand('seedance.storyboard.preview', film);
    await drive(inPage(PREVIEW, [{ op: 'waitFor', selector: '#play-all:not([disabled])' }, { op: 'click', selector: '#play-all' }]));
    const title = await waitPreview(() => {
      const v = document.getElementById('player');
      return document.body.dataset.playing === 'true' && v && v.currentTime > 0.2 ? document.getElementById('player-title').textContent : null;
    });
    assert.equal(title, '1. Dusk over the sea');
    await drive(inPage(PREVIEW, [{ op: 'screenshot', name: 'storyboard-preview-dark' }]));
    // The second clip follows the first by itself.
    const second = await waitPreview(() => (document.body.dataset.clip === '1' ? document.getElementById('player-title').textContent : null), undefined, 60_000);
    assert.equal(second, '2. The keeper climbs');
    // After the last clip it ends by itself: the player stops and hides, the page says it finished, and the
    // focus is back on Play All (nothing loops, nothing is left playing).
    const third = await waitPreview(() => (document.body.dataset.clip === '2' ? `${document.getElementById('player-title').textContent} | ${document.getElementById('player-position').textContent}` : null), undefined, 60_000);
    assert.equal(third, '3. The lamp | Shot 3 of 3');
    const ended = await waitPreview(() => (document.body.dataset.finished === 'true'
      ? {
        playing: document.body.dataset.playing ?? null,
        clip: document.body.dataset.clip ?? null,
        playerHidden: document.getElementById('player-section').hidden,
        paused: document.getElementById('player').paused,
        focus: document.activeElement?.id ?? null,
      }
      : null), undefined, 60_000);
    assert.deepEqual(ended, { playing: null, clip: null, playerHidden: true, paused: true, focus: 'play-all' });
    // Played again, it starts from the first clip and no longer says it finished; Escape stops it.
    await drive(inPage(PREVIEW, [{ op: 'click', selector: '#play-all' }]));
    const again = await waitPreview(() => (document.body.dataset.playing === 'true' ? { clip: document.body.dataset.clip, finished: document.body.dataset.finished ?? null } : null));
    assert.deepEqual(again, { clip: '0', finished: null });
    await drive(inPage(PREVIEW, [{ op: 'press', selector: '#player-stop', key: 'Escape' }]));
    await waitPreview(() => document.body.dataset.playing === undefined);
    await setTheme(LIGHT);
    await waitPreview(() => document.body.classList.contains('vscode-light'));
    await drive(inPage(PREVIEW, [{ op: 'screenshot', name: 'storyboard-preview-light' }]));
    const refused = (await drive([{ op: 'securityMessages' }]))[0] as string[];
    assert.deepEqual(refused.filter((l) => /storyboard/i.test(l)), [], 'no CSP refusals on the preview');
  });

  it('a shot\'s "image:" list: a missing path squiggled at its line, then every image sent, a continuation\'s frame first', async function () {
    if (!webviewDriverAvailable) this.skip(); // the continuation's frame is captured in a webview
    const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
    const refs = path.join(root, 'refs');
    fs.mkdirSync(refs, { recursive: true });
    for (const name of ['hero.png', 'bridge.png', 'lamp.png']) fs.writeFileSync(path.join(refs, name), PNG);
    const tag = uniquePrompt('imglist');
    const board = vscode.Uri.file(path.join(root, 'images.storyboard.md'));
    const lines = [
      '---', //                                                 0
      'model: doubao-seedance-2-0-fast', //                     1
      'seconds: 4', //                                          2
      'resolution: 480p', //                                    3
      '---', //                                                 4
      '## Two references', //                                   5
      '<!-- shot', //                                           6
      'image:', //                                              7
      '  - refs/hero.png', //                                   8
      '  - refs/nowhere.png', //                                9
      '-->', //                                                 10
      `[Image 1] walks onto [Image 2] ${tag}`, //               11
      '## Continued with one more', //                          12
      '<!-- shot {continue: true, image: [refs/lamp.png]} -->', // 13
      `The hero lights the lamp ${tag}`, //                     14
      '', //                                                    15
    ];
    fs.writeFileSync(board.fsPath, lines.join('\n'));
    await vscode.window.showTextDocument(board);
    const missing = await waitFor(() => diagnosticsOf(board).find((d) => d.code === 'imageMissing'), 'the missing path squiggled', 20_000);
    assert.equal(missing.range.start.line, 9, 'underlined at the path that is missing, on its own line');
    assert.match(missing.message, /"refs\/nowhere\.png"/);
    assert.deepEqual(diagnosticsOf(board).map((d) => d.code), ['imageMissing'], 'nothing else is wrong');

    // Fixed by pointing the path at a file that exists (the file on disk, as a person would after saving).
    fs.writeFileSync(board.fsPath, lines.join('\n').replace('refs/nowhere.png', 'refs/bridge.png'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor(() => diagnosticsOf(board).length === 0, 'no problems left', 20_000);

    const result = await vscode.commands.executeCommand<{ states: Record<string, string> }>('seedance.storyboard.generateAll', board);
    const seen = (await seedance()).listTasks().filter((t) => t.prompt.includes(tag)).map((t) => ({ status: t.status, error: t.error }));
    assert.deepEqual(Object.values(result?.states ?? {}), ['done', 'done'], `${JSON.stringify(result)}; tasks: ${JSON.stringify(seen)}`);
    const tasks = (await sim.tasks()).filter((t) => t.prompt.includes(tag));
    assert.equal(tasks.find((t) => t.prompt.includes('walks onto'))?.referenceImages, 2, 'both images of the list');
    assert.equal(tasks.find((t) => t.prompt.includes('lights the lamp'))?.referenceImages, 2, 'the previous last frame plus the one image');
    const continued = (await seedance()).listTasks().find((t) => t.prompt.includes('lights the lamp') && t.prompt.includes(tag));
    const internal = (await seedance()).testHooks.task(continued!.id);
    const names = [internal?.request.inputReference?.name, ...(internal?.request.moreReferences ?? []).map((r) => r.name)];
    assert.match(names[0] ?? '', /\.last-frame\.png$/, 'the frame goes first');
    assert.equal(names[1], 'lamp.png');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Generate All stops at the monthly limit, says which shots are left and sends nothing past it', async () => {
    const budgetFilm = vscode.Uri.file(path.join(root, 'budget.storyboard.md'));
    fs.writeFileSync(budgetFilm.fsPath, [
      '---', 'title: Budget Test', 'model: doubao-seedance-2-0-fast', 'seconds: 4', 'resolution: 480p', '---', '',
      '## One', `Shot one ${words}`, '', '## Two', `Shot two ${words}`, '', '## Three', `Shot three ${words}`, '',
    ].join('\n'));
    const global = vscode.ConfigurationTarget.Global;
    // $2,000 a shot against a $3,000 limit: whatever this run spent before (a few dollars), one shot fits.
    const undo = [
      await withSetting('seedance', 'pricing', { 'doubao-seedance-2-0-fast': 500 }, global),
      await withSetting('seedance', 'budget.monthlyLimit', 3000, global),
    ];
    try {
      const before = await createRequests();
      const result = await vscode.commands.executeCommand<{ states: Record<string, string>; stopped?: { message: string; remaining: string[] } }>('seedance.storyboard.generateAll', budgetFilm);
      assert.ok(result?.stopped, `Generate All stopped: ${JSON.stringify(result)}`);
      assert.match(result.stopped.message, /3,?000/, `names the limit: ${result.stopped.message}`);
      assert.match(result.stopped.message, /"Two"/, `names a shot that was not started: ${result.stopped.message}`);
      assert.equal(result.stopped.remaining.length, 2, 'two shots left');
      assert.equal(await createRequests(), before + 1, 'one create, then nothing past the limit');
    } finally {
      for (const u of undo.reverse()) await u();
      fs.rmSync(budgetFilm.fsPath, { force: true });
    }
  });

  it('New Storyboard asks for the title, then the file name (suggested from the title, a taken name refused)', async function () {
    if (!webviewDriverAvailable) this.skip(); // answered by typing into the real quick input
    const INPUT = '.quick-input-widget .quick-input-box input';
    const quick = (pattern: string) => (async () => {
      const [seen] = await drive([{
        op: 'waitForFunction', frame: 'workbench', timeoutMs: 15_000, arg: pattern,
        fn: ((p: string) => {
          const w = document.querySelector('.quick-input-widget');
          const input = document.querySelector('.quick-input-widget .quick-input-box input');
          return w && w.style.display !== 'none' && new RegExp(p).test(w.textContent ?? '') && input ? { text: w.textContent, value: input.value } : null;
        }).toString(),
      }], 25_000);
      return seen as { text: string; value: string };
    })();
    const created = Promise.resolve(vscode.commands.executeCommand<vscode.Uri | undefined>('seedance.storyboard.new'));
    try {
      const first = await quick("film's title");
      assert.equal(first.value, 'My Film', 'a title is suggested');
      await drive([{ op: 'fill', frame: 'workbench', selector: INPUT, text: 'Harbour at Night' }, { op: 'press', frame: 'workbench', selector: INPUT, key: 'Enter' }]);
      const second = await quick('file name');
      assert.equal(second.value, 'harbour-at-night.storyboard.md', 'the file name is suggested from the title');
      // A name already in the folder is refused in the box itself, before anything is written.
      await drive([{ op: 'fill', frame: 'workbench', selector: INPUT, text: 'film' }]);
      await quick('film\\.storyboard\\.md already exists');
      await drive([{ op: 'fill', frame: 'workbench', selector: INPUT, text: 'harbour-night' }, { op: 'press', frame: 'workbench', selector: INPUT, key: 'Enter' }]);
      const uri = await created;
      assert.equal(path.basename(uri?.fsPath ?? ''), 'harbour-night.storyboard.md');
      const text = fs.readFileSync(uri!.fsPath, 'utf8');
      assert.match(text, /^---\ntitle: Harbour at Night\n/);
      assert.match(text, /^# Harbour at Night$/m);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, uri!.fsPath, 'opened in the editor');
      await screenshot('storyboard-new-created');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(uri!.fsPath);
      // The arguments skip both questions (other extensions, agents); a title that needs quoting stays valid YAML.
      const byArgs = await vscode.commands.executeCommand<vscode.Uri | undefined>('seedance.storyboard.new', 'Dawn: Part 2', 'dawn-part-2');
      assert.equal(path.basename(byArgs?.fsPath ?? ''), 'dawn-part-2.storyboard.md');
      assert.match(fs.readFileSync(byArgs!.fsPath, 'utf8'), /^title: "Dawn: Part 2"$/m);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(byArgs!.fsPath);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await created.catch(() => undefined);
    }
  });
});
