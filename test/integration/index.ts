// Mocha entry for the integration suite, in the standard form @vscode/test-electron and VS Code's own test
// runners call: `run()` is invoked inside the extension host and resolves (pass) or rejects (fail).
// Every `*.test.js` under this folder (compiled to out/test/integration) is loaded. SEEDANCE_TEST_GREP
// (the runner's --grep) selects tests by title.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { sim } from './seedanceKit';

const CRASH_TEST_FILE = 'crash.test.js';
/** How many tests failed so far in this extension host (read by crash.test.ts before it lets the host die). */
const FAILURES_KEY = Symbol.for('seedanceStudio.test.failuresSoFar');

/**
 * The crash test's phase: 1 in a first window (or on backends that cannot crash the host), 2+ in the
 * windows opened after a crash, 0 while the runner is between two windows (nothing runs then).
 */
function readCrashPhase(): number {
  const dir = process.env.SEEDANCE_TEST_CRASH_DIR;
  if (!dir) return 1;
  try {
    const phase = Number((JSON.parse(fs.readFileSync(path.join(dir, 'phase.json'), 'utf8')) as { phase?: unknown }).phase);
    return Number.isInteger(phase) && phase >= 0 ? phase : 1;
  } catch {
    return 1;
  }
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    // Several waits for a video on the simulator's realistic (heavy-tailed) timing fit in one test.
    timeout: 300_000,
    grep: process.env.SEEDANCE_TEST_GREP || undefined,
  });
  // The simulator keeps its realistic per-key rate limit, sized to this suite's pace: dozens of generations
  // and their polls within minutes, far more than a person sends (the default bucket is 40, refilled at 4/s).
  // A test about rate limiting sets its own faults. Every suite that submits also asks for no random create
  // faults (a lost answer makes an uncertain entry by design); asking once here too keeps a new suite honest.
  mocha.suite.beforeAll('the simulator\'s rate limit at the suite\'s pace', async () => {
    await sim.setConfig({ keyRateLimit: { burst: 400, perSecond: 40 } });
    await sim.noRandomFaults();
  });
  // out/ is not cleaned between compiles: skip a compiled test whose source was deleted or renamed.
  const sources = path.resolve(__dirname, '..', '..', '..', 'test', 'integration');
  // The crash test (crash.test.ts) runs last, as the extension host dies at its end; in the windows the
  // runner opens after a crash, only it runs again (see scripts/vscode-test/crash.mjs).
  const crashPhase = readCrashPhase();
  const files = (fs.readdirSync(__dirname, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => crashPhase === 1 || (crashPhase > 1 && f === CRASH_TEST_FILE))
    .sort((a, b) => Number(a === CRASH_TEST_FILE) - Number(b === CRASH_TEST_FILE) || a.localeCompare(b));
  for (const f of files) {
    if (!fs.existsSync(path.join(sources, f.replace(/\.js$/, '.ts')))) {
      console.log(`(skipping ${f}: its source test/integration/${f.replace(/\.js$/, '.ts')} no longer exists)`);
      continue;
    }
    mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
        else resolve();
      });
      // The crash test kills this process: it must know whether an earlier test failed (see crash.test.ts).
      const slot = globalThis as Record<symbol, number | undefined>;
      runner.on('fail', () => {
        slot[FAILURES_KEY] = (slot[FAILURES_KEY] ?? 0) + 1;
      });
    } catch (e) {
      reject(e);
    }
  });
}
