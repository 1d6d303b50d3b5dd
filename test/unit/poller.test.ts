import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/api/errors';
import type { VideoTask } from '../../src/core/api/types';
import { ManualClock } from '../../src/core/clock';
import { LearnedDurations } from '../../src/core/polling/durationEstimate';
import { loadLearnedDurations, saveLearnedDurations, type DurationMementoLike } from '../../src/core/polling/durationMemory';
import { STALLED_GAP_MS } from '../../src/core/polling/pollCadence';
import { NOT_FOUND_MESSAGE, TaskPoller, type PollerOptions, type PollerProblem } from '../../src/core/polling/poller';
import { loadTasks, TaskPersistence, type MementoLike } from '../../src/core/tasks/persistence';
import { createSubmittingTask, type TaskRequest, type TrackedTask } from '../../src/core/tasks/task';
import { TaskStore } from '../../src/core/tasks/taskStore';

const request: TaskRequest = { prompt: 'A slow cinematic camera push', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };
const SEC = 1000;
const MIN = 60 * SEC;

interface ScriptedTask {
  finishAt: number;
  outcome: 'succeed' | 'fail' | 'stuck' | 'noUrl';
  progressAt?: (now: number) => number;
}

/** The service, in memory: tasks finish at scripted times; errors can be queued; latency runs on the fake clock. */
class FakeService {
  readonly tasks = new Map<string, ScriptedTask>();
  readonly calls: Array<{ id: string; at: number }> = [];
  readonly errors: unknown[] = [];
  readonly answered: Array<{ id: string; progress: number }> = [];
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
      if (this.errors.length) throw this.errors.shift();
      const task = this.tasks.get(id);
      if (!task) throw new ApiError('notFound', 'task_not_exist', { status: 400, code: 'task_not_exist' });
      const now = this.clock.now();
      const base = { id, rawStatus: '', unknownStatus: false };
      if (task.outcome !== 'stuck' && now >= task.finishAt) {
        if (task.outcome === 'succeed') return { ...base, status: 'succeeded', progress: 100, videoUrl: `https://tos.example/${id}.mp4?X-Tos-Signature=s` };
        if (task.outcome === 'noUrl') return { ...base, status: 'succeeded', progress: 100 };
        return { ...base, status: 'failed', progress: 100, failure: { code: 'InputTextSensitiveContentDetected', message: 'sensitive' } };
      }
      const progress = task.progressAt?.(now) ?? 50;
      this.answered.push({ id, progress });
      return { ...base, status: 'running', progress };
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
  stalled: TrackedTask[];
  problems: Array<PollerProblem & { at: number }>;
  recovered: number;
}

function harness(options: Partial<PollerOptions> = {}, initial: TrackedTask[] = [], clock = new ManualClock()): Harness {
  const store = new TaskStore({ initial });
  const service = new FakeService(clock);
  const h: Harness = {
    clock,
    store,
    service,
    succeeded: [],
    failed: [],
    stalled: [],
    problems: [],
    recovered: 0,
    poller: undefined as unknown as TaskPoller,
  };
  h.poller = new TaskPoller({
    store,
    getVideo: (id, signal) => service.getVideo(id, signal),
    clock,
    onSucceeded: (t) => void h.succeeded.push(t),
    onFailed: (t) => void h.failed.push(t),
    onStalled: (t) => void h.stalled.push(t),
    onProblem: (p) => void h.problems.push({ ...p, at: clock.now() }),
    onRecovered: () => void h.recovered++,
    ...options,
  });
  return h;
}

/** Adds a task the way the extension does once create returned an id, and scripts it on the service. */
function submit(h: Harness, localId: string, durationMs: number, outcome: ScriptedTask['outcome'] = 'succeed', extra: Partial<ScriptedTask> = {}): TrackedTask {
  const now = h.clock.now();
  const remoteId = `task_${localId}`;
  h.service.tasks.set(remoteId, { finishAt: now + durationMs, outcome, ...extra });
  const task: TrackedTask = { ...createSubmittingTask(request, now, localId), remoteId, status: 'queued', submittedAt: now };
  h.store.add(task);
  return task;
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]);
}

describe('TaskPoller (the loop)', () => {
  it('checks a few seconds after submit, then on a fixed 10 s poll\'s grid with nothing learned, and goes quiet after', async () => {
    const h = harness();
    h.poller.start();
    assert.equal(h.poller.idle, true, 'nothing to do yet: no timer');
    const task = submit(h, 'a', 95 * SEC);
    await h.clock.advance(0);
    assert.equal(h.poller.nextWakeAt, h.clock.now() + 4 * SEC);
    await h.clock.runUntilIdle();
    const times = h.service.callsFor('task_a');
    assert.equal(times[0] - task.submittedAt!, 4 * SEC);
    // The early check takes the place of a fixed poll's check at 10 s: then 20 s, 30 s ... after submit.
    assert.deepEqual(gaps(times), [16 * SEC, ...Array<number>(gaps(times).length - 1).fill(10 * SEC)], `gaps ${gaps(times)}`);
    assert.ok(times.length <= Math.ceil(95 / 10), `${times.length} checks: no more than a plain 10 s poll`);
    const done = h.store.get('a')!;
    assert.equal(done.status, 'succeeded');
    assert.ok(done.finishedAt! - (task.submittedAt! + 95 * SEC) <= 10 * SEC);
    assert.equal(h.succeeded.length, 1);
    assert.equal(h.clock.pendingTimers, 0, 'no timer left behind');
    const requests = h.service.calls.length;
    await h.clock.advance(30 * MIN);
    assert.equal(h.service.calls.length, requests, 'quiet when nothing runs');
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
  });

  it('what the store shows is the newest answer: progress is one check old at most', async () => {
    const h = harness();
    h.poller.start();
    const start = h.clock.now();
    submit(h, 'p', 120 * SEC, 'succeed', { progressAt: (now) => Math.floor(((now - start) / (120 * SEC)) * 100) });
    for (let i = 0; i < 12; i++) {
      await h.clock.advance(10 * SEC);
      const last = h.service.answered.at(-1);
      if (last && h.store.get('p')!.status === 'running') assert.equal(h.store.get('p')!.progress, last.progress);
    }
  });

  it('with learned durations: fewer checks on a known setting, never more than 20 s apart', async () => {
    const learned = new LearnedDurations();
    for (let i = 0; i < 20; i++) learned.observe(request, 180 * SEC * (0.95 + 0.01 * (i % 10)));
    const warm = harness({ learned });
    const cold = harness();
    for (const h of [warm, cold]) {
      h.poller.start();
      submit(h, 'k', 178 * SEC);
      await h.clock.runUntilIdle();
      assert.equal(h.store.get('k')!.status, 'succeeded');
    }
    const times = warm.service.callsFor('task_k');
    assert.ok(times.length < cold.service.callsFor('task_k').length, `${times.length} vs ${cold.service.callsFor('task_k').length}`);
    assert.ok(gaps(times).every((g) => g <= 20 * SEC), `gaps ${gaps(times)}`);
  });

  it('learns from a task already finished at its first check (the quickest finishes are not left out)', async () => {
    const learned = new LearnedDurations();
    const h = harness({ learned });
    h.poller.start();
    for (let i = 0; i < 3; i++) {
      submit(h, `q${i}`, 2 * SEC);
      await h.clock.runUntilIdle();
      assert.equal(h.service.callsFor(`task_q${i}`).length, 1, 'seen finished at the first check');
    }
    const belief = learned.estimate(request);
    assert.ok(belief, 'three quick finishes were learned');
    assert.ok(Math.exp(belief.mu) < 5 * SEC, `median ${Math.exp(belief.mu)}`);
  });

  it('backs off on 5xx (2.5 s, 5 s, 10 s ...), reports the lasting problem once within 30 s, and recovers', async () => {
    const h = harness();
    h.poller.start();
    submit(h, 'a', 10 * MIN);
    for (let i = 0; i < 6; i++) h.service.errors.push(new ApiError('server', 'CometAPI had a server error (502).', { status: 502 }));
    await h.clock.advance(4 * SEC);
    const firstFailure = h.clock.now();
    await h.clock.advance(60 * SEC);
    const times = h.service.callsFor('task_a');
    assert.deepEqual(gaps(times.slice(0, 5)), [2.5 * SEC, 5 * SEC, 10 * SEC, 20 * SEC]);
    assert.equal(h.problems.length, 1, 'reported once');
    assert.ok(h.problems[0].at - firstFailure <= 30 * SEC, `reported after ${h.problems[0].at - firstFailure} ms`);
    assert.equal(h.problems[0].kind, 'server');
    assert.equal(h.problems[0].paused, false);
    await h.clock.advance(2 * MIN);
    assert.equal(h.recovered, 1, 'a success after the problem says so');
    assert.equal(h.store.get('a')!.status, 'running');
  });

  it('reports a lasting problem within about 30 s even when each failing check takes 15 s to time out', async () => {
    const h = harness();
    h.service.latencyMs = 15 * SEC;
    h.poller.start();
    submit(h, 'a', 30 * MIN);
    for (let i = 0; i < 10; i++) h.service.errors.push(new ApiError('timeout', 'CometAPI did not answer in time.'));
    await h.clock.advance(4 * SEC);
    const firstSent = h.clock.now();
    await h.clock.advance(2 * MIN);
    assert.equal(h.problems.length, 1);
    assert.ok(h.problems[0].at - firstSent <= 35 * SEC, `reported after ${(h.problems[0].at - firstSent) / SEC} s`);
    assert.equal(h.service.maxInFlight, 1);
  });

  it('honours Retry-After: no request until the server said, and a long wait is reported at once', async () => {
    const h = harness();
    h.poller.start();
    submit(h, 'a', 10 * MIN);
    h.service.errors.push(new ApiError('rateLimited', 'slow down', { status: 429, retryAfterMs: 45 * SEC }));
    await h.clock.advance(4 * SEC);
    await h.clock.advance(44 * SEC);
    assert.equal(h.service.calls.length, 1, 'waited');
    assert.equal(h.problems.length, 1, 'a 45 s wait is a lasting problem');
    await h.clock.advance(1 * SEC);
    assert.equal(h.service.calls.length, 2);
  });

  it('Refresh checks at once, even during backoff', async () => {
    const h = harness();
    h.poller.start();
    submit(h, 'a', 10 * MIN);
    h.service.errors.push(new ApiError('rateLimited', 'slow down', { status: 429, retryAfterMs: 5 * MIN }));
    await h.clock.advance(4 * SEC);
    await h.clock.advance(10 * SEC);
    assert.equal(h.service.calls.length, 1);
    h.poller.refresh();
    await h.clock.advance(0);
    assert.equal(h.service.calls.length, 2, 'checked right away');
    assert.equal(h.store.get('a')!.status, 'running');
  });

  it('keeps going after a throw anywhere: a synchronous throw, a non-ApiError, a throwing hook, a throwing store listener', async () => {
    let throwNow = true;
    const h: Harness = harness({
      onSucceeded: () => { throw new Error('hook broke'); },
      getVideo: (id, signal) => {
        if (throwNow) {
          throwNow = false;
          throw new RangeError('thrown before any promise');
        }
        return h.service.getVideo(id, signal);
      },
    });
    h.store.onDidChange(() => { throw new Error('listener broke'); });
    h.poller.start();
    submit(h, 'a', 30 * SEC);
    submit(h, 'b', 60 * SEC);
    h.service.errors.push(new TypeError('something unexpected'));
    await h.clock.runUntilIdle();
    assert.equal(h.store.get('a')!.status, 'succeeded');
    assert.equal(h.store.get('b')!.status, 'succeeded', 'rescheduled after the hook threw');
    assert.equal(h.clock.pendingTimers, 0);
  });

  it('pauses on an auth error (no more requests), reports it, and resumes on resume()', async () => {
    const h = harness();
    h.poller.start();
    submit(h, 'a', 60 * SEC);
    h.service.errors.push(new ApiError('auth', 'CometAPI did not accept the API key.', { status: 401 }));
    await h.clock.advance(4 * SEC);
    assert.equal(h.poller.paused, true);
    assert.equal(h.problems.length, 1);
    assert.equal(h.problems[0].paused, true);
    await h.clock.advance(10 * MIN);
    assert.equal(h.service.calls.length, 1, 'a bad key is not hammered');
    h.poller.resume();
    await h.clock.runUntilIdle();
    assert.equal(h.store.get('a')!.status, 'succeeded');
  });

  it('stalled tasks: checked on start, on Refresh and every few minutes until they end; Keep Waiting checks at once', async () => {
    const h = harness({ stallAfterMs: 5 * MIN });
    h.poller.start();
    submit(h, 's', 20 * MIN);
    await h.clock.advance(5 * MIN + 10 * SEC);
    assert.equal(h.store.get('s')!.status, 'stalled');
    assert.equal(h.stalled.length, 1);
    const before = h.service.callsFor('task_s').length;
    await h.clock.advance(STALLED_GAP_MS);
    assert.equal(h.service.callsFor('task_s').length, before + 1, 'one slow check');
    h.poller.refresh();
    await h.clock.advance(0);
    assert.equal(h.service.callsFor('task_s').length, before + 2, 'Refresh checks it now');
    await h.clock.advance(20 * MIN);
    assert.equal(h.store.get('s')!.status, 'succeeded', 'it ended by itself while stalled');

    // On activation: a stalled task from the last session is checked at once; Keep Waiting checks it again now.
    const restored: TrackedTask = { ...createSubmittingTask(request, h.clock.now() - 2 * 60 * MIN, 'r'), remoteId: 'task_r', status: 'stalled', submittedAt: h.clock.now() - 2 * 60 * MIN };
    const next = harness({ stallAfterMs: 5 * MIN }, [restored], h.clock);
    next.service.tasks.set('task_r', { finishAt: Infinity, outcome: 'stuck' });
    next.poller.start();
    await h.clock.advance(0);
    assert.equal(next.service.callsFor('task_r').length, 1, 'checked on activation');
    assert.equal(next.poller.keepWaiting('r'), true);
    await h.clock.advance(0);
    assert.equal(next.service.callsFor('task_r').length, 2);
    assert.equal(next.store.get('r')!.status, 'running');
    next.store.remove('r');
    await h.clock.advance(30 * MIN);
    assert.equal(next.service.callsFor('task_r').length, 2, 'dismissed: no more checks');
    assert.equal(h.clock.pendingTimers, 0);
  });

  it('an unknown id fails in plain words (after the replication-lag grace); a service failure keeps its reason', async () => {
    const h = harness();
    h.poller.start();
    const ghost: TrackedTask = { ...createSubmittingTask(request, h.clock.now(), 'g'), remoteId: 'task_ghost', status: 'running', submittedAt: h.clock.now() };
    h.store.add(ghost);
    submit(h, 'f', 30 * SEC, 'fail');
    await h.clock.runUntilIdle();
    assert.equal(h.store.get('g')!.failure!.message, NOT_FOUND_MESSAGE);
    assert.ok(h.service.callsFor('task_ghost').length > 1, 'asked again during the first minute');
    assert.equal(h.store.get('f')!.failure!.code, 'InputTextSensitiveContentDetected');
    assert.equal(h.failed.length, 2);
  });

  it('asks again soon for a missing video link, then gives up', async () => {
    const h = harness();
    h.poller.start();
    submit(h, 'n', 20 * SEC, 'noUrl');
    await h.clock.runUntilIdle();
    assert.equal(h.store.get('n')!.status, 'failed');
    assert.match(h.store.get('n')!.failure!.message, /no download link/);
    const after = h.service.callsFor('task_n').filter((t) => t >= h.store.get('n')!.submittedAt! + 20 * SEC);
    assert.equal(after.length, 4);
    assert.ok(gaps(after).every((g) => g <= 5 * SEC));
  });

  it('stops cleanly on dispose: no timer, in-flight request aborted, no more updates', async () => {
    const h = harness();
    h.service.latencyMs = 5 * SEC;
    h.poller.start();
    submit(h, 'a', 60 * SEC);
    await h.clock.advance(5 * SEC);
    assert.equal(h.service.inFlight, 1);
    h.poller.dispose();
    await h.clock.advance(0);
    assert.equal(h.service.inFlight, 0, 'aborted');
    assert.equal(h.clock.pendingTimers, 0);
    await h.clock.advance(10 * MIN);
    assert.equal(h.service.calls.length, 1);
    assert.equal(h.store.get('a')!.status, 'queued');
  });

  it('learned durations are saved and come back after a reload (with the unfinished tasks)', async () => {
    const clock = new ManualClock();
    const memory = new Map<string, string>();
    const memento: MementoLike & DurationMementoLike = {
      get: <T>(key: string) => (memory.has(key) ? (JSON.parse(memory.get(key)!) as T) : undefined),
      update: async (key: string, value: unknown) => void memory.set(key, JSON.stringify(value)),
    };
    const learned = loadLearnedDurations(memento);
    const first = harness({ learned, onLearned: () => saveLearnedDurations(memento, learned) }, [], clock);
    const persistence = new TaskPersistence(first.store, memento, { clock });
    first.poller.start();
    for (let i = 0; i < 4; i++) {
      submit(first, `d${i}`, 90 * SEC);
      await clock.runUntilIdle();
    }
    submit(first, 'open', 90 * SEC);
    await clock.advance(1 * SEC);
    first.poller.dispose();
    await persistence.flush();
    persistence.dispose();

    const reloaded = loadLearnedDurations(memento);
    const belief = reloaded.estimate(request)!;
    assert.ok(belief, 'what was learned is back');
    assert.ok(Math.abs(Math.exp(belief.mu) - 90 * SEC) < 10 * SEC, `median ${Math.exp(belief.mu)}`);
    const second = harness({ learned: reloaded }, loadTasks(memento, { now: clock.now() }).tasks, clock);
    second.service.tasks.set('task_open', first.service.tasks.get('task_open')!);
    second.poller.start();
    await clock.runUntilIdle();
    assert.equal(second.store.get('open')!.status, 'succeeded', 'resumed by itself');
    assert.equal(second.succeeded.length, 1);
  });
});

describe('TaskPoller: odd status answers and Check Again (issue 17)', () => {
  it('an odd answer about one task backs that task off and it still lands its video', async () => {
    const h = harness();
    h.poller.start();
    submit(h, 'odd', 40 * SEC);
    // Two odd answers in a row: a 500 carrying invalid_request, then a 418. Neither is a status.
    h.service.errors.push(
      new ApiError('invalidRequest', 'CometAPI rejected the request as invalid (500 invalid_request)', { status: 500, code: 'invalid_request' }),
      new ApiError('invalidRequest', 'CometAPI rejected the request (418)', { status: 418 }),
    );
    await h.clock.advance(4 * SEC);
    await h.clock.advance(4 * SEC);
    assert.equal(h.store.get('odd')?.status, 'queued', 'still running after odd answers');
    const calls = h.service.callsFor('task_odd');
    assert.ok(calls.length >= 2, `asked again: ${calls}`);
    const backoff = gaps(calls);
    await h.clock.advance(2 * MIN);
    assert.equal(h.store.get('odd')?.status, 'succeeded', 'its video landed');
    assert.equal(h.failed.length, 0);
    assert.ok(backoff.every((g) => g >= 2_500), `backed off: ${backoff}`);
    h.poller.dispose();
  });

  it('task_not_exist once, then the task again: it goes on; twice minutes apart: it fails', async () => {
    const h = harness();
    h.poller.start();
    submit(h, 'blip', 20 * MIN);
    await h.clock.advance(2 * MIN);
    h.service.errors.push(new ApiError('notFound', 'task_not_exist', { status: 400, code: 'task_not_exist' }));
    await h.clock.advance(1 * MIN);
    assert.equal(h.store.get('blip')?.status, 'running', 'a single task_not_exist after it was seen does not end it');
    await h.clock.advance(20 * MIN);
    assert.equal(h.store.get('blip')?.status, 'succeeded');

    submit(h, 'gone', 60 * MIN);
    await h.clock.advance(2 * MIN);
    h.service.tasks.delete('task_gone');
    await h.clock.advance(1 * MIN);
    assert.equal(h.store.get('gone')?.status, 'running', 'first sighting only noted');
    await h.clock.advance(8 * MIN);
    assert.equal(h.store.get('gone')?.status, 'failed', 'still unknown minutes later: failed');
    assert.equal(h.store.get('gone')?.failure?.message, NOT_FOUND_MESSAGE);
    h.poller.dispose();
  });

  it('Check Again watches a failed task with an id again (a status check, never a create)', async () => {
    const h = harness();
    h.poller.start();
    submit(h, 'retry', 30 * SEC, 'fail');
    await h.clock.advance(2 * MIN);
    assert.equal(h.store.get('retry')?.status, 'failed');
    // The service has it again (a failure that was not the end, e.g. shown wrongly): Check Again asks it.
    h.service.tasks.set('task_retry', { finishAt: h.clock.now(), outcome: 'succeed' });
    const before = h.service.callsFor('task_retry').length;
    assert.equal(h.poller.checkAgain('retry'), true);
    assert.equal(h.store.get('retry')?.failure, undefined);
    await h.clock.advance(1 * SEC);
    assert.equal(h.service.callsFor('task_retry').length, before + 1, 'one status check');
    assert.equal(h.store.get('retry')?.status, 'succeeded');
    assert.equal(h.poller.checkAgain('retry'), false, 'only a failed task');
    const noId = { ...createSubmittingTask(request, h.clock.now(), 'noid'), status: 'failed' as const };
    h.store.add(noId);
    assert.equal(h.poller.checkAgain('noid'), false, 'only with a task id');
    h.poller.dispose();
  });
});
