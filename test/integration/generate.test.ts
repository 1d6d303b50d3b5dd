// seedance.generate with an argument object, end to end in real VS Code against the simulator: the id it
// resolves to, the tree and listTasks, the finished video and its record in the workspace; invalid input
// that sends nothing; failed and errored generations; a 429 burst while polling.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  createRequests, seedance, sim, uniquePrompt, waitForTask, workspaceRoot,
} from './seedanceKit';

describe('seedance.generate with arguments', () => {
  before(async () => {
    await seedance();
    await sim.clearFaults();
    await sim.noRandomFaults(); // submits and needs each create answered
  });

  it('resolves to the service id, shows the task, and saves the MP4 and its JSON record in the output folder', async () => {
    const prompt = uniquePrompt('A red fox trotting through fresh snow at sunrise');
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt, model: 'doubao-seedance-2-0-fast', seconds: 4, size: '9:16', resolution: '480p' });
    assert.match(id, /^task_/, 'the service id comes back');
    const simTask = (await sim.tasks()).find((t) => t.id === id);
    assert.ok(simTask, 'the simulator has the task under that id');
    assert.equal(simTask.prompt, prompt);
    assert.equal(simTask.seconds, 4);
    assert.equal(simTask.ratio, '9:16');

    const api = await seedance();
    const listed = api.listTasks().find((t) => t.id === id);
    assert.ok(listed, 'listTasks shows it at once');
    assert.deepEqual(
      { prompt: listed.prompt, model: listed.model, seconds: listed.seconds, size: listed.size, resolution: listed.resolution },
      { prompt, model: 'doubao-seedance-2-0-fast', seconds: 4, size: '9:16', resolution: '480p' },
    );
    assert.equal(api.listTasks()[0].id, id, 'newest first');
    const item = api.testHooks.treeItem(id);
    assert.ok(item, 'the tree has an item for it');
    assert.match(String(item.label), /^(Sending…|Queued · \d+s|\d+% · \S+) · A red fox trotting/, `label: the state, then the shortened prompt: ${String(item.label)}`);

    const done = await waitForTask(id, (t) => t.status === 'succeeded' && t.file !== undefined, 'the video to be downloaded');
    const root = fs.realpathSync(workspaceRoot());
    const file = done.file!;
    assert.equal(path.dirname(fs.realpathSync(file)), path.join(root, 'videos'), 'saved in the default output folder inside the workspace');
    assert.match(path.basename(file), /^\d{4}-\d\d-\d\d_\d{4}_a-red-fox-trotting-through-fresh-snow-at-sunrise-[a-z0-9]+\.mp4$/);
    const bytes = fs.readFileSync(file);
    assert.equal(bytes.subarray(4, 8).toString('latin1'), 'ftyp', 'an MP4 file');
    const record = JSON.parse(fs.readFileSync(file.replace(/\.mp4$/, '.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(record.prompt, prompt);
    assert.equal(record.taskId, id);
    assert.equal(record.seconds, 4);
    assert.equal(JSON.stringify(record).includes('X-Tos'), false, 'no signed URL in the record');
    const leftovers = fs.readdirSync(path.dirname(file)).filter((f) => f.includes('.part-'));
    assert.deepEqual(leftovers, [], 'no partial files');

    const finished = api.testHooks.treeItem(id)!;
    assert.match(String(finished.contextValue), /status:succeeded/);
    assert.match(String(finished.contextValue), /download:downloaded/);
    assert.equal((finished.iconPath as vscode.ThemeIcon).id, 'pass-filled');
    assert.ok(!(finished.tooltip as vscode.MarkdownString).value.includes('&nbsp;'), 'plain spaces, so the hover wraps between words');
    const tooltip = (finished.tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1');
    for (const part of [prompt, 'Seedance 2.0 Fast', '4 s', '9:16', '480p', id]) assert.ok(tooltip.includes(part), `tooltip mentions ${part}: ${tooltip}`);
  });

  it('rejects invalid input with an error that names the rule, and sends nothing', async () => {
    const before = await createRequests();
    const tasksBefore = (await seedance()).listTasks().length;
    const cases: [unknown, RegExp][] = [
      [{ prompt: 'Too long for this model', model: 'doubao-seedance-2-0', seconds: 16 }, /4 to 15 seconds; you asked for 16/],
      [{ prompt: 'A retired model', model: 'doubao-seedance-1-0-pro' }, /retired by CometAPI on 2026-07-17; use Seedance 2\.0 \(doubao-seedance-2-0\) or Seedance 2\.0 Fast/],
      [{ prompt: 'Wrong resolution', model: 'doubao-seedance-2-0', resolution: '1080p' }, /supports 480p and 720p, not 1080p/],
      [{ prompt: '   ' }, /Write a prompt/],
      [{ prompt: 'Typo', duration: 5 }, /Unknown field "duration"/],
      [{ prompt: 'Not an image', inputReference: path.join(workspaceRoot(), 'missing.png') }, /does not exist/],
      [{ prompt: 'A remote image', model: 'seedance-2-5', inputReference: 'https://example.com/a.png' }, /local file path/],
    ];
    for (const [args, pattern] of cases) {
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('seedance.generate', args)),
        (e: unknown) => e instanceof Error && pattern.test(e.message),
        `expected ${pattern} for ${JSON.stringify(args)}`,
      );
    }
    assert.equal(await createRequests(), before, 'no create request reached the simulator');
    assert.equal((await seedance()).listTasks().length, tasksBefore, 'nothing was added to the list');
  });

  it('accepts a reference image by path (checked by content) for a 2.0 model', async () => {
    const image = path.join(workspaceRoot(), 'reference.png');
    // The smallest valid PNG header is enough: the service and the simulator check the type by its bytes.
    fs.writeFileSync(image, Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'));
    const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Animate this still'), inputReference: vscode.Uri.file(image).toString() });
    const simTask = (await sim.tasks()).find((t) => t.id === id);
    assert.equal(simTask?.referenceImages, 1);
    await waitForTask(id, (t) => t.status === 'succeeded', 'the image-to-video task to finish');
  });

  it('reports FAILED and ERROR tasks as failed with the service reason', async () => {
    const failed = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('This one fails [sim:fail]') });
    const errored = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('This one errors [sim:error]') });
    const a = await waitForTask(failed, (t) => t.status === 'failed', 'the [sim:fail] task to fail');
    const b = await waitForTask(errored, (t) => t.status === 'failed', 'the [sim:error] task to fail');
    for (const t of [a, b]) {
      assert.ok(t.error && t.error.length > 10, `a reason is given: ${t.error}`);
      assert.equal(t.file, undefined);
    }
    const item = (await seedance()).testHooks.treeItem(failed)!;
    assert.match(String(item.contextValue), /status:failed/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error');
  });

  it('rides out a burst of 429s while polling and still finishes', async () => {
    await sim.setFaults({ rateLimit: { on: 'poll', times: 3 } });
    try {
      const since = (await sim.requests()).reduce((m, r) => Math.max(m, r.seq), 0);
      const createsBefore = await createRequests();
      const id = await vscode.commands.executeCommand<string>('seedance.generate', { prompt: uniquePrompt('Patience under load') });
      await waitForTask(id, (t) => t.status === 'succeeded', 'the task to finish despite the 429s');
      const polls = (await sim.requests({ server: 'api', since })).filter((r) => r.method === 'GET' && r.path.startsWith('/v1/videos/'));
      assert.ok(polls.filter((r) => r.status === 429).length >= 3, `the 429s happened: ${polls.map((p) => p.status).join(',')}`);
      assert.ok(polls.some((r) => r.status === 200), 'and a poll succeeded afterwards');
      assert.equal(await createRequests(), createsBefore + 1, 'the create was sent once');
    } finally {
      await sim.clearFaults();
    }
  });
});
