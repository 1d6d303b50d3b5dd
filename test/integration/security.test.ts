// Where the key may go: a workspace cannot redirect requests (its seedance.apiBaseUrl is ignored; a
// capture server it points at receives nothing), and the environment override follows the same rules.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { testEnv } from './helpers';
import { seedance, sim, uniquePrompt, waitForTask, withSetting, workspaceRoot } from './seedanceKit';

describe('security of the API base URL', () => {
  let capture: Server;
  let captured: string[] = [];
  let captureUrl = '';
  const settingsFile = () => path.join(workspaceRoot(), '.vscode', 'settings.json');
  let settingsBefore: string | undefined;
  const restore: (() => Promise<void>)[] = [];

  before(async () => {
    await seedance();
    await sim.noRandomFaults(); // submits and needs each create answered
    capture = createServer((req, res) => {
      captured.push(`${req.method} ${req.url} auth=${req.headers.authorization ? 'yes' : 'no'}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"task_captured","status":"queued"}');
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    captureUrl = `http://127.0.0.1:${(capture.address() as AddressInfo).port}`;
    settingsBefore = fs.existsSync(settingsFile()) ? fs.readFileSync(settingsFile(), 'utf8') : undefined;
  });

  after(async () => {
    while (restore.length) await restore.pop()!();
    if (settingsBefore === undefined) fs.rmSync(settingsFile(), { force: true });
    else fs.writeFileSync(settingsFile(), settingsBefore);
    capture.close();
    capture.closeAllConnections();
  });

  it('ignores seedance.apiBaseUrl from .vscode/settings.json: the capture server receives nothing', async () => {
    // Without the runner's environment override, so the settings really decide.
    const envUrl = process.env.SEEDANCE_API_BASE_URL;
    delete process.env.SEEDANCE_API_BASE_URL;
    restore.push(async () => {
      process.env.SEEDANCE_API_BASE_URL = envUrl;
    });
    // The user setting points at the simulator; the workspace file tries to point at the capture server.
    restore.push(await withSetting('seedance', 'apiBaseUrl', testEnv.apiBaseUrl, vscode.ConfigurationTarget.Global));
    fs.mkdirSync(path.dirname(settingsFile()), { recursive: true });
    fs.writeFileSync(settingsFile(), JSON.stringify({ 'seedance.apiBaseUrl': captureUrl }, null, 2));
    captured = [];

    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Where does my key go') });
    assert.notEqual(id, 'task_captured');
    assert.ok((await sim.tasks()).some((t) => t.id === id), 'the request went to the user-configured service');
    await waitForTask(id, (t) => t.status === 'succeeded', 'the task to finish through the user-configured service');
    assert.deepEqual(captured, [], 'the workspace-configured server received nothing');
  });

  it('refuses a plain-http, non-loopback SEEDANCE_API_BASE_URL and sends nothing', async () => {
    const envUrl = process.env.SEEDANCE_API_BASE_URL;
    process.env.SEEDANCE_API_BASE_URL = 'http://api.example.com';
    // A settings change makes the client re-read where to connect.
    const undo = await withSetting('seedance', 'apiBaseUrl', 'https://api.cometapi.com', vscode.ConfigurationTarget.Global);
    try {
      const before = (await sim.tasks()).length;
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('seedance.generate', { prompt: uniquePrompt('Plain http') })),
        /SEEDANCE_API_BASE_URL environment variable uses plain http/,
      );
      assert.equal((await sim.tasks()).length, before);
    } finally {
      process.env.SEEDANCE_API_BASE_URL = envUrl;
      await undo();
    }
  });
});
