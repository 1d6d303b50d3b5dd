// Nothing submitted is lost and nothing is billed twice: a lost create answer leaves an uncertain entry
// that is never re-sent; a reload (re-activation over the same workspaceState) resumes unfinished tasks by
// itself; a stalled task resumes with Keep Waiting; an unknown id fails in plain words; an expired link is
// renewed once; an output folder outside the workspace is refused.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './helpers';
import {
  createRequests, filesIn, reactivate, seedance, sim, uniquePrompt, waitForInternal, waitForTask, withSetting, workspaceRoot,
} from './seedanceKit';

describe('recovery', () => {
  const restore: (() => Promise<void>)[] = [];
  before(async () => {
    await seedance();
    await sim.clearFaults();
    await sim.noRandomFaults(); // submits and needs each create answered
  });
  afterEach(async () => {
    while (restore.length) await restore.pop()!();
    await sim.clearFaults();
    await sim.setConfig({ urlExpirySeconds: 86400, clockOffsetSeconds: 0, urlMode: 'newapi' });
  });

  it('a create whose answer is lost leaves an uncertain entry and is never re-sent', async () => {
    await sim.setFaults({ loseCreateResponse: {} });
    const before = await createRequests();
    const prompt = uniquePrompt('Lost in transit');
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('seedance.generate', { prompt })),
      /may have reached CometAPI/,
    );
    const api = await seedance();
    const entry = api.listTasks().find((t) => t.prompt === prompt);
    assert.ok(entry, 'the request is kept in the list');
    assert.equal(entry.status, 'failed');
    assert.match(entry.error ?? '', /may have/);
    assert.equal(api.testHooks.task(entry.id)?.status, 'uncertain');
    assert.match(String(api.testHooks.treeItem(entry.id)?.contextValue), /status:uncertain/);
    assert.equal((await sim.tasks()).filter((t) => t.prompt === prompt).length, 1, 'the simulator did create it once');
    // Give an automatic retry every chance to happen (it must not), then count again.
    await vscode.commands.executeCommand('seedance.refresh');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await createRequests(), before + 1, 'exactly one create was ever sent');

    await vscode.commands.executeCommand('seedance.dismissUncertain', entry.id);
    assert.equal(api.listTasks().some((t) => t.prompt === prompt), false, 'dismissed');
  });

  it('after a reload, unfinished tasks reappear and finish by themselves (download included)', async () => {
    const prompt = uniquePrompt('Survives a reload [sim:stuck]');
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt });
    // Persisted by itself (no flush requested) right after the id came back.
    await waitFor(async () => JSON.stringify(await (await seedance()).testHooks.readStoredTasks({ flush: false })).includes(id), 'the id to be persisted', 5_000);

    const next = await reactivate();
    const restored = next.listTasks().find((t) => t.id === id);
    assert.ok(restored, 'the new activation lists the task');
    assert.notEqual(restored.status, 'succeeded');
    await sim.setTaskState(id, { status: 'completed' });
    const done = await waitForTask(id, (t) => t.status === 'succeeded' && !!t.file, 'the restored task to finish and download');
    assert.ok(fs.existsSync(done.file!));
  });

  it('a request that was being sent when the window closed comes back as uncertain, and nothing is sent', async () => {
    const before = await createRequests();
    const envelope = (await (await seedance()).testHooks.readStoredTasks()) as { version: number; tasks: unknown[] };
    const prompt = uniquePrompt('Interrupted mid-send');
    const interrupted = {
      localId: `it-interrupted-${Date.now()}`,
      status: 'submitting',
      progress: 0,
      request: { prompt, model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' },
      createdAt: Date.now(),
      download: { state: 'none' },
    };
    const api = await reactivate({ storedTasks: { version: 1, tasks: [interrupted, ...envelope.tasks] } });
    const entry = api.listTasks().find((t) => t.prompt === prompt)!;
    assert.equal(api.testHooks.task(entry.id)?.status, 'uncertain');
    assert.equal(await createRequests(), before);
  });

  it('a task past the deadline is stalled, and Keep Waiting resumes it', async () => {
    const prompt = uniquePrompt('Takes forever [sim:stuck]');
    await reactivate({ poller: { stallAfterMs: 2_500, timeScale: 0.05 } });
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt });
    await waitForInternal(id, (t) => t.status === 'stalled', 'the task to stall');
    const api = await seedance();
    assert.match(String(api.testHooks.treeItem(id)?.contextValue), /status:stalled/);
    assert.equal((api.testHooks.treeItem(id)?.iconPath as vscode.ThemeIcon).id, 'watch');
    await sim.setTaskState(id, { status: 'completed' });
    await vscode.commands.executeCommand('seedance.keepWaiting', id);
    await waitForTask(id, (t) => t.status === 'succeeded', 'the resumed task to finish');
    await reactivate(); // back to the normal timing for the tests that follow
  });

  it('a stalled task is still checked: Refresh finds it finished without Keep Waiting', async () => {
    const prompt = uniquePrompt('Slow but sure [sim:stuck]');
    // A tenth of the real cadence: checked about every second, stalled after 2 s, then only every 30 s.
    await reactivate({ poller: { stallAfterMs: 2_000, timeScale: 0.1 } });
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt });
    await waitForInternal(id, (t) => t.status === 'stalled', 'the task to stall');
    await sim.setTaskState(id, { status: 'completed' });
    await vscode.commands.executeCommand('seedance.refresh');
    // Well before the next slow check (30 s): only Refresh can have found it.
    await waitForTask(id, (t) => t.status === 'succeeded', 'Refresh to find the stalled task finished', 15_000);
    await reactivate();
  });

  it('an id the service does not know fails with a plain explanation, only when it is still unknown minutes later', async () => {
    const envelope = (await (await seedance()).testHooks.readStoredTasks()) as { version: number; tasks: unknown[] };
    const prompt = uniquePrompt('Forgotten by the service');
    const ghost = {
      localId: `it-ghost-${Date.now()}`,
      remoteId: 'task_does_not_exist_0000',
      status: 'running',
      progress: 30,
      request: { prompt, model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' },
      createdAt: Date.now() - 10 * 60_000,
      submittedAt: Date.now() - 10 * 60_000,
      lastPolledAt: Date.now() - 60_000,
      download: { state: 'none' },
    };
    // A fiftieth of the real cadence: "minutes later" (5 min) is 6 s here.
    await reactivate({ storedTasks: { version: 1, tasks: [ghost, ...envelope.tasks] }, poller: { timeScale: 0.02 } });
    const started = Date.now();
    await waitForInternal(ghost.localId, (t) => t.notFoundSince !== undefined, 'the first task_not_exist to be noted');
    assert.equal((await seedance()).testHooks.task(ghost.localId)?.status, 'running', 'one task_not_exist does not end it');
    const failed = await waitForTask('task_does_not_exist_0000', (t) => t.status === 'failed', 'the unknown task to fail');
    assert.ok(Date.now() - started >= 6_000 - 500, 'not before the confirmation time');
    assert.match(failed.error ?? '', /no longer knows this task/);
    await reactivate();
  });

  it('an expired link: one fresh poll; renewed when the service re-signs, a clear failure (and no file) when it cannot', async () => {
    restore.push(await withSetting('seedance', 'autoDownload', false, vscode.ConfigurationTarget.Workspace));
    await sim.setConfig({ urlExpirySeconds: 1 });
    const renewable = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Renewable link') });
    const stuck = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Dead link') });
    await waitForTask(renewable, (t) => t.status === 'succeeded', 'the first task to finish');
    await waitForTask(stuck, (t) => t.status === 'succeeded', 'the second task to finish');
    // Every link issued so far is now past its 1 s lifetime, without waiting.
    await sim.setConfig({ clockOffsetSeconds: 30 });
    const videos = path.join(workspaceRoot(), 'videos');
    const filesBefore = filesIn(videos);

    // newapi mode: the service returns the same dead link again.
    const since = (await sim.requests()).reduce((m, r) => Math.max(m, r.seq), 0);
    await vscode.commands.executeCommand('seedance.downloadAgain', stuck);
    const dead = await waitForInternal(stuck, (t) => t.download.state === 'failed', 'the dead link to fail');
    assert.match(dead.download.error ?? '', /expired/);
    const repolls = (await sim.requests({ server: 'api', since })).filter((r) => r.method === 'GET' && r.path.includes(encodeURIComponent(stuck)));
    assert.equal(repolls.length, 1, 'exactly one poll for a fresh link');
    assert.deepEqual(filesIn(videos), filesBefore, 'no half file');
    assert.match(String((await seedance()).testHooks.treeItem(stuck)?.contextValue), /download:failed/);

    // ark mode: a fresh, valid link comes back and the download succeeds.
    await sim.setConfig({ urlMode: 'ark', urlExpirySeconds: 3600 });
    const file = await vscode.commands.executeCommand<string>('seedance.downloadAgain', renewable);
    assert.ok(file && fs.existsSync(file), 'downloaded with the renewed link');
  });

  it('refuses an output folder outside the workspace and writes nothing there', async () => {
    const outside = `../seedance-escape-${Date.now()}`;
    restore.push(await withSetting('seedance', 'outputFolder', outside, vscode.ConfigurationTarget.Workspace));
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Trying to escape') });
    await waitForInternal(id, (t) => t.status === 'succeeded' && t.download.state === 'failed', 'the download to be refused');
    const task = (await seedance()).testHooks.task(id)!;
    assert.match(task.download.error ?? '', /outside the workspace folder/);
    assert.equal(fs.existsSync(path.resolve(workspaceRoot(), outside)), false, 'nothing was created outside');
  });
});
