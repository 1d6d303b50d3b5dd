// The language model tools in real VS Code: contributed and registered (vscode.lm.tools), and called through
// vscode.lm.invokeTool against the simulator exactly as an agent would. Outside a chat session VS Code shows
// a tool's confirmation as a modal dialog in the workbench; the runner's browser reads and answers it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createRequests, seedance, sim, uniquePrompt, waitForTask } from './seedanceKit';
import { drive, webviewDriverAvailable } from './webviewDriver';

const TOOLS = ['seedance_generate_video', 'seedance_get_video', 'seedance_list_videos', 'seedance_generate_storyboard', 'seedance_estimate_cost'];

function text(result: vscode.LanguageModelToolResult): string {
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

function data(result: vscode.LanguageModelToolResult): Record<string, unknown> {
  const json = /JSON: (.*)$/s.exec(text(result));
  assert.ok(json, `the result carries JSON: ${text(result)}`);
  return JSON.parse(json[1]) as Record<string, unknown>;
}

function invoke(name: string, input: object): Thenable<vscode.LanguageModelToolResult> {
  return vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
}

/** Waits for VS Code's confirmation dialog, returns its text and presses the given button. */
async function answerConfirmation(button: 'accept' | 'cancel'): Promise<string> {
  const [, dialogText] = await drive([
    { op: 'waitFor', selector: '.monaco-dialog-box', frame: 'workbench', timeoutMs: 30_000 },
    { op: 'evaluate', frame: 'workbench', fn: '() => document.querySelector(".monaco-dialog-box").innerText' },
    {
      op: 'evaluate', frame: 'workbench', arg: button,
      fn: `(which) => {
        const buttons = [...document.querySelectorAll('.monaco-dialog-box .dialog-buttons .monaco-button')];
        const target = which === 'cancel' ? buttons.find((b) => /cancel/i.test(b.textContent)) : buttons.find((b) => !/cancel/i.test(b.textContent));
        target.click();
        return buttons.map((b) => b.textContent);
      }`,
    },
    { op: 'waitFor', selector: '.monaco-dialog-box', state: 'detached', frame: 'workbench' },
  ]);
  return String(dialogText);
}

describe('Language model tools', () => {
  before(async () => {
    await seedance();
    await sim.clearFaults();
  });

  it('every tool is contributed and registered with its input schema', () => {
    for (const name of TOOLS) {
      const tool = vscode.lm.tools.find((t) => t.name === name);
      assert.ok(tool, `${name} is in vscode.lm.tools`);
      assert.equal((tool.inputSchema as { type?: string } | undefined)?.type, 'object', `${name} has an object schema`);
      assert.ok(tool.description.length > 80, `${name} tells the model what it is for`);
      assert.ok(tool.tags.includes('seedance'));
    }
    const generate = vscode.lm.tools.find((t) => t.name === 'seedance_generate_video')!;
    assert.deepEqual((generate.inputSchema as { required: string[] }).required, ['prompt']);
    assert.match(generate.description, /seedance_get_video/, 'says to check back instead of resubmitting');
  });

  it('estimate_cost answers with an estimate and its source, sending nothing', async () => {
    const before = await createRequests();
    const result = await invoke('seedance_estimate_cost', { prompt: 'a lighthouse at dusk', model: 'doubao-seedance-2-0', seconds: 5, resolution: '720p' });
    assert.match(text(result), /Estimated cost/);
    const facts = data(result);
    assert.ok(['catalogue', 'table', 'setting', 'unknown'].includes(String(facts.source)), JSON.stringify(facts));
    assert.equal(await createRequests(), before, 'no create request');
  });

  it('invalid input comes back as the rule and the valid values, and nothing is sent', async () => {
    const before = await createRequests();
    const result = await invoke('seedance_generate_video', { prompt: 'a short clip', model: 'doubao-seedance-1-0-pro', seconds: 14 });
    const answer = text(result);
    assert.match(answer, /^Nothing was sent/);
    assert.match(answer, /2 to 10 seconds/, 'names the rule');
    assert.match(answer, /doubao-seedance-2-0-fast \(Seedance 2\.0 Fast\): 4-15 s/, 'lists the valid values');
    assert.equal(await createRequests(), before, 'no create request');
  });

  it('generate_video asks first (with the estimate), sends one create, and get/list follow the task', async function () {
    if (!webviewDriverAvailable) this.skip();
    const prompt = uniquePrompt('Agent tool: paper boats drifting on a rain puddle');
    const before = await createRequests();
    const pending = invoke('seedance_generate_video', { prompt, model: 'doubao-seedance-2-0-fast', seconds: 4, size: '1:1', resolution: '480p' });
    const dialog = await answerConfirmation('accept');
    assert.match(dialog, /Generate a video with Seedance\?/);
    assert.match(dialog, /Estimated cost/, `the confirmation states the estimate: ${dialog}`);
    assert.match(dialog, /Seedance 2\.0 Fast, 4 s, 1:1, 480p/);
    const result = await pending;
    const facts = data(result);
    assert.equal(facts.ok, true, text(result));
    const id = String(facts.taskId);
    assert.match(id, /^task_/);
    assert.equal(await createRequests(), before + 1, 'exactly one create request');
    assert.match(text(result), /seedance_get_video/);
    assert.doesNotMatch(text(result), /X-Tos|sk-sim/, 'no signed URL and no key');

    const status = await invoke('seedance_get_video', { taskId: id });
    assert.match(text(status), new RegExp(`Video ${id}:`));
    const listed = await invoke('seedance_list_videos', { limit: 5 });
    assert.ok(text(listed).includes(id), text(listed));

    await waitForTask(id, (t) => t.status === 'succeeded' && t.file !== undefined, 'the video to be downloaded', 120_000);
    const done = await invoke('seedance_get_video', { taskId: id });
    assert.match(text(done), /finished and downloaded/);
    assert.match(text(done), /File: videos\/.*\.mp4/, `a workspace-relative path: ${text(done)}`);
    assert.doesNotMatch(text(done), /X-Tos|https?:\/\//, 'never a URL');
  });

  it('a declined confirmation sends nothing', async function () {
    if (!webviewDriverAvailable) this.skip();
    const before = await createRequests();
    const pending = invoke('seedance_generate_video', { prompt: uniquePrompt('Declined agent request'), seconds: 5 });
    await answerConfirmation('cancel');
    await assert.rejects(Promise.resolve(pending), 'VS Code reports the cancellation to the caller');
    assert.equal(await createRequests(), before, 'no create request');
  });

  it('get_video with an unknown id says how to find the ids', async () => {
    const result = await invoke('seedance_get_video', { taskId: 'task_does_not_exist' });
    assert.match(text(result), /seedance_list_videos/);
  });
});
