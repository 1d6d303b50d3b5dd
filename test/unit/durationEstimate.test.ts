import * as assert from 'node:assert/strict';
import { DurationEstimator, priorDurationMs } from '../../src/core/durationEstimate';
import type { TaskRequest } from '../../src/core/tasks/task';

const base: TaskRequest = { prompt: 'p', model: 'doubao-seedance-1-5-pro', seconds: 5, size: '16:9', resolution: '720p' };
const withSeconds = (seconds: number): TaskRequest => ({ ...base, seconds });

describe('DurationEstimator', () => {
  it('starts from the prior with a wide window', () => {
    const e = new DurationEstimator().estimate(base);
    assert.equal(e.expectedMs, priorDurationMs(base));
    assert.equal(e.source, 'prior');
    assert.ok(e.spreadMs >= 0.4 * e.expectedMs);
  });

  it('narrows to the exact duration of a deterministic setting', () => {
    const est = new DurationEstimator();
    est.observe(base, 80_000, 90_000);
    est.observe(base, 84_000, 120_000);
    est.observe(base, 60_000, 86_000);
    for (let i = 0; i < 10; i++) est.observe(base, 84_500, 85_500);
    const e = est.estimate(base);
    assert.equal(e.source, 'exact');
    assert.ok(Math.abs(e.expectedMs - 85_000) <= 1_000, `expected ${e.expectedMs}`);
    assert.ok(e.spreadMs <= 2_000, `spread ${e.spreadMs}`);
  });

  it('keeps a noisy setting\'s window about as wide as its noise', () => {
    const est = new DurationEstimator();
    const durations = [80, 95, 86, 100, 78, 92, 84, 99, 81, 90, 97, 83];
    for (const d of durations) est.observe(base, d * 1000 - 500, d * 1000 + 500);
    const e = est.estimate(base);
    assert.ok(e.expectedMs > 80_000 && e.expectedMs < 100_000, `expected ${e.expectedMs}`);
    assert.ok(e.spreadMs >= 6_000, `spread ${e.spreadMs} covers the noise`);
  });

  it('interpolates between observed clip lengths of the same model and resolution', () => {
    const est = new DurationEstimator();
    est.observe(withSeconds(4), 69_500, 70_500);
    est.observe(withSeconds(10), 109_500, 110_500);
    const e = est.estimate(withSeconds(7));
    assert.equal(e.source, 'similar');
    const prior7 = priorDurationMs(withSeconds(7));
    const f4 = 70_000 / priorDurationMs(withSeconds(4));
    const f10 = 110_000 / priorDurationMs(withSeconds(10));
    assert.ok(Math.abs(e.expectedMs - prior7 * (f4 + f10) / 2) < 500);
    assert.equal(est.estimate({ ...base, model: 'doubao-seedance-2-0' }).source, 'all');
    assert.equal(est.estimate({ ...base, resolution: '1080p' }).source, 'model');
  });

  it('round-trips through toJSON/fromJSON and ignores malformed state', () => {
    const est = new DurationEstimator();
    est.observe(base, 84_000, 86_000);
    est.observe(withSeconds(8), 99_000, 101_000);
    const copy = DurationEstimator.fromJSON(JSON.parse(JSON.stringify(est)));
    assert.deepEqual(copy.estimate(base), est.estimate(base));
    assert.deepEqual(copy.estimate(withSeconds(6)), est.estimate(withSeconds(6)));
    assert.equal(DurationEstimator.fromJSON({ v: 2 }).estimate(base).source, 'prior');
    assert.equal(DurationEstimator.fromJSON({ v: 1, entries: [{ model: 1 }, null], scatter: { exact: 'x' } }).estimate(base).source, 'prior');
    assert.equal(DurationEstimator.fromJSON(undefined).estimate(base).source, 'prior');
  });
});
