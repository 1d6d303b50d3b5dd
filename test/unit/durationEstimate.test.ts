import * as assert from 'node:assert/strict';
import { LearnedDurations, MAX_LEVELS, typicalDurationMs } from '../../src/core/polling/durationEstimate';
import { LEARNED_DURATIONS_KEY, loadLearnedDurations, saveLearnedDurations, type DurationMementoLike } from '../../src/core/polling/durationMemory';
import type { TaskRequest } from '../../src/core/tasks/task';

const base: TaskRequest = { prompt: 'p', model: 'doubao-seedance-1-5-pro', seconds: 5, size: '16:9', resolution: '720p' };
const median = (l: LearnedDurations, r: TaskRequest = base) => Math.exp(l.estimate(r)!.mu);

class MemoryMemento implements DurationMementoLike {
  readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
  }
}

describe('LearnedDurations', () => {
  it('hands the cadence the shape of recent finishes once a level has enough, and keeps it across a reload', () => {
    const l = new LearnedDurations();
    for (let i = 0; i < 7; i++) l.observe(base, i % 2 ? 20_000 : 240_000);
    assert.equal(l.estimate(base)!.samples, undefined, 'seven finishes: the bell only');
    l.observe(base, 20_000);
    const samples = l.estimate(base)!.samples!;
    assert.equal(samples.length, 8);
    // Two clusters about ln(12) apart (each shifted by how the drift moved since it was seen).
    const spread = Math.max(...samples) - Math.min(...samples);
    assert.ok(spread > Math.log(12) - 0.7 && spread < Math.log(12) + 0.7, `spread ${spread}`);
    const back = LearnedDurations.fromJSON(JSON.parse(JSON.stringify(l.toJSON())));
    assert.deepEqual(back.estimate(base), l.estimate(base));
    const older = LearnedDurations.fromJSON({ v: 2, drift: 0, levels: { '*': { n: 5, mean: Math.log(70_000), variance: 0.01 } } });
    assert.equal(older.estimate(base)!.samples, undefined, 'a state saved before samples were kept still loads');
  });

  it('tells a person the typical duration: the middle of the recent finishes, or the belief before there are enough', () => {
    const l = new LearnedDurations();
    for (const ms of [38_000, 42_000, 40_000]) l.observe(base, ms);
    const few = typicalDurationMs(l.estimate(base)!);
    assert.ok(few > 38_000 && few < 42_000, `three finishes near 40 s: ${few}`);
    // One 10-minute finish among ten does not make "usually" wrong (their plain mean is about 96 s).
    for (const ms of [40_000, 600_000, 40_000, 41_000, 39_000, 40_000, 40_000]) l.observe(base, ms);
    const many = typicalDurationMs(l.estimate(base)!);
    assert.ok(many > 30_000 && many < 50_000, `ten finishes, one of 10 min: ${many}`);
  });

  it('claims nothing until a few finishes were seen, then centres on them', () => {
    const l = new LearnedDurations();
    l.observe(base, 80_000);
    l.observe(base, 90_000);
    assert.equal(l.estimate(base), undefined);
    l.observe(base, 100_000);
    const m = median(l);
    assert.ok(m > 85_000 && m < 95_000, `median ${m}`);
    assert.ok(l.estimate(base)!.sigma >= 0.3, 'three finishes do not make a narrow belief');
  });

  it('narrows with many consistent finishes, and stays as wide as a noisy service', () => {
    const steady = new LearnedDurations();
    for (let i = 0; i < 40; i++) steady.observe(base, 85_000 + (i % 3) * 500);
    assert.ok(steady.estimate(base)!.sigma < 0.25, `sigma ${steady.estimate(base)!.sigma}`);
    const noisy = new LearnedDurations();
    for (let i = 0; i < 40; i++) noisy.observe(base, i % 2 ? 50_000 : 150_000);
    assert.ok(noisy.estimate(base)!.sigma > 0.45, `sigma ${noisy.estimate(base)!.sigma}`);
  });

  it('a setting seen once borrows from its model; other models from everything seen', () => {
    const l = new LearnedDurations();
    for (let i = 0; i < 10; i++) l.observe({ ...base, seconds: 10 }, 120_000);
    l.observe(base, 60_000);
    const m = median(l);
    assert.ok(m > 60_000 && m < 120_000, `between its own finish and its model's: ${m}`);
    const other = median(l, { ...base, model: 'doubao-seedance-2-0' });
    assert.ok(other > 60_000 && other <= 120_000, `other model: ${other}`);
  });

  it('follows the service when it gets 3x slower, within a few finishes', () => {
    const l = new LearnedDurations();
    for (let i = 0; i < 30; i++) l.observe(base, 60_000);
    for (let i = 0; i < 5; i++) l.observe(base, 180_000);
    const m = median(l);
    assert.ok(m > 120_000, `median after five slow finishes: ${m}`);
    for (let i = 0; i < 30; i++) l.observe(base, 180_000);
    assert.ok(Math.abs(median(l) - 180_000) < 25_000, `settles on the new regime: ${median(l)}`);
  });

  it('is bounded, round-trips through JSON, and ignores other versions and broken entries', () => {
    const l = new LearnedDurations();
    for (let i = 0; i < MAX_LEVELS * 2; i++) l.observe({ ...base, model: `m${i}` }, 60_000 + i);
    const state = l.toJSON();
    assert.equal(state.v, 2);
    assert.ok(Object.keys(state.levels).length <= MAX_LEVELS);
    const back = LearnedDurations.fromJSON(JSON.parse(JSON.stringify(state)));
    assert.deepEqual(back.toJSON(), state);
    assert.equal(LearnedDurations.fromJSON({ v: 1, entries: [] }).estimate(base), undefined);
    assert.equal(LearnedDurations.fromJSON('garbage').estimate(base), undefined);
    const broken = LearnedDurations.fromJSON({ v: 2, drift: 'x', levels: { a: { n: -1, mean: 1, variance: 0 }, '*': { n: 5, mean: Math.log(70_000), variance: 0.01 } } });
    assert.deepEqual(Object.keys(broken.toJSON().levels), ['*']);
    assert.equal(broken.toJSON().drift, 0);
  });

  it('survives a reload through a Memento (global state), and a failing write is reported, not thrown', async () => {
    const memento = new MemoryMemento();
    const l = loadLearnedDurations(memento);
    for (let i = 0; i < 5; i++) l.observe(base, 75_000);
    saveLearnedDurations(memento, l);
    await Promise.resolve();
    assert.ok(memento.values.has(LEARNED_DURATIONS_KEY));
    assert.ok(Math.abs(median(loadLearnedDurations(memento)) - median(l)) < 1);
    const errors: unknown[] = [];
    const failing: DurationMementoLike = { get: () => undefined, update: () => Promise.reject(new Error('disk full')) };
    saveLearnedDurations(failing, l, (e) => errors.push(e));
    await new Promise((r) => setImmediate(r));
    assert.equal(errors.length, 1);
  });
});
