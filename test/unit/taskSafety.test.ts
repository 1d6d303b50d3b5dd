// Issue 8 items 2 and 4, in core: the `submitting` entry is stored (the write awaited) before the create
// request leaves; the 200-entry cap never drops an entry that may still cost or deliver something; a
// download cut off by a crash comes back marked `interrupted` with its target, so its half file can be found.
import * as assert from 'node:assert/strict';
import { CometClient } from '../../src/core/api/client';
import { ManualClock } from '../../src/core/clock';
import { submitGeneration } from '../../src/core/submit';
import { loadTasks, parseStoredTasks, TASKS_STATE_KEY, TaskPersistence, toStoredEnvelope, type MementoLike } from '../../src/core/tasks/persistence';
import { createSubmittingTask, type TaskRequest, type TrackedStatus, type TrackedTask } from '../../src/core/tasks/task';
import { TaskStore } from '../../src/core/tasks/taskStore';
import { startSimulator, type Simulator } from '../simulator/server';

const request: TaskRequest = { prompt: 'A heron lifting off a misty pond', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };

/** Like VS Code's workspaceState: JSON copies, and a write that takes a while to land. */
class SlowMemento implements MementoLike {
  private readonly data = new Map<string, string>();
  constructor(private readonly delayMs: number) {}
  get<T>(key: string): T | undefined {
    const text = this.data.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.data.set(key, text);
  }
}

describe('task safety: persist before sending, the cap, interrupted downloads', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ timeScale: 0.01, deterministic: true });
  });
  after(() => sim.close());

  it('the submitting entry is in storage before the create request leaves', async () => {
    sim.reset();
    const client = new CometClient({ baseUrl: sim.baseUrl, getApiKey: async () => sim.apiKey });
    const memento = new SlowMemento(30);
    const store = new TaskStore();
    const persistence = new TaskPersistence(store, memento);
    let storedAtSend: TrackedTask[] | undefined;
    try {
      const outcome = await submitGeneration({
        store,
        persist: () => persistence.flush(),
        createVideo: (r) => {
          // What a crash at this instant would leave behind.
          storedAtSend = loadTasks(memento).tasks;
          return client.createVideo(r);
        },
      }, request);
      assert.equal(outcome.ok, true);
      assert.ok(storedAtSend, 'the create request was sent');
      assert.equal(storedAtSend.length, 1, 'the entry was stored before sending');
      assert.equal(storedAtSend[0].localId, outcome.task.localId);
      // Loaded after a crash, that entry comes back as uncertain: never nothing, never re-sent.
      const afterCrash = parseStoredTasks(memento.get(TASKS_STATE_KEY)).tasks[0];
      assert.ok(afterCrash);
    } finally {
      persistence.dispose();
      await client.close();
    }
  });

  it('a storage failure does not stop the request (it is logged)', async () => {
    sim.reset();
    const client = new CometClient({ baseUrl: sim.baseUrl, getApiKey: async () => sim.apiKey });
    const lines: string[] = [];
    try {
      const outcome = await submitGeneration({
        store: new TaskStore(),
        persist: () => Promise.reject(new Error('disk full')),
        createVideo: (r) => client.createVideo(r),
        log: (l) => lines.push(l),
      }, request);
      assert.equal(outcome.ok, true);
      assert.ok(lines.some((l) => l.includes('could not store')));
    } finally {
      await client.close();
    }
  });

  it('the cap never drops an unfinished entry, however many there are', async () => {
    const now = Date.now();
    const finished = (i: number, status: TrackedStatus = 'succeeded'): TrackedTask => ({
      localId: `done${i}`, remoteId: `task_done${i}`, status, progress: 100, request, createdAt: now - 1_000 + i, finishedAt: now,
      download: { state: 'downloaded' },
    });
    // Old unfinished entries (created long ago) must survive 250 newer finished ones.
    const unfinished: TrackedTask[] = [
      createSubmittingTask(request, 1, 'old-submitting'),
      { ...createSubmittingTask(request, 2, 'old-uncertain'), status: 'uncertain' },
      { ...createSubmittingTask(request, 3, 'old-queued'), status: 'queued', remoteId: 'task_q' },
      { ...createSubmittingTask(request, 4, 'old-running'), status: 'running', remoteId: 'task_r' },
      { ...createSubmittingTask(request, 5, 'old-stalled'), status: 'stalled', remoteId: 'task_s' },
      { ...finished(-900), localId: 'old-downloading', createdAt: 6, download: { state: 'downloading', target: '/w/videos/a.mp4' } },
    ];
    const tasks = [...unfinished, ...Array.from({ length: 250 }, (_, i) => finished(i, i % 2 ? 'failed' : 'succeeded'))];
    const ids = toStoredEnvelope(tasks, 200).tasks.map((t) => t.localId);
    assert.equal(ids.length, 200);
    for (const t of unfinished) assert.ok(ids.includes(t.localId), `${t.localId} was kept`);
    assert.ok(ids.includes('done249') && !ids.includes('done0'), 'the newest finished ones fill the rest');

    // More unfinished entries than the cap: all of them are kept, no finished ones.
    const many = Array.from({ length: 210 }, (_, i) => ({ ...createSubmittingTask(request, i, `q${i}`), status: 'queued' as const, remoteId: `task_${i}` }));
    assert.equal(toStoredEnvelope([...many, finished(1)], 200).tasks.length, 210);
  });

  it('a finished video that was never saved does not age out; the oldest settled ones go first', () => {
    const now = Date.now();
    // The oldest entry of all: succeeded long ago, its download failed (or never started), so nobody has the video.
    const succeeded = { status: 'succeeded' as const, progress: 100, request };
    const unsaved: TrackedTask[] = [
      { ...succeeded, localId: 'old-unsaved', remoteId: 'task_u', createdAt: 1, finishedAt: 2, download: { state: 'none' } },
      { ...succeeded, localId: 'old-download-failed', remoteId: 'task_f', createdAt: 2, finishedAt: 3,
        download: { state: 'failed', error: 'disk full' } },
    ];
    const settled = Array.from({ length: 250 }, (_, i): TrackedTask => ({
      localId: `s${i}`, remoteId: `task_s${i}`, status: i % 3 ? 'succeeded' : 'failed', progress: 100, request,
      createdAt: now - 1_000 + i, finishedAt: now,
      download: i % 3 ? { state: 'downloaded' } : { state: 'none' },
    }));
    const ids = toStoredEnvelope([...settled, ...unsaved], 200).tasks.map((t) => t.localId);
    assert.equal(ids.length, 200);
    assert.ok(ids.includes('old-unsaved') && ids.includes('old-download-failed'), 'the unsaved videos are kept');
    // 198 places left for the settled ones: the newest (s52..s249), the oldest (s0..s51) dropped.
    assert.ok(ids.includes('s52') && ids.includes('s249'), 'the newest settled ones are kept');
    assert.ok(!ids.includes('s51') && !ids.includes('s0'), 'the oldest settled ones are dropped');
  });

  it('a download cut off by a crash comes back interrupted, with the target it was writing', async () => {
    const memento = new SlowMemento(0);
    const task: TrackedTask = {
      localId: 'dl', remoteId: 'task_dl', status: 'succeeded', progress: 100, request, createdAt: 1, finishedAt: 2, videoUrl: 'https://v.example/x.mp4',
      download: { state: 'downloading', bytes: 10, total: 100, target: '/w/videos/2026_x.mp4' },
    };
    const store = new TaskStore({ initial: [task] });
    const persistence = new TaskPersistence(store, memento, { clock: new ManualClock() });
    await persistence.flush();
    const [back] = loadTasks(memento).tasks;
    assert.equal(back.download.state, 'failed');
    assert.equal(back.download.interrupted, true);
    assert.equal(back.download.target, '/w/videos/2026_x.mp4');
    persistence.dispose();
  });
});
