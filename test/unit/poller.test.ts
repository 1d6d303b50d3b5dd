import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/api/errors';
import type { VideoTask } from '../../src/core/api/types';
import { ManualClock } from '../../src/core/clock';
import { NOT_FOUND_MESSAGE, TaskPoller, type PollerOptions, type PollerProblem } from '../../src/core/poller';
import { loadTasks, TaskPersistence, type MementoLike } from '../../src/core/tasks/persistence';
import { createSubmittingTask, type TaskRequest, type TrackedTask } from '../../src/core/tasks/task';
import { TaskStore } from '../../src/core/tasks/taskStore';

const request: TaskRequest = { prompt: 'A slow cinematic camera push', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };
const SEC = 1000;
const MIN = 60 * SEC;

interface ScriptedTask {
  /** Running (rather than queued) from this time on, when given. */
  startAt?: number;
  finishAt: number;
  outcome: 'succeed' | 'fail' | 'stuck';
}

/** The service, in memory: tasks finish at scripted times; errors can be queued; latency runs on the fake clock. */
class FakeService {
  readonly tasks = new Map<string, ScriptedTask>();
  readonly calls: Array<{ id: string; at: number }> = [];
  readonly errors: Error[] = [];
  inFlight = 0;
  maxInFlight = 0;
  latencyMs = 0;

  constructor(private readonly clock: ManualClock) {}

  getVideo = async (id: string, signal?: AbortSignal): Promise<VideoTask> => {
    this.calls.push({ id, at: this.clock.now() });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.latencyMs > 0) {
        await new Promise<void>((resolve, reject) => {
          const handle = this.clock.setTimeout(resolve, this.latencyMs);
          signal?.addEventListener('abort', () => {
            this.clock.clearTimeout(handle);
            reject(new ApiError('aborted', 'aborted'));
          });
        });
      }
      const error = this.errors.shift();
      if (error) throw error;
      const task = this.tasks.get(id);
      if (!task) throw new ApiError('notFound', 'task_not_exist', { status: 400, code: 'task_not_exist' });
      const now = this.clock.now();
      const base = { id, rawStatus: '', unknownStatus: false, model: request.model };
      if (task.outcome !== 'stuck' && now >= task.finishAt) {
        return task.outcome === 'succeed'
          ? { ...base, status: 'succeeded', progress: 100, videoUrl: `https://tos.example/${id}.mp4?X-Tos-Signature=s` }
          : { ...base, status: 'failed', progress: 100, failure: { code: 'InputTextSensitiveContentDetected', message: 'The input text may contain sensitive information.' } };
      }
      const running = task.startAt !== undefined && now >= task.startAt;
      return { ...base, status: running ? 'running' : 'queued', progress: running ? 50 : 10 };
    } finally {
      this.inFlight--;
    }
  };

  callsFor(id: string): number[] {
    return this.calls.filter((c) => c.id === id).map((c) => c.at);
  }
}

interface Harness {
  clock: ManualClock;
  store: TaskStore;
  service: FakeService;
  poller: TaskPoller;
  succeeded: TrackedTask[];
  failed: TrackedTask[];
  problems: PollerProblem[];
  recovered: number;
}

function harness(options: Partial<PollerOptions> = {}, initial: TrackedTask[] = [], clock = new ManualClock()): Harness {
  const store = new TaskStore({ initial });
  const service = new FakeService(clock);
  const h: Harness = { clock, store, service, succeeded: [], failed: [], problems: [], recovered: 0, poller: undefined as unknown as TaskPoller };
  h.poller = new TaskPoller({
    store,
    getVideo: (id, signal) => service.getVideo(id, signal),
    clock,
    random: () => 0.5,
    onSucceeded: (t) => void h.succeeded.push(t),
    onFailed: (t) => void h.failed.push(t),
    onProblem: (p) => void h.problems.push(p),
    onRecovered: () => void h.recovered++,
    ...options,
  });
  return h;
}

/** Adds a task the way the extension does once create returned an id, and scripts it on the service. */
function submit(h: Harness, localId: string, durationMs: number, outcome: ScriptedTask['outcome'] = 'succeed'): TrackedTask {
  const now = h.clock.now();
  const remoteId = `task_${localId}`;
  h.service.tasks.set(remoteId, { startAt: now + 10 * SEC, finishAt: now + durationMs, outcome });
  const task: TrackedTask = { ...createSubmittingTask(request, now, localId), remoteId, status: 'queued', submittedAt: now };
  h.store.add(task);
  return task;
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]);
}

describe('TaskPoller', () => {
  it('checks a few seconds after submit, follows the task to success, then goes quiet', async () => {
    const h = harness();
    h.poller.start();
    assert.equal(h.poller.idle, true, 'nothing to do yet: no timer');
    submit(h, 'a', 100 * SEC);
    await h.clock.advance(0);
    assert.equal(h.poller.nextWakeAt, h.clock.now() + 4 * SEC);
    await h.clock.advance(4 * SEC);
    assert.equal(h.service.calls.length, 1);
    await h.clock.runUntilIdle();
    const task = h.store.get('a')!;
    assert.equal(task.status, 'succeeded');
    assert.equal(task.progress, 100);
    assert.ok(task.videoUrl);
    assert.equal(task.finishedAt! - task.submittedAt! >= 100 * SEC, true);
    assert.ok(task.finishedAt! - (task.submittedAt! + 100 * SEC) <= 10 * SEC, 'noticed within seconds of finishing');
    assert.equal(h.succeeded.length, 1);
    assert.equal(h.poller.idle, true);
    assert.equal(h.clock.pendingTimers, 0, 'no timer left behind');
    const requests = h.service.calls.length;
    await h.clock.advance(30 * MIN);
    assert.equal(h.service.calls.length, requests, 'no polling after the task finished');
    assert.equal(h.poller.counters.requests, requests);
  });

  it('never has two requests in flight, even with many tasks and a slow service', async () => {
    const h = harness();
    h.service.latencyMs = 7 * SEC;
    h.poller.start();
    for (let i = 0; i < 8; i++) submit(h, `t${i}`, (60 + i * 15) * SEC);
    await h.clock.runUntilIdle();
    assert.equal(h.service.maxInFlight, 1);
    assert.equal(h.poller.counters.maxConcurrent, 1);
    assert.ok(h.store.list().every((t) => t.status === 'succeeded'));
    assert.equal(h.clock.pendingTimers, 0);
  });

  it('keeps its gaps within bounds: sparse before the expected finish, dense around it, 10-20 s when overdue', async () => {
    const h = harness({ stallAfterMs: 20 * MIN });
    h.poller.start();
    submit(h, 'slow', 15 * MIN); // far beyond any estimate for a 5 s clip
    await h.clock.runUntilIdle();
    const times = h.service.callsFor('task_slow');
    const submittedAt = h.store.get('slow')!.submittedAt!;
    assert.equal(times[0] - submittedAt, 4 * SEC, 'first check 4 s after submit');
    const all = gaps(times);
    for (const gap of all) {
      assert.ok(gap >= 3 * SEC * 0.9 && gap <= 60 * SEC, `gap ${gap} within [2.7 s, 60 s]`);
    }
    // The last ten minutes are "overdue": the service's 10-20 s guidance, stretching toward 20 s.
    const late = gaps(times.filter((t) => t - submittedAt > 8 * MIN));
    for (const gap of late) assert.ok(gap >= 10 * SEC * 0.9 && gap <= 20 * SEC * 1.1, `overdue gap ${gap}`);
    assert.ok(late[late.length - 1] >= late[0], 'stretches rather than shrinks');
    assert.ok(Math.max(...all.slice(0, 2)) > Math.min(...all), 'sparse early, denser later');
  });

  it('polls more densely once the estimate is confident (learned from finished tasks)', async () => {
    const h = harness();
    h.poller.start();
    for (let i = 0; i < 20; i++) {
      submit(h, `warm${i}`, 90 * SEC);
      await h.clock.runUntilIdle();
    }
    submit(h, 'probe', 90 * SEC);
    await h.clock.runUntilIdle();
    const times = h.service.callsFor('task_probe');
    const task = h.store.get('probe')!;
    assert.ok(times.length <= 6, `few requests once calibrated (${times.length})`);
    assert.ok(task.finishedAt! - (task.submittedAt! + 90 * SEC) <= 5 * SEC, 'noticed within 5 s');
  });

  it('backs off on 429 honouring Retry-After, reports the repeated error once, and recovers', async () => {
    const h = harness();
    h.poller.start();
    submit(h, 'a', 10 * MIN);
    h.service.errors.push(
      new ApiError('rateLimited', 'Too many requests', { status: 429, retryAfterMs: 30 * SEC }),
      new ApiError('server', 'Bad gateway', { status: 502 }),
      new ApiError('network', 'ECONNRESET'),
      new ApiError('server', 'Bad gateway', { status: 502 }),
    );
    await h.clock.advance(4 * SEC);
    assert.equal(h.service.calls.length, 1);
    await h.clock.advance(30 * SEC - 1);
    assert.equal(h.service.calls.length, 1, 'nothing before Retry-After elapsed');
    await h.clock.advance(1);
    assert.equal(h.service.calls.length, 2, 'tried again exactly when Retry-After allowed');
    await h.clock.advance(2 * MIN);
    const times = h.service.callsFor('task_a');
    assert.ok(times.length >= 5);
    const backoff = gaps(times.slice(1, 5));
    assert.ok(backoff[1] > backoff[0] && backoff[2] > backoff[1], `exponential: ${backoff}`);
    assert.equal(h.problems.length, 1, 'reported once, not per request');
    assert.equal(h.problems[0].paused, false);
    assert.equal(h.recovered, 1, 'told when requests work again');
    assert.equal(h.poller.counters.failedRequests, 4);
  });

  it('is quiet when nothing is active, and wakes for a new task or a poke', async () => {
    const done: TrackedTask = { ...createSubmittingTask(request, 0, 'old'), remoteId: 'task_old', status: 'succeeded' };
    const h = harness({}, [done]);
    h.poller.start();
    await h.clock.advance(10 * MIN);
    assert.equal(h.service.calls.length, 0);
    assert.equal(h.poller.idle, true);
    assert.equal(h.clock.pendingTimers, 0);
    h.poller.poke();
    assert.equal(h.clock.pendingTimers, 0, 'a poke with nothing active schedules nothing');
    submit(h, 'new', 60 * SEC);
    await h.clock.advance(0);
    assert.equal(h.poller.idle, false, 'woken by the store change');
    await h.clock.runUntilIdle();
    assert.equal(h.store.get('new')!.status, 'succeeded');
    assert.equal(h.service.callsFor('task_old').length, 0, 'terminal tasks are never polled');
  });

  it('marks a task stalled at the deadline, stops polling it, and resumes it on keepWaiting', async () => {
    const stalled: TrackedTask[] = [];
    const h = harness({ stallAfterMs: 5 * MIN, onStalled: (t) => void stalled.push(t) });
    h.poller.start();
    const t = submit(h, 'stuck', 0, 'stuck');
    await h.clock.runUntilIdle();
    const task = h.store.get('stuck')!;
    assert.equal(task.status, 'stalled');
    assert.equal(h.clock.now() - t.submittedAt!, 5 * MIN, 'checked exactly at the deadline');
    assert.equal(stalled.length, 1);
    assert.equal(h.clock.pendingTimers, 0);
    const requests = h.service.calls.length;
    await h.clock.advance(30 * MIN);
    assert.equal(h.service.calls.length, requests, 'not polled while stalled');

    h.service.tasks.set('task_stuck', { finishAt: h.clock.now() + 2 * MIN, outcome: 'succeed' });
    assert.equal(h.poller.keepWaiting('stuck'), true);
    assert.equal(h.store.get('stuck')!.status, 'running');
    assert.equal(h.store.get('stuck')!.waitingSince, h.clock.now());
    await h.clock.advance(0);
    assert.equal(h.service.calls.length, requests + 1, 'checked right away');
    await h.clock.runUntilIdle();
    assert.equal(h.store.get('stuck')!.status, 'succeeded');
    assert.equal(h.poller.keepWaiting('stuck'), false, 'only stalled tasks can keep waiting');
  });

  it('fails a task the service no longer knows, with a plain explanation', async () => {
    const h = harness();
    h.poller.start();
    submit(h, 'a', 10 * MIN);
    await h.clock.advance(4 * SEC);
    assert.equal(h.store.get('a')!.status, 'queued');
    h.service.tasks.delete('task_a');
    await h.clock.runUntilIdle();
    const task = h.store.get('a')!;
    assert.equal(task.status, 'failed');
    assert.equal(task.failure!.message, NOT_FOUND_MESSAGE);
    assert.equal(task.failure!.kind, 'notFound');
    assert.equal(task.failure!.code, 'task_not_exist');
    assert.equal(h.failed.length, 1);
    assert.equal(h.problems.length, 0, 'a definite answer is not a service problem');
    assert.equal(h.clock.pendingTimers, 0);
  });

  it('gives a brand-new task one short retry on task_not_exist (replication lag)', async () => {
    const h = harness();
    h.poller.start();
    submit(h, 'lag', 60 * SEC);
    const script = h.service.tasks.get('task_lag')!;
    h.service.tasks.delete('task_lag');
    await h.clock.advance(4 * SEC);
    assert.equal(h.store.get('lag')!.status, 'queued', 'not failed on the first miss');
    h.service.tasks.set('task_lag', script);
    await h.clock.runUntilIdle();
    assert.equal(h.store.get('lag')!.status, 'succeeded');
  });

  it('records a service failure with its reason', async () => {
    const h = harness();
    h.poller.start();
    submit(h, 'bad', 20 * SEC, 'fail');
    await h.clock.runUntilIdle();
    const task = h.store.get('bad')!;
    assert.equal(task.status, 'failed');
    assert.equal(task.failure!.code, 'InputTextSensitiveContentDetected');
    assert.match(task.failure!.message, /sensitive/);
    assert.ok(task.finishedAt);
    assert.equal(h.failed.length, 1);
  });

  it('pauses entirely on an auth error, reports it once, and resumes on resume()', async () => {
    const h = harness();
    h.poller.start();
    submit(h, 'a', 2 * MIN);
    h.service.errors.push(new ApiError('auth', 'invalid token', { status: 401 }));
    await h.clock.advance(4 * SEC);
    assert.equal(h.poller.paused, true);
    assert.equal(h.problems.length, 1);
    assert.equal(h.problems[0].kind, 'auth');
    assert.equal(h.problems[0].paused, true);
    assert.equal(h.clock.pendingTimers, 0, 'no timer while paused');
    submit(h, 'b', 2 * MIN);
    h.poller.poke();
    await h.clock.advance(30 * MIN);
    assert.equal(h.service.calls.length, 1, 'a bad key is not hammered');
    assert.equal(h.store.get('a')!.status, 'queued', 'tasks are left as they were');

    h.poller.resume();
    assert.equal(h.poller.paused, false);
    await h.clock.runUntilIdle();
    assert.equal(h.store.get('a')!.status, 'succeeded');
    assert.equal(h.store.get('b')!.status, 'succeeded');
    assert.equal(h.problems.length, 1);
  });

  it('asks again for a missing video URL before giving up', async () => {
    const h = harness();
    let calls = 0;
    h.poller.dispose();
    h.poller = new TaskPoller({
      store: h.store, clock: h.clock, random: () => 0.5,
      getVideo: async (id) => {
        calls++;
        return { id, status: 'succeeded', rawStatus: 'SUCCESS', unknownStatus: false, progress: 100 };
      },
    });
    h.poller.start();
    submit(h, 'nourl', 0);
    await h.clock.runUntilIdle();
    assert.equal(calls, 4, 'the first answer plus three more checks');
    assert.equal(h.store.get('nourl')!.status, 'failed');
    assert.match(h.store.get('nourl')!.failure!.message, /no download link/);
  });

  it('stops cleanly on dispose: no timer, in-flight request aborted, no more updates', async () => {
    const h = harness();
    h.service.latencyMs = 5 * SEC;
    h.poller.start();
    submit(h, 'a', 60 * SEC);
    await h.clock.advance(5 * SEC); // request in flight
    assert.equal(h.service.inFlight, 1);
    h.poller.dispose();
    await h.clock.advance(0);
    assert.equal(h.service.inFlight, 0, 'aborted');
    assert.equal(h.clock.pendingTimers, 0);
    await h.clock.advance(10 * MIN);
    assert.equal(h.service.calls.length, 1);
    assert.equal(h.store.get('a')!.status, 'queued');
  });

  it('resumes unfinished tasks after a reload, with nothing else happening', async () => {
    const clock = new ManualClock();
    const memento = new (class implements MementoLike {
      text: string | undefined;
      get<T>(): T | undefined {
        return this.text === undefined ? undefined : (JSON.parse(this.text) as T);
      }
      async update(_key: string, value: unknown): Promise<void> {
        this.text = JSON.stringify(value);
      }
    })();

    // Session 1: a task is submitted and gets its id; the window reloads before its first check.
    const first = harness({}, [], clock);
    const persistence1 = new TaskPersistence(first.store, memento, { clock });
    first.poller.start();
    first.store.add(createSubmittingTask(request, clock.now(), 'r1'));
    first.store.update('r1', { remoteId: 'task_r1', status: 'queued', submittedAt: clock.now() });
    await clock.advance(2 * SEC);
    first.poller.dispose();
    persistence1.dispose();
    first.store.dispose();
    assert.equal(first.service.calls.length, 0);

    // Session 2: a new store loaded from the same state, a new poller; nobody pokes anything.
    const loaded = loadTasks(memento, { now: clock.now() });
    const second = harness({}, loaded.tasks, clock);
    second.service.tasks.set('task_r1', { finishAt: clock.now() + 80 * SEC, outcome: 'succeed' });
    second.poller.start();
    await clock.runUntilIdle();
    assert.ok(second.service.calls.length > 0);
    assert.equal(second.store.get('r1')!.status, 'succeeded');
    assert.equal(second.succeeded.length, 1, 'the download hook runs in the new session');
  });
});

describe('TaskPoller with smooth progress', () => {
  /** Progress like the simulator's default: queued (0 %) for the first 20 %, then 1..99 % in proportion. */
  function smoothService(h: Harness): void {
    const plain = h.service.getVideo;
    h.service.getVideo = async (id, signal) => {
      const answer = await plain(id, signal);
      const task = h.service.tasks.get(id);
      if (!task || answer.status === 'succeeded' || answer.status === 'failed' || task.startAt === undefined) return answer;
      const runMs = task.finishAt - task.startAt;
      const now = h.clock.now();
      if (now < task.startAt) return { ...answer, status: 'queued', progress: 0 };
      return { ...answer, status: 'running', progress: Math.min(99, 1 + Math.floor((98 * (now - task.startAt)) / runMs)) };
    };
  }
  function submitSmooth(h: Harness, localId: string, durationMs: number): void {
    submit(h, localId, durationMs);
    h.service.tasks.get(`task_${localId}`)!.startAt = h.clock.now() + 0.2 * durationMs;
  }

  it('aims a check just after the finish the progress rate predicts, with gaps of 2-60 s', async () => {
    const h = harness();
    smoothService(h);
    h.poller.start();
    submitSmooth(h, 'p', 150 * SEC);
    await h.clock.runUntilIdle();
    const task = h.store.get('p')!;
    const times = h.service.callsFor('task_p');
    assert.equal(task.status, 'succeeded');
    const delay = task.finishedAt! - (task.submittedAt! + 150 * SEC);
    assert.ok(delay >= 0 && delay <= 4 * SEC, `noticed within 4 s (${delay} ms)`);
    assert.ok(times.length <= 6, `few requests (${times.length}) where a fixed 10 s poll needs 15`);
    for (const gap of gaps(times)) assert.ok(gap >= 2 * SEC && gap <= 60 * SEC, `gap ${gap}`);
  });

  it('still checks at least once a minute while a task runs, and goes quiet after it', async () => {
    const h = harness();
    smoothService(h);
    h.poller.start();
    submitSmooth(h, 'long', 9 * MIN);
    await h.clock.runUntilIdle();
    const times = h.service.callsFor('task_long');
    for (const gap of gaps(times)) assert.ok(gap >= 2 * SEC && gap <= 60 * SEC, `gap ${gap}`);
    assert.equal(h.store.get('long')!.status, 'succeeded');
    assert.equal(h.clock.pendingTimers, 0);
  });

  it('needs only a check or two for a setting whose duration it has learned', async () => {
    const h = harness();
    h.poller.start();
    for (let i = 0; i < 12; i++) {
      submit(h, `w${i}`, 75 * SEC);
      await h.clock.runUntilIdle();
    }
    submit(h, 'known', 75 * SEC);
    await h.clock.runUntilIdle();
    const task = h.store.get('known')!;
    const times = h.service.callsFor('task_known');
    assert.ok(times.length <= 3, `requests ${times.length}`);
    assert.ok(task.finishedAt! - (task.submittedAt! + 75 * SEC) <= 5 * SEC, 'noticed within 5 s');
    for (const gap of gaps(times)) assert.ok(gap >= 2 * SEC && gap <= 60 * SEC, `gap ${gap}`);
  });
});
