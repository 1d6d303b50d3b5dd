// The extension loads from its built bundle (not from sources) in a real VS Code extension host, and the host is
// the one the runner prepared: the fresh workspace folder, the expected copy of the extension.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, testEnv, waitFor } from './helpers';

describe('activation', () => {
  it('loads the extension from the copy under test', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    assert.ok(testEnv.extensionPath, 'SEEDANCE_TEST_EXTENSION_PATH is not set: run through scripts/vscode-test/run-tests.mjs');
    assert.equal(fs.realpathSync(ext.extensionPath), fs.realpathSync(testEnv.extensionPath));
    if (testEnv.mode === 'vsix') {
      assert.ok(ext.extensionPath.startsWith(testEnv.extensionsDir), `${ext.extensionPath} is not in the extensions folder`);
      assert.equal(fs.existsSync(path.join(ext.extensionPath, 'src')), false, 'sources shipped in the VSIX');
      assert.equal(fs.existsSync(path.join(ext.extensionPath, 'node_modules')), false, 'node_modules shipped in the VSIX');
    }
  });

  it('activates on its own and runs from dist/extension.js', async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(ext.packageJSON.main, './dist/extension.js');
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace, 'expected to run in the workspace (Node) extension host');
    const events: string[] = ext.packageJSON.activationEvents ?? [];
    if (events.includes('onStartupFinished') || events.includes('*')) {
      await waitFor(() => ext.isActive, `${EXTENSION_ID} to activate by itself (${events.join(', ')})`, 30_000);
    } else {
      await ext.activate();
    }
    assert.equal(ext.isActive, true);
    const bundle = path.join(ext.extensionPath, 'dist', 'extension.js');
    assert.ok(fs.existsSync(bundle), `${bundle} is missing`);
    const loaded = Object.keys(require.cache).filter((k) => k.startsWith(ext.extensionPath + path.sep) && !k.includes(`${path.sep}node_modules${path.sep}`));
    assert.ok(loaded.includes(bundle), `the bundle is not what was loaded; loaded from the extension folder: ${loaded.join(', ') || 'nothing'}`);
    const sources = loaded.filter((k) => k.includes(`${path.sep}src${path.sep}`) || k.includes(`${path.sep}out${path.sep}src${path.sep}`));
    assert.deepEqual(sources, [], 'modules loaded from sources instead of the bundle');
    if (testEnv.mode === 'vsix') {
      assert.equal(fs.existsSync(`${bundle}.map`), false, 'the VSIX ships a source map');
    }
  });

  it('leaves the features for their first use: dist/features.js loads with the first command, not at activation', async () => {
    // The first file of the suite: nothing has used the extension yet, and the fresh workspace restores no
    // task and opens no storyboard (either would load the features right after activation, on purpose).
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const features = path.join(ext.extensionPath, 'dist', 'features.js');
    assert.ok(fs.existsSync(features), `${features} is missing`);
    assert.equal(require.cache[features], undefined, 'the features were loaded at activation, though nothing needed them yet');
    await vscode.commands.executeCommand('seedance.refresh');
    assert.ok(require.cache[features], 'the first command loaded the features');
  });

  it('opens the fresh workspace folder of this run', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.equal(folders[0].uri.scheme, 'file');
    assert.ok(testEnv.workspace, 'SEEDANCE_TEST_WORKSPACE is not set');
    assert.equal(fs.realpathSync(folders[0].uri.fsPath), fs.realpathSync(testEnv.workspace));
  });
});
