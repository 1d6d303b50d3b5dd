// The runner's half of the crash test (test/integration/crash.test.ts): the suite asks for a crash through
// the automation log, the runner kills the extension host process with SIGKILL (no deactivate, no dispose,
// nothing flushed by the extension), then opens the same workspace in a new window of the same browser
// profile, where the next phase of the suite runs.
//
//   test  ──console──>  SEEDANCE_CRASH_NOW {"pid":<extension host pid>,"next":2}
//   runner: checks the pid is an extension host of this run's server (by its command line), waits for the
//           workbench to write its storage, pauses the window's JavaScript (VS Code restarts a crashed host
//           once by itself, and reports an exit code; a paused page does neither), SIGKILLs the host,
//           closes the window, writes phase.json {"phase":2} and opens a new window on the same workspace.
//           Only the newest window's exit code counts (run-tests.mjs).
//
// Why the same browser context: in the web workbench, workspaceState and globalState live in the browser's
// IndexedDB (SecretStorage in its localStorage), so only a window of the same profile sees what the
// killed session stored, exactly as a person reopening VS Code would.
import fs from 'node:fs';
import path from 'node:path';

export const CRASH_SIGNAL = 'SEEDANCE_CRASH_NOW';

/** What the web workbench needs to have written its storage to IndexedDB (its flush delay is 100 ms). */
const STORAGE_SETTLE_MS = Number(process.env.SEEDANCE_CRASH_SETTLE_MS ?? 1500);

/** Creates <runRoot>/crash with phase.json at phase 1; the folder the suite keeps its notes in. */
export function prepareCrashDir(runRoot) {
  const dir = path.join(runRoot, 'crash');
  fs.mkdirSync(dir, { recursive: true });
  writePhase(dir, 1);
  return dir;
}

export function writePhase(dir, phase) {
  const file = path.join(dir, 'phase.json');
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify({ phase })}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

/** `{pid, next}` when the line is a crash request, else undefined. */
export function parseCrashRequest(line) {
  if (typeof line !== 'string') return undefined;
  const m = line.match(new RegExp(`${CRASH_SIGNAL}\\s+(\\{.*\\})`));
  if (!m) return undefined;
  const request = JSON.parse(m[1]);
  if (!Number.isInteger(request.pid) || !Number.isInteger(request.next) || request.next < 2) {
    throw new Error(`bad crash request: ${m[1]}`);
  }
  return request;
}

/** Process ids of the extension hosts under `serverPid`, found by their command line (/proc, Linux). */
export function extensionHostPids(serverPid) {
  const parentOf = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name in field 2 may contain spaces and parentheses: parse after the last ')'.
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(name), Number(fields[1]));
    } catch { /* exited meanwhile */ }
  }
  const descends = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parentOf.get(p) ?? 0, hops++) if (p === serverPid) return true;
    return false;
  };
  const hosts = [];
  for (const pid of parentOf.keys()) {
    if (pid === serverPid || !descends(pid)) continue;
    let cmdline;
    try { cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '); } catch { continue; }
    if (cmdline.includes('--type=extensionHost')) hosts.push(pid);
  }
  return hosts;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    // A killed child stays as a zombie until its parent reaps it: that is dead too.
    const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return state.slice(state.lastIndexOf(')') + 2, state.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitGone(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still alive ${timeoutMs} ms after SIGKILL`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Kills the extension host `request.pid` (after checking it is one of this server's), closes `page`, moves
 * the suite to `request.next` and resolves with the page `openWindow()` opens on the same workspace.
 */
export async function crashAndReopen({ request, page, serverPid, dir, openWindow, log }) {
  const hosts = extensionHostPids(serverPid);
  if (!hosts.includes(request.pid)) {
    throw new Error(`crash request names pid ${request.pid}, which is not an extension host of this server (found: ${hosts.join(', ') || 'none'})`);
  }
  await new Promise((r) => setTimeout(r, STORAGE_SETTLE_MS));
  // Between phases no suite runs (index.ts loads nothing at phase 0), whatever window starts a host.
  writePhase(dir, 0);
  // Stop the old window's JavaScript, so it neither restarts the host nor reports an exit code. (The page
  // lifecycle "frozen" state is refused for a visible page; a debugger pause is not.)
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Debugger.enable');
  await cdp.send('Debugger.pause');
  process.kill(request.pid, 'SIGKILL');
  log(`crash test: SIGKILLed the extension host (pid ${request.pid}); reopening the workspace for phase ${request.next}`);
  await waitGone(request.pid, 10_000);
  await page.close({ runBeforeUnload: false });
  // The frozen window could not restart a host; anything left would compete with the next window.
  for (const pid of extensionHostPids(serverPid)) {
    log(`crash test: stray extension host ${pid} left after closing the window; killing it`);
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    await waitGone(pid, 10_000).catch(() => undefined);
  }
  writePhase(dir, request.next);
  return openWindow();
}
