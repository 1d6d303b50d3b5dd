// Issue 24's small things, where a person meets them: the result card's ticking elapsed time while a video
// is generating, the card of a finished video brought into view without taking focus from the prompt, the
// status bar tooltip's words, and Export Spending as CSV offering Open. Screenshots of the card while
// generating, the panel after a finish and the tooltip, in the dark and the light theme.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './helpers';
import type { ModalQuestion } from '../../src/vscode/modal';
import { seedance, sim, uniquePrompt, waitForInternal, workspaceRoot } from './seedanceKit';
import { drive, evaluateInPanel, waitInPanel, webviewDriverAvailable } from './webviewDriver';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;

const DARK = 'Default Dark Modern';
const LIGHT = 'Default Light Modern';
const STATUS_ITEM = '.statusbar-item:has-text("Seedance:")';
const TOOLTIP = ':is(.workbench-hover, .monaco-hover):has-text("video generation")';

/** Answers the extension's modal questions with `label` while `action` runs (src/vscode/modal.ts; test runs only). */
const ANSWERER_KEY = Symbol.for('seedanceStudio.test.modalAnswerer');
async function answering<T>(label: string, action: () => Thenable<T>): Promise<T> {
  const slot = globalThis as Record<symbol, unknown>;
  slot[ANSWERER_KEY] = (_question: ModalQuestion) => label;
  try {
    return await action();
  } finally {
    delete slot[ANSWERER_KEY];
  }
}

/**
 * The notification whose text includes `text`, and its buttons' labels, read in the notification centre: a
 * toast may not show (VS Code shows at most three per 800 ms, and the newest VS Code kept these in the centre
 * only in the test host), the centre lists every notification.
 */
async function notification(text: string): Promise<{ selector: string; buttons: string[] }> {
  await vscode.commands.executeCommand('notifications.showList');
  const selector = `.notifications-center .monaco-list-row:has-text(${JSON.stringify(text)})`;
  await drive([{ op: 'waitFor', frame: 'workbench', selector, timeoutMs: 15_000 }]);
  const [buttons] = await drive([{ op: 'texts', frame: 'workbench', selector: `${selector} .monaco-button` }]);
  return { selector, buttons: (buttons as string[]).map((b) => b.trim()).filter(Boolean) };
}

async function setTheme(theme: string): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
  const kind = theme === LIGHT ? 'vscode-light' : 'vscode-dark';
  await waitInPanel((k: string) => document.body.classList.contains(k), kind, 15_000);
}

/** The status bar tooltip's text, shown by hovering the item like a person would. */
async function hoverStatusItem(): Promise<string> {
  await drive([{ op: 'hover', frame: 'workbench', selector: STATUS_ITEM }, { op: 'waitFor', frame: 'workbench', selector: TOOLTIP, timeoutMs: 10_000 }]);
  const [texts] = await drive([{ op: 'texts', frame: 'workbench', selector: TOOLTIP }]);
  return (texts as string[]).join('\n');
}

/** Moves the mouse off the status bar (onto the text editor, so the panel does not scroll) so the tooltip closes. */
async function leaveStatusItem(): Promise<void> {
  await drive([{ op: 'hover', frame: 'workbench', selector: '.monaco-editor .view-lines' }, { op: 'waitFor', frame: 'workbench', selector: TOOLTIP, state: 'hidden', timeoutMs: 10_000 }]);
}

describe('Polish (issue 24): the result card, the status bar tooltip, quiet actions', function () {
  this.timeout(240_000);
  let themeBefore: string | undefined;
  let remoteId: string | undefined;

  before(async function () {
    if (!webviewDriverAvailable) this.skip();
    await seedance();
    await sim.noRandomFaults();
    themeBefore = vscode.workspace.getConfiguration('workbench').inspect<string>('colorTheme')?.globalValue;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    if (remoteId) await sim.setTaskState(remoteId, { status: 'completed' }).catch(() => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', themeBefore, vscode.ConfigurationTarget.Global);
  });

  it('a generating card ticks its elapsed time; the status bar tooltip says how many run, in a sentence', async () => {
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', DARK, vscode.ConfigurationTarget.Global);
    // The panel beside an editor, as in the issue: narrow, so the results sit under the form.
    const doc = await vscode.workspace.openTextDocument({ content: 'Notes for the next shot.\n' });
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('seedance.generate');
    await drive([
      { op: 'waitFor', selector: '#prompt textarea' },
      { op: 'waitForFunction', fn: (() => document.querySelector('#generate')?.hasAttribute('disabled') === false).toString() },
    ]);
    // An empty prompt: Generate looks disabled (and still says why when clicked).
    await drive([{ op: 'fill', selector: '#prompt textarea', text: '' }]);
    assert.equal(await evaluateInPanel(() => document.querySelector('#generate').classList.contains('blocked')), true);

    // A task that stays running until the test lets it finish.
    const prompt = uniquePrompt('A red kite over green hills, wide shot [sim:stuck]');
    const before = await evaluateInPanel(() => document.querySelectorAll('.result').length);
    await drive([{ op: 'fill', selector: '#prompt textarea', text: prompt }]);
    assert.equal(await evaluateInPanel(() => document.querySelector('#generate').classList.contains('blocked')), false, 'a valid form: Generate looks enabled');
    await drive([
      { op: 'click', selector: '#generate' },
      { op: 'waitForFunction', fn: ((n: number) => document.querySelectorAll('.result').length > n).toString(), arg: before },
    ]);
    const localId = await evaluateInPanel(() => document.querySelector('.result').dataset.taskId as string);
    remoteId = (await waitForInternal(localId, (t) => t.remoteId !== undefined, 'the create request answered')).remoteId!;
    await sim.setTaskState(remoteId, { status: 'running', progress: 50 });
    await waitForInternal(localId, (t) => t.status === 'running' && t.progress === 50, 'the task seen at 50%');

    // The elapsed time moves by itself, between the service's coarse progress steps.
    const timing = (id: string) => evaluateInPanel((taskId: string) => document.querySelector(`[data-task-id="${taskId}"] .result-timing`)?.textContent ?? '', id);
    const first = await waitInPanel((taskId: string) => {
      const text = document.querySelector(`[data-task-id="${taskId}"] .result-timing`)?.textContent ?? '';
      return /so far/.test(text) ? text : null;
    }, localId);
    await waitInPanel((arg: { taskId: string; text: string }) => {
      const text = document.querySelector(`[data-task-id="${arg.taskId}"] .result-timing`)?.textContent ?? '';
      return text !== arg.text && /so far/.test(text) ? text : null;
    }, { taskId: localId, text: String(first) }, 10_000);
    assert.match(await timing(localId), /^\d+ (s|min \d\d s) so far( · (usually about|longer than usual \(about) .+)?$/);
    assert.match((await evaluateInPanel((taskId: string) => document.querySelector(`[data-task-id="${taskId}"] .status`)?.textContent ?? '', localId)).trim(), /Generating… 50%/);
    await vscode.commands.executeCommand('notifications.clearAll');
    await drive([{ op: 'evaluate', fn: ((taskId: string) => document.querySelector(`[data-task-id="${taskId}"]`).scrollIntoView({ block: 'center' })).toString(), arg: localId }]);
    await drive([{ op: 'screenshot', name: 'polish-card-generating-dark' }]);

    // The tooltip: one sentence per count, each with its full stop.
    const running = (await seedance()).testHooks.badge() ?? 0;
    assert.ok(running >= 1, 'at least this task runs');
    const tooltip = await hoverStatusItem();
    assert.ok(
      tooltip.includes(running === 1 ? '1 video generation running. Click to show it.' : `${running} video generations running. Click to show them.`),
      `tooltip: ${tooltip}`,
    );
    assert.ok(!tooltip.includes('(s)'), `no "(s)" plural: ${tooltip}`);
    await drive([{ op: 'screenshot', name: 'polish-status-tooltip-dark' }]);
    await leaveStatusItem();

    await setTheme(LIGHT);
    await drive([{ op: 'screenshot', name: 'polish-card-generating-light' }]);
    await hoverStatusItem();
    await drive([{ op: 'screenshot', name: 'polish-status-tooltip-light' }]);
    await leaveStatusItem();
    await setTheme(DARK);
  });

  it('the newest result is brought into view when it finishes, and focus stays in the prompt', async () => {
    assert.ok(remoteId, 'the running task of the test before');
    const localId = await evaluateInPanel(() => document.querySelector('.result').dataset.taskId as string);
    // The person scrolls back up and types the next prompt.
    await drive([
      { op: 'evaluate', fn: (() => window.scrollTo(0, 0)).toString() },
      { op: 'focus', selector: '#prompt textarea' },
      { op: 'press', selector: '#prompt textarea', key: 'End' },
    ]);
    const hidden = await evaluateInPanel((taskId: string) => {
      const rect = document.querySelector(`[data-task-id="${taskId}"]`).getBoundingClientRect();
      return { top: rect.top, height: window.innerHeight };
    }, localId);
    assert.ok(hidden.top > hidden.height * 0.75, `the card starts out below the fold (top ${hidden.top} of ${hidden.height}); a wider panel would not show the problem`);

    await sim.setTaskState(remoteId, { status: 'completed' });
    const seen = await waitInPanel((taskId: string) => {
      const card = document.querySelector(`[data-task-id="${taskId}"]`);
      const video = card?.querySelector('video');
      if (!card || !video) return null;
      const rect = card.getBoundingClientRect();
      const inView = rect.top >= 0 && rect.top < window.innerHeight * 0.75;
      return inView ? { top: rect.top, focusInPrompt: document.activeElement?.id === 'prompt', scrolled: window.scrollY } : null;
    }, localId, 120_000);
    assert.ok(seen.scrolled > 0, 'the page scrolled to the card');
    assert.equal(seen.focusInPrompt, true, 'keyboard focus stayed in the prompt');
    assert.match(await evaluateInPanel((taskId: string) => document.querySelector(`[data-task-id="${taskId}"] .result-timing`)?.textContent ?? '', localId), /^Took /);
    remoteId = undefined;
    // The card has scrolled into view; wait for the smooth scroll to settle before the pictures.
    let lastY = -1;
    await waitFor(async () => {
      const y = await evaluateInPanel(() => window.scrollY as number);
      const settled = y === lastY;
      lastY = y;
      return settled || undefined;
    }, 'the scroll to settle', 10_000, 400);
    await vscode.commands.executeCommand('notifications.clearAll');
    await drive([{ op: 'screenshot', name: 'polish-panel-after-finish-dark' }]);
    await setTheme(LIGHT);
    await drive([{ op: 'screenshot', name: 'polish-panel-after-finish-light' }]);
    await setTheme(DARK);
  });

  it('Export Spending as CSV says where the file went and offers Open, which opens it', async () => {
    const file = path.join(workspaceRoot(), `spending-polish-${Date.now()}.csv`);
    const written = await vscode.commands.executeCommand<string>('seedance.exportSpending', vscode.Uri.file(file));
    assert.ok(written, 'the command resolves with the file without waiting for a click');
    const exported = await notification(`Spending exported to ${path.basename(file)}`);
    assert.deepEqual(exported.buttons.filter((b) => b === 'Open' || b === 'Reveal'), ['Open', 'Reveal']);
    await drive([{ op: 'screenshot', name: 'polish-export-notification' }, { op: 'click', frame: 'workbench', selector: `${exported.selector} .monaco-button:text-is("Open")` }]);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === file || undefined, 'the CSV to open in an editor', 15_000);
    await vscode.commands.executeCommand('notifications.hideList');
    assert.match(vscode.window.activeTextEditor!.document.lineAt(0).text, /^date,task_id,model/);
  });

  it('Download Again > Keep Both says where the second copy went; Remove from List says the files stay and offers Undo', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Two copies of a sunrise') });
    const first = await waitForInternal(id, (t) => t.download.state === 'downloaded', 'the first copy');
    const second = await answering('Keep Both', () => vscode.commands.executeCommand<string>('seedance.downloadAgain', id));
    assert.ok(second && second !== first.file);
    const saved = await notification(`Saved a second copy as videos/${path.basename(second)}`);
    assert.ok(saved.buttons.includes('Open') && saved.buttons.includes('Reveal'), `buttons: ${saved.buttons.join(', ')}`);
    await drive([{ op: 'screenshot', name: 'polish-keep-both-notification' }]);
    await vscode.commands.executeCommand('notifications.hideList');
    const task = await waitForInternal(id, (t) => t.download.state === 'downloaded', 'the second copy recorded');
    await vscode.commands.executeCommand('seedance.removeTask', id);
    assert.equal((await seedance()).testHooks.task(id), undefined, 'removed from the list');
    // Read in the notification centre: VS Code shows at most three toasts per 800 ms, and the three notifications
    // just before (video ready, its download, Keep Both's) can use them up; the centre lists every notification.
    await vscode.commands.executeCommand('notifications.showList');
    const row = '.notifications-center .monaco-list-row:has-text("from the list")';
    await drive([{ op: 'waitFor', frame: 'workbench', selector: row, timeoutMs: 15_000 }]);
    const [words] = await drive([{ op: 'texts', frame: 'workbench', selector: `${row} .notification-list-item-message` }]);
    assert.match((words as string[]).join(' '), /^Removed "Two copies of a sunrise.*" from the list\. The video and its record are kept in videos\.$/);
    const [buttons] = await drive([{ op: 'texts', frame: 'workbench', selector: `${row} .monaco-button` }]);
    assert.deepEqual((buttons as string[]).map((b) => b.trim()).filter(Boolean), ['Undo']);
    await drive([{ op: 'screenshot', name: 'polish-remove-undo-notification' }, { op: 'click', frame: 'workbench', selector: `${row} .monaco-button:text-is("Undo")` }]);
    const back = await waitForInternal(id, (t) => t.download.state === 'downloaded', 'the entry back after Undo', 10_000);
    assert.equal(back.file, task.file, 'as it was, with its saved file');
    await vscode.commands.executeCommand('notifications.hideList');
  });
});
