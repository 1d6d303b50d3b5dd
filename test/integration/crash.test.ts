// A real crash: the runner SIGKILLs this extension host process (no deactivate, no dispose, no last save),
// then opens the same workspace in a new window of the same browser profile, where the next phase runs
// (scripts/vscode-test/crash.mjs; test/integration/index.ts runs only this file after a crash).
//
//   phase 1: a generation is running and another create request is on its way  -> killed
//   phase 2: both are listed (the one being sent as uncertain, never re-sent), polling resumes; the running
//            one finishes and its download is under way                          -> killed
//   phase 3: the download starts again by itself and completes; no half file remains.
//
// Each phase writes what the next one needs to <crash dir>/state.json. Only the web backend can kill the
// host; elsewhere the suite says so and skips.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { testEnv, waitFor } from './helpers';
import { createRequests, filesIn, seedance, sim, uniquePrompt, waitForInternal, waitForTask, workspaceRoot } from './seedanceKit';

const crashDir = process.env.SEEDANCE_TEST_CRASH_DIR ?? '';

interface CrashState {
  running?: string;
  sendingPrompt?: string;
  createsAtCrash?: number;
  halfFiles?: string[];
}

function phase(): number {
  return Number((JSON.parse(fs.readFileSync(path.join(crashDir, 'phase.json'), 'utf8')) as { phase: number }).phase);
}
function readState(): CrashState {
  const file = path.join(crashDir, 'state.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as CrashState) : {};
}
function writeState(change: CrashState): void {
  fs.writeFileSync(path.join(crashDir, 'state.json'), JSON.stringify({ ...readState(), ...change }));
}

/** Asks the runner to kill this process; never returns (the test's timeout fails it if nobody does). */
async function crashHere(next: number): Promise<never> {
  // A killed host reports nothing: a failure earlier in this window would vanish, and only the last window's
  // result would count. So the host is not killed after a failure; the run then ends with that failure.
  const failed = (globalThis as Record<symbol, number | undefined>)[Symbol.for('seedanceStudio.test.failuresSoFar')] ?? 0;
  if (failed > 0) throw new Error(`${failed} test(s) failed earlier in this window; not killing the extension host, so they are reported`);
  console.log(`SEEDANCE_CRASH_NOW ${JSON.stringify({ pid: process.pid, next })}`);
  return new Promise<never>(() => undefined);
}

/** The task list as stored in workspaceState right now (nothing flushed on request: what a crash keeps). */
async function storedNow(): Promise<Array<{
  localId: string;
  remoteId?: string;
  status: string;
  request: { prompt: string };
  download: { state: string; target?: string };
}>> {
  const envelope = (await (await seedance()).testHooks.readStoredTasks({ flush: false })) as { tasks?: unknown[] } | undefined;
  return (envelope?.tasks ?? []) as never;
}

const halfFilesIn = (folder: string) => filesIn(folder).filter((f) => /(^|\/)\.[^/]*\.(part-|replacing-)/.test(f));

describe('crash: the extension host is killed and the workspace opened again', function () {
  this.timeout(300_000);
  before(function () {
    if (!crashDir) {
      console.log(`(crash test skipped: the ${testEnv.backend || 'current'} backend cannot kill the extension host; run it on the web backend)`);
      this.skip();
    }
  });

  it('phase 1: killed while a generation runs and a create request is on its way', async function () {
    if (phase() !== 1) this.skip();
    await seedance();
    await sim.clearFaults();
    const running = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Crash while running [sim:stuck]') });
    await waitFor(async () => (await storedNow()).some((t) => t.remoteId === running), 'the running task to be stored', 10_000);

    // The next create request hangs at the service: the crash comes while it is on its way.
    await sim.setFaults({ delay: { ms: 600_000, on: 'create' } });
    const sendingPrompt = uniquePrompt('Crash while sending');
    const before = await createRequests();
    void Promise.resolve(vscode.commands.executeCommand('seedance.generate', { prompt: sendingPrompt })).catch(() => undefined);
    await waitFor(async () => (await createRequests()) > before, 'the create request to reach the simulator', 15_000);
    const stored = (await storedNow()).find((t) => t.request.prompt === sendingPrompt);
    assert.equal(stored?.status, 'submitting', 'the entry was stored before the request left');

    writeState({ running, sendingPrompt, createsAtCrash: await createRequests() });
    await crashHere(2);
  });

  it('phase 2: both are listed, nothing is re-sent, polling resumes; killed again mid-download', async function () {
    if (phase() !== 2) this.skip();
    const state = readState();
    await sim.clearFaults(); // the hung create is gone with the killed process
    const api = await seedance();
    const running = api.testHooks.task(state.running!);
    assert.ok(running, 'the running task is listed after the crash');
    assert.ok(running.status === 'queued' || running.status === 'running', `still followed (${running.status})`);
    assert.ok(api.testHooks.treeItem(state.running!), 'and shown in the tree');
    const sending = api.listTasks().find((t) => t.prompt === state.sendingPrompt);
    assert.ok(sending, 'the request that was on its way is listed');
    assert.equal(api.testHooks.task(sending.id)?.status, 'uncertain');
    assert.match(String(api.testHooks.treeItem(sending.id)?.contextValue), /status:uncertain/);

    // Polling resumes by itself: a status check for the running task after this activation.
    const since = (await sim.requests()).reduce((m, r) => Math.max(m, r.seq), 0);
    await waitFor(async () => (await sim.requests({ server: 'api', since })).some((r) => r.method === 'GET' && r.path.includes(state.running!)),
      'a status check of the restored task', 90_000, 200);

    // It finishes; its automatic download crawls (the first download request only), and the host dies mid-way.
    // Every download crawls until this one is seen under way (`times: 1` could be taken by another task's download).
    await sim.setFaults({ slowDownload: { bytesPerSecond: 1_000, times: -1 } });
    await sim.setTaskState(state.running!, { status: 'completed' });
    // Polling already resumed (above); Refresh just saves waiting for the next adaptive check.
    await vscode.commands.executeCommand('seedance.refresh');
    const videos = path.join(workspaceRoot(), 'videos');
    await waitForInternal(state.running!, (t) => t.download.state === 'downloading' && (t.download.bytes ?? 0) > 0, 'the download to be under way', 90_000);
    await sim.setFaults({ slowDownload: null }); // the one under way keeps its pace; the restarted one (phase 3) is quick
    await waitFor(async () => (await storedNow()).some((t) => t.remoteId === state.running && t.download.state === 'downloading' && !!t.download.target),
      'the download target to be stored', 10_000);
    const halfFiles = halfFilesIn(videos);
    assert.ok(halfFiles.length > 0, 'a half file is on disk at the moment of the crash');
    assert.equal((await createRequests()), state.createsAtCrash, 'no create request was sent again');
    writeState({ halfFiles: halfFiles.map((f) => path.join(videos, f)) });
    await crashHere(3);
  });

  it('phase 3: the cut-off download starts again by itself and completes; no half file remains', async function () {
    if (phase() !== 3) this.skip();
    const state = readState();
    const done = await waitForTask(state.running!, (t) => t.status === 'succeeded' && !!t.file, 'the download to complete by itself', 120_000);
    assert.ok(fs.existsSync(done.file!), 'the video is on disk');
    const api = await seedance();
    assert.match(String(api.testHooks.treeItem(state.running!)?.contextValue), /download:downloaded/);
    for (const half of state.halfFiles ?? []) assert.equal(fs.existsSync(half), false, `${path.basename(half)} was deleted`);
    assert.deepEqual(halfFilesIn(path.join(workspaceRoot(), 'videos')), [], 'no half file remains');
    const sending = api.listTasks().find((t) => t.prompt === state.sendingPrompt);
    assert.equal(sending && api.testHooks.task(sending.id)?.status, 'uncertain', 'the uncertain entry is still there');
    assert.equal(await createRequests(), state.createsAtCrash, 'and was never sent again');
  });
});
