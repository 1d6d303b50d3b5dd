// Provisions code-server (which ships the real VS Code server and web workbench) into .vscode-test/, once.
//
//   node scripts/vscode-test/install-code-server.mjs [--force]
//
// Idempotent: a complete install is recognised by its marker file and skipped in milliseconds. The install goes
// into a staging folder that is renamed into place only when it is complete and verified, so an interrupted
// install never looks complete; a lock folder keeps two concurrent first runs (two terminals, two engineers in the
// same tree) from installing twice. Needs only the npm registry and Debian packages (ripgrep, a C/C++
// toolchain, python3, libkrb5-dev); see README "Testing".
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CODE_SERVER_HOME, CODE_SERVER_PKG, CODE_SERVER_VERSION, VSCODE_SERVER_MAIN, VSCODE_TEST_DIR, REPO_ROOT,
} from './common.mjs';

const MARKER = path.join(CODE_SERVER_HOME, '.install-complete.json');
const LOCK = path.join(VSCODE_TEST_DIR, `.install-code-server-${CODE_SERVER_VERSION}.lock`);
const STAGING = `${CODE_SERVER_HOME}.partial`;
/** What code-server 4.100.3's @vscode/ripgrep (1.15.11) looks for in os.tmpdir() before downloading rg from GitHub. */
const RG_CACHE_DIR = 'vscode-ripgrep-cache-1.15.11';
const RG_CACHE_FILE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
/** Native modules the VS Code server needs at run time; their absence means an install script did not run. */
const NATIVE_MODULES = [
  'lib/vscode/node_modules/node-pty/build/Release/pty.node',
  'lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
  'lib/vscode/node_modules/kerberos/build/Release/kerberos.node',
  'lib/vscode/node_modules/@vscode/ripgrep/bin/rg',
  'lib/vscode/node_modules.asar',
];

const rel = (p) => path.relative(REPO_ROOT, p) || '.';

export function isCodeServerInstalled() {
  try {
    const m = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
    return m.version === CODE_SERVER_VERSION && fs.existsSync(VSCODE_SERVER_MAIN);
  } catch {
    return false;
  }
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The Node headers for native builds: those of the Node that will run the server (this one). */
function nodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}

function checkPrerequisites() {
  const problems = [];
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) problems.push(`code-server ${CODE_SERVER_VERSION} needs Node 20 (this is ${process.version}).`);
  if (!which('rg')) problems.push('ripgrep is missing (apt-get install ripgrep): its binary is seeded into the install so nothing is downloaded from GitHub.');
  for (const tool of ['make', 'g++', 'python3']) {
    if (!which(tool)) problems.push(`${tool} is missing (apt-get install build-essential python3): node-pty, spdlog and kerberos are compiled at install.`);
  }
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h') && !which('krb5-config')) {
    problems.push('Kerberos headers are missing (apt-get install libkrb5-dev): the kerberos module is compiled at install.');
  }
  if (!nodeDir()) problems.push(`Node headers not found under ${path.resolve(path.dirname(process.execPath), '..')}/include/node (native modules are built against them).`);
  if (problems.length) {
    throw new Error(`Cannot provision code-server ${CODE_SERVER_VERSION}:\n  - ${problems.join('\n  - ')}\n(.ci/run installs these on CI.)`);
  }
}

function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

/** Takes the install lock, waiting for another installer (and returning false if it finished the job). */
async function acquireLock(log) {
  fs.mkdirSync(VSCODE_TEST_DIR, { recursive: true });
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      return true;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let owner = NaN;
    try { owner = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8')); } catch { /* being created */ }
    const ageMs = (() => { try { return Date.now() - fs.statSync(LOCK).mtimeMs; } catch { return 0; } })();
    if ((Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) || (!Number.isInteger(owner) && ageMs > 10_000)) {
      log(`removing a stale install lock (installer pid ${owner} is gone)`);
      fs.rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      log(`another process (pid ${owner}) is installing code-server; waiting for it...`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 1000));
    if (isCodeServerInstalled()) return false;
  }
}

function npmInstall(dir, log) {
  const tmp = path.join(dir, '.tmp');
  // @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache in os.tmpdir() has the tarball:
  // seed it with Debian's rg.
  fs.mkdirSync(path.join(tmp, RG_CACHE_DIR), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'rg'), { recursive: true });
  fs.copyFileSync(which('rg'), path.join(tmp, 'rg', 'rg'));
  fs.chmodSync(path.join(tmp, 'rg', 'rg'), 0o755);
  const tar = spawnSync('tar', ['czf', path.join(tmp, RG_CACHE_DIR, RG_CACHE_FILE), '-C', path.join(tmp, 'rg'), 'rg']);
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);

  // An install-only project. allowScripts approves the two packages whose install scripts are needed (npm 11
  // asks for approval): code-server's postinstall (which runs `npm install` in lib/vscode to build node-pty,
  // spdlog, kerberos...) and argon2's native build. NATIVE_MODULES is checked afterwards anyway.
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({
    name: 'seedance-vscode-test-host',
    private: true,
    description: 'code-server install for the integration tests; created by scripts/vscode-test/install-code-server.mjs',
    allowScripts: { 'code-server': true, argon2: true },
  }, null, 2)}\n`);

  const env = { ...process.env };
  // When started from `npm run`, drop what describes *this* project so the nested installs see only their own.
  for (const k of Object.keys(env)) {
    if (k.startsWith('VSCODE_') || /^npm_(package_|lifecycle_|config_local_prefix$|command$|execpath$)/.test(k)) delete env[k];
  }
  Object.assign(env, {
    TMPDIR: tmp,
    npm_config_yes: 'true', // node-pty's install runs `npx node-gyp`; the machine's npmrc says yes=false
    npm_config_unsafe_perm: 'true', // code-server's postinstall refuses to run as root without it
    npm_config_nodedir: nodeDir(), // build against this Node's headers (no header download)
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  });
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`];
  log(`npm ${args.join(' ')}   (in ${rel(dir)})`);
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (b) => {
      const text = b.toString();
      tail = (tail + text).slice(-20000);
      for (const line of text.split('\n')) {
        if (line.trim() && !/Unknown (env|user) config/.test(line)) process.stdout.write(`  | ${line}\n`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const started = Date.now();
    const beat = setInterval(() => log(`  still installing (${Math.round((Date.now() - started) / 1000)} s)...`), 15000);
    child.on('error', (e) => { clearInterval(beat); reject(e); });
    child.on('exit', (code, signal) => {
      clearInterval(beat);
      if (code === 0) resolve();
      else reject(new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (${signal ?? `exit ${code}`}). Last output:\n${tail}`));
    });
  });
}

/**
 * Makes sure code-server is installed under .vscode-test/ and returns the path of its VS Code server entry
 * (lib/vscode/out/server-main.js).
 */
export async function ensureCodeServer({ force = false, log = console.log } = {}) {
  if (!force && isCodeServerInstalled()) return VSCODE_SERVER_MAIN;
  checkPrerequisites();
  const mine = await acquireLock(log);
  if (!mine) {
    log(`code-server ${CODE_SERVER_VERSION} was installed by the other process`);
    return VSCODE_SERVER_MAIN;
  }
  const onSignal = () => { fs.rmSync(LOCK, { recursive: true, force: true }); process.exit(130); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (!force && isCodeServerInstalled()) return VSCODE_SERVER_MAIN;
    const t0 = Date.now();
    log(`Provisioning code-server ${CODE_SERVER_VERSION} (VS Code ${CODE_SERVER_VERSION.replace(/^4\./, '1.')}) into ${rel(CODE_SERVER_HOME)}/`);
    log('  first use only: about 300 MB, 40-90 s; later runs reuse it.');
    fs.rmSync(STAGING, { recursive: true, force: true });
    fs.mkdirSync(STAGING, { recursive: true });
    await npmInstall(STAGING, log);
    const stagedPkg = path.join(STAGING, path.relative(CODE_SERVER_HOME, CODE_SERVER_PKG));
    const missing = NATIVE_MODULES.filter((f) => !fs.existsSync(path.join(stagedPkg, f)));
    if (missing.length) {
      throw new Error(`code-server installed, but its install scripts did not produce:\n  ${missing.join('\n  ')}\n` +
        'Were install scripts blocked (npm ignore-scripts / allowScripts)? See the npm output above.');
    }
    fs.rmSync(path.join(STAGING, '.tmp'), { recursive: true, force: true });
    fs.writeFileSync(path.join(STAGING, path.basename(MARKER)), `${JSON.stringify({
      version: CODE_SERVER_VERSION, node: process.version, installedAt: new Date().toISOString(),
    }, null, 2)}\n`);
    fs.rmSync(CODE_SERVER_HOME, { recursive: true, force: true });
    fs.renameSync(STAGING, CODE_SERVER_HOME);
    log(`code-server ${CODE_SERVER_VERSION} ready in ${Math.round((Date.now() - t0) / 1000)} s (${rel(CODE_SERVER_HOME)}/)`);
    return VSCODE_SERVER_MAIN;
  } catch (e) {
    fs.rmSync(STAGING, { recursive: true, force: true });
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const force = process.argv.includes('--force');
  const log = (...a) => console.log('[install-code-server]', ...a);
  ensureCodeServer({ force, log }).then(
    (main) => { log(isCodeServerInstalled() ? `ok: ${rel(main)}` : 'not installed'); },
    (e) => { console.error(`[install-code-server] ${e.message}`); process.exit(1); },
  );
}
