import * as assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/clock';
import {
  CURRENT_STORE_VERSION,
  loadTasks,
  parseStoredTasks,
  TASKS_STATE_KEY,
  TaskPersistence,
  VIDEO_URL_RETENTION_MS,
  type MementoLike,
  type Migration,
} from '../../src/core/tasks/persistence';
import { createSubmittingTask, type TaskRequest, type TrackedTask } from '../../src/core/tasks/task';
import { TaskStore } from '../../src/core/tasks/taskStore';

const request: TaskRequest = {
  prompt: 'A slow cinematic camera push', model: 'doubao-seedance-2-0', seconds: 5, size: '16:9', resolution: '720p',
  inputReference: { path: '/w/ref.png', name: 'ref.png' },
};

/** Like VS Code's workspaceState: values go through JSON, update is async. */
class FakeMemento implements MementoLike {
  readonly data = new Map<string, string>();
  writes = 0;
  failNext = false;
  get<T>(key: string): T | undefined {
    const text = this.data.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    await Promise.resolve();
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.writes++;
    this.data.set(key, JSON.stringify(value));
  }
  raw(): unknown {
    return this.get(TASKS_STATE_KEY);
  }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function fullTask(now: number): TrackedTask {
  return {
    localId: 'L1', remoteId: 'task_ABCdef123', status: 'succeeded', progress: 100, request,
    createdAt: now - 120_000, submittedAt: now - 119_000, finishedAt: now - 1_000, lastPolledAt: now - 1_000, waitingSince: now - 119_000,
    failure: { kind: 'service', code: 'X', message: 'earlier hiccup' },
    videoUrl: 'https://tos.example/v.mp4?X-Tos-Signature=s', download: { state: 'downloaded', bytes: 1234, total: 1234 },
    file: '/w/videos/a.mp4', metadataFile: '/w/videos/a.json',
  };
}

describe('persistence', () => {
  it('round-trips every field through the versioned envelope', async () => {
    const clock = new ManualClock();
    const memento = new FakeMemento();
    const original = fullTask(clock.now());
    const store = new TaskStore({ initial: [original, { ...createSubmittingTask(request, clock.now() - 5, 'L0') }] });
    const persistence = new TaskPersistence(store, memento, { clock });
    await persistence.flush();
    const raw = memento.raw() as { version: number; tasks: unknown[] };
    assert.equal(raw.version, CURRENT_STORE_VERSION);
    assert.equal(raw.tasks.length, 2);

    const loaded = loadTasks(memento, { now: clock.now() });
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.storedVersion, 1);
    assert.deepEqual(loaded.tasks.find((t) => t.localId === 'L1'), original);
  });

  it('never throws on corrupt or unknown data and keeps what parses', () => {
    for (const junk of [undefined, null, 'garbage', 42, true, {}, { version: 1 }, { version: 1, tasks: 'x' }, { tasks: null }]) {
      const loaded = parseStoredTasks(junk);
      assert.deepEqual(loaded.tasks, [], `junk ${JSON.stringify(junk)}`);
    }
    const good = fullTask(Date.now());
    const loaded = parseStoredTasks({
      version: 1,
      tasks: [
        null, 7, 'x', [], {},
        { ...good, localId: '' },
        { ...good, localId: 'bad-status', status: 'exploded' },
        { ...good, localId: 'no-request', request: undefined },
        { ...good, localId: 'bad-seconds', request: { ...request, seconds: 'five' } },
        { ...good, localId: 'no-created', createdAt: 'yesterday' },
        good,
        { ...good }, // duplicate id: first wins
        { ...good, localId: 'junk-optionals', progress: 'lots', remoteId: 12, failure: 'nope', download: { state: 'teleporting' }, file: 5, finishedAt: 'x' },
      ],
    });
    assert.deepEqual(loaded.tasks.map((t) => t.localId), ['L1', 'junk-optionals']);
    assert.equal(loaded.skipped, 11);
    const junk = loaded.tasks[1];
    assert.equal(junk.progress, 0);
    assert.equal(junk.remoteId, undefined);
    assert.equal(junk.failure, undefined);
    assert.deepEqual(junk.download, { state: 'none' });
    assert.equal(junk.file, undefined);
    assert.equal(junk.status, 'succeeded', 'a finished task needs no service id');
    const orphan = parseStoredTasks({ version: 1, tasks: [{ ...good, status: 'running', remoteId: undefined }] });
    assert.equal(orphan.tasks[0].status, 'uncertain', 'a running task without a service id cannot be followed');
  });

  it('reads an envelope from a newer build and a bare array, keeping what parses', () => {
    const good = fullTask(Date.now());
    const newer = parseStoredTasks({ version: 7, tasks: [{ ...good, someFutureField: { x: 1 } }], extra: true });
    assert.equal(newer.tasks.length, 1);
    assert.equal(newer.storedVersion, 7);
    assert.match(newer.problems.join(' '), /newer than this build/);
    assert.equal('someFutureField' in newer.tasks[0], false);
    const bare = parseStoredTasks([good]);
    assert.equal(bare.tasks.length, 1);
  });

  it('runs migrations from older versions, and survives a migration that throws', () => {
    const migrations = new Map<number, Migration>([
      [0, (tasks) => tasks.map((t) => {
        const old = t as { id: string; text: string; when: number };
        return { localId: old.id, status: 'failed', progress: 0, createdAt: old.when,
          request: { prompt: old.text, model: 'doubao-seedance-2-0', seconds: 5, size: '16:9', resolution: '720p' } };
      })],
    ]);
    const loaded = parseStoredTasks({ version: 0, tasks: [{ id: 'v0', text: 'old prompt', when: 5 }] }, { migrations });
    assert.equal(loaded.tasks[0].localId, 'v0');
    assert.equal(loaded.tasks[0].request.prompt, 'old prompt');

    const broken = new Map<number, Migration>([[0, () => { throw new Error('bad'); }]]);
    const survived = parseStoredTasks({ version: 0, tasks: [fullTask(Date.now())] }, { migrations: broken });
    assert.equal(survived.tasks.length, 1, 'falls back to keeping what parses');
    assert.match(survived.problems.join(' '), /Migration from version 0 failed/);
  });

  it('repairs states that cannot survive a reload', () => {
    const now = Date.now();
    const loaded = parseStoredTasks({
      version: 1,
      tasks: [
        { ...createSubmittingTask(request, now - 1000, 'was-submitting') },
        { ...fullTask(now), localId: 'was-downloading', download: { state: 'downloading', bytes: 10, total: 100 } },
        { ...fullTask(now), localId: 'old-url', finishedAt: now - VIDEO_URL_RETENTION_MS - 1 },
        { ...fullTask(now), localId: 'fresh-url' },
      ],
    }, { now });
    const byId = new Map(loaded.tasks.map((t) => [t.localId, t]));
    assert.equal(byId.get('was-submitting')!.status, 'uncertain');
    assert.match(byId.get('was-submitting')!.failure!.message, /may or may not have reached CometAPI/);
    assert.equal(byId.get('was-downloading')!.download.state, 'failed');
    assert.match(byId.get('was-downloading')!.download.error!, /interrupted/);
    assert.equal(byId.get('old-url')!.videoUrl, undefined);
    assert.ok(byId.get('fresh-url')!.videoUrl);
  });

  it('debounces routine saves into one write and skips unchanged writes', async () => {
    const clock = new ManualClock();
    const memento = new FakeMemento();
    const store = new TaskStore();
    const persistence = new TaskPersistence(store, memento, { clock, debounceMs: 1000 });
    store.add(createSubmittingTask(request, clock.now(), 'a'));
    await tick();
    for (let p = 1; p <= 20; p++) {
      store.update('a', { progress: p });
      await tick();
    }
    assert.equal(memento.writes, 0, 'nothing written before the quiet period');
    await clock.advance(1000);
    assert.equal(memento.writes, 1);
    await persistence.flush();
    assert.equal(memento.writes, 1, 'an unchanged list is not written again');
    persistence.dispose();
  });

  it('writes at once when a task first gets its service id', async () => {
    const clock = new ManualClock();
    const memento = new FakeMemento();
    const store = new TaskStore();
    const persistence = new TaskPersistence(store, memento, { clock, debounceMs: 60_000 });
    store.add(createSubmittingTask(request, clock.now(), 'a'));
    await tick();
    assert.equal(memento.writes, 0);
    store.update('a', { remoteId: 'task_1', status: 'queued', submittedAt: clock.now() });
    await tick();
    await tick();
    assert.equal(memento.writes, 1, 'written without waiting for the debounce');
    assert.equal(loadTasks(memento).tasks[0].remoteId, 'task_1');
    persistence.dispose();
  });

  it('flushes on dispose and stops listening afterwards', async () => {
    const clock = new ManualClock();
    const memento = new FakeMemento();
    const store = new TaskStore();
    const persistence = new TaskPersistence(store, memento, { clock, debounceMs: 60_000 });
    store.add(createSubmittingTask(request, clock.now(), 'a'));
    await tick();
    persistence.dispose();
    await tick();
    await tick();
    assert.equal(loadTasks(memento).tasks.length, 1);
    store.add(createSubmittingTask(request, clock.now(), 'b'));
    await clock.advance(120_000);
    assert.equal(loadTasks(memento).tasks.length, 1);
    assert.equal(clock.pendingTimers, 0);
  });

  it('reports a failed write and retries it on the next flush', async () => {
    const clock = new ManualClock();
    const memento = new FakeMemento();
    const errors: unknown[] = [];
    const store = new TaskStore({ initial: [createSubmittingTask(request, 1, 'a')] });
    const persistence = new TaskPersistence(store, memento, { clock, onError: (e) => errors.push(e) });
    memento.failNext = true;
    await persistence.flush();
    assert.equal(errors.length, 1);
    assert.equal(memento.writes, 0);
    await persistence.flush();
    assert.equal(memento.writes, 1);
    persistence.dispose();
  });

  it('keeps only the newest finished tasks when there are too many', async () => {
    const memento = new FakeMemento();
    const store = new TaskStore({ initial: Array.from({ length: 10 }, (_, i) => ({ ...fullTask(Date.now()), localId: `t${i}`, remoteId: `task_${i}`, createdAt: i })) });
    const persistence = new TaskPersistence(store, memento, { clock: new ManualClock(), maxTasks: 3 });
    await persistence.flush();
    assert.deepEqual(loadTasks(memento).tasks.map((t) => t.localId), ['t9', 't8', 't7']);
    persistence.dispose();
  });
});
