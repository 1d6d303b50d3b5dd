// `npm run simulator`: runs the simulator until Ctrl+C, for trying the extension by hand, for demos and for
// tests in another process. Prints human lines, then one machine line (SIMULATOR_READY {json}) that
// scripts wait for (parse it with parseReadyLine from control.ts).
//
// Flags (each also readable from an environment variable):
//   --port N            SEEDANCE_SIM_PORT         API port (default 0 = any free port)
//   --video-port N      SEEDANCE_SIM_VIDEO_PORT   storage port (default 0)
//   --time-scale X      SEEDANCE_SIM_TIME_SCALE   1 = realistic, medians 60-180 s per task (default 1)
//   --profile revA|revB SEEDANCE_SIM_PROFILE      (default revA)
//   --key K             SEEDANCE_SIM_KEY          accepted key(s), comma-separated (default sk-sim-local-demo)
//   --seed N            SEEDANCE_SIM_SEED         seed of every random behaviour (default: a fresh one, printed)
//   --deterministic     SEEDANCE_SIM_DETERMINISTIC=1  fixed durations, no random or time-dependent faults
//   --load-spike EXTRA[,WINDOW]  tasks created in the first WINDOW simulated seconds (default 600) queue EXTRA s more
//   --progress coarse|none|smooth|backloaded, --url-expiry S, --large-video-bytes N, --url-mode newapi|ark, --help

import { READY_PREFIX } from './control';
import type { SimulatorOptions } from './options';
import { startSimulator } from './server';

const USAGE = `Usage: npm run simulator -- [--port N] [--video-port N] [--time-scale X] [--profile revA|revB]
       [--key K[,K2...]] [--seed N] [--deterministic] [--progress coarse|none|smooth|backloaded]
       [--load-spike EXTRA_SECONDS[,WINDOW_SECONDS]] [--url-expiry SECONDS] [--url-mode newapi|ark]
       [--large-video-bytes N]
Environment: SEEDANCE_SIM_PORT, SEEDANCE_SIM_VIDEO_PORT, SEEDANCE_SIM_TIME_SCALE, SEEDANCE_SIM_PROFILE,
             SEEDANCE_SIM_KEY, SEEDANCE_SIM_SEED, SEEDANCE_SIM_DETERMINISTIC=1. Flags win over the environment.`;

const FLAGS: Record<string, string | undefined> = {
  port: 'SEEDANCE_SIM_PORT',
  'video-port': 'SEEDANCE_SIM_VIDEO_PORT',
  'time-scale': 'SEEDANCE_SIM_TIME_SCALE',
  profile: 'SEEDANCE_SIM_PROFILE',
  key: 'SEEDANCE_SIM_KEY',
  seed: 'SEEDANCE_SIM_SEED',
  deterministic: 'SEEDANCE_SIM_DETERMINISTIC',
  progress: undefined,
  'load-spike': undefined,
  'url-expiry': undefined,
  'url-mode': undefined,
  'large-video-bytes': undefined,
};

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): SimulatorOptions {
  const values: Record<string, string> = {};
  for (const [flag, name] of Object.entries(FLAGS)) if (name && env[name]) values[flag] = env[name]!;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !(m[1] in FLAGS)) fail(`Unknown argument: ${arg}`);
    if (m[1] === 'deterministic' && m[2] === undefined) {
      values.deterministic = '1';
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined) fail(`--${m[1]} needs a value`);
    values[m[1]] = value;
  }
  const int = (flag: string) => {
    const n = Number(values[flag]);
    if (!Number.isInteger(n) || n < 0) fail(`--${flag} must be a whole number, got "${values[flag]}"`);
    return n;
  };
  const opts: SimulatorOptions = {};
  if (values.port !== undefined) opts.port = int('port');
  if (values['video-port'] !== undefined) opts.videoPort = int('video-port');
  if (values['time-scale'] !== undefined) {
    const x = Number(values['time-scale']);
    if (!(x > 0)) fail(`--time-scale must be a positive number, got "${values['time-scale']}"`);
    opts.timeScale = x;
  }
  if (values.profile !== undefined) {
    if (values.profile !== 'revA' && values.profile !== 'revB') fail(`--profile must be revA or revB`);
    opts.profile = values.profile;
  }
  if (values.key !== undefined) opts.apiKeys = values.key.split(',').map((k) => k.trim()).filter(Boolean);
  if (values.seed !== undefined) opts.seed = int('seed');
  if (values.deterministic !== undefined) opts.deterministic = !['0', 'false', ''].includes(values.deterministic);
  if (values['load-spike'] !== undefined) {
    const [extra, window = 600] = values['load-spike'].split(',').map(Number);
    if (!(extra >= 0) || !(window >= 0)) fail(`--load-spike must be EXTRA_SECONDS[,WINDOW_SECONDS], got "${values['load-spike']}"`);
    opts.loadSpike = { extraQueueSeconds: extra, windowSeconds: window };
  }
  if (values.progress !== undefined) opts.progress = values.progress as SimulatorOptions['progress'];
  if (values['url-expiry'] !== undefined) opts.urlExpirySeconds = int('url-expiry');
  if (values['url-mode'] !== undefined) opts.urlMode = values['url-mode'] as SimulatorOptions['urlMode'];
  if (values['large-video-bytes'] !== undefined) opts.largeVideoBytes = int('large-video-bytes');
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2), process.env);
  let sim;
  try {
    sim = await startSimulator(opts);
  } catch (err) {
    fail(`Could not start the simulator: ${(err as Error).message}`);
  }
  const cfg = sim.config;
  const minutes = (s: number) => (s * cfg.timeScale >= 1 ? `${Math.round(s * cfg.timeScale)} s` : `${Math.round(s * cfg.timeScale * 1000)} ms`);
  const timing = cfg.deterministic
    ? `a task takes ${minutes(60)} to ${minutes(180)} exactly (deterministic; time scale ${cfg.timeScale})`
    : `a task takes ${minutes(60)} to ${minutes(180)} typically, sometimes much longer (time scale ${cfg.timeScale})`;
  const messy = cfg.deterministic
    ? 'none (deterministic)'
    : `about ${pct(cfg.lostCreateRate)} of create answers lost and ${pct(cfg.createErrorRate)} turned into 5xx/524 ` +
      `(the task exists), new tasks unknown for ~${cfg.replicationLagMs} ms, ` +
      (cfg.keyRateLimit ? `429 past ${cfg.keyRateLimit.burst} requests in a burst (${cfg.keyRateLimit.perSecond}/s per key)` : 'no rate limit');
  const lines = [
    '',
    `Seedance simulator is running (CometAPI contract, profile ${cfg.profile}).`,
    '',
    `  API base URL   ${sim.baseUrl}`,
    `  API key        ${sim.apiKey}${cfg.apiKeys.length > 1 ? ` (and ${cfg.apiKeys.length - 1} more)` : ''}`,
    `  Video host     ${sim.videoBaseUrl}`,
    `  Control        ${sim.controlUrl}   (faults, task states, request log: see test/simulator/README.md)`,
    `  Timing         ${timing}; progress ${cfg.progress}`,
    `  Random faults  ${messy}`,
    ...(cfg.loadSpike
      ? [`  Load spike     tasks created in the first ${minutes(cfg.loadSpike.windowSeconds)} queue about ${minutes(cfg.loadSpike.extraQueueSeconds)} longer`]
      : []),
    `  Seed           ${cfg.seed}   (--seed ${cfg.seed} replays the same durations and faults)`,
    '  Prompt tags    [sim:fail] [sim:error] [sim:stuck] [sim:slow] [sim:reject]',
    '  Videos         a short test pattern (about 2 s, silent) in the requested aspect ratio,',
    '                 whatever length and resolution were asked for.',
    '',
    'Point the extension at it:',
    `  SEEDANCE_API_BASE_URL=${sim.baseUrl} COMETAPI_KEY=${sim.apiKey} code .`,
    '',
    'Press Ctrl+C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const ready = { baseUrl: sim.baseUrl, videoBaseUrl: sim.videoBaseUrl, apiKey: sim.apiKey, controlUrl: sim.controlUrl };
  process.stdout.write(`${READY_PREFIX}${JSON.stringify(ready)}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\nStopping the simulator (${signal})...\n`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) void main();
