// Helpers for integration tests (they run inside the VS Code extension host, started by
// scripts/vscode-test/run-tests.mjs). See README "Testing" for the environment the runner provides.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** `publisher.name` of the extension under test, from the repository's package.json. */
export const EXTENSION_ID = (() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  return `${pkg.publisher}.${pkg.name}`;
})();

/** The tiny extension the runner adds beside ours (exports its own SecretStorage). */
export const HARNESS_ID = 'seedance-tests.seedance-test-harness';

/** What the runner tells the extension host (see scripts/vscode-test/run-tests.mjs, extensionHostEnv). */
export const testEnv = {
  apiBaseUrl: process.env.SEEDANCE_API_BASE_URL ?? '',
  apiKey: process.env.COMETAPI_KEY ?? '',
  simControlUrl: process.env.SEEDANCE_SIM_CONTROL_URL ?? '',
  simVideoBaseUrl: process.env.SEEDANCE_SIM_VIDEO_BASE_URL ?? '',
  /** 'web' (code-server + Chromium) or 'desktop' (@vscode/test-electron). */
  backend: process.env.SEEDANCE_TEST_BACKEND ?? '',
  /** 'development' (the repository folder) or 'vsix' (installed from the packaged VSIX). */
  mode: process.env.SEEDANCE_TEST_MODE ?? '',
  /** The fresh folder opened as the workspace for this run. */
  workspace: process.env.SEEDANCE_TEST_WORKSPACE ?? '',
  /** Where the extension under test must be loaded from. */
  extensionPath: process.env.SEEDANCE_TEST_EXTENSION_PATH ?? '',
  extensionsDir: process.env.SEEDANCE_TEST_EXTENSIONS_DIR ?? '',
  /** Set only where screenshots can be taken (the web backend). */
  screenshotDir: process.env.SEEDANCE_TEST_SCREENSHOT_DIR ?? '',
};

/** The extension under test, activated. Fails with a clear message if it is not installed at all. */
export async function activeExtension<T = unknown>(): Promise<vscode.Extension<T>> {
  const ext = vscode.extensions.getExtension<T>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this extension host (engines.vscode above the host version?)`);
  await ext.activate();
  return ext;
}

/** Polls `probe` until it returns a truthy value (returned) or the deadline passes (throws `what`). */
export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 10_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Saves a PNG of the whole workbench as screenshots/<name>.png and resolves with its path once it is written
 * (the runner takes it after ~0.5 s for the UI to settle). On backends without screenshots it resolves with
 * undefined. Use it to let people see what a user sees: `await screenshot('tree')`.
 */
export async function screenshot(name: string, timeoutMs = 20_000): Promise<string | undefined> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`screenshot name "${name}": use letters, digits, . _ -`);
  if (!testEnv.screenshotDir) return undefined;
  const file = path.join(testEnv.screenshotDir, `${name}.png`);
  fs.rmSync(file, { force: true });
  console.log(`SCREENSHOT_NOW ${name}`);
  await waitFor(() => fs.existsSync(file), `screenshot ${name}`, timeoutMs, 100);
  return file;
}
