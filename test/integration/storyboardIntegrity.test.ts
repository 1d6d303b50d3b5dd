// Storyboards you can trust with a repository (issue 18), in real VS Code against the simulator: writes
// that keep an indented comment valid and leave the file unsaved, two Generate All at once sending each
// shot once, takes found after a rename and after the id line is removed (nothing sent again), and a
// continuation whose preview is hidden completing without taking the focus. Screenshots of a waiting shot
// and a stale take, dark and light.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './helpers';
import { createRequests, seedance, sim, uniquePrompt, withSetting, workspaceRoot, YES } from './seedanceKit';
import { drive, webviewDriverAvailable, inPage } from './webviewDriver';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const PREVIEW = 'main#app[data-panel="seedance-storyboard"]';
const DARK = 'Default Dark Modern';
const LIGHT = 'Default Light Modern';

async function waitPreview<A, T>(fn: (arg: A) => T, arg?: A, timeoutMs = 30_000): Promise<T> {
  const [v] = await drive(inPage(PREVIEW, [{ op: 'waitForFunction', fn: fn.toString(), arg, timeoutMs }]), timeoutMs + 10_000);
  return v as T;
}
function textOf(uri: vscode.Uri): string {
  return vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath)?.getText() ?? fs.readFileSync(uri.fsPath, 'utf8');
}
function storyboardDiagnostics(uri: vscode.Uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Seedance storyboard');
}
async function setTheme(theme: string): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
  await new Promise((r) => setTimeout(r, 800));
}
const HEAD = ['---', 'model: doubao-seedance-2-0-fast', 'seconds: 4', 'resolution: 480p', '---', ''];
type AllResult = { states: Record<string, string> } | undefined;

describe('Storyboard integrity (real VS Code)', function () {
  this.timeout(300_000);
  let root: string;
  const tag = uniquePrompt('integrity');
  let themeBefore: string | undefined;

  const ANSWERER = Symbol.for('seedanceStudio.test.modalAnswerer'); // src/vscode/modal.ts
  before(async () => {
    await seedance();
    // A shot's review and Generate All's one confirmation are answered "yes" through the seam (their own branches
    // are tested in gate.test.ts); confirmBeforeSubmit stays on, as users have it.
    (globalThis as Record<symbol, unknown>)[ANSWERER] = YES;
    root = workspaceRoot();
    themeBefore = vscode.workspace.getConfiguration('workbench').inspect<string>('colorTheme')?.globalValue;
  });
  after(async () => {
    delete (globalThis as Record<symbol, unknown>)[ANSWERER];
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', themeBefore, vscode.ConfigurationTarget.Global);
  });

  it('Generate Shot on an indented shot comment, then again, leaves one id, no diagnostics, and the file unsaved', async () => {
    const uri = vscode.Uri.file(path.join(root, 'indented.storyboard.md'));
    const original = [...HEAD, '## Waves', '<!-- shot', '  seconds: 4', '  # the opening', '-->', `Waves on black rocks ${tag}`, ''].join('\n');
    fs.writeFileSync(uri.fsPath, original);
    // code-server saves after a delay by default; this test is about the extension not saving.
    const undoAutoSave = await withSetting('files', 'autoSave', 'off', vscode.ConfigurationTarget.Global);
    try {
      await generateTwice(uri, original);
    } finally {
      await undoAutoSave();
    }
  });

  async function generateTwice(uri: vscode.Uri, original: string): Promise<void> {
    await vscode.window.showTextDocument(uri);
    const first = await vscode.commands.executeCommand<string>('seedance.storyboard.generateShot', uri, '#1');
    assert.ok(first, 'the first take was requested');
    const id = /^ {2}id: ([a-z0-9]+)$/m.exec(textOf(uri))?.[1];
    assert.ok(id, `the id written at the comment's indentation:\n${textOf(uri)}`);
    const second = await vscode.commands.executeCommand<string>('seedance.storyboard.generateShot', uri, id);
    assert.ok(second && second !== first, 'a second take was requested for the same shot');
    const text = textOf(uri);
    assert.equal(text.match(/\bid:/g)?.length, 1, text);
    assert.equal(text, original.replace('  # the opening\n', `  # the opening\n  id: ${id}\n`), 'nothing else changed');
    await new Promise((r) => setTimeout(r, 1_000));
    assert.deepEqual(storyboardDiagnostics(uri).map((d) => d.message), []);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath)!;
    assert.equal(doc.isDirty, true, 'the edit waits for the person to save');
    assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), original, 'the file on disk is not saved behind their back');
    // Undo takes the id back out in one step.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }

  /** The shot id in the saved take records of the video made from `prompt` (records sit in the output folder). */
  function takeShotIdOf(prompt: string): string {
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.json')) {
          try {
            const r = JSON.parse(fs.readFileSync(p, 'utf8'));
            if (r.prompt === prompt && typeof r.storyboard?.shotId === 'string') found.push(r.storyboard.shotId);
          } catch { /* not a record */ }
        }
      }
    };
    walk(path.join(root, 'videos'));
    assert.equal(new Set(found).size, 1, `one shot id in the records of "${prompt}": ${found.join(', ')}`);
    return found[0];
  }

  const boardText = (words: string) => [...HEAD, '## One', `A gull over the harbour ${words}`, '', '## Two', `Fishing boats at dawn ${words}`, ''].join('\n');
  let renamed: vscode.Uri;
  const pairTag = uniquePrompt('pair');

  it('two Generate All started together send one create per shot', async () => {
    const uri = vscode.Uri.file(path.join(root, 'pair.storyboard.md'));
    fs.writeFileSync(uri.fsPath, boardText(pairTag));
    const before = await createRequests();
    const [a, b] = await Promise.all([
      vscode.commands.executeCommand<AllResult>('seedance.storyboard.generateAll', uri),
      vscode.commands.executeCommand<AllResult>('seedance.storyboard.generateAll', uri),
    ]);
    assert.deepEqual(Object.values(a?.states ?? {}), ['done', 'done'], JSON.stringify(a));
    assert.deepEqual(b, a, 'the second call joined the first and got its result');
    assert.equal(await createRequests(), before + 2, 'one create per shot');
    assert.equal((await sim.tasks()).filter((t) => t.prompt.includes(pairTag)).length, 2);
    // Not shown in an editor and had no unsaved changes: the ids were saved (nowhere else to see them).
    assert.equal(fs.readFileSync(uri.fsPath, 'utf8').match(/\bid:/g)?.length, 2);

    // Renamed (as in a repository): its takes stay, and Generate All offers to pay for nothing.
    renamed = vscode.Uri.file(path.join(root, 'renamed-pair.storyboard.md'));
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(uri, renamed);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const again = await createRequests();
    const result = await vscode.commands.executeCommand<AllResult>('seedance.storyboard.generateAll', renamed);
    assert.deepEqual(result?.states, {}, JSON.stringify(result));
    assert.equal(await createRequests(), again, 'nothing sent after the rename');
  });

  it('after the id line is removed, Generate All sends nothing for that shot and the take is still shown', async () => {
    const editor = await vscode.window.showTextDocument(renamed);
    const doc = editor.document;
    const line = doc.getText().split('\n').findIndex((l) => /id: /.test(l));
    assert.ok(line >= 0);
    // The id of shot One goes (an undo, a hand edit): with the comment it was alone in.
    const removed = await editor.edit((b) => b.delete(doc.lineAt(line).rangeIncludingLineBreak));
    assert.ok(removed);
    assert.equal(doc.getText().match(/\bid:/g)?.length, 1, doc.getText());
    const before = await createRequests();
    const result = await vscode.commands.executeCommand<AllResult>('seedance.storyboard.generateAll', renamed);
    assert.deepEqual(result?.states, {}, `nothing to send: ${JSON.stringify(result)}`);
    assert.equal(await createRequests(), before, 'nothing sent for the shot that lost its id');
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', renamed);
      return l.filter((x) => /ready/.test(x.command?.title ?? '')).length === 2 ? l : undefined;
    }, 'both shots show their take', 15_000).catch(async () => assert.fail((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', renamed)).map((l) => l.command?.title).join(' | ')));
    assert.ok(lenses.some((l) => /Every shot of .* has a take/.test(l.command?.title ?? '')));
    if (webviewDriverAvailable) {
      await vscode.commands.executeCommand('seedance.storyboard.preview', renamed);
      await waitPreview(() => document.querySelectorAll('.shot').length === 2 && [...document.querySelectorAll('.shot')].every((s: any) => s.querySelector('.take video')));
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('takes whose id the file lost and that match no shot are reported on line 1, with a quick fix that re-attaches them', async () => {
    const editor = await vscode.window.showTextDocument(renamed);
    const doc = editor.document;
    const lines = doc.getText().split('\n');
    // Shot One's takes carry the id they were made under (their records say which), whether or not the file
    // still shows that id: an earlier test removed it and Generate All re-attached the takes without writing it.
    const lostId = takeShotIdOf(`A gull over the harbour ${pairTag}`);
    const one = lines.indexOf('## One');
    const two = lines.indexOf('## Two');
    const idLine = lines.findIndex((l, i) => i > one && i < two && /id: /.test(l));
    const promptLine = lines.findIndex((l) => l.startsWith('A gull over the harbour'));
    // The id goes and the prompt changes: nothing matches the takes any more.
    assert.ok(await editor.edit((b) => {
      b.insert(doc.lineAt(promptLine).range.end, ' at noon');
      if (idLine >= 0) b.delete(doc.lineAt(idLine).rangeIncludingLineBreak);
    }));
    const orphan = await waitFor(() => storyboardDiagnostics(renamed).find((d) => d.code === 'orphanTakes'), 'the orphaned takes reported', 20_000);
    assert.equal(orphan.range.start.line, 0);
    assert.match(orphan.message, new RegExp(`1 take belongs to a shot id this file no longer has \\("${lostId}"`));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', renamed, orphan.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /^Re-attach the takes of .* to shot 1 "One"$/.test(a.title) && a.edit);
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.match(doc.getText(), new RegExp(`id: ${lostId}`));
    await waitFor(() => storyboardDiagnostics(renamed).every((d) => d.code !== 'orphanTakes'), 'the report gone once re-attached', 20_000);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', renamed);
    assert.equal(lenses.filter((x) => /ready/.test(x.command?.title ?? '')).length, 2, lenses.map((l) => l.command?.title).join(' | '));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  /**
   * `<name>.storyboard.md` (a shot, then one that continues from it) open in the first column with its
   * preview beside it, and `notes-<name>.md` to put over the preview.
   */
  async function continuationWithPreview(name: string, first: [title: string, prompt: string], second: [title: string, prompt: string]) {
    const words = uniquePrompt(name);
    const uri = vscode.Uri.file(path.join(root, `${name}.storyboard.md`));
    const notes = vscode.Uri.file(path.join(root, `notes-${name}.md`));
    fs.writeFileSync(notes.fsPath, '# notes\n');
    fs.writeFileSync(uri.fsPath, [...HEAD, `## ${first[0]}`, `${first[1]} ${words}`, '', `## ${second[0]}`, '<!-- shot', '  continue: true', '-->', `${second[1]} ${words}`, ''].join('\n'));
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('seedance.storyboard.preview', uri);
    return { words, uri, notes };
  }

  it('a continuation with its preview hidden completes without taking the focus; a waiting shot and a stale take, dark and light', async function () {
    if (!webviewDriverAvailable) this.skip(); // the frame is captured in a webview
    const { words, uri, notes } = await continuationWithPreview('hidden', ['The door', 'A red door in the fog'], ['Through it', 'The camera passes through the door']);
    await drive(inPage(PREVIEW, [{ op: 'waitFor', selector: '.shot' }]));
    // Another editor over the preview in its group: the preview's tab is hidden.
    await vscode.window.showTextDocument(notes, { viewColumn: vscode.ViewColumn.Two });
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One });

    const running = vscode.commands.executeCommand<AllResult>('seedance.storyboard.generateAll', uri);
    // While shot 1 generates, shot 2 says what it waits for (CodeLens), and the preview shows it.
    await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l.some((x) => /waiting for shot 1/.test(x.command?.title ?? ''));
    }, 'shot 2 waiting for shot 1', 30_000);
    await vscode.commands.executeCommand('seedance.storyboard.preview', uri, undefined);
    await waitPreview(() => document.querySelector('[data-waiting]')?.textContent.includes('1'), undefined, 30_000).catch(() => undefined);
    await clearForScreenshot('[data-waiting]');
    await setTheme(DARK);
    await drive(inPage(PREVIEW, [{ op: 'screenshot', name: 'storyboard-waiting-dark' }]));
    await setTheme(LIGHT);
    await drive(inPage(PREVIEW, [{ op: 'screenshot', name: 'storyboard-waiting-light' }]));
    // Hidden again before the frame is needed.
    await vscode.window.showTextDocument(notes, { viewColumn: vscode.ViewColumn.Two });
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One });

    const result = await running;
    const seen = (await seedance()).listTasks().filter((t) => t.prompt.includes(words)).map((t) => ({ status: t.status, error: t.error }));
    assert.deepEqual(Object.values(result?.states ?? {}), ['done', 'done'], `${JSON.stringify(result)}; tasks: ${JSON.stringify(seen)}`);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, uri.fsPath, 'the focus stayed in the storyboard');
    const sent = (await sim.tasks()).find((t) => t.prompt.includes('passes through') && t.prompt.includes(words));
    assert.equal(sent?.referenceImages, 1, 'the continuation was sent with the captured frame');

    // Shot 1 re-rolled: its newest take is chosen, so shot 2's take came from a frame that is no longer it.
    const id1 = /id: ([a-z0-9]+)/.exec(textOf(uri))![1];
    const reroll = await vscode.commands.executeCommand<string>('seedance.storyboard.generateShot', uri, id1);
    assert.ok(reroll);
    await waitFor(() => (seedanceTask(reroll)), 'the re-roll saved', 150_000, 500);
    await vscode.commands.executeCommand('seedance.storyboard.preview', uri);
    await waitPreview(() => !!document.querySelector('.take[data-stale="true"] .stale-note button'), undefined, 60_000);
    await clearForScreenshot('.take[data-stale="true"] .stale-note');
    await setTheme(DARK);
    await drive(inPage(PREVIEW, [{ op: 'screenshot', name: 'storyboard-stale-dark' }]));
    await setTheme(LIGHT);
    await drive(inPage(PREVIEW, [{ op: 'screenshot', name: 'storyboard-stale-light' }]));
    await setTheme(DARK);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a preview hidden while it captures the frame is shown again and asked again: the continuation is sent with it', async function () {
    if (!webviewDriverAvailable) this.skip(); // the frame is captured in a webview
    const { words, uri, notes } = await continuationWithPreview('gone', ['The lamp', 'A lamp is lit on a table'], ['The room', 'The room fills with light']);
    // This page takes 5 s to encode the frame, and says when it starts: the test hides it in that window.
    await drive(inPage(PREVIEW, [{ op: 'waitFor', selector: '.shot' }, {
      op: 'evaluate',
      fn: (() => {
        const canvas = (globalThis as any).HTMLCanvasElement.prototype;
        const encode = canvas.toBlob;
        canvas.toBlob = function (this: unknown, ...args: unknown[]) {
          document.body.dataset.encoding = 'slow';
          setTimeout(() => encode.apply(this, args), 5_000);
        };
      }).toString(),
    }]));
    const running = vscode.commands.executeCommand<AllResult>('seedance.storyboard.generateAll', uri);
    await waitPreview(() => document.body.dataset.encoding === 'slow', undefined, 90_000);
    // Another editor over the preview in its group: VS Code unloads the page before it answers.
    await vscode.window.showTextDocument(notes, { viewColumn: vscode.ViewColumn.Two });

    const result = await running;
    const seen = (await seedance()).listTasks().filter((t) => t.prompt.includes(words)).map((t) => ({ status: t.status, error: t.error }));
    assert.deepEqual(Object.values(result?.states ?? {}), ['done', 'done'], `${JSON.stringify(result)}; tasks: ${JSON.stringify(seen)}`);
    const sent = (await sim.tasks()).find((t) => t.prompt.includes('fills with light') && t.prompt.includes(words));
    assert.equal(sent?.referenceImages, 1, 'the continuation was sent with the captured frame');
    // The new page (shown again without the focus) made the frame, not the slow one.
    assert.equal(await waitPreview(() => document.body.dataset.encoding ?? 'a new page'), 'a new page');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

/** Notification toasts out of the way and the thing to look at scrolled into view. */
async function clearForScreenshot(selector: string): Promise<void> {
  await vscode.commands.executeCommand('notifications.hideToasts');
  await drive(inPage(PREVIEW, [{ op: 'evaluate', fn: ((sel: string) => document.querySelector(sel)?.scrollIntoView({ block: 'center' })).toString(), arg: selector }]));
}

async function seedanceTask(localId: string): Promise<boolean> {
  const t = (await seedance()).testHooks.task(localId);
  return t?.download.state === 'downloaded';
}
