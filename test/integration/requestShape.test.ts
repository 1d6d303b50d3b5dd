// Both documented create request shapes, end to end in real VS Code against the simulator: the
// seedance.requestShape setting decides what goes on the wire (revision B takes each; the simulator renders
// the exact size of CONTRACT 3.3), 2.0 Mini and several reference images in the WxH shape, and revision A's
// 400 for a WxH size, which offers the button that switches the setting back.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ApiError } from '../../src/core/api/errors';
import { requestShapeFix } from '../../src/vscode/requestShape';
import { createRequests, seedance, sim, uniquePrompt, waitForTask, withSetting, workspaceRoot } from './seedanceKit';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('request shapes (seedance.requestShape)', () => {
  let restore: (() => Promise<void>) | undefined;
  before(async () => {
    await seedance();
    await sim.clearFaults();
  });
  afterEach(async () => {
    await restore?.();
    restore = undefined;
    await sim.setConfig({ profile: 'revA', strict: false });
  });

  for (const [shape, expected] of [['ratio', '752x560'], ['wxh', '752x560']] as const) {
    it(`generates in the ${shape} shape (simulator revB): exact size, two reference images, downloaded`, async () => {
      await sim.setConfig({ profile: 'revB', strict: true });
      restore = await withSetting('seedance', 'requestShape', shape, vscode.ConfigurationTarget.Global);
      const images = ['first', 'second'].map((n) => {
        const file = path.join(workspaceRoot(), `shape-${shape}-${n}.png`);
        fs.writeFileSync(file, PNG);
        return file;
      });
      const id = await vscode.commands.executeCommand<string>('seedance.generate', {
        prompt: uniquePrompt(`[Image 1] walks towards [Image 2] (${shape} shape)`),
        model: 'doubao-seedance-2-0-fast',
        seconds: 4,
        size: '4:3',
        resolution: '480p',
        inputReference: images,
      });
      const simTask = (await sim.tasks()).find((t) => t.id === id);
      assert.ok(simTask, 'the simulator has the task');
      assert.equal(`${simTask.width}x${simTask.height}`, expected);
      assert.equal(simTask.referenceImages, 2, 'both images were uploaded');
      const done = await waitForTask(id, (t) => t.status === 'succeeded' && t.file !== undefined, `the ${shape} task to finish`);
      assert.equal(fs.readFileSync(done.file!).subarray(4, 8).toString('latin1'), 'ftyp');
      const internal = (await seedance()).testHooks.task(id);
      assert.deepEqual([internal?.request.inputReference?.name, ...(internal?.request.moreReferences ?? []).map((r) => r.name)], images.map((f) => path.basename(f)));
    });
  }

  it('offers 2.0 Mini in the WxH shape, and refuses it before sending in the ratio shape', async () => {
    await sim.setConfig({ profile: 'revB', strict: true });
    restore = await withSetting('seedance', 'requestShape', 'ratio', vscode.ConfigurationTarget.Global);
    const before = await createRequests();
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('seedance.generate', { prompt: uniquePrompt('Mini in the wrong shape'), model: 'doubao-seedance-2-0-mini' })),
      /seedance\.requestShape.*"wxh"/,
    );
    assert.equal(await createRequests(), before, 'nothing was sent');
    await restore();
    restore = await withSetting('seedance', 'requestShape', 'wxh', vscode.ConfigurationTarget.Global);
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('A paper boat on a puddle, Mini'), model: 'doubao-seedance-2-0-mini', size: '9:16' });
    const simTask = (await sim.tasks()).find((t) => t.id === id);
    assert.equal(`${simTask?.width}x${simTask?.height}`, '720x1280');
  });

  it('a 400 for the size field (revision A given WxH) names the setting and its button switches it', async () => {
    await sim.setConfig({ profile: 'revA' });
    restore = await withSetting('seedance', 'requestShape', 'wxh', vscode.ConfigurationTarget.Global);
    const error = await Promise.resolve(vscode.commands.executeCommand('seedance.generate', { prompt: uniquePrompt('Refused size field') })).then(
      () => assert.fail('revision A must refuse a WxH size'),
      (e: unknown) => e as { kind?: string; status?: number; message: string },
    );
    assert.equal(error.status, 400, error.message);
    // The extension's bundle has its own ApiError class; rebuild the same error for the edge's words.
    const fix = requestShapeFix(new ApiError('invalidRequest', error.message, { status: error.status }));
    assert.ok(fix, `recognised as a refused size field: ${error.message}`);
    assert.match(fix.message, /seedance\.requestShape.*"ratio".*now "wxh"/);
    assert.match(fix.message, /Nothing was created or billed/);
    await fix.action.run();
    assert.equal(vscode.workspace.getConfiguration('seedance').get('requestShape'), 'ratio', 'the button switched the setting');
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Accepted after the switch') });
    assert.match(id, /^task_/);
  });
});
