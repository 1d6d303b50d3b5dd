// One job list, two processes, in real VS Code: an agent's job started through the MCP server (dist/mcp.js as a
// separate process, driven by the official SDK client over stdio, as Claude Code or Cursor would) shows up in
// the Seedance view marked as started by an agent, is checked and downloaded once by the extension into the
// output folder, appears in the spending record, and the server's seedance_get_video then reports the file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import { dataOf, startServer, textOf, type RunningServer } from '../mcp/mcpHarness';
import { screenshot, testEnv, waitFor } from './helpers';
import { createRequests, seedance, sim, uniquePrompt, waitForInternal, withSetting, workspaceRoot } from './seedanceKit';

describe('MCP server and the editor share the workspace\'s jobs', function () {
  this.timeout(240_000);
  let server: RunningServer | undefined;
  const restore: Array<() => Promise<void>> = [];

  before(async () => {
    await seedance();
    await sim.clearFaults();
    await sim.noRandomFaults();
  });

  after(async () => {
    await server?.close().catch(() => undefined);
    // Later suites share this workspace: no agent jobs left to load the features at their (re)activations.
    fs.rmSync(path.join(workspaceRoot(), '.seedance'), { recursive: true, force: true });
    for (const undo of restore.splice(0).reverse()) await undo();
  });

  it('a job started through the server appears in the Seedance view, is downloaded once by the extension, is in the spending record, and get reports the file', async () => {
    const root = workspaceRoot();
    const bundle = path.join(testEnv.extensionPath || path.join(__dirname, '..', '..', '..'), 'dist', 'mcp.js');
    server = await startServer(root, { COMETAPI_KEY: testEnv.apiKey, SEEDANCE_API_BASE_URL: testEnv.apiBaseUrl }, [], bundle);
    // The server makes .seedance/ at start; the extension notices it and announces that it has this workspace open.
    await waitFor(() => fs.existsSync(path.join(root, '.seedance', 'editor.json')), 'the editor\'s presence in .seedance/editor.json', 30_000, 200);

    const before = await createRequests();
    const prompt = uniquePrompt('Lighthouse');
    const generated = await server.client.callTool({ name: 'seedance_generate_video', arguments: { prompt, model: 'doubao-seedance-2-0-fast', seconds: 4, resolution: '480p' } });
    assert.equal(generated.isError, undefined, textOf(generated));
    const taskId = String(dataOf(generated).taskId);
    assert.match(taskId, /^task_/);

    // In the extension's list, marked as an agent's, then downloaded there.
    const api = await seedance();
    await waitFor(() => api.listTasks().find((t) => t.id === taskId), 'the agent\'s job in the extension\'s list', 30_000, 100);
    const localId = api.testHooks.task(taskId)?.localId;
    assert.ok(localId);
    const item = api.testHooks.treeItem(taskId);
    assert.match(String(item?.contextValue), /startedBy:agent/);
    assert.match(String(item?.description), /agent/);
    await vscode.commands.executeCommand('seedance.tasks.focus');
    const done = await waitForInternal(taskId, (t) => t.download.state === 'downloaded', 'the extension to download the agent\'s video');
    assert.ok(done.file && fs.existsSync(done.file));
    const outputFolder = path.join(root, vscode.workspace.getConfiguration('seedance').get<string>('outputFolder', 'videos'));
    assert.equal(path.dirname(done.file), outputFolder);
    assert.equal(api.testHooks.task(taskId)?.startedBy, 'agent');

    // Saved once, by the editor, recorded for the server.
    const jobDir = path.join(root, '.seedance', 'jobs', localId);
    const savedFile = path.join(jobDir, 'saved.json');
    await waitFor(() => fs.existsSync(savedFile), 'saved.json', 10_000);
    const saved = JSON.parse(fs.readFileSync(savedFile, 'utf8')) as { file: string; by: { kind: string } };
    assert.equal(saved.by.kind, 'editor', 'the extension downloaded it, not the server');
    const downloads = (await sim.requests({ server: 'video' })).filter((r) => r.method === 'GET' && r.path.includes(taskId));
    assert.equal(downloads.length, 1, 'downloaded exactly once');
    const mine = fs.readdirSync(outputFolder).filter((f) => f.endsWith('.mp4') && fs.readFileSync(path.join(outputFolder, f.replace(/\.mp4$/, '.json')), 'utf8').includes(taskId));
    assert.equal(mine.length, 1, `one video for the task: ${mine.join(', ')}`);
    assert.equal(await createRequests(), before + 1, 'one create');

    // In the spending record.
    const csvFile = path.join(root, 'mcp-spending.csv');
    await vscode.commands.executeCommand('seedance.exportSpending', vscode.Uri.file(csvFile));
    assert.ok(fs.readFileSync(csvFile, 'utf8').split('\r\n').some((l) => l.includes(taskId)), 'the agent\'s job is in the spending record');

    // The server reports the file the extension saved.
    const got = await server.client.callTool({ name: 'seedance_get_video', arguments: { taskId } });
    const task = dataOf(got).task as { status: string; file?: string };
    assert.equal(task.status, 'succeeded', textOf(got));
    assert.equal(task.file, path.relative(root, done.file).split(path.sep).join('/'));

    // The Seedance view with the agent's job (a short prompt, so the sidebar shows the description's marker).
    restore.push(await withSetting('workbench', 'colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global));
    await new Promise((r) => setTimeout(r, 1_000));
    await screenshot('mcp-agent-job-dark');
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Light Modern', vscode.ConfigurationTarget.Global);
    await new Promise((r) => setTimeout(r, 1_000));
    await screenshot('mcp-agent-job-light');
  });

  it('Connect an Agent writes .mcp.json (merged, the key only by reference) pointing at a copy of the server in global storage', async () => {
    const root = workspaceRoot();
    const file = path.join(root, '.mcp.json');
    fs.writeFileSync(file, '{\n  // mine\n  "mcpServers": { "other": { "command": "x" } }\n}\n');
    const written = await vscode.commands.executeCommand<string>('seedance.connectAgent', { client: 'claude' });
    assert.equal(written, file);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /\/\/ mine/);
    assert.ok(!text.includes(testEnv.apiKey), 'the key is not in the file');
    const entry = (parse(text) as { mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }> })
      .mcpServers.seedance;
    assert.deepEqual((parse(text) as { mcpServers: Record<string, unknown> }).mcpServers.other, { command: 'x' }, 'the other server is kept');
    assert.equal(entry.env.COMETAPI_KEY, '${COMETAPI_KEY}');
    assert.equal(entry.args[1], '--workspace');
    assert.equal(entry.args[2], root);
    assert.ok(fs.existsSync(entry.args[0]) && entry.args[0].endsWith('seedance-mcp.js'), 'the copy of the server exists');
    assert.ok(!entry.args[0].startsWith(testEnv.extensionPath || '/nonexistent'), 'the copy is not inside the extension folder');
    fs.rmSync(file);
  });
});
