// The one gate for paid requests (issue 17), in real VS Code against the simulator: the agent daily cap,
// images outside the workspace, Generate All's one confirmation with its total, an uncertain create counted
// against the limit, a workspace that cannot turn the confirmation off, both branches of every money dialog
// (the unknown price too, with the live catalogue no longer pricing a model)
// (answered through the one seam, src/vscode/modal.ts), a task that survives an odd status answer, and
// Check Again sending no create.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { screenshot, waitFor } from './helpers';
import { drive, webviewDriverAvailable } from './webviewDriver';
import { answering, countedThisMonth, createRequests, seedance, sim, uniquePrompt, waitForTask, withSetting, workspaceRoot, type AskedQuestion } from './seedanceKit';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const GLOBAL = vscode.ConfigurationTarget.Global;
const FAST = 'doubao-seedance-2-0-fast';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function text(result: vscode.LanguageModelToolResult): string {
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

function invoke(name: string, input: object): Thenable<vscode.LanguageModelToolResult> {
  return vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
}

const NO = (): undefined => undefined;
const ids = (asked: readonly AskedQuestion[]) => asked.map((q) => q.id);

describe('One gate for paid requests', function () {
  this.timeout(300_000);
  const restore: Array<() => Promise<void>> = [];
  let root: string;
  before(async () => {
    await seedance();
    await sim.clearFaults();
    await sim.noRandomFaults();
    root = workspaceRoot();
  });
  afterEach(async () => {
    for (const undo of restore.splice(0).reverse()) await undo();
    await sim.clearFaults();
  });

  /** A storyboard in the workspace; removed after the test. */
  function board(name: string, body: string[]): vscode.Uri {
    const file = path.join(root, `${name}.storyboard.md`);
    fs.writeFileSync(file, ['---', `title: ${name}`, `model: ${FAST}`, 'seconds: 4', 'resolution: 480p', '---', '', ...body, ''].join('\n'));
    restore.push(async () => fs.rmSync(file, { force: true }));
    return vscode.Uri.file(file);
  }

  it('an agent tool is refused past its daily cap (or with the cap at 0) with nothing sent, and allowed below it', async () => {
    const input = { prompt: uniquePrompt('Agent cap: a kite over dunes'), model: FAST, seconds: 4, resolution: '480p' };
    restore.push(await withSetting('seedance', 'budget.agentDailyLimit', 0, GLOBAL));
    let before = await createRequests();
    const off = await invoke('seedance_generate_video', input);
    assert.match(text(off), /^Nothing was sent\. .*only to estimate costs and list videos/s, text(off));
    assert.match(text(off), /"rule":"agentDisabled"/);
    assert.match(text(await invoke('seedance_estimate_cost', input)), /Nothing was sent/, 'estimating still works');
    assert.equal(await createRequests(), before, 'nothing sent with the cap at 0');
    await restore.pop()!();

    // $400 a video against the default $5 a day: refused whatever VS Code's tool approval said.
    restore.push(await withSetting('seedance', 'pricing', { [FAST]: 100 }, GLOBAL));
    const over = await invoke('seedance_generate_video', input);
    assert.match(text(over), /daily agent limit of \$5\.00/, text(over));
    assert.match(text(over), /Do not retry today/);
    assert.equal(await createRequests(), before, 'nothing sent past the cap');
    await restore.pop()!();

    // 4 cents: below the cap, sent once.
    restore.push(await withSetting('seedance', 'pricing', { [FAST]: 0.01 }, GLOBAL));
    before = await createRequests();
    const ok = await invoke('seedance_generate_video', input);
    assert.match(text(ok), /task_/, text(ok));
    assert.equal(await createRequests(), before + 1, 'one create below the cap');
  });

  it('an image outside the workspace is refused for an agent and a storyboard with the rule, nothing sent; "..videos" is inside', async () => {
    const outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seedance-outside-'));
    const outside = path.join(outsideDir, 'secret.png');
    fs.writeFileSync(outside, PNG);
    restore.push(async () => fs.rmSync(outsideDir, { recursive: true, force: true }));
    restore.push(await withSetting('seedance', 'pricing', { 'doubao-seedance-2-0': 0.01, [FAST]: 0.01 }, GLOBAL));
    const before = await createRequests();

    for (const ref of [outside, path.relative(root, outside)]) {
      const result = await invoke('seedance_generate_video', { prompt: uniquePrompt('Agent outside image'), model: 'doubao-seedance-2-0', seconds: 4, resolution: '480p', inputReference: ref });
      assert.match(text(result), /outside the workspace folders/, `${ref}: ${text(result)}`);
      assert.match(text(result), /must lie inside an open workspace folder/);
    }
    const sb = board('outside-image', ['## Stolen still', '<!-- shot', `image: ${outside}`, '-->', `A still from elsewhere ${uniquePrompt('sb-outside')}`]);
    const run = await invoke('seedance_generate_storyboard', { path: path.basename(sb.fsPath) });
    assert.match(text(run), /outside the workspace folders/, text(run));
    assert.equal(await createRequests(), before, 'no create request for any of them');

    // A folder whose name starts with two dots is inside the workspace.
    const dotted = path.join(root, '..videos');
    fs.mkdirSync(dotted, { recursive: true });
    fs.writeFileSync(path.join(dotted, 'in.png'), PNG);
    restore.push(async () => fs.rmSync(dotted, { recursive: true, force: true }));
    const inside = await invoke('seedance_generate_video', { prompt: uniquePrompt('Agent image in ..videos'), model: 'doubao-seedance-2-0', seconds: 4, resolution: '480p', inputReference: '..videos/in.png' });
    assert.match(text(inside), /task_/, text(inside));
    assert.equal(await createRequests(), before + 1);
    // Another extension is trusted code: an absolute path outside the workspace is still accepted.
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Extension outside image'), model: 'doubao-seedance-2-0', seconds: 4, resolution: '480p', inputReference: outside });
    assert.match(String(id), /^task_/);
  });

  it('a storyboard shot asks through the seam (both branches), and a workspace setting cannot turn the confirmation off', async () => {
    restore.push(await withSetting('seedance', 'pricing', { [FAST]: 0.01 }, GLOBAL));
    // A repository's .vscode/settings.json says false (VS Code's API refuses to write it there at all).
    const settingsFile = path.join(root, '.vscode', 'settings.json');
    const original = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(settingsFile, JSON.stringify({ ...(original ? JSON.parse(original) : {}), 'seedance.confirmBeforeSubmit': false }, null, 2));
    restore.push(async () => (original === undefined
      ? fs.rmSync(settingsFile, { force: true })
      : fs.writeFileSync(settingsFile, original)));
    await new Promise((r) => setTimeout(r, 1_500)); // the file watcher reads it
    const sb = board('review', ['## Harbour', `Boats in a harbour ${uniquePrompt('sb-review')}`]);
    // "#1" names the shot until its id is written into the file (after the person said yes).
    const shot = () => /\bid: ([a-z0-9]+)\b/.exec(fs.readFileSync(sb.fsPath, 'utf8'))?.[1] ?? '#1';
    const before = await createRequests();
    const no = await answering(NO, () => vscode.commands.executeCommand<string>('seedance.storyboard.generateShot', sb, shot()));
    assert.deepEqual(ids(no.asked), ['gate.review'], 'asked although the workspace says confirmBeforeSubmit: false');
    assert.match(no.asked[0].message, /Generate shot 1 "Harbour"\?/);
    assert.match(no.asked[0].detail ?? '', /Estimated cost: \$0\.04/);
    assert.equal(no.result, undefined);
    assert.equal(await createRequests(), before, 'No: nothing sent');
    assert.doesNotMatch((await vscode.workspace.openTextDocument(sb)).getText(), /\bid: [a-z0-9]+\b/, 'No: the file is left as it was (no id written)');
    const yes = await answering((q) => q.choices[0], () => vscode.commands.executeCommand<string>('seedance.storyboard.generateShot', sb, shot()));
    assert.deepEqual(ids(yes.asked), ['gate.review']);
    const written = (await vscode.workspace.openTextDocument(sb)).getText();
    assert.match(written, /\bid: [a-z0-9]+\b/, `Generate: the shot has its id: ${written}`);
    assert.ok(yes.result, 'Generate: a take');
    assert.equal(await createRequests(), before + 1);

    // Above seedance.budget.confirmAbove (lowered to 3 cents, so the suite spends little): one dialog with the
    // figure; No sends nothing.
    restore.push(await withSetting('seedance', 'budget.confirmAbove', 0.03, GLOBAL));
    const high = await answering(NO, () => vscode.commands.executeCommand<string>('seedance.storyboard.generateShot', sb, shot()));
    assert.deepEqual(ids(high.asked), ['gate.aboveThreshold']);
    assert.match(high.asked[0].message, /estimated at \$0\.04/);
    assert.equal(await createRequests(), before + 1);
    const highYes = await answering((q) => q.choices[0], () => vscode.commands.executeCommand<string>('seedance.storyboard.generateShot', sb, shot()));
    assert.deepEqual(ids(highYes.asked), ['gate.aboveThreshold'], 'one dialog, not a review and then a budget question');
    assert.equal(await createRequests(), before + 2);
  });

  it('a price nobody knows is asked about in one dialog: Cancel sends nothing, Send Anyway sends once', async () => {
    // The live catalogue stops pricing 2.0 Fast (the shipped table has no row for it) and is read again.
    const api = await seedance();
    const quote = { prompt: 'price check', model: FAST, seconds: 4, resolution: '480p' };
    const readAgain = async (priced: boolean) => {
      await api.testHooks.readCatalogueAgain();
      assert.equal(api.estimateCost(quote).usd === undefined, !priced, `the catalogue read again ${priced ? 'with' : 'without'} a price for 2.0 Fast`);
    };
    await sim.setPricing({ [FAST]: null });
    restore.push(async () => {
      await sim.resetPricing();
      await readAgain(true);
    });
    await readAgain(false);
    const sb = board('unknown-price', ['## Kites', `Kites over a beach ${uniquePrompt('sb-unknown')}`]);
    const shot = () => /\bid: ([a-z0-9]+)\b/.exec(fs.readFileSync(sb.fsPath, 'utf8'))?.[1] ?? '#1';
    const before = await createRequests();
    const no = await answering(NO, () => vscode.commands.executeCommand<string>('seedance.storyboard.generateShot', sb, shot()));
    assert.deepEqual(ids(no.asked), ['gate.unknownPrice'], 'one dialog, the review inside it');
    assert.match(no.asked[0].message, /The price of Seedance 2\.0 Fast is unknown/);
    assert.match(no.asked[0].detail ?? '', /seedance\.pricing/);
    assert.deepEqual(no.asked[0].choices, ['Send Anyway', 'Set Price…']);
    assert.equal(await createRequests(), before, 'Cancel: nothing sent');

    const yes = await answering((q) => q.choices[0], () => vscode.commands.executeCommand<string>('seedance.storyboard.generateShot', sb, shot()));
    assert.deepEqual(ids(yes.asked), ['gate.unknownPrice']);
    assert.equal(await createRequests(), before + 1, 'Send Anyway: one create');
  });

  it('Generate All is confirmed once with its total, then no dialog per shot; No sends nothing', async () => {
    // 4 cents a shot, each above confirmAbove (3 cents): the one confirmation covers them all.
    restore.push(await withSetting('seedance', 'pricing', { [FAST]: 0.01 }, GLOBAL));
    restore.push(await withSetting('seedance', 'budget.confirmAbove', 0.03, GLOBAL));
    const tag = uniquePrompt('sb-all');
    const sb = board('all-once', ['## One', `Shot one ${tag}`, '', '## Two', `Shot two ${tag}`, '', '## Three', `Shot three ${tag}`]);
    const before = await createRequests();
    const no = await answering(NO, () => vscode.commands.executeCommand('seedance.storyboard.generateAll', sb));
    assert.deepEqual(ids(no.asked), ['gate.batch']);
    assert.equal(no.result, undefined);
    assert.equal(await createRequests(), before, 'No: nothing sent');

    const yes = await answering((q) => q.choices[0], () => vscode.commands.executeCommand<{ states: Record<string, string> }>('seedance.storyboard.generateAll', sb));
    assert.deepEqual(ids(yes.asked), ['gate.batch'], `exactly one question: ${JSON.stringify(yes.asked)}`);
    assert.match(yes.asked[0].message, /Generate 3 shots of "all-once"\?/);
    assert.match(yes.asked[0].detail ?? '', /Estimated total: \$0\.12/);
    assert.match(yes.asked[0].detail ?? '', /covers every shot/);
    assert.deepEqual(Object.values(yes.result?.states ?? {}), ['done', 'done', 'done'], JSON.stringify(yes.result));
    assert.equal(await createRequests(), before + 3);
  });

  it('an uncertain create counts, so the next request past the limit is refused; dismissing it frees the room', async () => {
    restore.push(await withSetting('seedance', 'pricing', { [FAST]: 0.01 }, GLOBAL)); // $0.04 a request
    const args = (words: string) => ({ prompt: uniquePrompt(words), model: FAST, seconds: 4, resolution: '480p' });
    const spentBefore = await countedThisMonth();
    await sim.setFaults({ createThenError: { times: 1 } });
    const lost = args('Answer lost at the gateway');
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('seedance.generate', lost)), /may have reached CometAPI/);
    const uncertain = (await seedance()).listTasks().find((t) => t.prompt === lost.prompt);
    assert.ok(uncertain, 'an uncertain entry is in the list');
    await waitFor(async () => (await countedThisMonth()) >= spentBefore + 0.04 - 1e-9, 'the uncertain create counted in the record', 10_000);

    // Room for one more $0.04 only if the uncertain one were not counted.
    restore.push(await withSetting('seedance', 'budget.monthlyLimit', Math.round((spentBefore + 0.06) * 10_000) / 10_000, GLOBAL));
    const before = await createRequests();
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('seedance.generate', args('Past the limit'))), /past the limit of/);
    assert.equal(await createRequests(), before, 'refused: nothing sent');

    // The person says it was not billed: it stops counting, and the request fits.
    await vscode.commands.executeCommand('seedance.dismissUncertain', { id: uncertain.id });
    const id = await vscode.commands.executeCommand<string>('seedance.generate', args('Fits after the dismissal'));
    assert.match(String(id), /^task_/);
    assert.equal(await createRequests(), before + 1);
  });

  it('a task that gets an odd status answer still lands its video', async () => {
    const since = (await sim.requests({ server: 'api' })).at(-1)?.seq ?? 0;
    // A 500 carrying invalid_request (the documented "do not retry" code), twice: not a status.
    await sim.setFaults({ serverError: { on: 'poll', status: 500, code: 'invalid_request', times: 2 } });
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Odd answer on the way'), model: FAST, seconds: 4, resolution: '480p' });
    await waitForTask(id, (t) => t.status === 'succeeded' || t.status === 'failed', 'the task to end');
    // Whichever tasks the odd answers hit (this one, or one still running), each still lands its video.
    const odd = (await sim.requests({ server: 'api', since })).filter((r) => r.method === 'GET' && r.status === 500);
    assert.ok(odd.length > 0, 'the odd answers were given');
    const hit = [...new Set(odd.map((r) => /task_[A-Za-z0-9_-]+/.exec(r.path)?.[0]).filter((x): x is string => !!x)), id];
    for (const task of hit) {
      const done = await waitForTask(task, (t) => t.status === 'succeeded' || t.status === 'failed', `${task} to end`);
      assert.equal(done.status, 'succeeded', `${task} after an odd answer: ${JSON.stringify(done)}`);
    }
  });

  it('Check Again on a failed task asks the service again and sends no create', async () => {
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('This one fails [sim:fail]'), model: FAST, seconds: 4, resolution: '480p' });
    await waitForTask(id, (t) => t.status === 'failed', 'the task to fail');
    const before = await createRequests();
    const since = (await sim.requests({ server: 'api' })).at(-1)?.seq ?? 0;
    await vscode.commands.executeCommand('seedance.checkAgain', { id });
    await waitFor(async () => (await sim.requests({ server: 'api', since })).some((r) => r.method === 'GET' && r.path.includes(id)), 'a status check of the task', 20_000);
    await waitForTask(id, (t) => t.status === 'failed', 'the service\'s answer (still failed)');
    assert.equal(await createRequests(), before, 'no create request');

    // What the person sees: the failed item offers Check Again beside Regenerate (dark and light).
    await vscode.commands.executeCommand('seedance.tasks.focus');
    await vscode.commands.executeCommand('list.focusFirst');
    const theme = vscode.workspace.getConfiguration('workbench').inspect<string>('colorTheme')?.globalValue;
    for (const [name, value] of [['dark', 'Default Dark Modern'], ['light', 'Default Light Modern']]) {
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', value, GLOBAL);
      await new Promise((r) => setTimeout(r, 800));
      await screenshot(`gate-check-again-${name}`);
    }
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, GLOBAL);
    await vscode.commands.executeCommand('workbench.view.explorer');

    // The Generate panel's card for it offers Check Again too; clicking it asks the service, sends no create.
    if (!webviewDriverAvailable) return;
    const localId = (await seedance()).testHooks.task(id)!.localId;
    await vscode.commands.executeCommand('seedance.previewTask', localId);
    const card = `.result[data-task-id="${localId}"]`;
    await drive([{ op: 'waitFor', selector: `${card} [data-action="checkAgain"]`, timeoutMs: 30_000 }]);
    assert.deepEqual(
      await drive([{ op: 'evaluate', fn: ((sel: string) => Array.from(document.querySelectorAll(`${sel} [data-action]`)).map((b: any) => b.dataset.action)).toString(), arg: card }]),
      [['checkAgain', 'regenerate', 'copyPrompt']],
      'a failed card: Check Again first, then Regenerate and Copy Prompt',
    );
    const again = (await sim.requests({ server: 'api' })).at(-1)?.seq ?? 0;
    await drive([{ op: 'click', selector: `${card} [data-action="checkAgain"]` }]);
    await waitFor(async () => (await sim.requests({ server: 'api', since: again })).some((r) => r.method === 'GET' && r.path.includes(id)), 'a status check from the card', 20_000);
    await waitForTask(id, (t) => t.status === 'failed', 'the service\'s answer (still failed)');
    assert.equal(await createRequests(), before, 'no create request from the card either');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
