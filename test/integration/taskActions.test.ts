// The task actions a person reaches from the Seedance view, in real VS Code against the simulator: the
// menus (package.json `when` clauses evaluated against the contextValue of every status x download state),
// Remove (asks for a running task; refused while the request is being sent), Resubmit Anyway (asks, then
// sends exactly once more), the key prompt when the base URL's origin changed, Download Again on a saved
// video (asks; Keep Both / Replace), Cancel Download (no half file).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrackedStatus, DownloadStateName } from '../../src/core/tasks/task';
// Types only: the extension under test is the bundle, and no module of src/ may be loaded beside it.
import type { ModalQuestion } from '../../src/vscode/modal';
import { EXTENSION_ID, testEnv, waitFor } from './helpers';
import { createRequests, filesIn, reactivate, seedance, sim, uniquePrompt, waitForInternal, waitForTask, workspaceRoot } from './seedanceKit';
import { evaluateWhen } from './whenClause';

/**
 * Runs `action`, answering every modal question it asks with `label` (undefined = Cancel). VS Code refuses
 * modal dialogs while extension tests run, so the extension lets a test run answer them (src/vscode/modal.ts);
 * the questions are returned so each test checks what the person would have been asked.
 */
const ANSWERER_KEY = Symbol.for('seedanceStudio.test.modalAnswerer'); // src/vscode/modal.ts

async function answering<T>(label: string | undefined, action: () => Thenable<T>): Promise<{ result: T; asked: ModalQuestion[] }> {
  const asked: ModalQuestion[] = [];
  const slot = globalThis as Record<symbol, unknown>;
  slot[ANSWERER_KEY] = (question: ModalQuestion) => {
    asked.push(question);
    return label;
  };
  try {
    return { result: await action(), asked };
  } finally {
    delete slot[ANSWERER_KEY];
  }
}

const STATUSES: readonly TrackedStatus[] = ['submitting', 'uncertain', 'queued', 'running', 'stalled', 'succeeded', 'failed'];
const DOWNLOADS: readonly DownloadStateName[] = ['none', 'downloading', 'downloaded', 'failed'];

/** The actions that make sense for a task, by group: what the menus must offer, no more and no less. */
function expectedActions(
  status: TrackedStatus,
  download: DownloadStateName,
  hasRemoteId: boolean,
): { inline: string[]; context: string[] } {
  const followed = ['queued', 'running', 'stalled', 'succeeded', 'failed'].includes(status);
  const downloaded = download === 'downloaded';
  const inline: string[] = [];
  const context: string[] = [];
  if (downloaded) inline.push('seedance.openVideo');
  if (status === 'succeeded' && (download === 'none' || download === 'failed')) inline.push('seedance.downloadAgain');
  if (status === 'stalled') inline.push('seedance.keepWaiting');
  if (status === 'failed') inline.push('seedance.regenerate');
  // A failed task with a service id can be asked again (no new create, nothing billed).
  if (status === 'failed' && hasRemoteId) inline.push('seedance.checkAgain');
  if (status === 'uncertain') inline.push('seedance.dismissUncertain');
  if (download === 'downloading') inline.push('seedance.cancelDownload');

  if (downloaded) context.push('seedance.openVideo', 'seedance.previewTask', 'seedance.revealInExplorer', 'seedance.revealInOS');
  // Not while a download runs (it would join it); once saved it asks before making a second copy.
  if (status === 'succeeded' && download !== 'downloading') context.push('seedance.downloadAgain');
  if (status === 'stalled') context.push('seedance.keepWaiting');
  // Promote sends the finished request again at a higher resolution or on another model (its file is not needed).
  if (status === 'succeeded') context.push('seedance.promote');
  if (status === 'failed' && hasRemoteId) context.push('seedance.checkAgain');
  if (download === 'downloading') context.push('seedance.cancelDownload');
  // Regenerate opens the form: for everything except a request still being sent or an uncertain one
  // (that one has Resubmit Anyway, with its warning).
  if (followed) context.push('seedance.regenerate');
  if (status === 'uncertain') context.push('seedance.resubmitUncertain', 'seedance.dismissUncertain');
  if (hasRemoteId) context.push('seedance.copyTaskId');
  context.push('seedance.copyPrompt');
  // Never while the create request is on its way (item 4); an uncertain one is dismissed instead.
  if (followed) context.push('seedance.removeTask');
  return { inline: inline.sort(), context: context.sort() };
}

interface MenuEntry { command: string; when?: string; group?: string }

describe('task actions', () => {
  const restore: (() => Promise<void>)[] = [];
  before(async () => {
    await seedance();
    await sim.clearFaults();
  });
  afterEach(async () => {
    while (restore.length) await restore.pop()!();
    await sim.clearFaults();
  });

  it('menus: every status x download state offers exactly the actions that make sense', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const entries = (ext.packageJSON as { contributes: { menus: Record<string, MenuEntry[]> } }).contributes.menus['view/item/context'];
    const before = (await (await seedance()).testHooks.readStoredTasks()) as { version: number; tasks: unknown[] };
    restore.push(async () => void (await reactivate({ storedTasks: before })));

    // Every state a stored task can come back in, shown by the real tree (nothing polled meanwhile)...
    const now = Date.now();
    const request = { prompt: 'Menu check', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };
    const stored = STATUSES.filter((s) => s !== 'submitting').flatMap((status) => DOWNLOADS.filter((d) => d !== 'downloading').map((download) => ({
      localId: `menu-${status}-${download}`, status, progress: 0, request, createdAt: now, submittedAt: now,
      download: { state: download }, ...(status === 'uncertain' ? {} : { remoteId: `task_menu_${status}_${download}` }),
    })));
    let api = await reactivate({ storedTasks: { version: 1, tasks: stored }, poller: { timeScale: 1_000 } });
    const seen: { status: TrackedStatus; download: DownloadStateName; hasRemoteId: boolean; contextValue: string }[] = [];
    const look = (id: string) => {
      const task = api.testHooks.task(id)!;
      seen.push({
        status: task.status,
        download: task.download.state,
        hasRemoteId: task.remoteId !== undefined,
        contextValue: String(api.testHooks.treeItem(id)?.contextValue),
      });
    };
    for (const t of stored) look(t.localId);
    // ...plus the two that exist only live: a request on its way, and a download under way.
    // Every download crawls until this one is seen running (`times: 1` could be taken by another task's download).
    await sim.setFaults({ delay: { ms: 3_000, on: 'create' }, slowDownload: { bytesPerSecond: 1_000, times: -1 } });
    const prompt = uniquePrompt('Menu check live');
    const sending = Promise.resolve(vscode.commands.executeCommand<string>('seedance.generate', { prompt }));
    const entry = await waitFor(() => api.listTasks().find((t) => t.prompt === prompt), 'the entry being sent', 10_000);
    look(entry.id);
    const id = await sending;
    api = await reactivate({ poller: { timeScale: 0.1 } });
    await waitForInternal(id, (t) => t.download.state === 'downloading', 'the download to run', 60_000);
    await sim.setFaults({ slowDownload: null });
    look(id);

    const combos = new Set(seen.map((s) => `${s.status} x ${s.download}`));
    for (const status of STATUSES) assert.ok([...combos].some((c) => c.startsWith(`${status} x`)), `status ${status} was checked`);
    for (const download of DOWNLOADS) assert.ok([...combos].some((c) => c.endsWith(`x ${download}`)), `download ${download} was checked`);
    const problems: string[] = [];
    for (const { status, download, hasRemoteId, contextValue } of seen) {
      // A desktop window with local files (the browser host's menus are checked in browserHost.test.ts).
      const context = { view: 'seedance.tasks', viewItem: contextValue, 'seedance.filesAreLocal': true };
      const offered = (inline: boolean) => [...new Set(entries
        .filter((e) => (e.group ?? '').startsWith('inline') === inline && (e.when === undefined || evaluateWhen(e.when, context)))
        .map((e) => e.command))].sort();
      const expected = expectedActions(status, download, hasRemoteId);
      const got = { inline: offered(true), context: offered(false) };
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        problems.push(`${status} x ${download} ("${contextValue}"): offered ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
      }
    }
    assert.deepEqual(problems, []);
    // Let the slow download finish before the next test reactivates.
    await waitForInternal(id, (t) => t.download.state === 'downloaded', 'the download to finish', 60_000);
  });

  it('the when-clause evaluator refuses what it does not understand (so a new clause cannot pass unread)', () => {
    assert.equal(evaluateWhen('view == seedance.tasks && viewItem =~ /\\bstatus:(a|b)\\b/', { view: 'seedance.tasks', viewItem: 'x status:b' }), true);
    assert.equal(evaluateWhen('view == seedance.tasks && viewItem =~ /\\bstatus:(a|b)\\b/', { view: 'seedance.tasks', viewItem: 'x status:c' }), false);
    assert.equal(evaluateWhen('!seedance.hasKey || view != other', { view: 'v', 'seedance.hasKey': true }), true);
    assert.throws(() => evaluateWhen('view in someList', { view: 'v' }));
    assert.throws(() => evaluateWhen('unknownKey', {}));
  });

  it('Remove: refused while the request is being sent; asks for a running task; Cancel keeps it, Remove drops it', async () => {
    const api = await seedance();
    await sim.setFaults({ delay: { ms: 4_000, on: 'create' } });
    const prompt = uniquePrompt('Remove me [sim:stuck]');
    const sending = Promise.resolve(vscode.commands.executeCommand<string>('seedance.generate', { prompt }));
    const entry = await waitFor(() => api.listTasks().find((t) => t.prompt === prompt), 'the entry being sent', 10_000);
    assert.equal(api.testHooks.task(entry.id)?.status, 'submitting');
    const refused = await answering('Remove', () => vscode.commands.executeCommand('seedance.removeTask', entry.id));
    assert.deepEqual(refused.asked, [], 'not even asked');
    assert.ok(api.listTasks().some((t) => t.prompt === prompt), 'a request being sent is not removed');

    const id = await sending;
    const kept = await answering(undefined, () => vscode.commands.executeCommand('seedance.removeTask', id));
    assert.equal(kept.asked.length, 1);
    assert.match(kept.asked[0].message, /Stop following this video/);
    assert.equal(kept.asked[0].id, 'task.removeRunning');
    assert.ok(kept.asked[0].detail?.includes(id), 'the question names the task id');
    assert.ok(api.testHooks.task(id), 'Cancel keeps it');
    await answering('Remove', () => vscode.commands.executeCommand('seedance.removeTask', id));
    assert.equal(api.testHooks.task(id), undefined, 'Remove drops it');
    assert.equal(api.listTasks().some((t) => t.prompt === prompt), false);
  });

  it('Resubmit Anyway: asks first; Cancel sends nothing; Resubmit sends once more and replaces the uncertain entry', async () => {
    const api = await seedance();
    await sim.setFaults({ loseCreateResponse: {} });
    const prompt = uniquePrompt('Resubmit me');
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('seedance.generate', { prompt })), /may have reached CometAPI/);
    const uncertain = api.listTasks().find((t) => t.prompt === prompt)!;
    assert.equal(api.testHooks.task(uncertain.id)?.status, 'uncertain');
    const before = await createRequests();

    const declined = await answering(undefined, () => vscode.commands.executeCommand('seedance.resubmitUncertain', uncertain.id));
    assert.equal(declined.asked.length, 1);
    assert.match(declined.asked[0].detail ?? '', /may cost twice/);
    assert.equal(declined.asked[0].id, 'resubmitUncertain');
    assert.equal(await createRequests(), before, 'Cancel sends nothing');
    assert.equal(api.testHooks.task(uncertain.id)?.status, 'uncertain');

    const { result: newId } = await answering('Resubmit', () => vscode.commands.executeCommand<string>('seedance.resubmitUncertain', uncertain.id));
    assert.match(String(newId), /^task_/);
    assert.equal(await createRequests(), before + 1, 'exactly one more create');
    assert.equal(api.testHooks.task(uncertain.id), undefined, 'the uncertain entry is replaced');
    assert.equal(api.listTasks().filter((t) => t.prompt === prompt).length, 1);
  });

  it('a key entered for another origin: asks before sending it; Cancel sends nothing, Send Key sends it and remembers the origin', async () => {
    const api = await seedance();
    const origin = new URL(testEnv.apiBaseUrl).origin;
    const secretName = api.testHooks.apiKeySecretName;
    const previous = await api.testHooks.secrets.get(secretName);
    restore.push(async () => {
      if (previous === undefined) await api.testHooks.secrets.delete(secretName);
      else await api.testHooks.secrets.store(secretName, previous);
      await reactivate();
    });
    await api.testHooks.secrets.store(secretName, JSON.stringify({ v: 1, key: testEnv.apiKey, origin: 'https://api.cometapi.com' }));
    await reactivate(); // a fresh key store: no answer remembered from earlier
    const before = await createRequests();
    const declined = await answering(undefined, () => vscode.commands.executeCommand('seedance.generate', { prompt: uniquePrompt('Not to a stranger') }).then(
      () => assert.fail('the request must not be sent'),
      (e: Error) => assert.match(e.message, /chose not to send it/),
    ));
    assert.equal(declined.asked.length, 1);
    assert.match(declined.asked[0].message, /different server/);
    assert.equal(declined.asked[0].id, 'apiKey.newOrigin');
    assert.deepEqual(declined.asked[0].choices, [`Send Key to ${origin}`]);
    assert.equal(await createRequests(), before, 'nothing was sent');

    const current = await reactivate();
    const { result: id } = await answering(`Send Key to ${origin}`, () => vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Send it here') }));
    assert.match(String(id), /^task_/);
    assert.equal(await createRequests(), before + 1);
    const stored = JSON.parse((await current.testHooks.secrets.get(secretName)) ?? '{}') as { origin?: string };
    assert.equal(stored.origin, origin, 'the key is now remembered for this origin');
    const again = await answering(undefined, () => vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('No question now') }));
    assert.deepEqual(again.asked, [], 'not asked again for the same origin');
  });

  it('Download Again on a saved video asks: Keep Both saves a second copy, Replace leaves one copy and one record', async () => {
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Download me twice') });
    const first = await waitForInternal(id, (t) => t.download.state === 'downloaded', 'the first copy');
    const videos = path.join(workspaceRoot(), 'videos');
    const mine = () => filesIn(videos).filter((f) => f.includes('download-me-twice') && !f.startsWith('.'));

    const cancelled = await answering(undefined, () => vscode.commands.executeCommand('seedance.downloadAgain', id));
    assert.equal(cancelled.result, undefined);
    assert.match(cancelled.asked[0]?.message ?? '', /already saved as/);
    assert.deepEqual(cancelled.asked[0].choices, ['Replace', 'Keep Both']);
    assert.equal(cancelled.asked[0].id, 'task.downloadAgain');
    assert.equal(mine().length, 2, 'Cancel: nothing new');

    const { result: second } = await answering('Keep Both', () => vscode.commands.executeCommand<string>('seedance.downloadAgain', id));
    assert.ok(second && second !== first.file && fs.existsSync(second) && fs.existsSync(first.file!), 'Keep Both: two copies');
    assert.equal(mine().length, 4);

    const { result: third } = await answering('Replace', () => vscode.commands.executeCommand<string>('seedance.downloadAgain', id));
    assert.ok(third && fs.existsSync(third));
    assert.equal(fs.existsSync(second), false, 'Replace: the copy it replaced is gone');
    assert.equal(fs.existsSync(second.replace(/\.mp4$/, '.json')), false, 'with its record');
    assert.equal(mine().length, 4, 'the first copy (kept earlier) and the new one, each with its record');

    // A saved copy that was deleted meanwhile: nothing to orphan, so no question.
    fs.rmSync(third);
    const missing = await answering(undefined, () => vscode.commands.executeCommand<string>('seedance.downloadAgain', id));
    assert.deepEqual(missing.asked, []);
    assert.ok(missing.result && fs.existsSync(missing.result));
  });

  it('Cancel Download stops a running download and leaves no half file', async () => {
    // Every download crawls until this one is seen running (`times: 1` could be taken by another task's download).
    await sim.setFaults({ slowDownload: { bytesPerSecond: 1_000, times: -1 } });
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Cancel this download') });
    await waitForInternal(id, (t) => t.download.state === 'downloading' && (t.download.bytes ?? 0) > 0, 'the download to run', 60_000);
    await sim.setFaults({ slowDownload: null }); // the running one keeps its pace; Download Again below is quick
    const api = await seedance();
    assert.match(String(api.testHooks.treeItem(id)?.contextValue), /download:downloading/);
    await vscode.commands.executeCommand('seedance.cancelDownload', id);
    const cancelled = await waitForInternal(id, (t) => t.download.state === 'failed', 'the download to stop');
    assert.match(cancelled.download.error ?? '', /cancelled/);
    const videos = path.join(workspaceRoot(), 'videos');
    assert.deepEqual(filesIn(videos).filter((f) => f.includes('cancel-this-download')), [], 'no half file, no record');
    // Downloads cost nothing: Download Again gets it.
    const file = await vscode.commands.executeCommand<string>('seedance.downloadAgain', id);
    assert.ok(file && fs.existsSync(file));
    await waitForTask(id, (t) => !!t.file, 'the snapshot to show the file');
  });

  it('a download under way when the extension deactivates is stopped, then starts again by itself; no half file', async () => {
    // Every download crawls until this one is seen running (`times: 1` could be taken by another task's download).
    await sim.setFaults({ slowDownload: { bytesPerSecond: 1_000, times: -1 } });
    const prompt = uniquePrompt('Deactivate mid download');
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt });
    await waitForInternal(id, (t) => t.download.state === 'downloading' && (t.download.bytes ?? 0) > 0, 'the download to run', 60_000);
    await sim.setFaults({ slowDownload: null }); // the running one keeps its pace; the restarted one is quick
    const videos = path.join(workspaceRoot(), 'videos');
    const half = filesIn(videos).filter((f) => f.includes('deactivate-mid-download') && f.includes('.part-'));
    assert.equal(half.length, 1, 'the half file exists while downloading');
    await reactivate(); // disposes everything (as deactivation does), then activates again over the same storage
    const done = await waitForInternal(id, (t) => t.download.state === 'downloaded', 'the download to restart and finish', 60_000);
    assert.ok(done.file && fs.existsSync(done.file));
    assert.deepEqual(filesIn(videos).filter((f) => f.includes('deactivate-mid-download')).sort(),
      [path.basename(done.file), path.basename(done.metadataFile!)].sort(), 'one video and its record, nothing else');
  });
});
