import * as assert from 'node:assert/strict';
import { createSubmittingTask, isInFlight, isRunning, TRACKED_STATUSES, taskLogLine, toPublicSnapshot, UNCERTAIN_MESSAGE, type TaskRequest, type TrackedTask } from '../../src/core/tasks/task';
import { TaskStore } from '../../src/core/tasks/taskStore';

const request: TaskRequest = { prompt: 'A slow cinematic camera push', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };

function task(localId: string, createdAt: number, extra: Partial<TrackedTask> = {}): TrackedTask {
  return { ...createSubmittingTask(request, createdAt, localId), ...extra };
}

/** Lets the store's microtask-coalesced event fire. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function recorder(store: TaskStore): string[][] {
  const events: string[][] = [];
  store.onDidChange((ids) => events.push([...ids].sort()));
  return events;
}

describe('TaskStore', () => {
  it('emits the id of an added task once, after the tick', async () => {
    const store = new TaskStore();
    const events = recorder(store);
    store.add(task('a', 1));
    assert.deepEqual(events, [], 'not synchronously');
    await tick();
    assert.deepEqual(events, [['a']]);
  });

  it('does not emit when an update changes nothing', async () => {
    const store = new TaskStore({ initial: [task('a', 1, { status: 'queued', remoteId: 'task_1' })] });
    const events = recorder(store);
    const before = store.get('a');
    const after = store.update('a', { status: 'queued', remoteId: 'task_1', progress: 0 });
    const viaFn = store.update('a', (t) => ({ ...t, request: { ...t.request } }));
    await tick();
    assert.deepEqual(events, []);
    assert.equal(after, before, 'the same object comes back when nothing changed');
    assert.equal(viaFn, before);
  });

  it('treats a field set to undefined as absent (no change), and removes it when present', async () => {
    const store = new TaskStore({ initial: [task('a', 1, { failure: { message: 'x' } })] });
    const events = recorder(store);
    store.update('a', { videoUrl: undefined });
    await tick();
    assert.deepEqual(events, []);
    store.update('a', { failure: undefined });
    await tick();
    assert.deepEqual(events, [['a']]);
    assert.equal('failure' in store.get('a')!, false);
  });

  it('stores lastPolledAt without emitting for it alone', async () => {
    const store = new TaskStore({ initial: [task('a', 1)] });
    const events = recorder(store);
    store.update('a', { lastPolledAt: 500 });
    await tick();
    assert.deepEqual(events, []);
    assert.equal(store.get('a')!.lastPolledAt, 500);
    store.update('a', { lastPolledAt: 600, progress: 50 });
    await tick();
    assert.deepEqual(events, [['a']]);
  });

  it('coalesces many changes in one tick into one event naming each id once', async () => {
    const store = new TaskStore();
    const events = recorder(store);
    store.add(task('a', 1));
    store.add(task('b', 2));
    for (let p = 1; p <= 50; p++) store.update('a', { progress: p });
    store.update('b', { status: 'uncertain' });
    store.add(task('c', 3));
    store.remove('c');
    await tick();
    assert.deepEqual(events, [['a', 'b', 'c']]);
    store.update('a', { progress: 99 });
    await tick();
    assert.deepEqual(events, [['a', 'b', 'c'], ['a']]);
  });

  it('lists newest first, finds by remote id, counts running tasks', () => {
    const store = new TaskStore();
    store.add(task('old', 100, { status: 'succeeded', remoteId: 'r-old' }));
    store.add(task('new', 300, { status: 'running', remoteId: 'r-new' }));
    store.add(task('mid', 200, { status: 'stalled', remoteId: 'r-mid' }));
    store.add(task('same-time', 300, { status: 'failed' }));
    store.add(task('sub', 50));
    store.add(task('unc', 40, { status: 'uncertain' }));
    assert.deepEqual(store.list().map((t) => t.localId), ['same-time', 'new', 'mid', 'old', 'sub', 'unc']);
    assert.equal(store.findByRemoteId('r-mid')?.localId, 'mid');
    assert.equal(store.findByRemoteId('nope'), undefined);
    assert.equal(store.runningCount, 2, 'running and submitting count (isRunning); stalled, terminal and uncertain do not');
  });

  it('one rule for "running": sending, queued or generating; "in flight" adds stalled (issue 22)', () => {
    const running = TRACKED_STATUSES.filter((status) => isRunning({ status }));
    const inFlight = TRACKED_STATUSES.filter((status) => isInFlight({ status }));
    assert.deepEqual(running, ['submitting', 'queued', 'running']);
    assert.deepEqual(inFlight, ['submitting', 'queued', 'running', 'stalled']);
    assert.equal(isRunning({ status: 'saved' }), false, 'a saved take is done');
  });

  it('refuses a duplicate id and ignores updates to unknown ids', () => {
    const store = new TaskStore();
    store.add(task('a', 1));
    assert.throws(() => store.add(task('a', 2)), /already tracked/);
    assert.equal(store.update('zzz', { progress: 1 }), undefined);
    assert.equal(store.remove('zzz'), false);
  });

  it('keeps the local id even if an update function tries to change it', () => {
    const store = new TaskStore({ initial: [task('a', 1)] });
    store.update('a', (t) => ({ ...t, localId: 'b', progress: 5 }));
    assert.equal(store.get('a')!.progress, 5);
    assert.equal(store.get('b'), undefined);
  });

  it('keeps notifying other listeners when one throws', async () => {
    const errors: unknown[] = [];
    const store = new TaskStore({ onListenerError: (e) => errors.push(e) });
    const seen: string[] = [];
    store.onDidChange(() => {
      throw new Error('boom');
    });
    store.onDidChange((ids) => seen.push(...ids));
    store.add(task('a', 1));
    await tick();
    assert.deepEqual(seen, ['a']);
    assert.equal(errors.length, 1);
  });

  it('stops emitting after a listener is disposed and after the store is disposed', async () => {
    const store = new TaskStore();
    const seen: string[] = [];
    const sub = store.onDidChange((ids) => seen.push(...ids));
    sub.dispose();
    store.add(task('a', 1));
    await tick();
    assert.equal(seen.length, 0);
    store.onDidChange((ids) => seen.push(...ids));
    store.dispose();
    store.add(task('b', 1));
    await tick();
    assert.equal(seen.length, 0);
  });
});

describe('toPublicSnapshot', () => {
  const base = task('local-1', 1, { remoteId: 'task_abc', videoUrl: 'https://signed.example/v.mp4?X-Tos-Signature=secret' });

  it('maps every tracked status onto the four public ones', () => {
    const map = (status: TrackedTask['status']) => toPublicSnapshot({ ...base, status }).status;
    assert.equal(map('submitting'), 'queued');
    assert.equal(map('queued'), 'queued');
    assert.equal(map('running'), 'running');
    assert.equal(map('stalled'), 'running');
    assert.equal(map('succeeded'), 'succeeded');
    assert.equal(map('failed'), 'failed');
    assert.equal(map('uncertain'), 'failed');
  });

  it('explains uncertain and failed tasks, and carries the parameters and the service id (local id without one)', () => {
    const uncertain = toPublicSnapshot({ ...base, status: 'uncertain', remoteId: undefined });
    assert.equal(uncertain.error, UNCERTAIN_MESSAGE);
    assert.equal(uncertain.id, 'local-1');
    const failed = toPublicSnapshot({ ...base, status: 'failed', failure: { kind: 'service', message: 'Sensitive content.' } });
    assert.deepEqual(failed, {
      id: 'task_abc', status: 'failed', progress: 0, prompt: request.prompt, model: request.model,
      seconds: 5, size: '16:9', resolution: '720p', error: 'Sensitive content.',
    });
  });

  it('gives the file only once downloaded and never the signed URL', () => {
    const done = toPublicSnapshot({ ...base, status: 'succeeded', progress: 100, file: '/w/videos/a.mp4', download: { state: 'downloaded', bytes: 10 } });
    assert.equal(done.file, '/w/videos/a.mp4');
    assert.equal(done.error, undefined);
    const failedDownload = toPublicSnapshot({ ...base, status: 'succeeded', file: '/w/videos/a.mp4', download: { state: 'failed', error: 'Disk full.' } });
    assert.equal(failedDownload.file, undefined);
    assert.equal(failedDownload.error, 'Disk full.');
    assert.ok(!JSON.stringify(done).includes('signed.example'));
    assert.ok(!taskLogLine({ ...base, status: 'succeeded' }).includes('signed.example'), 'log lines never carry the URL');
    assert.ok(!taskLogLine(base).includes(request.prompt), 'nor the prompt');
  });
});
