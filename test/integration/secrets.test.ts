// SecretStorage works in the host we test in, and through the extension's own storage for the API key.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { HARNESS_ID, activeExtension } from './helpers';

/** What the extension exports for tests (src/vscode/testHooks.ts): present in test runs only. */
interface TestHooks { secrets?: vscode.SecretStorage; apiKeySecretName?: string }

async function roundTrip(secrets: vscode.SecretStorage, key: string): Promise<void> {
  const before = await secrets.get(key);
  const value = `it-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const changed = new Promise<string>((resolve) => {
    const sub = secrets.onDidChange((e) => { if (e.key === key) { sub.dispose(); resolve(e.key); } });
  });
  try {
    await secrets.store(key, value);
    assert.equal(await secrets.get(key), value);
    assert.equal(await changed, key);
    await secrets.delete(key);
    assert.equal(await secrets.get(key), undefined);
  } finally {
    if (before !== undefined) await secrets.store(key, before);
  }
}

describe('SecretStorage', () => {
  it('round-trips a secret in this extension host (test harness extension)', async () => {
    const harness = vscode.extensions.getExtension<{ secrets: vscode.SecretStorage }>(HARNESS_ID);
    assert.ok(harness, `${HARNESS_ID} is not loaded: the runner adds it as a second extensionDevelopmentPath`);
    const { secrets } = await harness.activate();
    await roundTrip(secrets, 'seedance-it.roundtrip');
  });

  it("round-trips through Seedance Studio's own SecretStorage", async () => {
    const ext = await activeExtension<{ testHooks?: TestHooks } | undefined>();
    const hooks = ext.exports?.testHooks;
    assert.ok(hooks?.secrets, 'the extension exports testHooks.secrets in test runs (src/vscode/testHooks.ts)');
    await roundTrip(hooks.secrets, hooks.apiKeySecretName ?? 'seedance-it.roundtrip');
  });
});
