// Generating from the editor: seedance.generateFromSelection (the selected text is the prompt, settings
// give the rest; with confirmBeforeSubmit off it goes straight out, with it on the confirmation comes
// first) and seedance.generateQuick (the step-by-step quick input, prefilled with the selection).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './helpers';
import { drive, webviewDriverAvailable } from './webviewDriver';
import { createRequests, seedance, sim, uniquePrompt, waitForTask, withSetting, workspaceRoot } from './seedanceKit';

/** A saved file (never dirty, so closing it asks nothing) with `text` selected in its editor. */
async function editorWithSelection(text: string): Promise<vscode.TextEditor> {
  const file = path.join(workspaceRoot(), `shot-list-${Math.random().toString(36).slice(2, 8)}.md`);
  fs.writeFileSync(file, `# Shot list\n\n${text}\n\nmore notes\n`);
  const doc = await vscode.workspace.openTextDocument(file);
  const editor = await vscode.window.showTextDocument(doc);
  const start = doc.getText().indexOf(text);
  editor.selection = new vscode.Selection(doc.positionAt(start), doc.positionAt(start + text.length));
  return editor;
}

describe('seedance.generateFromSelection and seedance.generateQuick', () => {
  const restore: (() => Promise<void>)[] = [];
  before(async () => {
    await seedance();
    await sim.clearFaults();
    await sim.noRandomFaults(); // submits and needs each create answered
  });
  afterEach(async () => {
    while (restore.length) await restore.pop()!();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('sends the selected text with the default settings when confirmation is off', async () => {
    // User settings only (application scope): a workspace cannot turn the confirmation off.
    restore.push(await withSetting('seedance', 'confirmBeforeSubmit', false, vscode.ConfigurationTarget.Global));
    restore.push(await withSetting('seedance', 'defaultSeconds', 6, vscode.ConfigurationTarget.Workspace));
    const prompt = uniquePrompt('Macro shot of dew drops on a spider web');
    await editorWithSelection(prompt);
    const id = await vscode.commands.executeCommand<string>('seedance.generateFromSelection');
    assert.match(String(id), /^task_/);
    const simTask = (await sim.tasks()).find((t) => t.id === id)!;
    assert.equal(simTask.prompt, prompt, 'exactly the selection');
    assert.equal(simTask.seconds, 6, 'defaultSeconds from the settings');
    assert.equal(simTask.model, vscode.workspace.getConfiguration('seedance').get('defaultModel'));
    await waitForTask(id, (t) => t.status === 'succeeded' && !!t.file, 'the selection video to be saved');
  });

  it('asks for confirmation first when confirmBeforeSubmit is on, and sends only after Generate', async () => {
    restore.push(await withSetting('seedance', 'confirmBeforeSubmit', true, vscode.ConfigurationTarget.Global));
    const prompt = uniquePrompt('A hummingbird hovering at a red flower');
    await editorWithSelection(prompt);
    const before = await createRequests();
    const pending = Promise.resolve(vscode.commands.executeCommand<string>('seedance.generateFromSelection'));
    let settled = false;
    void pending.finally(() => (settled = true));
    // The confirmation is open and nothing is sent while it waits.
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(settled, false, 'the command waits for the confirmation');
    assert.equal(await createRequests(), before, 'nothing is sent before Generate is chosen');
    if (webviewDriverAvailable) {
      // It says where the request goes: the simulator on this machine here, not "a paid request".
      const [rows] = await drive([{ op: 'texts', frame: 'workbench', selector: '.quick-input-widget .monaco-list-row' }]);
      const generate = (rows as string[]).find((r) => r.includes('Generate')) ?? '';
      assert.match(generate, /on this machine \(such as the local simulator\); CometAPI is not involved/, generate);
      assert.ok(!/paid request/.test(generate), generate);
    }
    // "Generate" is the active first item: accept it (retried until the quick pick has focus).
    await waitFor(async () => {
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return settled;
    }, 'the confirmation to be accepted', 15_000, 300);
    const id = await pending;
    assert.match(String(id), /^task_/);
    assert.equal((await sim.tasks()).find((t) => t.id === id)?.prompt, prompt);
    assert.equal(await createRequests(), before + 1);
  });

  it('the quick-input flow: each step preselects the default, and accepting them sends one request', async () => {
    const prompt = uniquePrompt('Steam rising from a cup of coffee by a rainy window');
    await editorWithSelection(prompt);
    const before = await createRequests();
    const pending = Promise.resolve(vscode.commands.executeCommand<string>('seedance.generateQuick'));
    let settled = false;
    void pending.finally(() => (settled = true));
    // Prompt (prefilled with the selection), model, duration, aspect ratio, resolution, reference image:
    // accept each step's preselected value (the settings' defaults) until the request goes out.
    await waitFor(async () => {
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return settled;
    }, 'the quick-input steps to be accepted', 20_000, 250);
    const id = await pending;
    assert.match(String(id), /^task_/);
    const simTask = (await sim.tasks()).find((t) => t.id === id)!;
    const config = vscode.workspace.getConfiguration('seedance');
    assert.equal(simTask.prompt, prompt);
    assert.equal(simTask.model, config.get('defaultModel'));
    assert.equal(simTask.ratio, config.get('defaultSize'));
    assert.equal(simTask.referenceImages, 0);
    assert.equal(await createRequests(), before + 1);
  });

  it('refuses to run without a selection, sending nothing', async () => {
    const file = path.join(workspaceRoot(), 'nothing-selected.md');
    fs.writeFileSync(file, 'nothing selected');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const before = await createRequests();
    await vscode.commands.executeCommand('seedance.generateFromSelection');
    assert.equal(await createRequests(), before);
    assert.equal((await seedance()).listTasks().some((t) => t.prompt === 'nothing selected'), false);
  });
});
