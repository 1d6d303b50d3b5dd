// The VS Code server (from code-server's lib/vscode) and what goes around it: per-run folders, user settings,
// VSIX installation, the workbench URL. Used by the test runner and the demo.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv, killGroup, run, waitForOutput } from './common.mjs';

/**
 * The folders one VS Code server instance uses, all under `root`. `tmp` gets TMPDIR/XDG_RUNTIME_DIR so the
 * sockets the server, extension host and built-in extensions create do not pile up in /tmp.
 */
export function serverDirs(root) {
  const dirs = {
    root,
    serverData: path.join(root, 'server-data'),
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    tmp: path.join(root, 't'),
    xdgConfig: path.join(root, 'xdg-config'),
    xdgData: path.join(root, 'xdg-data'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  return dirs;
}

function serverEnv(dirs, extra) {
  return cleanEnv({
    ...extra,
    TMPDIR: dirs.tmp,
    XDG_RUNTIME_DIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    // No extension gallery (code-server's default is open-vsx.org): runs stay on loopback.
    EXTENSIONS_GALLERY: '{}',
  });
}

function commonArgs(dirs) {
  return [
    '--server-data-dir', dirs.serverData,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
  ];
}

/**
 * User settings of the web workbench. code-server's build of the workbench keeps the User folder on the
 * server, at `<user-data-dir>/User/` (its `userRoamingDataHome` is `vscode-remote:<userDataPath>/User`), so a
 * settings.json written there before the window opens is what `ConfigurationTarget.Global` reads. (Plain VS Code
 * web keeps it in the browser's IndexedDB instead.) Desktop VS Code uses the same path under its
 * --user-data-dir.
 */
export function writeUserSettings(userDataDir, settings) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
  return file;
}

/** Settings of the remote machine (`Remote [Machine]` in the settings editor): <server-data-dir>/data/Machine. */
export function writeMachineSettings(dataDir, settings) {
  const file = path.join(dataDir, 'Machine', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
  return file;
}

/**
 * Installs VSIX files into the server's extensions folder with the server's own CLI (the same code path as
 * "Install from VSIX..."), all in one call.
 */
export async function installVsixes({ serverMain, vsixes, dirs, log, node = process.execPath }) {
  log(`installing ${vsixes.map((v) => path.basename(v)).join(', ')} into the server's extensions folder`);
  await run(node, [serverMain, ...commonArgs(dirs), ...vsixes.flatMap((v) => ['--install-extension', v]), '--force'], {
    env: serverEnv(dirs, {}),
    capture: true,
  });
}

/** The folder an installed extension landed in (`<publisher>.<name>-<version>`, lower-cased by VS Code). */
export function installedExtensionPath(extensionsDir, extensionId) {
  const prefix = `${extensionId.toLowerCase()}-`;
  const found = fs.readdirSync(extensionsDir).filter((d) => d.toLowerCase().startsWith(prefix));
  if (found.length !== 1) {
    throw new Error(`Expected one ${extensionId} folder in ${extensionsDir}, found: ${found.join(', ') || 'none'}`);
  }
  return path.join(extensionsDir, found[0]);
}

/**
 * Starts `node server-main.js` in its own process group and resolves once it prints its URL.
 * `onExit` is called if the server exits before `stop()`.
 */
export async function startVsCodeServer({
  serverMain, dirs, env = {}, host = '127.0.0.1', port = 0, smokeTestDriver = true, log, verbose = false, onExit,
  logFile, extraArgs = [], node = process.execPath,
}) {
  const args = [
    serverMain,
    '--host', host,
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--disable-workspace-trust',
    ...(smokeTestDriver ? ['--enable-smoke-test-driver'] : []),
    ...commonArgs(dirs),
    ...extraArgs,
  ];
  // `node`: the Node that runs this code-server (the latest target brings its own; see common.mjs).
  const child = spawn(node, args, {
    env: serverEnv(dirs, env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stopping = false;
  const out = logFile ? fs.createWriteStream(logFile) : undefined;
  const sink = (b) => {
    out?.write(b);
    if (verbose) for (const l of b.toString().split('\n')) if (l.trim()) log(`[server] ${l}`);
  };
  child.stdout.on('data', sink);
  child.stderr.on('data', sink);
  const m = await waitForOutput(child, /Web UI available at (http:\/\/\S+)/, { timeoutMs: 60_000, what: 'The VS Code server' })
    .catch(async (e) => { await killGroup(child); throw e; });
  child.on('exit', (code, signal) => { if (!stopping) onExit?.(code, signal); });
  const url = new URL(m[1].replace('//localhost:', '//127.0.0.1:'));
  return {
    url,
    child,
    async stop() {
      stopping = true;
      await killGroup(child);
      out?.end();
    },
  };
}

/**
 * The workbench URL opening `folder`; `payload` entries (e.g. extensionDevelopmentPath / extensionTestsPath)
 * are paths on the server, passed as vscode-remote URIs of this server's authority.
 */
export function workbenchUrl(base, folder, payload) {
  const remote = (p) => `vscode-remote://${base.host}${path.resolve(p)}`;
  let url = `${base.origin}/?folder=${encodeURIComponent(path.resolve(folder))}`;
  if (payload) {
    const entries = payload.map(([k, v]) => [k, k.endsWith('Path') ? remote(v) : v]);
    url += `&payload=${encodeURIComponent(JSON.stringify(entries))}`;
  }
  return url;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];
