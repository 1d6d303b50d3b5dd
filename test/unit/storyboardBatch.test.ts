import * as assert from 'node:assert/strict';
import { runBatch, type BatchShot, type SubmitResult } from '../../src/core/storyboard/batch';

/** A controllable world: each submitted shot gets a take that the test finishes when it wants. */
function world(results: Record<string, SubmitResult | Error> = {}) {
  const sent: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const finishers = new Map<string, (ok: boolean) => void>();
  const waiting = new Map<string, () => void>();
  return {
    sent,
    get maxRunning() { return maxRunning; },
    deps: (concurrency: number, outside: Record<string, Promise<boolean>> = {}) => ({
      concurrency,
      async submit(shot: BatchShot): Promise<SubmitResult> {
        sent.push(shot.key);
        const r = results[shot.key];
        if (r instanceof Error) throw r;
        if (r) return r;
        running++;
        maxRunning = Math.max(maxRunning, running);
        return { kind: 'accepted', localId: `task-${shot.key}` };
      },
      finished(localId: string): Promise<boolean> {
        return new Promise<boolean>((resolve) => {
          finishers.set(localId.replace('task-', ''), (ok) => { running--; resolve(ok); });
          waiting.get(localId.replace('task-', ''))?.();
        });
      },
      predecessorReady: (key: string) => outside[key] ?? Promise.resolve(true),
    }),
    /** Resolves once the shot's take is being waited for (it was submitted). */
    submitted(key: string): Promise<void> {
      if (finishers.has(key)) return Promise.resolve();
      return new Promise((r) => waiting.set(key, r));
    },
    finish(key: string, ok = true) {
      const f = finishers.get(key);
      assert.ok(f, `${key} is not running`);
      finishers.delete(key);
      f(ok);
    },
  };
}

const shot = (key: string, extra: Partial<BatchShot> = {}): BatchShot => ({ key, title: key, errors: [], ...extra });
const tick = () => new Promise((r) => setImmediate(r));

describe('storyboard batch (Generate All)', () => {
  it('sends shots in order with at most N generations at once', async () => {
    const w = world();
    const run = runBatch([shot('a'), shot('b'), shot('c'), shot('d')], w.deps(2));
    await w.submitted('a'); await w.submitted('b');
    await tick();
    assert.deepEqual(w.sent, ['a', 'b'], 'the third waits for a free slot');
    w.finish('b');
    await w.submitted('c');
    assert.deepEqual(w.sent, ['a', 'b', 'c']);
    w.finish('a'); await w.submitted('d');
    w.finish('c'); w.finish('d');
    const result = await run;
    assert.equal(w.maxRunning, 2);
    assert.deepEqual([...result.states.values()].map((s) => s.state), ['done', 'done', 'done', 'done']);
  });

  it('reports and skips a shot with invalid input; the others go on', async () => {
    const w = world();
    const events: string[] = [];
    const run = runBatch([shot('a'), shot('bad', { errors: ['No prompt.'] }), shot('c')], { ...w.deps(2), onEvent: (e) => events.push(`${e.key}:${e.state}`) });
    await w.submitted('a'); await w.submitted('c');
    w.finish('a'); w.finish('c');
    const result = await run;
    assert.deepEqual(w.sent, ['a', 'c']);
    assert.deepEqual(result.states.get('bad'), { state: 'invalid', message: 'No prompt.' });
    assert.ok(events.includes('bad:invalid'));
  });

  it('makes a continuation wait for its predecessor\'s take, letting independent shots go first', async () => {
    const w = world();
    const run = runBatch([shot('a'), shot('b', { continuesFrom: 'a' }), shot('c')], w.deps(2));
    await w.submitted('a'); await w.submitted('c');
    assert.deepEqual(w.sent, ['a', 'c'], 'b waits, c takes the free slot');
    w.finish('c');
    await tick();
    assert.deepEqual(w.sent, ['a', 'c'], 'still waiting for a');
    w.finish('a');
    await w.submitted('b');
    assert.deepEqual(w.sent, ['a', 'c', 'b']);
    w.finish('b');
    await run;
  });

  it('waits for a predecessor outside the batch, and blocks a continuation whose predecessor failed', async () => {
    let release!: (ok: boolean) => void;
    const outside = new Promise<boolean>((r) => (release = r));
    const w = world();
    const run = runBatch([shot('b', { continuesFrom: 'a' }), shot('c', { continuesFrom: 'x' }), shot('d', { continuesFrom: 'c' })], w.deps(2, { a: outside, x: Promise.resolve(false) }));
    await tick();
    assert.deepEqual(w.sent, []);
    release(true);
    await w.submitted('b');
    w.finish('b', false);
    const result = await run;
    assert.deepEqual(w.sent, ['b']);
    assert.equal(result.states.get('b')?.state, 'failed');
    assert.equal(result.states.get('c')?.state, 'blocked');
    assert.equal(result.states.get('d')?.state, 'blocked', 'a chain stops where a take is missing');
  });

  it('never sends a second create for a shot whose create is uncertain, and blocks what continues it', async () => {
    const w = world({ a: { kind: 'uncertain', message: 'may have reached' } });
    const run = runBatch([shot('a'), shot('b', { continuesFrom: 'a' }), shot('c')], w.deps(1));
    await w.submitted('c');
    w.finish('c');
    const result = await run;
    assert.deepEqual(w.sent, ['a', 'c'], 'a is sent exactly once');
    assert.equal(result.states.get('a')?.state, 'uncertain');
    assert.equal(result.states.get('b')?.state, 'blocked');
  });

  it('stops at an error thrown by submit (a budget refusal) and names the shots left', async () => {
    const budget = new Error('Over budget');
    const w = world({ b: budget });
    const run = runBatch([shot('a'), shot('b'), shot('c'), shot('d')], w.deps(1));
    await w.submitted('a');
    w.finish('a');
    const result = await run;
    assert.deepEqual(w.sent, ['a', 'b']);
    assert.equal(result.stopped?.error, budget);
    assert.deepEqual(result.stopped?.remaining, ['b', 'c', 'd']);
    assert.equal(result.states.get('d')?.state, 'notStarted');
  });

  it('stops starting shots when cancelled', async () => {
    const w = world();
    let cancelled = false;
    const run = runBatch([shot('a'), shot('b')], { ...w.deps(1), isCancelled: () => cancelled });
    await w.submitted('a');
    cancelled = true;
    w.finish('a');
    const result = await run;
    assert.deepEqual(w.sent, ['a']);
    assert.equal(result.cancelled, true);
    assert.equal(result.states.get('b')?.state, 'notStarted');
  });
});
