// Download throughput and memory: our client (src/core/download/download.ts through CometClient) against curl, on
// the same signed URL from the simulator's storage host, with a 256 MB video on loopback.
//
//   npm run bench:download     (or: node --expose-gc out/bench/download-throughput.js [--mb 256] [--runs 3] [--rate 100]
//                               [--transport undici|node-http|both])
//
// Two scenarios: unthrottled loopback, where CPU and disk are the limit, and the storage host throttled to
// --rate MB/s, where the network is the limit as it is for real users. For each it prints, beside targets:
//   - throughput of our client and of curl in MB/s (1 MB = 1,048,576 bytes), median of the runs;
//   - their ratio (target >= 0.9);
//   - the peak increase of this process's RSS during our download (sampled every ~20 ms; target <= 64 MB).
// --expose-gc (set by the npm script) only lets each measurement start from a collected heap; the client
// never calls gc. The simulator runs in its own process (as `npm run simulator` does), so this process holds only the client:
// both downloaders then face the same server, and the RSS figure is the client's alone. Loopback makes the
// disk and the CPU the bottleneck, the harshest case for a streaming client: any extra copy or buffering
// shows up directly. A benchmark, not a test: it reports, it does not assert.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CometClient } from '../src/core/api/client';
import { NodeHttpDispatcher } from '../src/core/api/nodeHttpDispatcher';
import { parseReadyLine, SimulatorControl, type ReadyInfo } from '../test/simulator/control';

const MB = 1024 * 1024;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function curl(url: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['--silent', '--show-error', '--fail', '--output', out, url], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`curl exited with ${code}`))));
  });
}

/** Samples RSS every ~20 ms while fn runs; returns fn's duration and the peak RSS above the baseline. */
async function measured(fn: () => Promise<unknown>): Promise<{ seconds: number; peakRssIncrease: number }> {
  // Settle the heap first (when --expose-gc is available) so earlier runs' garbage does not count.
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - start) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  return { seconds, peakRssIncrease: peak - baseline };
}

/** Starts `node out/test/simulator/main.js` and waits for its SIMULATOR_READY line. */
function startSimulatorProcess(largeVideoBytes: number): Promise<{ child: ChildProcess; info: ReadyInfo }> {
  const main = join(__dirname, '..', 'test', 'simulator', 'main.js');
  // Deterministic: this measures downloads; the setup's create and status check must not meet the simulator's
  // replication lag or its random lost answers (the poller and its tests deal with those).
  const child = spawn(process.execPath, [main, '--deterministic', '--time-scale', '0.001', '--large-video-bytes', String(largeVideoBytes)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (const line of buffered.split('\n')) {
        const info = parseReadyLine(line.trim());
        if (info) {
          child.stdout?.off('data', onData);
          child.stdout?.resume(); // keep draining its output
          resolve({ child, info });
          return;
        }
      }
    };
    child.stdout?.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the simulator exited early (code ${code})`)));
  });
}

function verdict(ok: boolean): string {
  return ok ? 'meets target' : 'MISSES target';
}

interface ScenarioResult {
  ours: number;
  curl: number;
  ratio: number;
  peakRss: number;
}

async function scenario(
  title: string,
  url: string,
  bytes: number,
  runs: number,
  dir: string,
  client: CometClient,
  control: SimulatorControl,
  bytesPerSecond?: number,
): Promise<ScenarioResult> {
  console.log('');
  console.log(title);
  const ours: number[] = [];
  const theirs: number[] = [];
  const rss: number[] = [];
  for (let run = 1; run <= runs; run++) {
    // Alternate the order so neither always gets the warmer page cache.
    const order = run % 2 ? ['ours', 'curl'] : ['curl', 'ours'];
    for (const who of order) {
      const file = join(dir, `${who}-${run}.mp4`);
      if (bytesPerSecond) await control.setFaults({ slowDownload: { bytesPerSecond, times: 1 } });
      if (who === 'ours') {
        const m = await measured(() => client.downloadVideo(url, file));
        ours.push(bytes / MB / m.seconds);
        rss.push(m.peakRssIncrease / MB);
      } else {
        const m = await measured(() => curl(url, file));
        theirs.push(bytes / MB / m.seconds);
      }
      const size = (await stat(file)).size;
      if (size !== bytes) throw new Error(`${who} wrote ${size} bytes, expected ${bytes}`);
    }
    console.log(`  run ${run}: ours ${ours[ours.length - 1].toFixed(0)} MB/s, curl ${theirs[theirs.length - 1].toFixed(0)} MB/s, our RSS rise ${rss[rss.length - 1].toFixed(1)} MB`);
    if (run === 1) {
      const [a, b] = await Promise.all([sha256(join(dir, 'ours-1.mp4')), sha256(join(dir, 'curl-1.mp4'))]);
      if (a !== b) throw new Error("our file differs from curl's");
    }
    await Promise.all(['ours', 'curl'].map((who) => rm(join(dir, `${who}-${run}.mp4`), { force: true })));
  }
  const result = { ours: median(ours), curl: median(theirs), ratio: median(ours) / median(theirs), peakRss: Math.max(...rss) };
  console.log(`  our client     ${result.ours.toFixed(0).padStart(6)} MB/s (median)`);
  console.log(`  curl           ${result.curl.toFixed(0).padStart(6)} MB/s (median)`);
  console.log(`  ratio          ${result.ratio.toFixed(2).padStart(6)}          target >= 0.90   ${verdict(result.ratio >= 0.9)}`);
  console.log(`  peak RSS rise  ${result.peakRss.toFixed(1).padStart(6)} MB       target <= 64 MB  ${verdict(result.peakRss <= 64)} (worst run; files identical by sha256)`);
  return result;
}

/** Which dispatcher carries our downloads: undici's (plain Node) or Node's http module (inside VS Code). */
type TransportName = 'undici' | 'node-http';

function transports(): TransportName[] {
  const i = process.argv.indexOf('--transport');
  const v = i >= 0 ? process.argv[i + 1] : 'both';
  return v === 'undici' || v === 'node-http' ? [v] : ['undici', 'node-http'];
}

async function main(): Promise<void> {
  const sizeMb = arg('mb', 256);
  const runs = Math.round(arg('runs', 3));
  const rateMb = arg('rate', 100);
  const bytes = sizeMb * MB;

  const { child, info } = await startSimulatorProcess(bytes);
  const control = new SimulatorControl(info.controlUrl);
  const dir = await mkdtemp(join(tmpdir(), 'seedance-bench-'));
  const summary: Array<[string, ScenarioResult, number]> = [];
  try {
    for (const transport of transports()) {
      const client = new CometClient({
        baseUrl: info.baseUrl,
        getApiKey: async () => info.apiKey,
        ...(transport === 'node-http' ? { dispatcher: new NodeHttpDispatcher(), videoDispatcher: new NodeHttpDispatcher() } : {}),
      });
      try {
        const task = await client.createVideo({ prompt: 'benchmark', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' });
        await control.setTaskState(task.id, { status: 'completed' });
        const done = await client.getVideo(task.id);
        if (!done.videoUrl) throw new Error('the simulator gave no video URL');
        const url = done.videoUrl;
        const label = transport === 'undici' ? 'undici dispatcher (plain Node)' : "Node's http module (what runs inside VS Code, through its proxy support)";
        console.log(`\nDownload benchmark over ${label}: ${sizeMb} MB video, simulator storage host in a separate process on loopback, ${runs} runs each (median).`);
        const loopback = await scenario('Unthrottled loopback (CPU and disk bound: the harshest case for a JS client)', url, bytes, runs, dir, client, control);
        const throttled = await scenario(`Network bound (storage host throttled to ${rateMb} MB/s, like a fast real link)`, url, bytes, runs, dir, client, control, rateMb * MB);
        summary.push([`${transport} loopback`, loopback, 0.9], [`${transport} throttled`, throttled, 0.95]);
      } finally {
        await client.close();
      }
    }
    console.log('');
    console.log('Summary (targets: ratio >= 0.90 on loopback, >= 0.95 throttled; peak RSS rise <= 64 MB)');
    for (const [name, r, target] of summary) {
      console.log(`  ${name.padEnd(20)} ours ${r.ours.toFixed(0).padStart(5)} MB/s  curl ${r.curl.toFixed(0).padStart(5)} MB/s  ratio ${r.ratio.toFixed(2)} (target >= ${target.toFixed(2)}: ${verdict(r.ratio >= target)})  peak RSS rise ${r.peakRss.toFixed(1)} MB (${verdict(r.peakRss <= 64)})`);
    }
  } finally {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
