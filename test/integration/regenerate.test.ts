// Regenerate reproduces the request, reference image included (issue 8 item 7), in the real panel: the
// form gets the task's image (never one left in the form from another request); a request without an image
// clears the form's image; when the image is gone the form says so and Generate sends nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createRequests, seedance, uniquePrompt, waitForTask, workspaceRoot } from './seedanceKit';
import { drive, evaluateInPanel, waitInPanel, webviewDriverAvailable } from './webviewDriver';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** What the form shows now: prompt, the image's file name (or null) and the image field's errors. */
const formState = () => evaluateInPanel(() => ({
  prompt: document.getElementById('prompt')?.value ?? null,
  image: document.querySelector('.image-preview:not([hidden]) .image-name')?.textContent ?? null,
  imageError: document.getElementById('image-error')?.textContent ?? '',
}));

describe('Regenerate with a reference image', function () {
  this.timeout(180_000);
  before(async function () {
    if (!webviewDriverAvailable) this.skip();
    await seedance();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('carries the task\'s image, clears an image from another request, and flags a gone image before sending', async () => {
    const ref = path.join(workspaceRoot(), `regen-ref-${Date.now()}.png`);
    fs.writeFileSync(ref, PNG);
    const withImagePrompt = uniquePrompt('A kite over dunes');
    const withImage = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: withImagePrompt, model: 'doubao-seedance-2-0-fast', inputReference: ref });
    const plainPrompt = uniquePrompt('A quiet harbour at dawn');
    const plain = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: plainPrompt, model: 'doubao-seedance-2-0-fast' });
    await waitForTask(withImage, (t) => t.status === 'succeeded', 'the image request to finish');

    // The form holds an image of its own (a leftover from another request).
    await vscode.commands.executeCommand('seedance.generate');
    await drive([
      { op: 'waitFor', selector: '#prompt textarea' },
      // The form is live once `init` arrived (Generate enabled): filling it before could race the defaults.
      { op: 'waitForFunction', fn: (() => document.querySelector('#generate')?.hasAttribute('disabled') === false).toString() },
      { op: 'dropFile', selector: '#image-drop-zone', fileName: 'leftover.png', mimeType: 'image/png', base64: PNG.toString('base64') },
      { op: 'waitFor', selector: '.image-preview img.thumbnail' },
    ]);
    assert.equal((await formState()).image, 'leftover.png');

    // Regenerating a request that had no image clears it.
    await vscode.commands.executeCommand('seedance.regenerate', plain);
    await waitInPanel((p: string) => document.getElementById('prompt')?.value === p, plainPrompt);
    assert.deepEqual(await formState(), { prompt: plainPrompt, image: null, imageError: '' });

    // Regenerating the image request brings its own image back.
    await vscode.commands.executeCommand('seedance.regenerate', withImage);
    await waitInPanel((p: string) => document.getElementById('prompt')?.value === p && !!document.querySelector('.image-preview:not([hidden]) .image-name'), withImagePrompt);
    assert.equal((await formState()).image, path.basename(ref));

    // The image is gone: the form says so, and Generate sends nothing.
    fs.rmSync(ref);
    await vscode.commands.executeCommand('seedance.regenerate', plain);
    await waitInPanel((p: string) => document.getElementById('prompt')?.value === p, plainPrompt);
    await vscode.commands.executeCommand('seedance.regenerate', withImage);
    await waitInPanel(() => /no longer available/.test(document.getElementById('image-error')?.textContent ?? ''));
    const state = await formState();
    assert.equal(state.image, null);
    assert.match(state.imageError, new RegExp(`"${path.basename(ref).replace(/\./g, '\\.')}".*no longer available`));
    const before = await createRequests();
    await drive([{ op: 'click', selector: '#generate' }, { op: 'waitFor', selector: '#form-error:not(:empty)', timeoutMs: 10_000 }]);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await createRequests(), before, 'nothing was sent');
  });
});
