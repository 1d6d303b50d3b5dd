// The desktop backend: the same suite in desktop VS Code through @vscode/test-electron. It downloads VS Code
// (into .vscode-test/desktop/) from Microsoft's update server, so it needs internet; on Linux without a display,
// run it under `xvfb-run -a`. Chosen only by `--backend desktop` / SEEDANCE_TEST_BACKEND=desktop.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, VSCODE_TEST_DIR } from './common.mjs';
import { writeHarness } from './harness.mjs';
import { installedExtensionPath, writeUserSettings } from './web-host.mjs';

/** Resolves with the exit code of the test run (0 = all passed). */
export async function runDesktop({ version, runRoot, workspace, testsIndex, vsix, extensionId, settings, envFor, log, engines }) {
  const te = await import('@vscode/test-electron');
  const api = te.runTests ? te : te.default;
  let executable;
  try {
    log(`desktop VS Code ${version}: downloading into ${path.relative(REPO_ROOT, path.join(VSCODE_TEST_DIR, 'desktop'))}/ unless cached`);
    executable = await api.downloadAndUnzipVSCode({ version, cachePath: path.join(VSCODE_TEST_DIR, 'desktop') });
  } catch (e) {
    throw new Error(`Could not download desktop VS Code ${version} (${e?.message ?? e}). The desktop backend needs ` +
      'internet access to Microsoft\'s update server; on machines without it use the web backend (the default).', { cause: e });
  }
  const userData = path.join(runRoot, 'desktop', 'user-data');
  const extensionsDir = path.join(runRoot, 'desktop', 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userData, settings);
  const harness = writeHarness(runRoot, engines);

  let extensionPath = REPO_ROOT;
  if (vsix) {
    const [cli] = api.resolveCliArgsFromVSCodeExecutablePath(executable, { reuseMachineInstall: true });
    log(`installing ${path.basename(vsix)} with the VS Code CLI`);
    const r = spawnSync(cli, [`--extensions-dir=${extensionsDir}`, `--user-data-dir=${userData}`, '--install-extension', vsix, '--force'], {
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    if (r.status !== 0) throw new Error(`Installing ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
    extensionPath = installedExtensionPath(extensionsDir, extensionId);
  }

  try {
    return await api.runTests({
      vscodeExecutablePath: executable,
      // Development runs: the repository plus the harness. Vsix runs: the harness only, so the one Seedance
      // Studio in the host is the installed one.
      extensionDevelopmentPath: vsix ? harness.dir : [REPO_ROOT, harness.dir],
      extensionTestsPath: testsIndex,
      extensionTestsEnv: await envFor({ extensionPath, extensionsDir }),
      launchArgs: [
        workspace,
        `--user-data-dir=${userData}`,
        `--extensions-dir=${extensionsDir}`,
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-gpu',
        '--no-sandbox',
      ],
    });
  } catch (e) {
    // test-electron rejects with TestRunFailedError on a non-zero exit: that is a failed suite, not a crash.
    if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'number') return e.code || 1;
    log(`desktop run failed: ${e?.message ?? e}`);
    return 1;
  }
}
