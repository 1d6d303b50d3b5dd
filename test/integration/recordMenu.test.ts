// Generate Again from Record, where a person meets it: a video is generated and saved with its record, the
// record is right-clicked in the Explorer and the menu item clicked, and the Generate panel opens filled in
// from it. Another JSON file's menu does not offer it; the record's editor title has the button. Screenshots
// of the menu in the dark and light themes. And a record that cannot be written (something took its name
// while the video downloaded): the video is saved, the task says so, and a warning names the problem.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { screenshot } from './helpers';
import { answering, seedance, sim, uniquePrompt, waitForInternal, waitForTask, workspaceRoot, YES } from './seedanceKit';
import { drive, evaluateInPanel, waitInPanel, webviewDriverAvailable, useWorkbenchTheme } from './webviewDriver';

// Runs in the webview / workbench page (sent as source text); the extension host has no DOM.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const MENU_ITEMS = '.context-view .monaco-menu .action-item .action-label';
const ITEM = 'Generate Again from Record';
const DARK = 'Default Dark Modern';
const LIGHT = 'Default Light Modern';

/** Right-clicks the Explorer row of `file` (revealed first) and returns the menu's labels (the menu stays open). */
async function explorerMenu(file: string): Promise<string[]> {
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(file));
  const row = `.explorer-folders-view .monaco-list-row:has-text("${path.basename(file)}")`;
  let shown: string[] = [];
  // A right-click can land on a hover passing over the row (see browserHost.test.ts): close that menu, try again.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const [, , labels] = await drive([
      { op: 'waitFor', frame: 'workbench', selector: row },
      { op: 'click', frame: 'workbench', selector: row, button: 'right' },
      { op: 'texts', frame: 'workbench', selector: MENU_ITEMS },
    ]);
    shown = (labels as string[]).map((l) => l.trim()).filter(Boolean);
    if (shown.includes('Copy Path') || shown.includes('Rename...') || shown.includes('Rename')) break;
    await closeMenu();
  }
  return shown;
}

async function closeMenu(): Promise<void> {
  await drive([{ op: 'press', frame: 'workbench', selector: '.context-view .monaco-menu', key: 'Escape' }]);
}

describe('Generate Again from Record (Explorer menu and editor title)', function () {
  this.timeout(300_000);
  let prompt: string;
  let record: string;
  let themeBefore: string | undefined;

  before(async function () {
    if (!webviewDriverAvailable) this.skip(); // the menus are clicked in the runner's browser
    await seedance();
    themeBefore = vscode.workspace.getConfiguration('workbench').inspect<string>('colorTheme')?.globalValue;
    await useWorkbenchTheme(DARK);
    prompt = uniquePrompt('A red kite over a windy beach at noon');
    const args = { prompt, seconds: 5, size: '9:16', resolution: '480p' };
    const { result: id } = await answering(YES, () => vscode.commands.executeCommand<string>('seedance.generate', args));
    const saved = await waitForInternal(id, (t) => t.download.state === 'downloaded' && t.metadataFile !== undefined,
      'the video and its record to be saved');
    record = saved.metadataFile!;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(path.join(workspaceRoot(), 'notes.json'), { force: true });
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', themeBefore, vscode.ConfigurationTarget.Global);
  });

  it('another JSON file\'s Explorer menu does not offer it', async () => {
    const other = path.join(workspaceRoot(), 'notes.json');
    fs.writeFileSync(other, '{"notes": true}\n');
    const shown = await explorerMenu(other);
    await closeMenu();
    assert.ok(shown.length > 0, 'a menu opened');
    assert.ok(!shown.includes(ITEM), `menu: ${shown.join(' | ')}`);
  });

  it('right-clicking the record offers it (dark and light), and clicking it opens the panel filled from the record', async () => {
    assert.match(path.basename(record), /^\d{4}-\d{2}-\d{2}_\d{4}_.+\.json$/);
    let shown = await explorerMenu(record);
    assert.ok(shown.includes(ITEM), `menu: ${shown.join(' | ')}`);
    await screenshot('record-menu-dark');
    await closeMenu();
    await useWorkbenchTheme(LIGHT);
    shown = await explorerMenu(record);
    assert.ok(shown.includes(ITEM), `menu: ${shown.join(' | ')}`);
    await screenshot('record-menu-light');

    await drive([{ op: 'click', frame: 'workbench', selector: `${MENU_ITEMS}:text-is("${ITEM}")` }]);
    // A draft typed by an earlier test would be asked about first; this suite's fresh panel has none.
    const note = await waitInPanel(() => document.getElementById('prefill-note')?.textContent || null, undefined, 30_000);
    assert.equal(note, 'Filled in from a saved generation record.');
    const form = await evaluateInPanel(() => ({
      prompt: document.getElementById('prompt').value,
      size: document.querySelector('[role="radio"][aria-checked="true"]')?.dataset.ratio,
      seconds: document.getElementById('seconds')?.value,
      resolution: document.getElementById('resolution')?.value,
    }));
    assert.deepEqual(form, { prompt, size: '9:16', seconds: '5', resolution: '480p' });
    await useWorkbenchTheme(DARK);
  });

  it('the record open in an editor has the button in its title; another JSON does not', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const title = `.editor-actions .action-label[aria-label="${ITEM}"]`;
    await vscode.window.showTextDocument(vscode.Uri.file(record));
    await drive([{ op: 'waitFor', frame: 'workbench', selector: title }]);
    await screenshot('record-editor-title-dark');
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(workspaceRoot(), 'notes.json')));
    await drive([{ op: 'waitFor', frame: 'workbench', selector: title, state: 'detached' }]);
  });
});

describe('A video whose record cannot be written is saved, with a warning (not "download failed")', function () {
  this.timeout(300_000);
  let blocked: string | undefined;

  after(async () => {
    await sim.setFaults({ slowDownload: null });
    if (blocked) fs.rmSync(blocked, { recursive: true, force: true });
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it('something at the record\'s name when the video lands: the video is saved and the task says so', async function () {
    if (!webviewDriverAvailable) this.skip(); // the warning is read in the runner's browser
    // Every download crawls until this one is seen running, so the record's name can be taken meanwhile.
    await sim.setFaults({ slowDownload: { bytesPerSecond: 1_000, times: -1 } });
    const prompt = uniquePrompt('A lighthouse in fog whose record is blocked');
    const args = { prompt, seconds: 4, resolution: '480p' };
    const { result: id } = await answering(YES, () => vscode.commands.executeCommand<string>('seedance.generate', args));
    const running = await waitForInternal(id, (t) => t.download.state === 'downloading' && t.download.target !== undefined,
      'the download to start', 120_000);
    await sim.setFaults({ slowDownload: null }); // the running one keeps its pace
    const video = running.download.target!;
    blocked = video.replace(/\.mp4$/, '.json');
    fs.mkdirSync(blocked); // a folder appeared at the record's name: writing the record fails
    const saved = await waitForInternal(id, (t) => t.download.state !== 'downloading', 'the download to end', 120_000);
    assert.equal(saved.download.state, 'downloaded', JSON.stringify(saved.download));
    assert.equal(saved.file, video);
    assert.ok(fs.statSync(video).size > 0, 'the video is there under its final name');
    assert.equal(saved.metadataFile, undefined, 'no record is claimed');
    assert.ok(fs.statSync(blocked).isDirectory(), 'the folder in the way is left alone');
    const item = (await seedance()).testHooks.treeItem(id);
    assert.match(String(item?.contextValue), /download:downloaded/, 'the list offers Open, not Download Again');
    const snap = await waitForTask(id, (t) => t.file !== undefined, 'the snapshot to show the file');
    assert.equal(snap.error, undefined, 'no error on the task');

    await vscode.commands.executeCommand('notifications.showList');
    const row = '.notifications-center .monaco-list-row:has-text("its generation record could not be written")';
    await drive([{ op: 'waitFor', frame: 'workbench', selector: row, timeoutMs: 15_000 }]);
    const [texts] = await drive([{ op: 'texts', frame: 'workbench', selector: row }]);
    assert.match((texts as string[]).join('\n'), new RegExp(`saved as ${path.basename(video).replace(/[.]/g, '\\.')}`));
    await screenshot('record-blocked-warning');
  });
});
