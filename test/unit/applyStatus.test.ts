import * as assert from 'node:assert/strict';
import type { VideoTask } from '../../src/core/api/types';
import {
  applyStatus, isWatched, MISSING_URL_MESSAGE, NO_REASON_MESSAGE, NOT_FOUND_CONFIRM_MS, NOT_FOUND_GRACE_MS, NOT_FOUND_MESSAGE,
  type StatusAnswer,
} from '../../src/core/polling/applyStatus';
import { createSubmittingTask, type TrackedTask } from '../../src/core/tasks/task';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const rules = { stallAfterMs: 30 * 60_000 };
const base: TrackedTask = Object.freeze({
  ...createSubmittingTask({ prompt: 'p', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' }, T0, 'L1'),
  remoteId: 'task_1',
  status: 'queued' as const,
  submittedAt: T0,
});
const video = (v: Partial<VideoTask>): StatusAnswer => ({ kind: 'task', video: { id: 'task_1', rawStatus: '', unknownStatus: false, status: 'running', progress: 0, ...v } });

describe('applyStatus', () => {
  it('a finished video: succeeded, 100 %, with its link and when it was seen', () => {
    const next = applyStatus(base, video({ status: 'succeeded', progress: 100, videoUrl: 'https://v.example/a.mp4' }), T0 + 90_000, rules);
    assert.equal(next.status, 'succeeded');
    assert.equal(next.progress, 100);
    assert.equal(next.videoUrl, 'https://v.example/a.mp4');
    assert.equal(next.finishedAt, T0 + 90_000);
    assert.equal(next.lastPolledAt, T0 + 90_000);
    assert.equal(base.status, 'queued', 'the input is not changed');
  });

  it('a failed generation keeps the service reason, or says it gave none', () => {
    const withReason = applyStatus(base, video({ status: 'failed', progress: 30, failure: { code: 'InputTextSensitiveContentDetected', message: 'sensitive' } }), T0 + 5_000, rules);
    assert.deepEqual([withReason.status, withReason.failure], ['failed', { kind: 'service', code: 'InputTextSensitiveContentDetected', message: 'sensitive' }]);
    assert.equal(withReason.progress, 30);
    const without = applyStatus(base, video({ status: 'failed' }), T0 + 5_000, rules);
    assert.equal(without.failure?.message, NO_REASON_MESSAGE);
  });

  it('still going: the newest status and progress (what a card shows is one check old at most)', () => {
    const running = applyStatus(base, video({ status: 'running', progress: 50 }), T0 + 20_000, rules);
    assert.deepEqual([running.status, running.progress, running.lastPolledAt, running.waitingSince], ['running', 50, T0 + 20_000, T0]);
    const lower = applyStatus(running, video({ status: 'running', progress: 30 }), T0 + 30_000, rules);
    assert.equal(lower.progress, 30, 'the service said 30 now');
    const silent = applyStatus(lower, video({ status: 'running', progress: 0 }), T0 + 40_000, rules);
    assert.equal(silent.progress, 30, 'no figure at all keeps the last one');
    assert.equal(applyStatus(base, video({ status: 'queued', progress: 10 }), T0 + 5_000, rules).status, 'queued');
  });

  it('past the deadline it is stalled, stays stalled while still going, and ends when the service says so', () => {
    const stalled = applyStatus(base, video({ status: 'running', progress: 50 }), T0 + 31 * 60_000, rules);
    assert.equal(stalled.status, 'stalled');
    const still = applyStatus(stalled, video({ status: 'running', progress: 60 }), T0 + 36 * 60_000, rules);
    assert.deepEqual([still.status, still.progress], ['stalled', 60]);
    assert.equal(applyStatus(still, video({ status: 'succeeded', videoUrl: 'https://v.example/a.mp4' }), T0 + 41 * 60_000, rules).status, 'succeeded');
    const resumed = { ...stalled, status: 'running' as const, waitingSince: T0 + 40 * 60_000 };
    assert.equal(applyStatus(resumed, video({ status: 'running' }), T0 + 45 * 60_000, rules).status, 'running', 'Keep Waiting restarts the deadline');
  });

  it('an unknown id: nothing during the first minute (replication lag); ends only when seen again minutes later', () => {
    const early = applyStatus(base, { kind: 'notFound' }, T0 + 4_000, rules);
    assert.equal(early, base, 'replication lag: unchanged');
    const first = applyStatus(base, { kind: 'notFound', code: 'task_not_exist' }, T0 + NOT_FOUND_GRACE_MS, rules);
    assert.deepEqual([first.status, first.notFoundSince, first.failure], ['queued', T0 + NOT_FOUND_GRACE_MS, undefined], 'the first one only notes the time');
    const soon = applyStatus(first, { kind: 'notFound' }, T0 + NOT_FOUND_GRACE_MS + NOT_FOUND_CONFIRM_MS - 1, rules);
    assert.deepEqual([soon.status, soon.notFoundSince], ['queued', T0 + NOT_FOUND_GRACE_MS], 'seen again too soon: still running');
    const late = applyStatus(soon, { kind: 'notFound', code: 'task_not_exist' }, T0 + NOT_FOUND_GRACE_MS + NOT_FOUND_CONFIRM_MS, rules);
    assert.equal(late.status, 'failed');
    assert.deepEqual(late.failure, { kind: 'notFound', code: 'task_not_exist', message: NOT_FOUND_MESSAGE });
    // A real answer in between: the earlier task_not_exist was a passing one, and the wait starts again.
    const seenBefore = { ...base, lastPolledAt: T0 + 4_000 };
    const once = applyStatus(seenBefore, { kind: 'notFound' }, T0 + 14_000, rules);
    assert.equal(once.status, 'queued', 'known before, one task_not_exist: not the end');
    const back = applyStatus(once, video({ status: 'running', progress: 40 }), T0 + 20_000, rules);
    assert.deepEqual([back.status, back.notFoundSince], ['running', undefined]);
    assert.equal(applyStatus(back, { kind: 'notFound' }, T0 + 20_000 + NOT_FOUND_CONFIRM_MS, rules).status, 'running', 'counted from the new first sighting');
  });

  it('any other odd answer (a 4xx, a 5xx carrying invalid_request) never ends a running task', () => {
    for (const task of [base, { ...base, status: 'running' as const, lastPolledAt: T0 + 4_000 }, { ...base, status: 'stalled' as const }]) {
      const next = applyStatus(task, { kind: 'rejected', code: 'invalid_request', message: 'bad id' }, T0 + 60_000, rules);
      assert.deepEqual([next.status, next.failure, next.lastPolledAt], [task.status, undefined, T0 + 60_000]);
    }
    // Only a terminal status ends it.
    const odd = applyStatus(base, { kind: 'rejected', message: '418' }, T0 + 10_000, rules);
    assert.equal(applyStatus(odd, video({ status: 'succeeded', videoUrl: 'https://v.example/a.mp4' }), T0 + 20_000, rules).status, 'succeeded');
    assert.equal(applyStatus(odd, video({ status: 'failed' }), T0 + 20_000, rules).status, 'failed');
  });

  it('"succeeded" without a link is asked again a few times, then failed', () => {
    const noUrl = video({ status: 'succeeded', progress: 100 });
    for (const misses of [1, 2, 3]) {
      const next = applyStatus(base, noUrl, T0 + 60_000, { ...rules, urlMisses: misses });
      assert.deepEqual([next.status, next.progress], ['running', 100]);
    }
    const given = applyStatus(base, noUrl, T0 + 60_000, { ...rules, urlMisses: 4 });
    assert.deepEqual([given.status, given.failure?.message], ['failed', MISSING_URL_MESSAGE]);
  });

  it('leaves tasks the loop does not watch exactly as they are', () => {
    for (const status of ['succeeded', 'failed', 'uncertain', 'submitting'] as const) {
      const task = { ...base, status };
      assert.equal(isWatched(task), false);
      assert.equal(applyStatus(task, video({ status: 'running', progress: 40 }), T0 + 5_000, rules), task);
    }
    assert.equal(isWatched({ ...base, remoteId: undefined }), false);
    assert.equal(isWatched({ ...base, status: 'stalled' }), true);
  });
});
