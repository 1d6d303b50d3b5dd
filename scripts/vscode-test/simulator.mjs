// Starts the project's CometAPI simulator (out/test/simulator/main.js) as a child process and reads its
// machine line: SIMULATOR_READY {"baseUrl":...,"videoBaseUrl":...,"apiKey":...,"controlUrl":...}.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, cleanEnv, killGroup, waitForOutput } from './common.mjs';

export const SIMULATOR_MAIN = path.join(REPO_ROOT, 'out', 'test', 'simulator', 'main.js');

/**
 * @param {{ timeScale: number, main?: string, args?: string[], log: (...a: unknown[]) => void, verbose?: boolean,
 *           onExit?: (code: number|null, signal: string|null) => void }} opts
 */
export async function startSimulator({ timeScale, main = SIMULATOR_MAIN, args = [], log, verbose = false, onExit }) {
  if (!fs.existsSync(main)) {
    throw new Error(`The simulator is not built: ${path.relative(REPO_ROOT, main)} is missing. Run \`npm run compile-tests\`.`);
  }
  const child = spawn(process.execPath, [main, '--time-scale', String(timeScale), ...args], {
    cwd: REPO_ROOT,
    env: cleanEnv(),
    detached: true, // own process group, so cleanup can take everything it started
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stopping = false;
  const m = await waitForOutput(child, /SIMULATOR_READY (\{.*\})\s*$/, {
    timeoutMs: 30_000,
    what: 'The simulator',
    onLine: verbose ? (l) => log(`[simulator] ${l}`) : undefined,
  }).catch(async (e) => { await killGroup(child); throw e; });
  const info = JSON.parse(m[1]);
  for (const k of ['baseUrl', 'apiKey']) {
    if (typeof info[k] !== 'string') throw new Error(`SIMULATOR_READY line lacks "${k}": ${m[1]}`);
  }
  // Keep draining its output (a full pipe would block it); show it when verbose.
  const drain = (b) => { if (verbose) for (const l of b.toString().split('\n')) if (l.trim()) log(`[simulator] ${l}`); };
  child.stdout.on('data', drain);
  child.stderr.on('data', drain);
  child.on('exit', (code, signal) => { if (!stopping) onExit?.(code, signal); });
  return {
    info,
    child,
    async stop() { stopping = true; await killGroup(child); },
  };
}
