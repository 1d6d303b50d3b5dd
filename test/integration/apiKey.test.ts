// The API key: SecretStorage with its origin, COMETAPI_KEY as the fallback, a wrong key's auth error,
// and the key never written to settings or the workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { testEnv } from './helpers';
import { filesIn, seedance, sim, uniquePrompt, waitForTask, workspaceRoot } from './seedanceKit';

const WRONG_KEY = 'sk-wrong-key-0123456789';

describe('API key', () => {
  let hooks: Awaited<ReturnType<typeof seedance>>['testHooks'];
  before(async () => {
    hooks = (await seedance()).testHooks;
    await sim.clearFaults();
    await sim.noRandomFaults(); // submits and needs each create answered
  });
  after(async () => {
    await vscode.commands.executeCommand('seedance.clearApiKey');
  });

  it('falls back to COMETAPI_KEY when nothing is stored', async () => {
    await vscode.commands.executeCommand('seedance.clearApiKey');
    assert.equal(await hooks.keySource(), 'environment');
  });

  it('stores a key given as an argument (no UI) in SecretStorage together with its origin', async () => {
    await vscode.commands.executeCommand('seedance.setApiKey', testEnv.apiKey);
    assert.equal(await hooks.keySource(), 'stored');
    const stored = JSON.parse((await hooks.secrets.get(hooks.apiKeySecretName))!) as { key: string; origin: string };
    assert.equal(stored.key, testEnv.apiKey);
    assert.equal(stored.origin, new URL(testEnv.apiBaseUrl).origin);
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Key from secret storage') });
    await waitForTask(id, (t) => t.status === 'succeeded', 'a task made with the stored key');
  });

  it('a wrong key: the request is refused with an auth error and the entry says so; clearing it falls back to the environment', async () => {
    await vscode.commands.executeCommand('seedance.setApiKey', WRONG_KEY);
    const before = (await sim.tasks()).length;
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('seedance.generate', { prompt: uniquePrompt('Wrong key') })),
      (e: unknown) => (e as { kind?: string }).kind === 'auth',
    );
    assert.equal((await sim.tasks()).length, before, 'nothing was created');
    const entry = (await seedance()).listTasks()[0];
    assert.equal(entry.status, 'failed');
    const internal = hooks.task(entry.id)!;
    assert.equal(internal.failure?.kind, 'auth', 'the entry is in the auth error state');

    await vscode.commands.executeCommand('seedance.clearApiKey');
    assert.equal(await hooks.keySource(), 'environment');
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Back on the environment key') });
    await waitForTask(id, (t) => t.status === 'succeeded', 'a task made with the environment key');
  });

  it('rejects an unusable key argument without storing it', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('seedance.setApiKey', 'has a space')), /spaces/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('seedance.setApiKey', 42)), /string/);
    assert.equal(await hooks.keySource(), 'environment');
  });

  it('never writes a key to settings or into the workspace', async () => {
    const inspected = JSON.stringify(vscode.workspace.getConfiguration('seedance'));
    for (const key of [testEnv.apiKey, WRONG_KEY]) {
      assert.equal(inspected.includes(key), false, 'not in the seedance.* settings');
      for (const file of filesIn(workspaceRoot())) {
        const full = `${workspaceRoot()}/${file}`;
        if (fs.statSync(full).isFile()) assert.equal(fs.readFileSync(full, 'latin1').includes(key), false, `not in ${file}`);
      }
    }
  });
});
