// Status words outside both documented vocabularies (CONTRACT 9), driven end to end: the simulator sends
// the word verbatim on GET /v1/videos/{id}, the extension's real poller reads it, and the Seedance view
// shows what a user sees. Also the create that made its task and then answered 5xx/524: an `uncertain`
// entry, never a silent failure and never a second create.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createRequests, seedance, sim, uniquePrompt, waitForInternal } from './seedanceKit';

type Expected = { status: 'queued' | 'running' | 'failed'; icon: string; description: RegExp; reason?: RegExp };

// What each word must become in the view. NOT_START/QUEUED (new-api) are waiting; FAILURE (new-api) is a
// failure with the provider's reason; Ark's expired/cancelled never produce a video; a word nobody documents
// is treated as still running (and polling goes on, so a later real status is still seen).
const CASES: [string, Expected][] = [
  ['NOT_START', { status: 'queued', icon: 'clock', description: /(^|\| )Queued/ }],
  ['QUEUED', { status: 'queued', icon: 'clock', description: /(^|\| )Queued/ }],
  ['FAILURE', { status: 'failed', icon: 'error', description: /(^|\| )Failed/, reason: /sensitive information/ }],
  ['expired', { status: 'failed', icon: 'error', description: /(^|\| )Failed/, reason: /expired/i }],
  ['cancelled', { status: 'failed', icon: 'error', description: /(^|\| )Failed/, reason: /cancel/i }],
  ['RENDERING_ON_PLANET_X', { status: 'running', icon: 'sync~spin', description: /%/ }],
];

const plain = (md: unknown) => ((md as vscode.MarkdownString | undefined)?.value ?? '').replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');

describe('status words outside both vocabularies, through the poller into the view', () => {
  const made: string[] = [];
  before(async () => {
    await seedance();
    await sim.clearFaults();
    // These tests submit and need their task made and answered: no random lost create answers.
    await sim.noRandomFaults();
  });
  after(async () => {
    await sim.clearFaults();
    // Leave nothing polling forever for the tests that follow.
    for (const id of made) await sim.setTaskState(id, { status: 'error' }).catch(() => undefined);
  });

  for (const [word, want] of CASES) {
    it(`"${word}" is shown as ${want.status}`, async () => {
      const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt(`Odd status ${word} [sim:stuck]`) });
      made.push(id);
      await sim.setTaskState(id, { wireStatus: word });
      await vscode.commands.executeCommand('seedance.refresh');
      const hooks = (await seedance()).testHooks;
      await waitForInternal(id, (t) => t.status === want.status && t.lastPolledAt !== undefined, `the poller to read "${word}"`);
      const item = hooks.treeItem(id)!;
      assert.match(String(item.contextValue), new RegExp(`status:${want.status}\\b`));
      assert.equal((item.iconPath as vscode.ThemeIcon).id, want.icon);
      // While a task moves its state leads the label (the description then names the model); after, the description says it.
      const label = typeof item.label === 'string' ? item.label : item.label?.label;
      assert.match(`${label} | ${String(item.description)}`, want.description);
      if (want.reason) assert.match(plain(item.tooltip), want.reason, `the reason is shown for ${word}`);

      if (want.status !== 'failed') {
        // Still watched: the real end is picked up when it comes.
        await sim.setTaskState(id, { status: 'completed' });
        await vscode.commands.executeCommand('seedance.refresh');
        await waitForInternal(id, (t) => t.status === 'succeeded', `the task after "${word}" to finish`);
      }
    });
  }

  for (const [status, shape] of [[524, 'html'], [502, 'envelope'], [503, 'envelope']] as const) {
    it(`a create that made its task and then answered ${status} is an uncertain entry, sent once`, async () => {
      await sim.setFaults({ createThenError: { status, shape } });
      const before = await createRequests();
      const prompt = uniquePrompt(`Created, then ${status}`);
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('seedance.generate', { prompt })));
      const api = await seedance();
      const entry = api.listTasks().find((t) => t.prompt === prompt);
      assert.ok(entry, 'the request is kept in the list');
      assert.equal(api.testHooks.task(entry.id)?.status, 'uncertain');
      const item = api.testHooks.treeItem(entry.id)!;
      assert.match(String(item.contextValue), /status:uncertain/);
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'question');
      assert.match(String(item.description), /May have been submitted/);
      const simTasks = (await sim.tasks()).filter((t) => t.prompt === prompt);
      assert.equal(simTasks.length, 1, 'the service did make it: uncertain is the truth');
      made.push(simTasks[0].id);
      await vscode.commands.executeCommand('seedance.refresh');
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(await createRequests(), before + 1, 'never sent twice by itself');
      await vscode.commands.executeCommand('seedance.dismissUncertain', entry.id);
    });
  }
});
