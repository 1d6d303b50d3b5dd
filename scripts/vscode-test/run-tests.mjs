// Runs the integration suite (out/test/integration/index.js, standard `exports.run`) inside a real VS Code
// extension host, against the project's simulator, and exits with the suite's result.
//
//   node scripts/vscode-test/run-tests.mjs [--backend web|desktop] [--code-server floor|latest] [--vsix [file]]
//        [--grep text] [--timeout 1800] [--settings file.json] [--time-scale 0.02] [--verbose] [--keep] [--locale zh-cn]
//
// Backends (chosen explicitly, by flag or SEEDANCE_TEST_BACKEND; never one falling back to the other):
//   web      (default) code-server's VS Code server + headless Chromium. Offline-friendly: needs only npm and
//            Debian packages; provisions .vscode-test/code-server-<v> on first use.
//   desktop  desktop VS Code through @vscode/test-electron (downloads VS Code; needs internet and a display,
//            e.g. `xvfb-run -a`).
// --code-server (web backend; or SEEDANCE_CODE_SERVER) picks the VS Code build: `floor` (default) is the
// engines.vscode floor, `latest` the newest stable code-server (pinned in common.mjs; it runs on its own Node 24).
// The VS Code version that ran is printed in the output either way.
// --vsix runs the suite against the extension installed from a VSIX (default: the one `npm run package` makes)
// instead of the development folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  REPO_ROOT, SCREENSHOT_DIR, DEFAULT_CHROMIUM, CODE_SERVER_VERSION, codeServerTarget, defaultVsixPath, extensionId,
  makeLogger, readPackageJson, run,
} from './common.mjs';
import { ensureCodeServer } from './install-code-server.mjs';
import { startSimulator } from './simulator.mjs';
import { isDriverRequest, runDriverRequest, watchUnstartedWebviews } from './webview-driver.mjs';
import { crashAndReopen, parseCrashRequest, prepareCrashDir } from './crash.mjs';
import { prepareLocale } from './locale.mjs';
import { writeHarness } from './harness.mjs';
import { CHROMIUM_ARGS, installVsixes, installedExtensionPath, serverDirs, startVsCodeServer, workbenchUrl, writeUserSettings } from './web-host.mjs';

const log = makeLogger('vscode-test');

// ---- arguments -------------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const vsixAt = argv.indexOf('--vsix');
if (vsixAt >= 0 && (vsixAt === argv.length - 1 || argv[vsixAt + 1].startsWith('--'))) argv.splice(vsixAt + 1, 0, defaultVsixPath());
const { values: opt } = parseArgs({
  args: argv,
  options: {
    backend: { type: 'string', default: process.env.SEEDANCE_TEST_BACKEND || 'web' },
    vsix: { type: 'string' },
    grep: { type: 'string', default: process.env.SEEDANCE_TEST_GREP },
    timeout: { type: 'string', default: process.env.SEEDANCE_TEST_TIMEOUT || '1800' },
    settings: { type: 'string' },
    'time-scale': { type: 'string', default: '0.02' },
    simulator: { type: 'string' },
    chromium: { type: 'string', default: DEFAULT_CHROMIUM },
    'vscode-version': { type: 'string', default: CODE_SERVER_VERSION.replace(/^4\./, '1.') },
    'code-server': { type: 'string', default: process.env.SEEDANCE_CODE_SERVER || 'floor' },
    'screenshot-name': { type: 'string' },
    verbose: { type: 'boolean', short: 'v', default: !!process.env.SEEDANCE_TEST_VERBOSE },
    keep: { type: 'boolean', default: false },
    // VS Code's display language for the run (web backend), see locale.mjs.
    locale: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
  process.exit(0);
}
if (!['web', 'desktop'].includes(opt.backend)) {
  console.error(`Unknown backend "${opt.backend}" (--backend / SEEDANCE_TEST_BACKEND): use web or desktop.`);
  process.exit(2);
}
const timeoutMs = Number(opt.timeout) * 1000;
if (!(timeoutMs > 0)) { console.error(`Bad --timeout ${opt.timeout}`); process.exit(2); }

// ---- preflight: fail at once, with the fix, instead of inside VS Code ---------------------------------------
const pkg = readPackageJson();
const EXT_ID = extensionId(pkg);
const testsIndex = path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js');
const bundle = path.join(REPO_ROOT, pkg.main);
const vsix = opt.vsix ? path.resolve(opt.vsix) : undefined;
const mode = vsix ? 'vsix' : 'development';
const preflight = [];
if (!fs.existsSync(testsIndex)) preflight.push(`${path.relative(REPO_ROOT, testsIndex)} is missing: run \`npm run compile-tests\`.`);
if (vsix) {
  if (!fs.existsSync(vsix)) preflight.push(`${vsix} is missing: run \`npm run package\`.`);
} else if (!fs.existsSync(bundle)) {
  preflight.push(`${path.relative(REPO_ROOT, bundle)} (package.json "main") is missing: run \`npm run build\`.`);
}
if (opt.backend === 'web' && !fs.existsSync(opt.chromium)) {
  preflight.push(`Chromium not found at ${opt.chromium} (apt-get install chromium, or set --chromium / CHROMIUM_PATH).`);
}
if (preflight.length) {
  console.error(`[vscode-test] cannot start:\n  - ${preflight.join('\n  - ')}`);
  process.exit(2);
}

/** User settings for the run: a quiet workbench, then test/integration/settings.json, then --settings. */
function runSettings() {
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    'git.autoRepositoryDetection': false,
    // Newer VS Code (the "latest" target) opens Chat in the secondary side bar of every workspace; keep it closed so
    // both versions show the same layout in screenshots (both keys are unknown, so ignored, on the floor).
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
  };
  for (const file of [path.join(REPO_ROOT, 'test', 'integration', 'settings.json'), opt.settings && path.resolve(opt.settings)]) {
    if (!file || !fs.existsSync(file)) {
      if (file && file === path.resolve(opt.settings ?? '')) throw new Error(`--settings ${file} does not exist`);
      continue;
    }
    try {
      Object.assign(settings, JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch (e) {
      throw new Error(`${file}: ${e.message}`, { cause: e });
    }
  }
  return settings;
}

// ---- state and cleanup ---------------------------------------------------------------------------------------
const runRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'seedance-it-'));
const workspace = path.join(runRoot, 'workspace');
fs.mkdirSync(workspace, { recursive: true });
/** The crash test's phase and notes (web backend only: see crash.mjs). */
const crashDir = opt.backend === 'web' ? prepareCrashDir(runRoot) : undefined;
let simulator;
let server;
let browser;
let page;
let stopWatchingWebviews;
let finished = false;
let screenshots = Promise.resolve();
const shotName = opt['screenshot-name'] || `${vsix ? 'workbench-vsix' : 'workbench'}${opt['code-server'] === 'floor' ? '' : `-${opt['code-server']}`}`;

async function saveScreenshot(name) {
  if (!page) return undefined;
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/\.png$/, '') || 'screenshot';
  const file = path.join(SCREENSHOT_DIR, `${safe}.png`);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await page.screenshot({ path: partial, type: 'png', timeout: 15_000 });
  fs.renameSync(partial, file); // tests polling for the file never see half of it
  log(`screenshot saved: ${path.relative(REPO_ROOT, file)}`);
  return file;
}

async function cleanup() {
  await screenshots.catch(() => {});
  stopWatchingWebviews?.(); // before the browser goes: nothing left to look at
  try { await browser?.close(); } catch { /* already gone */ }
  await server?.stop();
  await simulator?.stop();
  if (opt.keep) log(`kept the run folder ${runRoot}`);
  else fs.rmSync(runRoot, { recursive: true, force: true, maxRetries: 3 });
}

async function finish(code, why) {
  if (finished) return;
  finished = true;
  log(`finished: exit code ${code}${why ? ` (${why})` : ''}`);
  // Cleanup must not become the hang: if it takes too long, kill what we started and leave.
  setTimeout(() => {
    log('cleanup took over 30 s: killing what is left');
    for (const child of [server?.child, simulator?.child]) {
      try { if (child?.pid) process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    if (!opt.keep) fs.rmSync(runRoot, { recursive: true, force: true });
    process.exit(code);
  }, 30_000).unref();
  await cleanup().catch((e) => log(`cleanup failed: ${e?.message ?? e}`));
  process.exit(code);
}

function failWithServerLog(code, why) {
  const serverLog = path.join(runRoot, 'server.log');
  if (fs.existsSync(serverLog)) {
    const text = fs.readFileSync(serverLog, 'utf8').split('\n').slice(-40).join('\n');
    if (text.trim()) console.error(`---- last lines of the VS Code server's output ----\n${text}\n----`);
  }
  return finish(code, why);
}

process.on('SIGINT', () => finish(130, 'interrupted'));
process.on('SIGTERM', () => finish(143, 'terminated'));
process.on('SIGHUP', () => finish(129, 'hangup'));

// ---- the run -------------------------------------------------------------------------------------------------
async function extensionHostEnv(sim, expected) {
  return {
    SEEDANCE_API_BASE_URL: sim.info.baseUrl,
    COMETAPI_KEY: sim.info.apiKey,
    SEEDANCE_SIM_CONTROL_URL: sim.info.controlUrl ?? '',
    SEEDANCE_SIM_VIDEO_BASE_URL: sim.info.videoBaseUrl ?? '',
    SEEDANCE_TEST_BACKEND: opt.backend,
    SEEDANCE_TEST_MODE: mode,
    SEEDANCE_TEST_WORKSPACE: workspace,
    SEEDANCE_TEST_EXTENSION_PATH: expected.extensionPath ?? '',
    SEEDANCE_TEST_EXTENSIONS_DIR: expected.extensionsDir ?? '',
    SEEDANCE_TEST_SCREENSHOT_DIR: opt.backend === 'web' ? SCREENSHOT_DIR : '',
    SEEDANCE_TEST_GREP: opt.grep ?? '',
    // Where the crash test reads its phase (the runner kills the extension host between phases).
    SEEDANCE_TEST_CRASH_DIR: crashDir ?? '',
    SEEDANCE_TEST_LOCALE: opt.locale ?? '',
    // Asks the extension to export its test hooks (src/vscode/testHooks.ts); set only by this runner.
    SEEDANCE_TEST_HOOKS: '1',
  };
}

async function runWeb() {
  const target = codeServerTarget(opt['code-server']);
  const serverMain = await ensureCodeServer({ log, target });
  const timer = setTimeout(async () => {
    log(`TIMEOUT: the suite did not finish within ${opt.timeout} s`);
    try { await saveScreenshot(`${shotName}-timeout`); } catch (e) { log(`timeout screenshot failed: ${e.message}`); }
    failWithServerLog(4, 'timeout');
  }, timeoutMs);
  timer.unref();

  const dirs = serverDirs(path.join(runRoot, 'vscode'));
  const settingsFile = writeUserSettings(dirs.userData, runSettings());
  if (opt.verbose) log(`user settings: ${settingsFile}`);

  simulator = await startSimulator({
    timeScale: Number(opt['time-scale']),
    main: opt.simulator && path.resolve(opt.simulator),
    log,
    verbose: opt.verbose,
    onExit: (code, sig) => { log(`the simulator exited unexpectedly (${sig ?? `exit ${code}`})`); finish(3, 'simulator died'); },
  });
  log(`simulator at ${simulator.info.baseUrl} (time scale ${opt['time-scale']})`);

  const harness = writeHarness(runRoot, pkg.engines.vscode);
  await installVsixes({ serverMain, vsixes: vsix ? [vsix] : [harness.vsix], dirs, log, node: target.nodeBin });
  const extensionPath = vsix ? installedExtensionPath(dirs.extensions, EXT_ID) : REPO_ROOT;
  // The VSIX has no test hooks (esbuild.js builds them for development only): add the test-only bundle
  // beside the installed extension, for this run's copy only.
  if (vsix) await run(process.execPath, [path.join(REPO_ROOT, 'esbuild.js'), '--test-hooks-out', path.join(extensionPath, 'dist', 'testHooks.js')]);
  const localeArgs = opt.locale ? prepareLocale(dirs, opt.locale) : [];

  server = await startVsCodeServer({
    extraArgs: localeArgs,
    serverMain,
    node: target.nodeBin,
    dirs,
    env: await extensionHostEnv(simulator, { extensionPath, extensionsDir: dirs.extensions }),
    log,
    verbose: opt.verbose,
    logFile: path.join(runRoot, 'server.log'),
    onExit: (code, sig) => { log(`the VS Code server exited unexpectedly (${sig ?? `exit ${code}`})`); failWithServerLog(3, 'server died'); },
  });
  // The version comes from the install itself (lib/vscode/package.json), so the log says what really ran.
  log(`VS Code server ${target.vscodeVersion()} (code-server ${target.version} "${target.name}", Node ${target.node ?? process.versions.node}) at ${server.url.origin} (${mode}: ${path.relative(REPO_ROOT, extensionPath) || '.'})`);

  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: opt.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    // Our own handlers stop the server and the simulator too; playwright's would exit before they run.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // Both hooks must exist before the workbench loads: mocha's output and the result arrive through them.
  await context.exposeFunction('codeAutomationLog', (type, args) => {
    const parts = Array.isArray(args) ? args : [args];
    (console[type] || console.log)(...parts);
    for (const p of parts) {
      // Panel tests act inside webviews through the runner's browser (see webview-driver.mjs).
      if (isDriverRequest(p)) {
        screenshots = screenshots.then(() => runDriverRequest(page, p, { allowedRoot: runRoot, screenshot: saveScreenshot, log }));
        continue;
      }
      // The crash test: kill the extension host, reopen the workspace in a new window (crash.mjs).
      let crash;
      try { crash = parseCrashRequest(p); } catch (e) { log(`crash test: ${e.message}`); finish(1, 'bad crash request'); return; }
      if (crash) {
        screenshots = screenshots
          .then(() => crashAndReopen({ request: crash, page, serverPid: server.child.pid, dir: crashDir, openWindow, log }))
          .catch((e) => { log(`crash test: ${e?.stack ?? e}`); failWithServerLog(1, 'crash step failed'); });
        continue;
      }
      const m = typeof p === 'string' && p.match(/SCREENSHOT_NOW\s+(\S+)/);
      if (m) {
        const delay = Number(process.env.SEEDANCE_SCREENSHOT_DELAY_MS ?? 500);
        screenshots = screenshots
          .then(() => new Promise((r) => setTimeout(r, delay)))
          .then(() => saveScreenshot(m[1]))
          .catch((e) => log(`screenshot ${m[1]} failed: ${e.message}`));
      }
    }
  });
  await context.exposeBinding('codeAutomationExit', async ({ page: from }, code) => {
    // After a crash-test step only the window opened last speaks for the suite.
    if (from !== page) {
      log(`ignored exit code ${code} from a window closed by the crash test`);
      return;
    }
    log(`the extension host reported exit code ${code}`);
    await screenshots.catch(() => {});
    try { await saveScreenshot(shotName); } catch (e) { log(`final screenshot failed: ${e.message}`); }
    finish(code === 0 ? 0 : 1, code === 0 ? 'all tests passed' : 'tests failed');
  });
  const url = workbenchUrl(server.url, workspace, [
    // In vsix mode the repository is NOT a development path: the only Seedance Studio is the installed one.
    ['extensionDevelopmentPath', vsix ? harness.dir : REPO_ROOT],
    ['extensionTestsPath', testsIndex],
    ['skipWelcome', 'true'],
  ]);
  // One window at a time; the crash test closes it and opens the next on the same workspace and profile.
  async function openWindow() {
    const opened = await context.newPage();
    page = opened;
    opened.on('crash', () => { log('the workbench page crashed'); finish(5, 'page crash'); });
    opened.on('pageerror', (e) => { if (opt.verbose) log(`page error: ${e}`); });
    if (opt.verbose) opened.on('console', (m) => log(`[browser ${m.type()}] ${m.text()}`));
    if (opt.verbose) log(`opening ${url}`);
    log(`running the suite in the extension host (workspace ${workspace})`);
    await opened.goto(url);
    return opened;
  }
  stopWatchingWebviews = watchUnstartedWebviews(() => page, log); // VS Code 1.100 for the Web's blank-webview race (see there)
  await openWindow();
}

async function runDesktop() {
  const { runDesktop: desktop } = await import('./desktop.mjs');
  const timer = setTimeout(() => { log(`TIMEOUT after ${opt.timeout} s`); finish(4, 'timeout'); }, timeoutMs);
  timer.unref();
  simulator = await startSimulator({
    timeScale: Number(opt['time-scale']),
    main: opt.simulator && path.resolve(opt.simulator),
    log,
    verbose: opt.verbose,
    onExit: (code, sig) => { log(`the simulator exited unexpectedly (${sig ?? `exit ${code}`})`); finish(3, 'simulator died'); },
  });
  const code = await desktop({
    version: opt['vscode-version'],
    runRoot,
    workspace,
    testsIndex,
    vsix,
    extensionId: EXT_ID,
    settings: runSettings(),
    engines: pkg.engines.vscode,
    envFor: (expected) => extensionHostEnv(simulator, expected),
    log,
  });
  await finish(code === 0 ? 0 : 1, code === 0 ? 'all tests passed' : 'tests failed');
}

(opt.backend === 'web' ? runWeb() : runDesktop()).catch((e) => {
  log(`error: ${e?.stack ?? e}`);
  failWithServerLog(6, 'runner error');
});
