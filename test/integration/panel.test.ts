// The Generate panel in real VS Code, driven like a person would drive it: the runner's browser types,
// picks and clicks inside the webview (see webviewDriver.ts), and the extension host checks what came of
// it. Covers the path end to end: open the panel, fill the form, pick a model that refuses the
// chosen resolution and see the error, fix it, press Ctrl+Enter, see the task in the tree and the video
// play in the panel; plus drop validation, state surviving a hide, and screenshots in dark and light.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeExtension, testEnv, waitFor } from './helpers';
import { seedance, sim, waitForInternal } from './seedanceKit';
import { drive, evaluateInPanel, waitInPanel, webviewDriverAvailable } from './webviewDriver';

// The arrow functions handed to evaluateInPanel/waitInPanel run in the webview (sent as source text); the
// extension host has no DOM, so the browser globals they use are declared loosely, for this file only.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(element: unknown): any;

const PROMPT = 'A paper boat drifting down a rainy street gutter, macro lens, evening light';
const DARK = 'Default Dark Modern';
const LIGHT = 'Default Light Modern';

/** Text of an element in the panel (light DOM), or null. */
const textOf = (selector: string) => evaluateInPanel((sel: string) => document.querySelector(sel)?.textContent ?? null, selector);

/** Opens (or brings forward) the panel and waits until its form is live (`init` arrived). */
async function openPanel(): Promise<void> {
  await vscode.commands.executeCommand('seedance.generate');
  await drive([
    { op: 'waitFor', selector: '#prompt textarea' },
    { op: 'waitForFunction', fn: (() => document.querySelector('#generate')?.hasAttribute('disabled') === false).toString() },
  ]);
}

/** Starts the newest card's video (muted autoplay is allowed) and waits until its time moves. */
async function playNewest(): Promise<number> {
  return waitInPanel(() => {
    const v = document.querySelector('.result:first-child video');
    if (!v) return null;
    if (v.paused) void v.play();
    return v.currentTime > 0.2 ? v.currentTime : null;
  }, undefined, 20_000);
}

/** Makes the form show a flagged value: 30 s chosen with 2.5, then a 2.0 model (which stops at 15 s). */
async function flagSeconds(): Promise<void> {
  await drive([
    { op: 'chooseOption', selector: '#model', label: 'Seedance 2.5' },
    { op: 'chooseOption', selector: '#seconds', label: '30 seconds' },
    { op: 'chooseOption', selector: '#model', label: 'Seedance 2.0 Fast' },
    { op: 'waitFor', selector: '#seconds-error p' },
  ]);
}

async function setTheme(theme: string): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
  const kind = theme === LIGHT ? 'vscode-light' : 'vscode-dark';
  // The webview gets the theme's class and variables once the workbench has applied it.
  await waitInPanel((k: string) => document.body.classList.contains(k), kind, 15_000);
}

describe('Generate panel (webview in real VS Code)', function () {
  this.timeout(180_000);
  let themeBefore: string | undefined;

  before(async function () {
    if (!webviewDriverAvailable) {
      // The desktop backend has no runner-side browser to act inside the webview.
      this.skip();
    }
    await activeExtension();
    await sim.noRandomFaults(); // submits and needs each create answered
    themeBefore = vscode.workspace.getConfiguration('workbench').inspect<string>('colorTheme')?.globalValue;
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', DARK, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', themeBefore, vscode.ConfigurationTarget.Global);
  });

  it('opens from seedance.generate with labelled, keyboard-reachable controls', async () => {
    await openPanel();
    const labels = await evaluateInPanel(() =>
      ['prompt', 'model', 'seconds', 'resolution'].map((id) => document.getElementById(id)?.label ?? ''),
    );
    assert.deepEqual(labels, ['Prompt', 'Model', 'Duration', 'Resolution']);
    const shapes = await evaluateInPanel(() => {
      const group = document.querySelector('[role="radiogroup"]');
      const radios = Array.from(document.querySelectorAll('[role="radio"]')) as any[];
      return {
        labelledBy: group?.getAttribute('aria-labelledby'),
        ratios: radios.map((r) => r.dataset.ratio),
        tabStops: radios.filter((r) => r.tabIndex === 0).length,
      };
    });
    assert.equal(shapes.labelledBy, 'size-label');
    assert.deepEqual(shapes.ratios, ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16']);
    assert.equal(shapes.tabStops, 1, 'the shape picker is one tab stop (roving tabindex)');

    // Arrow keys move the selection like any radio group.
    const before = await evaluateInPanel(() => document.querySelector('[role="radio"][aria-checked="true"]')?.getAttribute('data-ratio'));
    await drive([{ op: 'press', selector: '[role="radio"][aria-checked="true"]', key: 'ArrowRight' }]);
    const after = await evaluateInPanel(() => ({
      checked: document.querySelector('[role="radio"][aria-checked="true"]')?.getAttribute('data-ratio'),
      focused: document.activeElement?.dataset.ratio,
    }));
    assert.notEqual(after.checked, before);
    assert.equal(after.focused, after.checked, 'focus follows the selection');
    await drive([{ op: 'press', selector: '[role="radio"][aria-checked="true"]', key: 'ArrowLeft' }]);
    assert.equal(await evaluateInPanel(() => document.querySelector('[role="radio"][aria-checked="true"]')?.getAttribute('data-ratio')), before);
  });

  it('flags a duration the newly chosen model refuses and will not send it', async () => {
    await drive([{ op: 'fill', selector: '#prompt textarea', text: PROMPT }]);
    await flagSeconds();
    assert.match((await textOf('#seconds-error')) ?? '', /makes clips of 4 to 15 seconds; you asked for 30/);
    assert.match((await textOf('#prompt-count')) ?? '', new RegExp(`^${[...PROMPT].length} characters$`));
    // Only what the model accepts is offered (plus the flagged value, so it stays visible).
    const offered = await evaluateInPanel(() => (document.getElementById('resolution') as unknown as { options: { value: string }[] }).options.map((o) => o.value));
    assert.deepEqual(offered, ['480p', '720p']);
    const seconds = await evaluateInPanel(() => (document.getElementById('seconds') as unknown as { options: { value: string }[] }).options.map((o) => o.value));
    assert.deepEqual(seconds, ['4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '30']);
    await drive([{ op: 'screenshot', name: 'panel-form-error-dark' }]);

    // Generate looks disabled while the problem is there, and a click still says why: a message, and no request.
    // (Cards an earlier panel showed may be back: a reopened panel shows them again.)
    assert.equal(await evaluateInPanel(() => document.querySelector('#generate').classList.contains('blocked')), true);
    const cards = await evaluateInPanel(() => document.querySelectorAll('.result').length);
    await drive([{ op: 'click', selector: '#generate' }, { op: 'waitFor', selector: '#form-error:not(:empty)' }]);
    assert.match((await textOf('#form-error')) ?? '', /Fix the problem above/);
    assert.equal(await evaluateInPanel(() => document.querySelectorAll('.result').length), cards);
  });

  it('fixes the value, generates with Ctrl+Enter, shows the task in the tree and plays the video', async () => {
    // The newest card is the first; cards an earlier panel showed may be below it.
    const cards = await evaluateInPanel(() => document.querySelectorAll('.result').length);
    await drive([
      { op: 'click', selector: '#fix-seconds' },
      { op: 'waitFor', selector: '#seconds-error p', state: 'detached' },
      { op: 'press', selector: '#prompt textarea', key: 'Control+Enter' },
      { op: 'waitForFunction', fn: ((n: number) => document.querySelectorAll('.result').length > n).toString(), arg: cards },
    ]);
    assert.equal(await evaluateInPanel(() => (document.getElementById('seconds') as unknown as { value: string }).value), '15');

    // Live status first (queued or running), then the downloaded video.
    const video = await waitInPanel(() => {
      const v = document.querySelector('.result:first-child video');
      return v && v.readyState >= 2 && v.videoWidth > 0
        ? { w: v.videoWidth, h: v.videoHeight, src: v.currentSrc, loop: v.loop, controls: v.controls }
        : null;
    }, undefined, 90_000);
    assert.ok(video.loop && video.controls);
    assert.ok(Math.abs(video.w / video.h - 16 / 9) < 0.05, `expected a 16:9 video, got ${video.w}x${video.h}`);
    const frameRatio = await evaluateInPanel(() => {
      const r = document.querySelector('.result:first-child .video-frame')!.getBoundingClientRect();
      return r.width / r.height;
    });
    assert.ok(Math.abs(frameRatio - video.w / video.h) < 0.05, 'the player has the video\'s real aspect ratio');

    // It really plays: time moves.
    assert.ok((await playNewest()) > 0.2);

    // The page did all of that under its CSP without a single refusal (no inline style, no eval, no
    // resource from outside the allowed roots).
    const [refusals] = await drive([{ op: 'securityMessages' }]);
    assert.deepEqual(refusals, []);

    const actions = await evaluateInPanel(() => Array.from(document.querySelectorAll('.result:first-child .result-actions [data-action]')).map((b: any) => b.dataset.action));
    // The browser host cannot open a server-side file in a system player: Download takes its place there.
    const local = vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined;
    // Promote (issue 19) on a finished video: the same prompt and images at a higher resolution or on another model.
    assert.deepEqual(actions, ['openFile', 'revealFile', 'regenerate', 'promote', 'copyPrompt', local ? 'openExternally' : 'downloadFile']);

    // The file is in the workspace's output folder, and the tree shows the task.
    const videos = path.join(testEnv.workspace, 'videos');
    await waitFor(() => fs.existsSync(videos) && fs.readdirSync(videos).some((f) => f.endsWith('.mp4')), 'the video in the output folder', 150_000);
    await vscode.commands.executeCommand('seedance.tasks.focus');
    await drive([{ op: 'waitFor', frame: 'workbench', selector: `.monaco-list-row:has-text("${PROMPT.slice(0, 30)}")`, timeoutMs: 20_000 }]);
    await playNewest();
    await vscode.commands.executeCommand('notifications.clearAll');
    await drive([{ op: 'screenshot', name: 'panel-preview-dark' }]);

    // Copy Prompt goes through the extension.
    await drive([{ op: 'click', selector: '.result:first-child [data-action="copyPrompt"]' }]);
    await waitFor(async () => (await vscode.env.clipboard.readText()) === PROMPT, 'the prompt on the clipboard');
  });

  it('shows several results newest first, each at its own aspect ratio', async () => {
    const shownBefore = await evaluateInPanel(() => document.querySelectorAll('.result').length);
    await drive([
      { op: 'fill', selector: '#prompt textarea', text: 'A tall waterfall in a misty forest, drone rising' },
      { op: 'click', selector: '[role="radio"][data-ratio="9:16"]' },
      { op: 'click', selector: '#generate' },
      // While it runs, a keyboard user on the new card's Copy Prompt stays there through its status updates.
      { op: 'waitForFunction', fn: ((n: number) => document.querySelectorAll('.result').length > n).toString(), arg: shownBefore },
      { op: 'focus', selector: '.result:first-child [data-action="copyPrompt"]' },
    ]);
    const focusedWhileRunning = await evaluateInPanel(() => document.querySelector('.result:first-child .status')?.textContent as string);
    const portrait = await waitInPanel((n: number) => {
      const cards = Array.from(document.querySelectorAll('.result')) as any[];
      const v = cards[0]?.querySelector('video');
      return cards.length === n + 1 && v && v.readyState >= 2 && v.videoWidth > 0
        ? { first: cards[0].querySelector('.result-prompt').textContent, second: cards[1].querySelector('.result-prompt').textContent, w: v.videoWidth, h: v.videoHeight }
        : null;
    }, shownBefore, 90_000);
    assert.match(portrait.first, /waterfall/, 'the newest result is on top');
    assert.equal(portrait.second, PROMPT);
    assert.ok(Math.abs(portrait.w / portrait.h - 9 / 16) < 0.05, `expected 9:16, got ${portrait.w}x${portrait.h}`);
    const focused = await evaluateInPanel(() => `${document.hasFocus()} ${(document.activeElement as any)?.outerHTML.slice(0, 160)}`);
    assert.match(focused, /^true <vscode-button [^>]*data-focus="copyPrompt:/, `focused while "${focusedWhileRunning}", then the card was rebuilt until the video came; now: ${focused}`);
    await playNewest();
    await vscode.commands.executeCommand('notifications.clearAll');
    await drive([{ op: 'screenshot', name: 'panel-results-dark' }]);
  });

  it('Regenerate asks before replacing a typed prompt, then fills the form in from a result', async () => {
    // A "video ready" notification may cover the card's buttons.
    await vscode.commands.executeCommand('notifications.clearAll');
    const card = `.result[data-task-id="${await evaluateInPanel((p: string) => (Array.from(document.querySelectorAll('.result')) as any[]).find((c) => c.querySelector('.result-prompt').textContent === p).dataset.taskId as string, PROMPT)}"]`;
    await drive([
      { op: 'fill', selector: '#prompt textarea', text: 'something else' },
      { op: 'click', selector: `${card} [data-action="regenerate"]` },
      { op: 'waitFor', selector: '#draft-question:not([hidden])' },
    ]);
    const question = await evaluateInPanel(() => ({
      text: document.getElementById('draft-question-text').textContent.trim(),
      prompt: document.getElementById('prompt').value,
      focused: document.activeElement?.id,
    }));
    assert.deepEqual(question, { text: 'Replace the prompt you typed with the earlier request?', prompt: 'something else', focused: 'draft-keep' },
      'the typed prompt is still there while the question is asked; the safe answer has the focus');
    await drive([{ op: 'screenshot', name: 'panel-draft-question-dark' }]);
    // Keep My Draft: nothing changes.
    await drive([{ op: 'click', selector: '#draft-keep' }, { op: 'waitFor', selector: '#draft-question', state: 'hidden' }]);
    assert.equal(await evaluateInPanel(() => document.getElementById('prompt').value), 'something else');
    // Asked again, Replace fills the form in.
    await drive([
      { op: 'click', selector: `${card} [data-action="regenerate"]` },
      { op: 'waitFor', selector: '#draft-question:not([hidden])' },
      { op: 'click', selector: '#draft-replace' },
      { op: 'waitFor', selector: '#prefill-note:not([hidden])' },
    ]);
    const form = await evaluateInPanel(() => ({
      prompt: document.getElementById('prompt').value,
      size: document.querySelector('[role="radio"][aria-checked="true"]').dataset.ratio,
      model: document.getElementById('model').value,
      note: document.getElementById('prefill-note').textContent,
    }));
    assert.deepEqual(form, { prompt: PROMPT, size: '16:9', model: 'doubao-seedance-2-0-fast', note: 'Filled in from an earlier generation: change anything, then Generate.' });
  });

  it('"Prompt taken from the editor selection" goes away once the prompt is replaced', async () => {
    const file = path.join(testEnv.workspace, 'selection-note.md');
    const text = 'Fireflies over a summer meadow at dusk';
    fs.writeFileSync(file, `# Notes\n\n${text}\n`);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const start = editor.document.getText().indexOf(text);
    editor.selection = new vscode.Selection(editor.document.positionAt(start), editor.document.positionAt(start + text.length));
    await vscode.commands.executeCommand('seedance.generate');
    await drive([{ op: 'waitForFunction', fn: (() => document.getElementById('prefill-note')?.textContent === 'Prompt taken from the editor selection.' && !document.getElementById('prefill-note').hidden).toString() }]);
    // Adding to the selected text keeps the note; replacing it removes it.
    await drive([{ op: 'fill', selector: '#prompt textarea', text: `${text}, slow pan` }]);
    assert.equal(await evaluateInPanel(() => document.getElementById('prefill-note').hidden), false);
    await drive([
      { op: 'fill', selector: '#prompt textarea', text: 'A completely different idea' },
      { op: 'waitForFunction', fn: (() => document.getElementById('prefill-note').hidden === true).toString() },
    ]);
    // Close the note file again, so it does not squeeze the panel in later screenshots.
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputText && t.input.uri.fsPath === file);
    if (tab) await vscode.window.tabGroups.close(tab);
  });

  it('a saved generation record (.json beside a video) fills the form in', async () => {
    const videos = path.join(testEnv.workspace, 'videos');
    const record = fs.readdirSync(videos).map((f) => path.join(videos, f))
      .find((f) => f.endsWith('.json') && JSON.parse(fs.readFileSync(f, 'utf8')).prompt === PROMPT);
    assert.ok(record, 'the record of the first generation');
    await drive([{ op: 'fill', selector: '#prompt textarea', text: 'something else' }, { op: 'click', selector: '[role="radio"][data-ratio="1:1"]' }]);
    await vscode.commands.executeCommand('seedance.generate', vscode.Uri.file(record));
    // "something else" was typed and not sent: the form asks first.
    await drive([{ op: 'click', selector: '#draft-replace' }]);
    await drive([{ op: 'waitForFunction', fn: (() => document.getElementById('prefill-note')?.textContent === 'Filled in from a saved generation record.').toString() }]);
    const form = await evaluateInPanel(() => ({
      prompt: document.getElementById('prompt').value,
      size: document.querySelector('[role="radio"][aria-checked="true"]').dataset.ratio,
    }));
    assert.deepEqual(form, { prompt: PROMPT, size: '16:9' });
  });

  it('refuses a dropped file that is not an image, with a clear message, and takes a dropped PNG', async () => {
    await openPanel();
    await drive([{ op: 'dropFile', selector: '#image-drop-zone', fileName: 'notes.png', mimeType: 'image/png', base64: Buffer.from('just some text').toString('base64') },
      { op: 'waitFor', selector: '#image-error p' }]);
    assert.match((await textOf('#image-error')) ?? '', /"notes\.png" is not a JPEG, PNG or WebP image/);

    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
    await drive([{ op: 'dropFile', selector: '#image-drop-zone', fileName: 'dot.png', mimeType: 'image/png', base64: png.toString('base64') },
      { op: 'waitFor', selector: '.image-preview img.thumbnail' }]);
    const thumb = await waitInPanel(() => {
      const img = document.querySelector('.image-preview img.thumbnail');
      return img && img.complete && img.naturalWidth > 0 ? { src: img.src, error: document.querySelector('#image-error')?.textContent ?? '' } : null;
    });
    assert.equal(thumb.error, '', 'the earlier refusal is gone');
    assert.ok(!thumb.src.startsWith('data:') && !thumb.src.startsWith('blob:'), 'the thumbnail comes through asWebviewUri');

    // Every offered model takes reference images (the text-only 1.x models were retired): switching keeps it.
    await drive([{ op: 'chooseOption', selector: '#model', label: 'Seedance 2.5' }]);
    assert.equal((await textOf('#image-error')) ?? '', '');
    await drive([{ op: 'click', selector: '.remove-image' }, { op: 'waitFor', selector: '#image-list li', state: 'detached' },
      { op: 'chooseOption', selector: '#model', label: 'Seedance 2.0 Fast' }]);
  });

  it('takes several reference images, removes one from the keyboard, sends the rest in order and restores them on Regenerate', async () => {
    await openPanel();
    await vscode.commands.executeCommand('notifications.clearAll');
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
    const prompt = `[Image 1] and [Image 2] meet on a foggy bridge (${Date.now()})`;
    await drive([{ op: 'fill', selector: '#prompt textarea', text: prompt }, { op: 'chooseOption', selector: '#model', label: 'Seedance 2.0 Fast' }]);
    for (const name of ['first.png', 'second.png', 'third.png']) {
      await drive([
        { op: 'dropFile', selector: '#image-drop-zone', fileName: name, mimeType: 'image/png', base64: png },
        { op: 'waitForFunction', fn: ((n: string) => Array.from(document.querySelectorAll('#image-list .image-name')).some((e: any) => e.textContent === n)).toString(), arg: name },
      ]);
    }
    const rows = await waitInPanel(() => {
      const items = Array.from(document.querySelectorAll('#image-list li')) as any[];
      return items.length === 3 && items.every((li) => li.querySelector('img').naturalWidth > 0)
        ? items.map((li) => ({ name: li.querySelector('.image-name').textContent, size: li.querySelector('.image-size').textContent }))
        : null;
    });
    assert.deepEqual(rows.map((r) => r.name), ['first.png', 'second.png', 'third.png']);
    assert.ok(rows.every((r) => r.size === '68 B'), JSON.stringify(rows));
    assert.equal(await textOf('#image-count'), '3 of 9');
    await drive([{ op: 'screenshot', name: 'panel-reference-images-dark' }]);

    // Remove the middle one with the keyboard; focus moves to the next image's Remove, not to the page's top.
    await drive([
      { op: 'press', selector: '.remove-image[aria-label="Remove second.png"]', key: 'Enter' },
      { op: 'waitForFunction', fn: (() => document.querySelectorAll('#image-list li').length === 2).toString() },
    ]);
    const after = await evaluateInPanel(() => ({
      names: Array.from(document.querySelectorAll('#image-list .image-name')).map((e: any) => e.textContent),
      focused: document.activeElement?.getAttribute('aria-label'),
      count: document.getElementById('image-count').textContent,
    }));
    assert.deepEqual(after, { names: ['first.png', 'third.png'], focused: 'Remove third.png', count: '2 of 9' });

    const cards = await evaluateInPanel(() => document.querySelectorAll('.result').length);
    await drive([
      { op: 'click', selector: '#generate' },
      { op: 'waitForFunction', fn: ((n: number) => document.querySelectorAll('.result').length > n).toString(), arg: cards },
    ]);
    const localId = await evaluateInPanel(() => document.querySelector('.result').dataset.taskId as string);
    const task = await waitForInternal(localId, (t) => t.remoteId !== undefined, 'the create request answered');
    assert.equal(task.request.prompt, prompt);
    // What the simulator received: two input_reference parts, in the order shown.
    const simTask = (await sim.tasks()).find((t) => t.id === task.remoteId);
    assert.ok(simTask, 'the simulator has the task');
    assert.equal(simTask.referenceImages, 2);
    assert.deepEqual([task.request.inputReference?.name, ...(task.request.moreReferences ?? []).map((r) => r.name)], ['first.png', 'third.png']);
    // The tree's hover names each image.
    const tooltip = (await seedance()).testHooks.treeItem(localId)?.tooltip;
    const hover = typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '';
    assert.match(hover, /Reference image 1 \| first\\\.png/);
    assert.match(hover, /Reference image 2 \| third\\\.png/);

    // Regenerate puts both images back, in order (after the form was cleared of them).
    await drive([{ op: 'click', selector: '.remove-image' }, { op: 'click', selector: '.remove-image' },
      { op: 'waitFor', selector: '#image-list li', state: 'detached' }]);
    await vscode.commands.executeCommand('notifications.clearAll');
    await drive([
      { op: 'click', selector: `.result[data-task-id="${localId}"] [data-action="regenerate"]` },
      { op: 'waitForFunction', fn: (() => document.querySelectorAll('#image-list li').length === 2).toString() },
    ]);
    const restored = await evaluateInPanel(() => Array.from(document.querySelectorAll('#image-list .image-name')).map((e: any) => e.textContent));
    assert.deepEqual(restored, ['first.png', 'third.png']);
    await drive([{ op: 'click', selector: '.remove-image' }, { op: 'click', selector: '.remove-image' },
      { op: 'waitFor', selector: '#image-list li', state: 'detached' }]);
  });

  it('seedance.previewTask opens the same live card for a task from the tree; a reopened panel shows its results again', async () => {
    await openPanel();
    const before = await evaluateInPanel(() => Array.from(document.querySelectorAll('.result')).map((c: any) => c.dataset.taskId as string));
    assert.ok(before.length >= 2, `earlier tests left results: ${before.length}`);
    const id = before[before.length - 1];
    await drive([{ op: 'click', selector: '.result:last-child .dismiss' }]);
    await waitInPanel((taskId: string) => !document.querySelector(`[data-task-id="${taskId}"]`), id);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('seedance.previewTask', id);
    const shown = await waitInPanel((taskId: string) => {
      const card = document.querySelector(`[data-task-id="${taskId}"]`);
      const v = card?.querySelector('video');
      return card && v && v.readyState >= 2
        ? { focused: document.activeElement === card, ids: Array.from(document.querySelectorAll('.result')).map((c: any) => c.dataset.taskId as string) }
        : null;
    }, id);
    assert.equal(shown.focused, true, 'the previewed card is scrolled to and focused');
    // The closed panel's results (less the dismissed one) came back, with the previewed task on top.
    assert.deepEqual(shown.ids, [id, ...before.slice(0, -1)]);
  });

  it('keeps the form when the panel is hidden and shown again', async () => {
    await openPanel();
    const draft = 'A lighthouse at dawn, slow dolly in';
    await drive([{ op: 'fill', selector: '#prompt textarea', text: draft }]);
    const cards = await evaluateInPanel(() => document.querySelectorAll('.result').length);
    // Another editor in the same group hides the panel (its page is discarded: no retainContextWhenHidden).
    const doc = await vscode.workspace.openTextDocument({ content: 'hide the panel' });
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('seedance.generate');
    await drive([{ op: 'waitForFunction', fn: ((text: string) => document.getElementById('prompt')?.value === text).toString(), arg: draft }]);
    const results = await evaluateInPanel(() => document.querySelectorAll('.result').length);
    assert.equal(results, cards, 'the result cards came back too');
  });

  it('comes back after a reload with its result cards (through the deferred serializer)', async () => {
    const generateTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('seedance.generatePanel'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor(() => generateTabs().length === 0 || undefined, 'the open panel to close', 10_000);
    const api = await seedance();
    // Earlier tests leave tasks; run alone, this one makes its own.
    for (let i = api.listTasks().length; i < 2; i++) await vscode.commands.executeCommand('seedance.generate', { prompt: `${PROMPT} (${i})` });
    const shown = api.listTasks().slice(0, 2).map((t) => api.testHooks.task(t.id)!.localId);
    assert.equal(shown.length, 2);
    // What VS Code does for a panel left open before a reload: a fresh panel of the same type with the state the
    // panel saved (the form itself comes back from the page's own saved state; the extension restores the cards).
    const panel = vscode.window.createWebviewPanel('seedance.generatePanel', 'Generate Video', vscode.ViewColumn.Active, {});
    let disposed = false;
    panel.onDidDispose(() => (disposed = true));
    const state = { version: 1, form: { prompt: '', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' }, resultIds: shown };
    await api.testHooks.restoreWebview('seedance.generatePanel', panel, state);
    assert.equal(disposed, false, 'the extension took the restored panel (it closes one only when another is open)');
    await drive([{ op: 'waitForFunction', fn: ((n: number) => document.querySelectorAll('.result').length === n).toString(), arg: shown.length }]);
    // The panel is the extension's again: Generate Video brings this one forward rather than opening a second.
    await vscode.commands.executeCommand('seedance.generate');
    assert.equal(generateTabs().length, 1);
  });

  it('looks right in the light theme', async () => {
    await openPanel();
    await setTheme(LIGHT);
    const colours = await evaluateInPanel(() => {
      const style = getComputedStyle(document.body);
      return { fg: style.color, bg: style.backgroundColor };
    });
    assert.notEqual(colours.fg, colours.bg);
    await drive([{ op: 'fill', selector: '#prompt textarea', text: PROMPT }]);
    await flagSeconds();
    await playNewest();
    await vscode.commands.executeCommand('notifications.clearAll');
    await drive([{ op: 'screenshot', name: 'panel-form-light' }]);
    await drive([{ op: 'click', selector: '#fix-seconds' }, { op: 'waitFor', selector: '#seconds-error p', state: 'detached' }]);
    await playNewest();
    await drive([{ op: 'screenshot', name: 'panel-preview-light' }]);

    // Over the whole suite (thumbnails, videos, theme switches, reloads of the page) the CSP refused nothing.
    const [refusals] = await drive([{ op: 'securityMessages' }]);
    assert.deepEqual(refusals, []);
  });
});
