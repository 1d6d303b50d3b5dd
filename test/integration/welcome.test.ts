// The Seedance view's welcome (package.json viewsWelcome) in real VS Code: nothing before the API key has been
// read (the "checking" state; it used to flash "Set API Key" at people whose key is stored), "Set API Key"
// once the key is known absent, "Generate Video" once it is known present. The list is emptied for this by a
// reactivation over an empty stored list, and put back at the end. Screenshots in the dark and light themes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot } from './helpers';
import { reactivate, seedance } from './seedanceKit';
import { drive, webviewDriverAvailable, useWorkbenchTheme } from './webviewDriver';

// Runs in the workbench page (sent as source text); the extension host has no DOM.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const DARK = 'Default Dark Modern';
const LIGHT = 'Default Light Modern';

/** Waits until the Seedance view's welcome text says `expected` ('' = no welcome at all) and returns it. */
async function welcomeSays(expected: string): Promise<string> {
  const [text] = await drive([{
    op: 'waitForFunction',
    frame: 'workbench',
    arg: expected,
    fn: ((want: string) => {
      // The Seedance container is the one shown in the side bar (focused below): its visible welcome, if any.
      const all = Array.from(document.querySelectorAll('.part.sidebar .welcome-view-content')) as any[];
      const shown = all.filter((w) => w.offsetParent !== null);
      const text = shown.map((w) => String(w.innerText)).join('\n');
      return (want === '' ? text === '' : text.includes(want)) ? text || 'empty' : null;
    }).toString(),
    timeoutMs: 20_000,
  }]);
  return text === 'empty' ? '' : String(text);
}

describe('Seedance view welcome (waits for the API key)', function () {
  this.timeout(180_000);
  let envelope: unknown;
  let envKey: string | undefined;
  let themeBefore: string | undefined;

  before(async function () {
    if (!webviewDriverAvailable) this.skip(); // the view's text is read in the runner's browser
    const api = await seedance();
    envelope = await api.testHooks.readStoredTasks();
    envKey = process.env.COMETAPI_KEY;
    themeBefore = vscode.workspace.getConfiguration('workbench').inspect<string>('colorTheme')?.globalValue;
    await useWorkbenchTheme(DARK);
  });

  after(async () => {
    if (envKey !== undefined) process.env.COMETAPI_KEY = envKey;
    // The list as it was, the key context as it really is.
    if (envelope !== undefined) await reactivate({ storedTasks: envelope });
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', themeBefore, vscode.ConfigurationTarget.Global);
  });

  it('with a key: "Generate Video"; while the key is being read: nothing, not "Set API Key"', async () => {
    await reactivate({ storedTasks: { version: 1, tasks: [] } });
    await vscode.commands.executeCommand('seedance.tasks.focus');
    const text = await welcomeSays('No videos yet');
    assert.ok(!text.includes('Set API Key'), text);
    await screenshot('welcome-key-present-dark');
    // The state of a window whose extension has not read the key yet (context key unset).
    await vscode.commands.executeCommand('setContext', 'seedance.apiKeyKnown', undefined);
    assert.equal(await welcomeSays(''), '');
    await screenshot('welcome-checking-dark');
  });

  it('with no key anywhere (read for real at activation): "Set API Key", dark and light', async () => {
    const api = await seedance();
    // A key an earlier suite stored (and did not clear) would be found first.
    if ((await api.testHooks.keySource()) === 'stored') await vscode.commands.executeCommand('seedance.clearApiKey');
    assert.equal(await api.testHooks.keySource(), 'environment', 'this run has the key in COMETAPI_KEY only');
    delete process.env.COMETAPI_KEY;
    await reactivate({ storedTasks: { version: 1, tasks: [] } });
    assert.equal(await (await seedance()).testHooks.keySource(), 'none');
    await vscode.commands.executeCommand('seedance.tasks.focus');
    const text = await welcomeSays('Set API Key');
    assert.ok(!text.includes('No videos yet'), text);
    await screenshot('welcome-no-key-dark');
    await useWorkbenchTheme(LIGHT);
    await welcomeSays('Set API Key');
    await screenshot('welcome-no-key-light');
    await useWorkbenchTheme(DARK);
    process.env.COMETAPI_KEY = envKey;
  });
});
