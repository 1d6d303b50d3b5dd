// VS Code in the browser (the web backend: code-server's workbench in Chromium, files on the server): every
// Seedance action a menu or the panel shows must work there. The runner's browser right-clicks the finished
// task in the Videos view like a person, reads the real context menu, clicks "Download to This Computer" and
// sees the browser download arrive; the panel offers Download instead of Open Externally, and its note about
// sound points at it. Where files are local (desktop backend), the file manager and the system player are shown.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { seedance, uniquePrompt, waitForTask } from './seedanceKit';
import { drive, waitInPanel, webviewDriverAvailable } from './webviewDriver';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const MENU_ITEMS = '.context-view .monaco-menu .action-item .action-label';

describe('browser host: actions shown work where they are shown', function () {
  this.timeout(120_000);
  let prompt: string;
  let id: string;
  let file: string;

  before(async function () {
    if (!webviewDriverAvailable) this.skip(); // needs the runner's browser to click the real menus
    await seedance();
    prompt = uniquePrompt('Lanterns drifting over a night river');
    id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt, seconds: 4, resolution: '480p' });
    file = (await waitForTask(id, (t) => t.status === 'succeeded' && t.file !== undefined, 'the video to be saved')).file!;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the files are not local here, so the context key hides the OS actions', () => {
    const local = vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined;
    assert.equal(local, false, 'the web backend shows the UI in a browser, away from the files');
  });

  it('the Videos view menu offers Download to This Computer (not Reveal in File Manager), and it downloads the file', async () => {
    await vscode.commands.executeCommand('seedance.tasks.focus');
    const row = `.monaco-list-row:has-text("${prompt.slice(0, 30)}")`;
    let shown: string[] = [];
    // A right-click can land on something passing over the row (once in a CI run the menu held only "Copy
    // Text", a hover's menu): then close that menu and right-click the row again. The checks below hold for
    // the row's own menu.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [, labels] = await drive([
        { op: 'click', frame: 'workbench', selector: row, button: 'right' },
        { op: 'texts', frame: 'workbench', selector: MENU_ITEMS },
      ]);
      shown = (labels as string[]).map((l) => l.trim()).filter(Boolean);
      if (shown.includes('Copy Prompt')) break;
      console.log(`right-click ${attempt} on the row opened another menu: ${shown.join(' | ')}`);
      await drive([{ op: 'screenshot', name: `browser-host-menu-miss-${attempt}` }, { op: 'press', frame: 'workbench', selector: '.context-view .monaco-menu', key: 'Escape' }]);
    }
    assert.ok(shown.includes('Download to This Computer'), `menu: ${shown.join(' | ')}`);
    assert.ok(!shown.includes('Reveal in File Manager'), `revealFileInOS does not exist in the browser: ${shown.join(' | ')}`);
    for (const expected of ['Open Video', 'Preview', 'Reveal in Explorer View', 'Copy Prompt']) {
      assert.ok(shown.includes(expected), `${expected} is offered: ${shown.join(' | ')}`);
    }
    // Clicked like a person: VS Code's Explorer "Download..." turns it into a browser download.
    await drive([
      { op: 'click', frame: 'workbench', selector: `${MENU_ITEMS}:text-is("Download to This Computer")` },
      { op: 'waitForDownload', fileName: path.basename(file), timeoutMs: 30_000 },
    ]);
  });

  it('Reveal in File Manager, called anyway (keybinding, another extension), downloads instead of failing', async () => {
    await vscode.commands.executeCommand('seedance.revealInOS', id);
    await drive([{ op: 'waitForDownload', fileName: path.basename(file), timeoutMs: 30_000 }]);
  });

  it('the panel offers Download instead of Open Externally, and the sound note points at it', async () => {
    await vscode.commands.executeCommand('seedance.previewTask', id);
    const actions = await waitInPanel(() => {
      const card = document.querySelector('.result');
      const buttons = card ? Array.from(card.querySelectorAll('[data-action]')).map((b: any) => b.getAttribute('data-action')) : [];
      return buttons.includes('downloadFile') ? buttons : null;
    });
    assert.ok(!(actions as string[]).includes('openExternally'), `no Open Externally in the browser: ${actions}`);
    const note = await waitInPanel(() => document.querySelector('.audio-note')?.textContent ?? null);
    assert.match(String(note), /Download saves it to this computer/);
    // The play button says the first frame is a video, and goes away while it plays.
    await drive([{ op: 'waitFor', selector: '.result .play-overlay' }, { op: 'screenshot', name: 'panel-play-button' }, { op: 'click', selector: '.result .play-overlay' }]);
    await waitInPanel(() => document.querySelector('.result .video-frame')?.classList.contains('playing') || null);
    await drive([{ op: 'click', selector: '.result [data-action="downloadFile"]' }, { op: 'waitForDownload', fileName: path.basename(file) }]);
  });
});
