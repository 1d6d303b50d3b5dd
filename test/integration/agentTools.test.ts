// The language model tools in real VS Code: contributed and registered (vscode.lm.tools), and called through
// vscode.lm.invokeTool against the simulator exactly as an agent would. Outside a chat session VS Code shows
// a tool's confirmation as a modal dialog, but skips every dialog in an extension test run, so the tests ask
// the registered tool for its confirmation directly.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequests, seedance, sim, uniquePrompt, waitForTask, withSetting, workspaceRoot } from './seedanceKit';

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

/** The confirmation VS Code would show before running the tool (it skips dialogs in test runs). */
async function confirmation(name: string, input: object): Promise<vscode.PreparedToolInvocation | undefined> {
  const tool = (await seedance()).testHooks.agentTool(name);
  assert.ok(tool?.prepareInvocation, `${name} has prepareInvocation`);
  const prepared = await tool.prepareInvocation({ input }, new vscode.CancellationTokenSource().token);
  return prepared ?? undefined;
}

function messageText(prepared: vscode.PreparedToolInvocation | undefined): string {
  const message = prepared?.confirmationMessages?.message;
  return typeof message === 'string' ? message : message?.value ?? '';
}

describe('Language model tools', () => {
  const restore: Array<() => Promise<void>> = [];
  before(async () => {
    await seedance();
    await sim.clearFaults();
    await sim.noRandomFaults();
  });
  afterEach(async () => {
    for (const undo of restore.splice(0).reverse()) await undo();
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
    const result = await invoke('seedance_generate_video', { prompt: 'a short clip', model: 'doubao-seedance-2-0', seconds: 16 });
    const answer = text(result);
    assert.match(answer, /^Nothing was sent/);
    assert.match(answer, /4 to 15 seconds/, 'names the rule');
    assert.match(answer, /seedance-2-5 \(Seedance 2\.5\): 4-30 s/, 'names the model that makes longer clips');
    assert.match(answer, /doubao-seedance-2-0-fast \(Seedance 2\.0 Fast\): 4-15 s/, 'lists the valid values');
    assert.equal(await createRequests(), before, 'no create request');
  });

  it('generate_video confirms with the estimate, sends one create, and get/list follow the task', async () => {
    const prompt = uniquePrompt('Agent tool: paper boats drifting on a rain puddle');
    const input = { prompt, model: 'doubao-seedance-2-0-fast', seconds: 4, size: '1:1', resolution: '480p' };
    const prepared = await confirmation('seedance_generate_video', input);
    assert.equal(prepared?.confirmationMessages?.title, 'Generate a video with Seedance?');
    const message = messageText(prepared);
    assert.match(message, /Estimated cost/, `the confirmation states the estimate: ${message}`);
    assert.match(message, /Seedance 2\.0 Fast, 4 s, 1:1, 480p/);
    assert.match(message, /127\.0\.0\.1:\d+ on this machine .*nothing is billed/, 'says where it goes');

    const before = await createRequests();
    const result = await invoke('seedance_generate_video', input);
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

  it('invalid input needs no confirmation: nothing would be sent', async () => {
    const prepared = await confirmation('seedance_generate_video', { prompt: '', seconds: 5 });
    assert.equal(prepared?.confirmationMessages, undefined);
  });

  it('get_video with an unknown id says how to find the ids', async () => {
    const result = await invoke('seedance_get_video', { taskId: 'task_does_not_exist' });
    assert.match(text(result), /seedance_list_videos/);
  });

  it('over the monthly budget, generate_video answers with the limit and sends nothing', async () => {
    restore.push(await withSetting('seedance', 'pricing', { 'doubao-seedance-2-0': 0.1 }, vscode.ConfigurationTarget.Global));
    restore.push(await withSetting('seedance', 'budget.monthlyLimit', 0.01, vscode.ConfigurationTarget.Global));
    const before = await createRequests();
    const result = await invoke('seedance_generate_video', { prompt: uniquePrompt('Agent over budget'), model: 'doubao-seedance-2-0', seconds: 5, resolution: '480p' });
    assert.match(text(result), /^Nothing was sent/);
    assert.match(text(result), /0\.01/, `names the limit: ${text(result)}`);
    assert.equal(await createRequests(), before, 'no create request');
  });

  it('the storyboard tool is registered: it refuses a file that is not a storyboard and confirms a real one shot by shot', async () => {
    const refused = await invoke('seedance_generate_storyboard', { path: 'notes.md' });
    assert.match(text(refused), /^Nothing was sent/);
    assert.match(text(refused), /\.storyboard\.md/);

    restore.push(await withSetting('seedance', 'pricing', { 'doubao-seedance-2-0-fast': 0.05 }, vscode.ConfigurationTarget.Global));
    const file = path.join(workspaceRoot(), 'agent-tool.storyboard.md');
    fs.writeFileSync(file, '---\ntitle: Agent test\nmodel: doubao-seedance-2-0-fast\nseconds: 4\nresolution: 480p\n---\n\n## Harbour at dawn\nFishing boats leave a misty harbour.\n\n## Gulls\nGulls circle the last boat.\n');
    restore.push(async () => fs.rmSync(file, { force: true }));
    const prepared = await confirmation('seedance_generate_storyboard', { path: 'agent-tool.storyboard.md' });
    const message = messageText(prepared);
    assert.match(String(prepared?.confirmationMessages?.title), /2/);
    assert.match(message, /Harbour at dawn: Estimated cost: \$0\.20/, message);
    assert.match(message, /Gulls: Estimated cost: \$0\.20/, message);
    assert.match(message, /Estimated total: \$0\.40/, message);
    const unknownShot = await invoke('seedance_generate_storyboard', { path: 'agent-tool.storyboard.md', shots: ['Credits'] });
    assert.match(text(unknownShot), /No shot called "Credits"/);
    assert.match(text(unknownShot), /"Harbour at dawn"/, 'lists the shots there are');
  });
});
