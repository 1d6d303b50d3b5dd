// `npm start`: try Seedance Studio in VS Code in your browser, against the local simulator (no CometAPI account,
// no cost). From a fresh clone it installs and builds what it needs, then keeps running until Ctrl+C.
//
//   node scripts/demo.mjs [--port 8080] [--host 127.0.0.1] [--time-scale 0.25] [--workspace dir] [--verbose]
//
// What it does: npm ci (only if node_modules is missing); compiles the simulator; packages the extension
// (production build + VSIX) and installs it into a VS Code server from code-server (provisioned into
// .vscode-test/ on first use); starts the simulator and the server with SEEDANCE_API_BASE_URL and COMETAPI_KEY
// pointing the extension at the simulator; prints the URL. Server state is fresh on each start; the workspace
// folder (default .vscode-test/demo-workspace, where the videos land) is kept.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  CODE_SERVER_VERSION, REPO_ROOT, VSCODE_TEST_DIR, defaultVsixPath, extensionId, makeLogger, readPackageJson, run,
} from './vscode-test/common.mjs';
import { ensureCodeServer } from './vscode-test/install-code-server.mjs';
import { SIMULATOR_MAIN, startSimulator } from './vscode-test/simulator.mjs';
import { installVsixes, serverDirs, startVsCodeServer, workbenchUrl, writeUserSettings } from './vscode-test/web-host.mjs';

const { values: opt } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT || '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    'time-scale': { type: 'string', default: '0.25' },
    workspace: { type: 'string', default: path.join(VSCODE_TEST_DIR, 'demo-workspace') },
    verbose: { type: 'boolean', short: 'v', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
  process.exit(0);
}
const log = makeLogger('demo');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let simulator;
let server;
let stopping = false;

async function stopAll(code, why) {
  if (stopping) return;
  stopping = true;
  log(`stopping (${why})...`);
  await server?.stop().catch(() => {});
  await simulator?.stop().catch(() => {});
  log('stopped everything the demo started.');
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0, 'Ctrl+C'));
process.on('SIGTERM', () => stopAll(0, 'terminated'));
process.on('SIGHUP', () => stopAll(0, 'hangup'));

async function prepare() {
  if (!fs.existsSync(path.join(REPO_ROOT, 'node_modules', '.package-lock.json'))) {
    log('node_modules is missing: npm ci');
    await run(npm, ['ci']);
  }
  log('compiling the simulator (npm run compile-tests)');
  try {
    await run(npm, ['run', '--silent', 'compile-tests']);
  } catch (e) {
    // tsc still writes its output on type errors elsewhere in the tree; go on if the simulator is there.
    if (!fs.existsSync(SIMULATOR_MAIN)) throw e;
    log('compile-tests reported errors (see above); the simulator was built, continuing');
  }
  log('packaging the extension (npm run package)');
  await run(npm, ['run', '--silent', 'package']);
  return ensureCodeServer({ log });
}

async function reachable(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
}

async function main() {
  const serverMain = await prepare();
  const pkg = readPackageJson();
  const workspace = path.resolve(opt.workspace);
  fs.mkdirSync(workspace, { recursive: true });
  const stateRoot = path.join(VSCODE_TEST_DIR, 'demo-state');
  fs.rmSync(stateRoot, { recursive: true, force: true }); // fresh server state each start
  const dirs = serverDirs(stateRoot);
  writeUserSettings(dirs.userData, {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    'git.openRepositoryInParentFolders': 'never', // the default workspace sits inside this repository
  });
  await installVsixes({ serverMain, vsixes: [defaultVsixPath(pkg)], dirs, log });

  simulator = await startSimulator({
    timeScale: Number(opt['time-scale']),
    log,
    verbose: opt.verbose,
    onExit: (code, sig) => stopAll(1, `the simulator exited (${sig ?? `exit ${code}`})`),
  });
  log(`simulator at ${simulator.info.baseUrl} (time scale ${opt['time-scale']}; key ${simulator.info.apiKey})`);

  if (!['127.0.0.1', 'localhost', '::1'].includes(opt.host)) {
    log(`WARNING: listening on ${opt.host} without a connection token: anyone who can reach this port gets a VS Code with a terminal.`);
  }
  server = await startVsCodeServer({
    serverMain,
    dirs,
    host: opt.host,
    port: Number(opt.port),
    smokeTestDriver: false,
    env: {
      SEEDANCE_API_BASE_URL: simulator.info.baseUrl,
      COMETAPI_KEY: simulator.info.apiKey,
      SEEDANCE_SIM_CONTROL_URL: simulator.info.controlUrl ?? '',
    },
    log,
    verbose: opt.verbose,
    logFile: path.join(stateRoot, 'server.log'),
    onExit: (code, sig) => stopAll(1, `the VS Code server exited (${sig ?? `exit ${code}`}); see ${path.join(stateRoot, 'server.log')}`),
  }).catch((e) => {
    if (/EADDRINUSE/.test(String(e.message))) throw new Error(`Port ${opt.port} is in use: pick another with --port.`);
    throw e;
  });
  // The demo opens on an example storyboard (docs/examples/), copied once so the person's edits are kept.
  const storyboard = path.join(workspace, 'lighthouse.storyboard.md');
  if (!fs.existsSync(storyboard)) fs.copyFileSync(path.join(REPO_ROOT, 'docs', 'examples', 'lighthouse.storyboard.md'), storyboard);
  const url = workbenchUrl(server.url, workspace, [['openFile', `vscode-remote://${server.url.host}${storyboard}`]]);
  await reachable(url);
  const shown = opt.host === '0.0.0.0' || opt.host === '::' ? url.replace(server.url.hostname, '<this machine>') : url;
  console.log(`
  Seedance Studio demo is running: VS Code ${CODE_SERVER_VERSION.replace(/^4\./, '1.')} with ${extensionId(pkg)} ${pkg.version}
  against the local simulator (no CometAPI account needed, nothing is billed).
  Every "generated" video is a 2-second test pattern (about 320x180, in the aspect ratio asked for),
  whatever duration and resolution the request named: the simulator stands in for the service, not the model.

    Open:        ${shown}
    Videos land: ${workspace}${path.sep}${'videos'}
    Simulator:   ${simulator.info.baseUrl} (tags in a prompt: [sim:fail] [sim:slow] [sim:stuck] [sim:error])

  Press Ctrl+C to stop.
`);
}

main().catch((e) => {
  console.error(`[demo] ${e?.message ?? e}`);
  stopAll(1, 'error');
});
