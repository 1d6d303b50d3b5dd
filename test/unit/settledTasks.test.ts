// Settled tasks restored lazily (issue 9, "a lighter start"): unfinished tasks are parsed and resumed at
// activation, settled ones (failed, or succeeded and saved) are parsed the first time something needs them,
// and nothing is lost or changed on the way.
import * as assert from 'node:assert/strict';
import type { VideoTask } from '../../src/core/api/types';
import { ManualClock } from '../../src/core/clock';
import { TaskPoller } from '../../src/core/polling/poller';
import { loadTasks, parseStoredTasks, TASKS_STATE_KEY, TaskPersistence, type MementoLike } from '../../src/core/tasks/persistence';
import { deferTasks, looksSettled } from '../../src/core/tasks/settledTasks';
import { isSettled, type StoredTaskV1 } from '../../src/core/tasks/task';
import { TaskStore } from '../../src/core/tasks/taskStore';

class FakeMemento implements MementoLike {
  readonly data = new Map<string, string>();
  writes = 0;
  get<T>(key: string): T | undefined {
    const text = this.data.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    await Promise.resolve();
    this.writes++;
    this.data.set(key, JSON.stringify(value));
  }
}

const NOW = Date.UTC(2026, 10, 30, 12);
const request = { prompt: 'A lighthouse at dusk', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };

function saved(i: number): StoredTaskV1 {
  return {
    localId: `saved-${i}`, remoteId: `task_saved_${i}`, status: 'succeeded', progress: 100, request: { ...request, prompt: `${request.prompt} ${i}` },
    createdAt: NOW - (i + 10) * 60_000, submittedAt: NOW - (i + 10) * 60_000 + 500, finishedAt: NOW - (i + 9) * 60_000,
    download: { state: 'downloaded', bytes: 12_000 }, file: `/w/videos/video-${i}.mp4`,
  };
}

/** A workspace after long use: 200 saved videos, one failed task, and the unfinished kinds a reload must resume. */
function envelope(): { version: number; tasks: unknown[] } {
  const running: StoredTaskV1 = { localId: 'running', remoteId: 'task_running', status: 'running', progress: 40, request, createdAt: NOW - 60_000, submittedAt: NOW - 59_000, download: { state: 'none' } };
  const sending: StoredTaskV1 = { localId: 'sending', status: 'submitting', progress: 0, request, createdAt: NOW - 30_000, download: { state: 'none' } };
  const unsaved: StoredTaskV1 = { localId: 'unsaved', remoteId: 'task_unsaved', status: 'succeeded', progress: 100, request, createdAt: NOW - 5 * 60_000, finishedAt: NOW - 4 * 60_000, videoUrl: 'https://tos.example/v.mp4', download: { state: 'none' } };
  const cutOff: StoredTaskV1 = { localId: 'cut-off', remoteId: 'task_cut', status: 'succeeded', progress: 100, request, createdAt: NOW - 6 * 60_000, finishedAt: NOW - 5 * 60_000, download: { state: 'downloading', bytes: 10, target: '/w/videos/cut.mp4' } };
  const failed: StoredTaskV1 = { localId: 'failed', remoteId: 'task_failed', status: 'failed', progress: 0, request, createdAt: NOW - 7 * 60_000, failure: { kind: 'service', message: 'refused' }, download: { state: 'none' } };
  return { version: 1, tasks: [running, sending, unsaved, cutOff, failed, ...Array.from({ length: 200 }, (_, i) => saved(i))] };
}

function restore(raw = envelope()) {
  const loaded = parseStoredTasks(raw, { now: NOW, deferSettled: true });
  let parsedLater = 0;
  const problems: string[] = [];
  const store = new TaskStore({
    initial: loaded.tasks,
    deferred: () => {
      parsedLater++;
      const settled = loaded.settled.load();
      problems.push(...settled.problems);
      return settled.tasks;
    },
  });
  return { loaded, store, problems, parsedLaterCount: () => parsedLater };
}

describe('settled tasks are read when first needed', () => {
  it('parses only the unfinished tasks at load, and puts the settled ones aside', () => {
    const { loaded, store } = restore();
    assert.deepEqual(loaded.tasks.map((t) => t.localId).sort(), ['cut-off', 'running', 'sending', 'unsaved']);
    assert.equal(loaded.settled.count, 201);
    assert.equal(loaded.settled.remoteIds.length, 201);
    assert.equal(store.hasDeferred, true);
    assert.equal(store.runningCount, 1, 'counted without loading (the submitting one came back uncertain)');
    assert.equal(store.hasDeferred, true);
  });

  it('resumes unfinished tasks at once: the poller checks the running one without loading the settled ones', async () => {
    const clock = new ManualClock(NOW);
    const { store } = restore();
    const calls: string[] = [];
    const poller = new TaskPoller({
      store,
      clock,
      getVideo: async (id): Promise<VideoTask> => {
        calls.push(id);
        return { id, status: 'running', progress: 60, rawStatus: 'IN_PROGRESS', unknownStatus: false };
      },
    });
    poller.start();
    assert.equal(poller.idle, false, 'the running task is watched from the start');
    for (let i = 0; i < 30 && calls.length === 0; i++) {
      clock.advance(1_000);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(calls, ['task_running'], 'only the running task is checked, within seconds');
    assert.equal(store.get('running')?.progress, 60);
    assert.equal(store.hasDeferred, true, 'checking it did not parse the settled tasks');
    assert.deepEqual(store.listUnsettled().map((t) => t.localId), ['sending', 'running', 'unsaved', 'cut-off']);
    poller.dispose();
  });

  it('shows every task when the list is asked for, in the same order and shape as an eager load', () => {
    const { store, parsedLaterCount } = restore();
    const eager = new TaskStore({ initial: parseStoredTasks(envelope(), { now: NOW }).tasks });
    const all = store.list();
    assert.equal(all.length, 205);
    assert.deepEqual(all, eager.list());
    assert.equal(store.hasDeferred, false);
    store.list();
    assert.equal(store.size, 205);
    assert.equal(parsedLaterCount(), 1, 'parsed once');
    assert.ok(all.filter((t) => t.localId.startsWith('saved-')).every(isSettled));
  });

  it('finds a settled task by local or service id, and can update or remove it', async () => {
    for (const lookup of [
      (s: TaskStore) => s.get('saved-7'),
      (s: TaskStore) => s.findByRemoteId('task_saved_7'),
      (s: TaskStore) => s.update('saved-7', { progress: 100 }),
    ]) {
      const { store } = restore();
      assert.equal(lookup(store)?.localId, 'saved-7');
      assert.equal(store.hasDeferred, false);
    }
    const { store } = restore();
    const events: string[][] = [];
    store.onDidChange((ids) => events.push([...ids]));
    assert.equal(store.remove('saved-3'), true);
    assert.equal(store.get('saved-3'), undefined);
    assert.equal(store.size, 204);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(events, [['saved-3']], 'loading fires nothing; the removal fires once');
    assert.equal(restore().store.get('no-such-task'), undefined);
  });

  it('a corrupted finished record is skipped with a problem for the log; the others show, nothing throws', () => {
    const raw = envelope();
    raw.tasks.push(
      { ...saved(300), request: undefined }, // claims to be saved, but has no request
      { ...saved(301), createdAt: 'yesterday' },
      { ...saved(5) }, // a repeated id
    );
    const { store, problems } = restore(raw);
    assert.equal(store.list().length, 205);
    assert.deepEqual(problems, ['3 stored finished task(s) were unreadable and skipped.']);
    assert.ok(problems.every((p) => !p.includes('lighthouse') && !p.includes('https://')), 'no prompts or URLs in the log');

    const throwing = deferTasks([{ status: 'failed' }, saved(1)], (entry) => {
      if ((entry as { localId?: string }).localId === undefined) throw new Error('parser bug');
      return parseStoredTasks({ version: 1, tasks: [entry] }).tasks[0];
    });
    const result = throwing.load();
    assert.deepEqual(result.tasks.map((t) => t.localId), ['saved-1']);
    assert.equal(result.skipped, 1);
    assert.match(result.problems.join(' '), /could not be read \(Error\)/);
  });

  it('looks at status and download only to decide; anything unclear is parsed at once', () => {
    assert.equal(looksSettled(saved(1)), true);
    assert.equal(looksSettled({ status: 'failed' }), true);
    for (const entry of [null, 'x', [], { status: 'succeeded' }, { status: 'succeeded', download: { state: 'none' } },
      { status: 'succeeded', download: { state: 'failed', interrupted: true } }, { status: 'succeeded', download: { state: 'downloading' } },
      { status: 'running', download: { state: 'downloaded' } }, { status: 'uncertain' }, { status: 'stalled' }]) {
      assert.equal(looksSettled(entry), false, JSON.stringify(entry));
    }
    const eager = parseStoredTasks(envelope(), { now: NOW });
    assert.equal(eager.settled.count, 0, 'without deferSettled everything is parsed at once');
    assert.equal(eager.tasks.length, 205);
  });

  it('saving writes every task back, settled ones included, exactly as an eager load would', async () => {
    const memento = new FakeMemento();
    await memento.update(TASKS_STATE_KEY, envelope());
    const eagerMemento = new FakeMemento();
    await eagerMemento.update(TASKS_STATE_KEY, envelope());

    const loaded = loadTasks(memento, { now: NOW, deferSettled: true });
    const store = new TaskStore({ initial: loaded.tasks, deferred: () => loaded.settled.load().tasks });
    const persistence = new TaskPersistence(store, memento, { storedRemoteIds: loaded.settled.remoteIds });
    const eagerStore = new TaskStore({ initial: loadTasks(eagerMemento, { now: NOW }).tasks });
    const eagerPersistence = new TaskPersistence(eagerStore, eagerMemento);
    await persistence.flush();
    await eagerPersistence.flush();
    assert.deepEqual(memento.get(TASKS_STATE_KEY), eagerMemento.get(TASKS_STATE_KEY));
    assert.equal((memento.get(TASKS_STATE_KEY) as { tasks: unknown[] }).tasks.length, 200, 'the usual cap; every unfinished task kept');
    persistence.dispose();
    eagerPersistence.dispose();
  });

  it('a change to a settled task is saved after the usual quiet period, not at once (its id is already stored)', async () => {
    const clock = new ManualClock(NOW);
    const memento = new FakeMemento();
    const { loaded, store } = restore();
    const persistence = new TaskPersistence(store, memento, { clock, storedRemoteIds: loaded.settled.remoteIds });
    store.update('saved-2', { download: { state: 'failed', error: 'file deleted' } });
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(memento.writes, 0, 'not written at once');
    clock.advance(1_000);
    await persistence.flush();
    assert.equal(memento.writes, 1);
    persistence.dispose();
  });
});
