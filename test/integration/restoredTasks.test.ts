// A lighter start (issue 9): after a reload, settled tasks (saved or failed) are read from storage only when
// first needed, unfinished ones at once. In real VS Code: the unfinished task is checked again within
// seconds, every settled one is in the view, and a corrupted stored record is skipped without breaking it.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './helpers';
import { reactivate, seedance, sim, uniquePrompt, waitForInternal, workspaceRoot } from './seedanceKit';

describe('restored tasks (a lighter start)', () => {
  before(async () => {
    await seedance();
    await sim.clearFaults();
    await sim.noRandomFaults();
  });

  it('after a reload: the unfinished task is checked at once, every settled task is in the view, a corrupted record is skipped', async () => {
    const running = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Still running after the reload [sim:stuck]') });
    await waitForInternal(running, (t) => t.status === 'queued' || t.status === 'running', 'the task to be on the service');
    const envelope = (await (await seedance()).testHooks.readStoredTasks()) as { version: number; tasks: Record<string, unknown>[] };

    const now = Date.now();
    const settled = Array.from({ length: 150 }, (_, i) => ({
      localId: `restored-${i}`, remoteId: `task_restored_${i}`, status: i % 10 === 0 ? 'failed' : 'succeeded', progress: 100,
      request: { prompt: `Restored shot ${i}: a lighthouse at dusk`, model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' },
      createdAt: now - (i + 600) * 60_000, submittedAt: now - (i + 600) * 60_000, finishedAt: now - (i + 599) * 60_000,
      ...(i % 10 === 0
        ? { failure: { kind: 'service', message: 'The service refused this prompt.' }, download: { state: 'none' } }
        : { download: { state: 'downloaded', bytes: 1000 }, file: path.join(workspaceRoot(), 'videos', `restored-${i}.mp4`) }),
    }));
    // Claims to be a saved video, but its creation time is unreadable: it must be skipped, not break the view.
    const corrupted = { localId: 'restored-corrupted', status: 'succeeded', download: { state: 'downloaded' }, createdAt: 'yesterday', request: settled[1].request };

    const since = (await sim.requests()).reduce((m, r) => Math.max(m, r.seq), 0);
    const api = await reactivate({ storedTasks: { version: 1, tasks: [...envelope.tasks, corrupted, ...settled] } });
    await waitFor(
      async () => (await sim.requests({ server: 'api', since })).some((r) => r.method === 'GET' && r.path.includes(encodeURIComponent(running))),
      'a status check of the unfinished task after the reload',
      15_000,
    );

    const roots = api.testHooks.treeRootIds();
    for (const t of settled) assert.ok(roots.includes(t.localId), `${t.localId} is in the view`);
    assert.equal(roots.includes('restored-corrupted'), false, 'the corrupted record is skipped');
    assert.ok(roots.indexOf('restored-1') < roots.indexOf('restored-2'), 'newest first');
    assert.match(String(api.testHooks.treeItem('restored-1')?.contextValue), /status:succeeded download:downloaded/);
    assert.match(String(api.testHooks.treeItem('restored-0')?.contextValue), /status:failed/);
    assert.ok(api.listTasks().some((t) => t.id === running), 'the unfinished task is listed too');

    // Leave the usual list for the suites that follow.
    await reactivate({ storedTasks: envelope });
  });
});
