// The Seedance view with tasks in every state a person meets: saved, failed, generating, queued, uncertain,
// stalled, download failed. Checks what each item says and offers, the badge, and saves a screenshot
// (screenshots/tree.png) of the view as a user sees it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot } from './helpers';
import { reactivate, seedance, sim, uniquePrompt, waitForInternal, waitForTask } from './seedanceKit';

describe('Seedance view', () => {
  before(async () => {
    await sim.noRandomFaults(); // submits and needs each create answered
  });
  after(async () => {
    await sim.clearFaults();
  });

  it('shows tasks in every state with the right icon, words and actions, and a badge for running ones', async () => {
    await seedance();
    await reactivate({ storedTasks: { version: 1, tasks: [] } });
    const gen = (prompt: string) => vscode.commands.executeCommand<string>('seedance.generate', { prompt });

    const stalledSource = await gen(uniquePrompt('Timelapse of clouds over a mountain ridge [sim:stuck]'));
    const saved = await gen('A lighthouse at dusk, waves crashing against the rocks, slow aerial orbit');
    const failed = await gen('Crowd scene that the service refuses [sim:fail]');
    await waitForTask(saved, (t) => t.status === 'succeeded' && !!t.file, 'the saved video');
    await waitForTask(failed, (t) => t.status === 'failed', 'the failed one');
    await sim.setFaults({ loseCreateResponse: {} });
    await assert.rejects(Promise.resolve(gen('Paper boats racing down a rainy street gutter')));

    // A stalled task and a failed download, as a previous session would have left them.
    const envelope = (await (await seedance()).testHooks.readStoredTasks()) as { version: number; tasks: Record<string, unknown>[] };
    const now = Date.now();
    const extra = [
      {
        localId: 'tree-stalled', remoteId: stalledSource, status: 'stalled', progress: 63,
        request: { prompt: 'Timelapse of clouds over a mountain ridge', model: 'doubao-seedance-2-0', seconds: 10, size: '21:9', resolution: '720p' },
        createdAt: now - 45 * 60_000, submittedAt: now - 45 * 60_000, waitingSince: now - 45 * 60_000, download: { state: 'none' },
      },
      {
        localId: 'tree-download-failed', remoteId: 'task_from_an_earlier_session', status: 'succeeded', progress: 100,
        request: { prompt: 'Product shot: a watch rotating on a marble plinth', model: 'doubao-seedance-1-5-pro', seconds: 6, size: '1:1', resolution: '1080p' },
        createdAt: now - 60 * 60_000, submittedAt: now - 60 * 60_000, finishedAt: now - 58 * 60_000,
        download: { state: 'failed', error: 'The download was interrupted when VS Code closed.' },
      },
    ];
    const api = await reactivate({
      storedTasks: { version: 1, tasks: [...envelope.tasks.filter((t) => t.remoteId !== stalledSource), ...extra] },
    });
    // Two more after the "reload": one generating, one still queued.
    const running = await gen('Macro shot of a bee landing on lavender, shallow depth of field [sim:stuck]');
    const queued = await gen('Neon-lit night market in the rain, handheld walk-through [sim:stuck]');
    await sim.setTaskState(running, { status: 'running', progress: 42 });
    await sim.setTaskState(queued, { status: 'queued' });
    await waitForInternal(running, (t) => t.status === 'running' && t.progress === 42, 'the running task at 42%');
    await waitForInternal(queued, (t) => t.status === 'queued' && t.lastPolledAt !== undefined, 'the queued task to be checked');

    const expectations: [string, RegExp, string][] = [
      [saved, /status:succeeded download:downloaded/, 'pass-filled'],
      [failed, /status:failed/, 'error'],
      [running, /status:running/, 'sync~spin'],
      [queued, /status:queued/, 'clock'],
      ['tree-stalled', /status:stalled/, 'watch'],
      ['tree-download-failed', /status:succeeded download:failed/, 'warning'],
    ];
    for (const [id, context, icon] of expectations) {
      const item = api.testHooks.treeItem(id);
      assert.ok(item, `an item for ${id}`);
      assert.match(String(item.contextValue), context, id);
      assert.equal((item.iconPath as vscode.ThemeIcon).id, icon, id);
      assert.ok(item.id, 'a stable item id');
    }
    const uncertain = api.listTasks().find((t) => t.prompt.startsWith('Paper boats'))!;
    assert.equal(api.testHooks.task(uncertain.id)?.status, 'uncertain');
    // The state leads the label, so the default (narrow) sidebar still shows it.
    assert.match(String(api.testHooks.treeItem(running)?.label), /^42% · \d+(s|m \d\ds) · /);
    assert.equal(api.listTasks()[0].prompt.startsWith('Neon-lit'), true, 'newest first');
    assert.equal(api.testHooks.badge(), 2, 'badge counts the running and the queued task');

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('seedance.tasks.focus');
    // At the default sidebar width: the progress and elapsed time lead each moving task's label.
    await vscode.commands.executeCommand('notifications.clearAll');
    const shot = await screenshot('tree');
    console.log(`tree screenshot: ${shot ?? '(not available on this backend)'}`);
  });
});
