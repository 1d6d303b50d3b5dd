// Issue 19 in real VS Code against the simulator: the catalogue follows the service (CONTRACT 16). Seedance
// 2.5 end to end at 30 s 720p (sent as exact WxH under the default request shape), retired models refused
// before sending with their replacement (argument object, the default model setting with its one-click
// switch, a storyboard shot with its quick fix), the service's model_not_found worded and never retried,
// estimateCost per resolution, and Promote sending one create at the higher resolution.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { screenshot, waitFor } from './helpers';
import { answering, createRequests, seedance, sim, uniquePrompt, waitForInternal, waitForTask, withSetting, workspaceRoot, YES } from './seedanceKit';
import { drive, evaluateInPanel, inPage, waitInPanel, webviewDriverAvailable } from './webviewDriver';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

type Estimate = { usd?: number; perSecond?: number; source: string };
const GLOBAL = vscode.ConfigurationTarget.Global;

/** The multipart text fields of the newest create request the simulator logged, when its log keeps them. */
async function lastCreateTask(id: string) {
  const task = (await sim.tasks()).find((t) => t.id === id);
  assert.ok(task, `the simulator has task ${id}`);
  return task;
}

/**
 * The Generate panel filled from an old record naming `model`: it shows `message` under the model, offers `fix`
 * (screenshots light and dark), and the fix switches the model to `switchedTo`. `options`: the dropdown's labels.
 */
async function panelFromOldRecord(c: {
  name: string; prompt: string; model: string; screenshot: string; message: RegExp; fix: string; switchedTo: string; options?: string[];
}): Promise<void> {
  const record = path.join(workspaceRoot(), `${c.name}-${Date.now()}.json`);
  fs.writeFileSync(record, JSON.stringify({ schema: 'seedance-studio.video', prompt: c.prompt, model: c.model, seconds: 5, size: '16:9', resolution: '720p' }));
  await vscode.commands.executeCommand('seedance.generate', vscode.Uri.file(record));
  const message = await waitInPanel(() => document.querySelector('#model-error p')?.textContent ?? null);
  assert.match(message, c.message);
  if (c.options) {
    const labels = await evaluateInPanel(() => ((document.getElementById('model') as { options?: { label: string }[] } | null)?.options ?? []).map((o) => o.label));
    assert.deepEqual(labels, c.options);
  }
  assert.equal(await evaluateInPanel(() => document.getElementById('fix-model')?.textContent?.trim() ?? null), c.fix);
  await vscode.commands.executeCommand('notifications.clearAll');
  await drive([{ op: 'screenshot', name: `${c.screenshot}-light` }]);
  const theme = vscode.workspace.getConfiguration('workbench').inspect<string>('colorTheme')?.globalValue;
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Dark Modern', GLOBAL);
  await waitInPanel(() => document.body.classList.contains('vscode-dark') || null);
  await drive([{ op: 'screenshot', name: `${c.screenshot}-dark` }]);
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, GLOBAL);
  await drive([{ op: 'click', selector: '#fix-model' }, { op: 'waitFor', selector: '#model-error p', state: 'detached' }]);
  assert.equal(await evaluateInPanel(() => (document.getElementById('model') as { value: string } | null)?.value ?? null), c.switchedTo);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  fs.rmSync(record, { force: true });
}

describe('Model catalogue (issue 19: 2.5, retired models, prices per resolution, Promote)', function () {
  this.timeout(240_000);
  const restore: (() => Promise<void>)[] = [];

  before(async () => {
    await seedance();
    await sim.clearFaults();
    await sim.setConfig({ profile: 'revA', strict: true });
    // Revision A's live model list (2.0, 2.0 Fast, 2.5; not Mini), read now whatever an earlier suite read.
    await (await seedance()).testHooks.readCatalogueAgain();
  });
  afterEach(async () => {
    for (const undo of restore.splice(0).reverse()) await undo();
  });
  after(async () => {
    await sim.setConfig({ profile: 'revA', strict: false });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('generates a 30 s 720p Seedance 2.5 video end to end: one create with seconds=30 and size=1280x720, under the ratio setting', async () => {
    assert.equal(vscode.workspace.getConfiguration('seedance').get('requestShape'), 'ratio', 'the default request shape');
    const before = await createRequests();
    const prompt = uniquePrompt('A heron lifts off a misty lake at dawn, 2.5');
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt, model: 'seedance-2-5', seconds: 30, size: '16:9', resolution: '720p' });
    assert.match(id, /^task_/);
    assert.equal(await createRequests(), before + 1, 'one create request');
    // The strict simulator refuses the ratio form for 2.5: accepting it means size was sent as 1280x720.
    const task = await lastCreateTask(id);
    assert.equal(task.seconds, 30);
    assert.equal(`${task.width}x${task.height}`, '1280x720');
    const done = await waitForTask(id, (t) => t.status === 'succeeded' && t.file !== undefined, 'the 2.5 video to be saved');
    assert.equal(fs.readFileSync(done.file!).subarray(4, 8).toString('latin1'), 'ftyp');
    const internal = (await seedance()).testHooks.task(id);
    assert.deepEqual([internal?.request.model, internal?.request.seconds, internal?.request.resolution], ['seedance-2-5', 30, '720p']);
  });

  it('refuses a request naming 1.0 Pro before sending, naming the date and the replacement', async () => {
    const before = await createRequests();
    const tasksBefore = (await seedance()).listTasks().length;
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('seedance.generate', { prompt: uniquePrompt('A retired model'), model: 'doubao-seedance-1-0-pro' })),
      (e: unknown) => e instanceof Error && /Seedance 1\.0 Pro \(doubao-seedance-1-0-pro\) was retired by CometAPI on 2026-07-17; use Seedance 2\.0 \(doubao-seedance-2-0\) or Seedance 2\.0 Fast \(doubao-seedance-2-0-fast\) instead/.test(e.message),
    );
    assert.equal(await createRequests(), before, 'nothing was sent');
    assert.equal((await seedance()).listTasks().length, tasksBefore, 'nothing was listed');
  });

  it('a retired default model is refused before sending, and the notification\'s button switches the setting to the replacement', async function () {
    restore.push(await withSetting('seedance', 'defaultModel', 'doubao-seedance-1-5-pro', GLOBAL));
    const before = await createRequests();
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('seedance.generate', { prompt: uniquePrompt('Default model retired') })),
      /retired by CometAPI on 2026-11-11; use Seedance 2\.5 \(seedance-2-5\)/,
    );
    assert.equal(await createRequests(), before);
    if (!webviewDriverAvailable) return;
    // A person (Generate from Selection) gets the message with the one-click switch.
    restore.push(await withSetting('seedance', 'confirmBeforeSubmit', false, GLOBAL));
    const file = path.join(workspaceRoot(), 'retired-default.md');
    const text = uniquePrompt('A lantern floating on a river');
    fs.writeFileSync(file, `${text}\n`);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    editor.selection = new vscode.Selection(0, 0, 0, text.length);
    await vscode.commands.executeCommand('notifications.clearAll');
    void vscode.commands.executeCommand('seedance.generateFromSelection');
    await vscode.commands.executeCommand('notifications.showList');
    const item = '.notifications-center .notification-list-item';
    const [, messages] = await drive([
      { op: 'waitFor', frame: 'workbench', selector: `${item}:has-text("was retired")` },
      { op: 'texts', frame: 'workbench', selector: `${item} .notification-list-item-message` },
    ]);
    assert.ok((messages as string[]).some((m) => /Seedance 1\.5 Pro .* retired by CometAPI on 2026-11-11; use Seedance 2\.5/.test(m)), (messages as string[]).join(' | '));
    await screenshot('catalogue-retired-default-light');
    await drive([{ op: 'click', frame: 'workbench', selector: `${item}:has-text("was retired") .monaco-button:has-text("Use Seedance 2.5 as Default Model")` }]);
    await waitFor(() => vscode.workspace.getConfiguration('seedance').get('defaultModel') === 'seedance-2-5', 'the button to switch seedance.defaultModel');
    assert.equal(await createRequests(), before, 'still nothing sent');
    await vscode.commands.executeCommand('notifications.hideList');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file, { force: true });
  });

  it('a storyboard shot on 1.5 Pro gets a diagnostic naming 2.5, and its quick fix switches the shot to seedance-2-5', async () => {
    const board = vscode.Uri.file(path.join(workspaceRoot(), `retired-${Date.now()}.storyboard.md`));
    fs.writeFileSync(board.fsPath, ['---', 'title: Retired model', '---', '## Harbour', '<!-- shot', 'model: doubao-seedance-1-5-pro', '-->', 'boats rocking at dawn', ''].join('\n'));
    await vscode.window.showTextDocument(board);
    const diagnostics = () => vscode.languages.getDiagnostics(board).filter((d) => d.source === 'Seedance storyboard' && d.code === 'model');
    const diag = await waitFor(() => diagnostics()[0], 'the retired-model diagnostic', 20_000);
    assert.equal(diag.range.start.line, 5);
    assert.match(diag.message, /Seedance 1\.5 Pro \(doubao-seedance-1-5-pro\) was retired by CometAPI on 2026-11-11; use Seedance 2\.5 \(seedance-2-5\) instead/);
    let offered: string[] = [];
    const fix = await waitFor(async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', board, diag.range, vscode.CodeActionKind.QuickFix.value);
      offered = actions.map((a) => a.title);
      return actions.find((a) => a.title === 'Use seedance-2-5 (Seedance 2.5)' && a.edit);
    }, 'the quick fix', 15_000, 500).catch(() => assert.fail(`quick fixes offered: ${offered.join(', ')}`));
    assert.deepEqual(offered.filter((t) => t.startsWith('Use ')), ['Use seedance-2-5 (Seedance 2.5)'], 'only the replacement is offered');
    await screenshot('catalogue-storyboard-retired-light');
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await waitFor(() => diagnostics().length === 0, 'the diagnostic to go');
    assert.match(vscode.workspace.textDocuments.find((d) => d.uri.fsPath === board.fsPath)!.getText(), /model: seedance-2-5/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.rmSync(board.fsPath, { force: true });
  });

  it('the panel filled from an old record naming 1.5 Pro flags it and offers "Use Seedance 2.5", which switches the model', async function () {
    if (!webviewDriverAvailable) this.skip();
    await panelFromOldRecord({
      name: 'old-1-5-pro', prompt: 'A lighthouse at dusk, made with 1.5 Pro', model: 'doubao-seedance-1-5-pro', screenshot: 'catalogue-panel-retired',
      message: /Seedance 1\.5 Pro \(doubao-seedance-1-5-pro\) was retired by CometAPI on 2026-11-11; use Seedance 2\.5/,
      fix: 'Use Seedance 2.5', switchedTo: 'seedance-2-5',
    });
  });

  it('the service\'s model_not_found says CometAPI does not serve the model now, is sent once and leaves a failed entry, never an uncertain one', async () => {
    // A model the live list still names that the service stops serving (the list is read once a day): the
    // simulator answers the create with CometAPI's unknown-model envelope (503 model_not_found), once.
    await sim.setFaults({ serverError: { on: 'create', status: 503, code: 'model_not_found', message: 'model doubao-seedance-2-0-fast not found', times: 1 } });
    restore.push(async () => {
      await sim.clearFaults();
    });
    const before = await createRequests();
    const prompt = uniquePrompt('Fast where it is not served');
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('seedance.generate', { prompt, model: 'doubao-seedance-2-0-fast' })),
      (e: unknown) => e instanceof Error && /does not serve doubao-seedance-2-0-fast now/.test(e.message) && (e as { mayHaveReachedServer?: boolean }).mayHaveReachedServer === false,
    );
    assert.equal(await createRequests(), before + 1, 'sent once, never retried');
    const entry = (await seedance()).listTasks().find((t) => t.prompt === prompt);
    assert.equal(entry?.status, 'failed', JSON.stringify(entry));
  });

  it('a model the live list does not name (Mini, revision A) is refused before anything is sent, with the reason', async () => {
    const before = await createRequests();
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('seedance.generate', { prompt: uniquePrompt('Mini, unlisted'), model: 'doubao-seedance-2-0-mini' })),
      (e: unknown) => e instanceof Error && /Seedance 2\.0 Mini is unavailable: CometAPI's model list for this API host does not include it now/.test(e.message),
    );
    assert.equal(await createRequests(), before, 'nothing sent');
  });

  it('the panel\'s model dropdown marks a model the live list does not name as unavailable, last, and flags it with a one-click switch', async function () {
    if (!webviewDriverAvailable) this.skip();
    await panelFromOldRecord({
      name: 'old-mini', prompt: 'A kite over a beach, made with Mini', model: 'doubao-seedance-2-0-mini', screenshot: 'catalogue-panel-unlisted',
      message: /Seedance 2\.0 Mini is unavailable: CometAPI's model list for this API host does not include it now/,
      options: ['Seedance 2.0', 'Seedance 2.0 Fast', 'Seedance 2.5', 'Seedance 2.0 Mini (unavailable)'],
      fix: 'Use Seedance 2.0', switchedTo: 'doubao-seedance-2-0',
    });
  });

  it('storyboards follow the live list: an unlisted model is flagged, completed last as unavailable, and its hover says why', async () => {
    const board = vscode.Uri.file(path.join(workspaceRoot(), `unlisted-${Date.now()}.storyboard.md`));
    fs.writeFileSync(board.fsPath, ['---', 'title: Unlisted model', '---', '## Beach', '<!-- shot', 'model: doubao-seedance-2-0-mini', '-->', 'a kite over a beach', ''].join('\n'));
    await vscode.window.showTextDocument(board);
    const diag = await waitFor(() => vscode.languages.getDiagnostics(board).find((d) => d.code === 'model'), 'the unlisted-model diagnostic', 20_000);
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diag.message, /Seedance 2\.0 Mini is unavailable/);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', board, new vscode.Position(5, 'model: '.length));
    const models = list.items.filter((i) => /seedance/.test(typeof i.label === 'string' ? i.label : i.label.label)).sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    const last = models[models.length - 1];
    assert.equal(last.label, 'doubao-seedance-2-0-mini', models.map((m) => m.label).join(', '));
    assert.equal(last.detail, 'Seedance 2.0 Mini (unavailable)');
    assert.deepEqual(last.tags, [vscode.CompletionItemTag.Deprecated]);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', board, new vscode.Position(5, 'model: '.length + 3));
    // appendText writes spaces as &nbsp; in the Markdown it builds.
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n').replace(/&nbsp;/g, ' ');
    assert.match(hoverText, /is unavailable: CometAPI's model list for this API host does not include it now/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.rmSync(board.fsPath, { force: true });
  });

  it('a retired model the live list still names is offered with the announced date as a warning (the live answer wins)', async () => {
    await sim.setConfig({ serveRetired: true });
    const api = await seedance();
    await api.testHooks.readCatalogueAgain();
    try {
      // Sent, by 1.5 Pro's own rules (1080p, text only).
      const before = await createRequests();
      const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('A lighthouse at dusk, 1.5 Pro still listed'), model: 'doubao-seedance-1-5-pro', seconds: 5, resolution: '1080p' });
      assert.match(id, /^task_/);
      assert.equal(await createRequests(), before + 1);
      // A storyboard shot on it: a warning, not an error, with the replacement one click away.
      const board = vscode.Uri.file(path.join(workspaceRoot(), `listed-retired-${Date.now()}.storyboard.md`));
      fs.writeFileSync(board.fsPath, ['---', 'title: Still listed', '---', '## Harbour', '<!-- shot', 'model: doubao-seedance-1-5-pro', '-->', 'boats at dusk', ''].join('\n'));
      await vscode.window.showTextDocument(board);
      const diag = await waitFor(() => vscode.languages.getDiagnostics(board).find((d) => d.code === 'model'), 'the still-listed warning', 20_000);
      assert.equal(diag.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(diag.message, /CometAPI announced Seedance 1\.5 Pro as retired on 2026-11-11 \(use Seedance 2\.5 instead\), but its model list for this API host still lists it/);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', board, new vscode.Position(5, 'model: '.length));
      const pro = list.items.find((i) => i.label === 'doubao-seedance-1-5-pro');
      assert.equal(pro?.detail, 'Seedance 1.5 Pro (retired 2026-11-11, still listed)');
      await screenshot('catalogue-storyboard-still-listed-light');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(board.fsPath, { force: true });
    } finally {
      await sim.setConfig({ serveRetired: false });
      await api.testHooks.readCatalogueAgain();
    }
  });

  it('estimateCost prices 2.5 per resolution: 480p and 720p differ ($0.103/s and $0.231/s)', async () => {
    const api = (await seedance()) as unknown as { estimateCost(args: unknown): Estimate };
    const at = (resolution: string) => api.estimateCost({ prompt: 'x', model: 'seedance-2-5', seconds: 10, resolution });
    // The catalogue (per-resolution object from the simulator) or the shipped table: the same published figures.
    await waitFor(() => at('720p').source === 'catalogue' || undefined, 'the live catalogue to be read', 20_000).catch(() => undefined);
    const low = at('480p');
    const high = at('720p');
    assert.ok(['catalogue', 'table'].includes(low.source), JSON.stringify(low));
    assert.deepEqual([low.usd, low.perSecond], [1.03, 0.103]);
    assert.deepEqual([high.usd, high.perSecond], [2.31, 0.231]);
  });

  it('the quick input shows a model the live catalogue does not list as unavailable, after the others', async function () {
    if (!webviewDriverAvailable) this.skip();
    // Revision A's catalogue (read by the test above) lists 2.0, 2.0 Fast and 2.5, not 2.0 Mini.
    const file = path.join(workspaceRoot(), 'quick-unavailable.md');
    const text = uniquePrompt('A kite over a beach');
    fs.writeFileSync(file, `${text}\n`);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    editor.selection = new vscode.Selection(0, 0, 0, text.length);
    const quick = Promise.resolve(vscode.commands.executeCommand<string>('seedance.generateQuick'));
    // Accept the prefilled prompt step (retried until the quick input has focus), never the model step itself.
    await waitFor(async () => {
      const [title] = await drive([{ op: 'evaluate', frame: 'workbench', fn: (() => document.querySelector('.quick-input-widget:not([style*="display: none"])')?.textContent ?? '').toString() }]);
      if (/Model/.test(String(title))) return true;
      if (/Prompt/.test(String(title))) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return undefined;
    }, 'the model step', 15_000, 700);
    const [, rows] = await drive([
      { op: 'waitForFunction', frame: 'workbench', fn: (() => /Model/.test(document.querySelector('.quick-input-widget')?.textContent ?? '') && /unavailable/.test(document.querySelector('.quick-input-widget')?.textContent ?? '')).toString() },
      { op: 'texts', frame: 'workbench', selector: '.quick-input-widget .monaco-list-row' },
    ]);
    const list = rows as string[];
    const mini = list.findIndex((r) => r.includes('doubao-seedance-2-0-mini'));
    assert.equal(mini, list.length - 1, `Mini comes last: ${list.join(' | ')}`);
    assert.match(list[mini], /Seedance 2\.0 Mini is unavailable: CometAPI's model list for this API host does not include it now/);
    assert.ok(list.slice(0, -1).every((r) => !/unavailable/.test(r)), list.join(' | '));
    await screenshot('catalogue-quick-unavailable-light');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await quick.catch(() => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file, { force: true });
  });

  it('Promote sends one create for the finished video at the higher resolution, same prompt', async () => {
    const prompt = uniquePrompt('A paper lantern drifting, draft at 480p');
    const draft = await vscode.commands.executeCommand<string>('seedance.generate', { prompt, model: 'seedance-2-5', seconds: 4, resolution: '480p' });
    await waitForTask(draft, (t) => t.status === 'succeeded', 'the draft to finish');
    assert.equal(`${(await lastCreateTask(draft)).width}x${(await lastCreateTask(draft)).height}`, '854x480');

    if (webviewDriverAvailable) {
      // From the finished video's card in the panel: its Promote button opens the picker, which shows the new
      // estimate against the draft's.
      await vscode.commands.executeCommand('seedance.previewTask', draft);
      const localId = (await seedance()).testHooks.task(draft)!.localId;
      await drive([{ op: 'click', selector: `.result[data-task-id="${localId}"] [data-action="promote"]` }]);
      const [, rows] = await drive([
        { op: 'waitFor', frame: 'workbench', selector: '.quick-input-widget .monaco-list-row' },
        { op: 'texts', frame: 'workbench', selector: '.quick-input-widget .monaco-list-row' },
      ]);
      const first = (rows as string[])[0] ?? '';
      assert.match(first, /Seedance 2\.5 at 720p/, first);
      assert.match(first, /2\.2x the draft/, first);
      const mini = (rows as string[]).filter((r) => r.includes('Seedance 2.0 Mini'));
      assert.ok(mini.length > 0 && mini.every((r) => r.includes('unavailable')), `a model the live list does not include is marked: ${(rows as string[]).join(' | ')}`);
      await screenshot('catalogue-promote-picker-light');
      const theme = vscode.workspace.getConfiguration('workbench').inspect<string>('colorTheme')?.globalValue;
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Dark Modern', GLOBAL);
      await new Promise((r) => setTimeout(r, 800));
      await screenshot('catalogue-promote-picker-dark');
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, GLOBAL);
      const before = await createRequests();
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await createRequests(), before, 'Escape sends nothing');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }

    const before = await createRequests();
    const promoted = await vscode.commands.executeCommand<string>('seedance.promote', draft, { resolution: '720p' });
    assert.match(promoted, /^task_/);
    assert.notEqual(promoted, draft);
    assert.equal(await createRequests(), before + 1, 'exactly one create');
    const task = await lastCreateTask(promoted);
    assert.equal(`${task.width}x${task.height}`, '1280x720');
    assert.equal(task.prompt, prompt);
    assert.equal(task.seconds, 4);
  });

  it('Promote from the storyboard preview: a finished take\'s button sends one create at 720p, and the new video is another take of the shot', async function () {
    if (!webviewDriverAvailable) this.skip();
    const PREVIEW = 'main#app[data-panel="seedance-storyboard"]';
    const words = uniquePrompt('a kite over the dunes');
    const board = vscode.Uri.file(path.join(workspaceRoot(), `promote-${Date.now()}.storyboard.md`));
    fs.writeFileSync(board.fsPath, ['---', 'title: Promote a take', 'model: seedance-2-5', 'seconds: 4', 'resolution: 480p', '---', '## Dunes', words, ''].join('\n'));
    const shotId = () => /\bid: ([a-z0-9]+)\b/.exec(fs.readFileSync(board.fsPath, 'utf8'))?.[1] ?? '#1';
    const first = await answering(YES, () => vscode.commands.executeCommand<string>('seedance.storyboard.generateShot', board, shotId()));
    assert.ok(first.result, 'the draft take');
    // generateShot resolves to the take's local id.
    await waitForInternal(first.result, (t) => t.status === 'succeeded' && t.download.state === 'downloaded', 'the draft take to be saved');
    await vscode.commands.executeCommand('seedance.storyboard.preview', board);
    await drive(inPage(PREVIEW, [{ op: 'waitFor', selector: '.take button.promote' }]));
    await screenshot('catalogue-storyboard-promote-light');
    const theme = vscode.workspace.getConfiguration('workbench').inspect<string>('colorTheme')?.globalValue;
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Dark Modern', GLOBAL);
    await new Promise((r) => setTimeout(r, 800));
    await screenshot('catalogue-storyboard-promote-dark');
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, GLOBAL);
    const before = await createRequests();
    const promoted = await answering(YES, async () => {
      await drive(inPage(PREVIEW, [{ op: 'click', selector: '.take button.promote' }]));
      await drive([{ op: 'waitForFunction', frame: 'workbench', fn: (() => /Seedance 2\.5 at 720p/.test(document.querySelector('.quick-input-widget')?.textContent ?? '')).toString() }]);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return waitFor(async () => ((await createRequests()) > before ? true : undefined), 'the promoted create', 30_000);
    });
    assert.ok(promoted.result);
    assert.equal(await createRequests(), before + 1, 'exactly one create');
    const tasks = (await sim.tasks()).filter((t) => t.prompt.includes(words));
    assert.deepEqual(tasks.map((t) => `${t.width}x${t.height}`).sort(), ['1280x720', '854x480']);
    // The promoted video joins the shot as its second take.
    await drive(inPage(PREVIEW, [{ op: 'waitForFunction', fn: (() => document.querySelectorAll('.take').length === 2).toString(), timeoutMs: 30_000 }]), 40_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
