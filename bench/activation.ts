// Activation cost of the shipped bundle (dist/extension.js): time to load it and time inside activate(),
// each measured in a fresh Node process (cold module cache), for an empty workspace and for one holding
// 200 finished tasks. Also checks that activation created no HTTP client (no undici loaded, no socket).
//
//   npm run bench:activation        (builds first)
//
// VS Code itself is replaced by a minimal stub (bench/vscodeStub.ts); figures are printed, not asserted.
// Also printed: what the first render of the Seedance view costs once VS Code asks for it (after
// activation, only when the view is visible; it reads the restored finished tasks, see settledTasks.ts).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const RUNS = 9;
const bundleArg = process.argv.indexOf('--bundle');
const BUNDLE = bundleArg >= 0 ? path.resolve(process.argv[bundleArg + 1]) : path.resolve(__dirname, '..', '..', 'dist', 'extension.js');
/**
 * Without --bundle: the minified build the VSIX ships (npm run bench:activation writes it to out/bench-dist/
 * with esbuild.js --outdir), then the development build in dist/ that the tests load.
 */
const SHIPPED = path.resolve(__dirname, '..', 'bench-dist', 'extension.js');
const BUNDLES: { file: string; what: string }[] = bundleArg >= 0
  ? [{ file: BUNDLE, what: 'as given' }]
  : [
    ...(fs.existsSync(SHIPPED) ? [{ file: SHIPPED, what: 'minified, as shipped in the VSIX' }] : []),
    { file: BUNDLE, what: 'development build, as the tests load it' },
  ];
/** Issue 9, "a lighter start": bundle load + activate(), per scenario. */
const TARGET_MS: Record<string, number> = { empty: 8, 'restored-200-finished': 12 };

type Scenario = 'empty' | 'restored-200-finished';

/**
 * Node modules VS Code's extension host has always loaded before any extension activates (it imports http,
 * https, tls, net, stream, fs and crypto itself; https and tls pull in crypto and the stream internals). A
 * fresh Node process has not, and loading them on the bundle's first require costs several ms that an
 * extension never pays in VS Code. The "as in VS Code" line preloads them before timing; the "fresh Node"
 * line does not.
 */
const HOST_PRELOADED = [
  'http', 'https', 'tls', 'net', 'stream', 'fs', 'crypto', 'perf_hooks',
  // Imported at the top of VS Code 1.100's extension host bundle itself (out/vs/workbench/api/node/extensionHostProcess.js).
  'fs/promises', 'os', 'url', 'util', 'events', 'child_process', 'zlib', 'string_decoder',
];

interface Sample {
  loadMs: number;
  activateMs: number;
  /** CPU time (user + system) of the same two steps: on a busy shared machine wall time mostly measures the queue. */
  loadCpuMs: number;
  activateCpuMs: number;
  /** The HTTP stack bundle (dist/http.js) was loaded during activation. */
  httpBundleLoaded: boolean;
  /** The YAML parser bundle (dist/yaml.js) was loaded during activation. */
  yamlBundleLoaded: boolean;
  /** The view's first render after activation: getChildren + getTreeItem of every row (wall and CPU ms). */
  firstRenderMs: number;
  firstRenderCpuMs: number;
  rows: number;
  loggedMs: number;
  clientCreated: boolean;
  sockets: number;
}

function storedTasks(count: number): unknown {
  const now = Date.now();
  return {
    version: 1,
    tasks: Array.from({ length: count }, (_, i) => ({
      localId: `bench-${i}`,
      remoteId: `task_bench_${i}`,
      status: 'succeeded',
      progress: 100,
      request: { prompt: `A benchmark prompt number ${i} about a lighthouse at dusk`, model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' },
      createdAt: now - (i + 1) * 60_000,
      submittedAt: now - (i + 1) * 60_000 + 500,
      finishedAt: now - i * 60_000,
      download: { state: 'downloaded', bytes: 12_000 },
      file: `/tmp/bench/video-${i}.mp4`,
    })),
  };
}

async function child(scenario: Scenario, warm: boolean): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (warm) for (const m of HOST_PRELOADED) require(m);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const stub = require('./vscodeStub') as typeof import('./vscodeStub');
  stub.installVscodeStub();
  const state = new stub.Memento();
  if (scenario === 'restored-200-finished') await state.update('seedanceStudio.tasks', storedTasks(200));
  const context = stub.fakeContext(state);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ext = require(BUNDLE) as { activate(ctx: unknown): unknown };
  const t1 = performance.now();
  const c1 = process.cpuUsage(c0);
  ext.activate(context);
  const t2 = performance.now();
  const c2 = process.cpuUsage(c0);
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  const loadedBundle = (name: string) => Object.keys(require.cache).some((f) => path.basename(f) === name && path.dirname(f) === path.dirname(BUNDLE));
  const httpBundleLoaded = loadedBundle('http.js');
  const yamlBundleLoaded = loadedBundle('yaml.js');
  // What VS Code does next when the view is visible: ask for the rows and their items.
  const tree = stub.treeProviders[0] as { getChildren(): unknown[]; getTreeItem(node: unknown): unknown };
  const c3 = process.cpuUsage();
  const t3 = performance.now();
  const rows = tree.getChildren();
  for (const node of rows) tree.getTreeItem(node);
  const firstRenderMs = performance.now() - t3;
  const firstRenderCpuMs = cpuMs(process.cpuUsage(c3));
  const logged = stub.outputLines.map((l) => /Activated in ([\d.]+) ms/.exec(l)?.[1]).find(Boolean);
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const sample: Sample = {
    loadMs: t1 - t0,
    activateMs: t2 - t1,
    loadCpuMs: cpuMs(c1),
    activateCpuMs: cpuMs(c2) - cpuMs(c1),
    httpBundleLoaded,
    yamlBundleLoaded,
    firstRenderMs,
    firstRenderCpuMs,
    rows: rows.length,
    loggedMs: Number(logged ?? NaN),
    clientCreated: stub.outputLines.some((l) => l.includes('Using CometAPI')),
    sockets: handles.filter((h) => (h as { constructor?: { name?: string } }).constructor?.name === 'Socket' && !(h as { _isStdio?: boolean })._isStdio && (h as { fd?: number }).fd === undefined).length,
  };
  process.stdout.write(JSON.stringify(sample));
  for (const d of context.subscriptions) d.dispose();
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function parent(): void {
  for (const { file, what } of BUNDLES) measureBundle(file, what);
  console.log(
    'Notes: the stub makes registerCommand/createTreeView/registerTool nearly free (in VS Code each also queues a small message\n' +
      'to the window, so real activation costs a little more) and its workspaceState is an in-memory Map (as VS Code\'s is once the window has read its storage).',
  );
}

function measureBundle(bundle: string, what: string): void {
  console.log(`Activation of ${path.relative(process.cwd(), bundle)} (${what}; median of ${RUNS} cold runs, vscode stubbed)`);
  for (const warm of [true, false]) {
  console.log(warm ? "As in VS Code (the Node built-ins the extension host has already loaded, e.g. http, fs/promises, crypto):" : 'Fresh Node process (nothing preloaded):');
  for (const scenario of ['empty', 'restored-200-finished'] as Scenario[]) {
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      let out: string;
      try {
        out = execFileSync(process.execPath, [__filename, '--child', scenario, '--bundle', bundle, ...(warm ? ['--warm'] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        const stderr = String((error as { stderr?: string }).stderr ?? '');
        const reason = stderr.split('\n').find((l) => /Error/.test(l)) ?? stderr.slice(0, 300);
        console.error(`  ${scenario}: activation failed under the stub: ${reason}`);
        process.exitCode = 1;
        return;
      }
      samples.push(JSON.parse(out) as Sample);
    }
    const load = median(samples.map((s) => s.loadMs));
    const act = median(samples.map((s) => s.activateMs));
    const total = median(samples.map((s) => s.loadMs + s.activateMs));
    const totalCpu = median(samples.map((s) => s.loadCpuMs + s.activateCpuMs));
    const target = TARGET_MS[scenario];
    const http = samples.some((s) => s.httpBundleLoaded);
    const yaml = samples.some((s) => s.yamlBundleLoaded);
    const logged = median(samples.map((s) => s.loggedMs));
    const client = samples.some((s) => s.clientCreated);
    const sockets = Math.max(...samples.map((s) => s.sockets));
    console.log(
      `  ${scenario.padEnd(22)} load ${load.toFixed(1)} ms, activate() ${act.toFixed(1)} ms (extension's own log: ${logged.toFixed(1)} ms), ` +
        `HTTP client created: ${client ? 'YES' : 'no'}, HTTP bundle loaded: ${http ? 'YES' : 'no'}, YAML bundle loaded: ${yaml ? 'YES' : 'no'}, open sockets: ${sockets}`,
    );
    console.log(
      `  ${''.padEnd(22)} load + activate() ${total.toFixed(1)} ms wall, ${totalCpu.toFixed(1)} ms CPU   target <= ${target} ms   ` +
        `${total <= target ? 'meets target' : totalCpu <= target ? 'meets target in CPU time (wall time inflated by a busy machine)' : 'MISSES target'}`,
    );
    console.log(
      `  ${''.padEnd(22)} then, if the view is visible: first render of ${samples[0].rows} row(s) ${median(samples.map((s) => s.firstRenderMs)).toFixed(1)} ms wall, ` +
        `${median(samples.map((s) => s.firstRenderCpuMs)).toFixed(1)} ms CPU (after activate(), not in the target)`,
    );
  }
  }
}

if (process.argv[2] === '--child') {
  void child(process.argv[3] as Scenario, process.argv.includes('--warm'));
} else {
  parent();
}
