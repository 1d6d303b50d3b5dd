// One run per storyboard (issue 18): a second Generate All joins the first, every shot is re-checked just
// before its create, and a create in flight from another entry point is never repeated.
import * as assert from 'node:assert/strict';
import { runBatch, type BatchShot, type SubmitResult } from '../../src/core/storyboard/batch';
import { plannedTakes, StoryboardRuns, takeSincePlan } from '../../src/core/storyboard/runRegistry';
import type { Take } from '../../src/core/storyboard/takes';

const shots: BatchShot[] = [
  { key: 'a', title: 'A', errors: [] },
  { key: 'b', title: 'B', continuesFrom: 'a', errors: [] },
  { key: 'c', title: 'C', errors: [] },
];

/** A little world: takes per shot, a create that adds a running take and finishes it a moment later. */
function world() {
  const takes = new Map<string, Take[]>();
  const creates: string[] = [];
  let n = 0;
  const add = (shot: string, take: Partial<Take>) => takes.set(shot, [...(takes.get(shot) ?? []), { key: `t${++n}`, shotId: shot, status: 'running', progress: 0, createdAt: n, ...take } as Take]);
  const finished = new Map<string, Promise<boolean>>();
  const create = (shot: string): string => {
    creates.push(shot);
    const localId = `local-${++n}`;
    add(shot, { key: localId, localId });
    finished.set(localId, new Promise((r) => setTimeout(() => {
      const list = takes.get(shot)!;
      const i = list.findIndex((t) => t.localId === localId);
      list[i] = { ...list[i], status: 'saved', videoFile: `/v/${localId}.mp4` };
      r(true);
    }, 5)));
    return localId;
  };
  return { takes, creates, add, create, finished };
}

/** Generate All as shotGeneration.ts runs it: registry, plan, re-check and claim before each create. */
function generateAll(runs: StoryboardRuns<unknown>, w: ReturnType<typeof world>, onCreate?: (shot: string) => void) {
  return runs.start('board', async (onEvent) => {
    const planned = plannedTakes(w.takes);
    const wanted = shots.filter((s) => !(w.takes.get(s.key) ?? []).some((t) => t.status !== 'failed'));
    return runBatch(wanted, {
      concurrency: 2,
      onEvent,
      predecessorReady: async () => true,
      finished: (id) => w.finished.get(id) ?? Promise.resolve(true),
      submit: async (shot): Promise<SubmitResult> => {
        await new Promise((r) => setTimeout(r, 1));
        const since = takeSincePlan(w.takes.get(shot.key), planned);
        if (since) return since;
        const release = runs.claim(shot.key);
        if (!release) return { kind: 'existing' };
        try {
          onCreate?.(shot.key);
          return { kind: 'accepted', localId: w.create(shot.key) };
        } finally {
          release();
        }
      },
    });
  });
}

describe('one Generate All per storyboard', () => {
  it('two runs started together send each shot once, and both get the result', async () => {
    const runs = new StoryboardRuns();
    const w = world();
    const first = generateAll(runs, w);
    const second = generateAll(runs, w);
    assert.equal(first.joined, false);
    assert.equal(second.joined, true);
    const [a, b] = await Promise.all([first.result, second.result]);
    assert.equal(a, b);
    assert.deepEqual([...w.creates].sort(), ['a', 'b', 'c']);
    assert.equal(runs.isRunning('board'), false, 'the run is gone once it ends');
    // A third run after it ended plans again and finds every take: nothing sent.
    await generateAll(runs, w).result;
    assert.equal(w.creates.length, 3);
  });

  it('a joining caller gets the events so far and the ones after, and a summary of what is left', async () => {
    const runs = new StoryboardRuns();
    const w = world();
    const first = generateAll(runs, w);
    await new Promise((r) => setTimeout(r, 0));
    const seen: string[] = [];
    runs.start('board', async () => assert.fail('a second run must not start'), (e) => seen.push(`${e.key}:${e.state}`));
    const summary = runs.summary('board');
    assert.ok(summary && summary.total === 3 && summary.left > 0, JSON.stringify(summary));
    await first.result;
    assert.ok(seen.includes('a:done') && seen.includes('b:done') && seen.includes('c:done'), seen.join(' '));
  });

  it('a take that appears after the plan (Generate Shot, another window) is not paid for again; the run waits for it', async () => {
    const runs = new StoryboardRuns();
    const w = world();
    const run = generateAll(runs, w, (shot) => {
      // While shot a is created, someone generates shot c by hand.
      if (shot === 'a') w.add('c', { key: 'by-hand', localId: 'by-hand', status: 'running' });
    });
    w.finished.set('by-hand', Promise.resolve(true));
    const result = (await run.result) as Awaited<ReturnType<typeof runBatch>>;
    assert.deepEqual([...w.creates].sort(), ['a', 'b']);
    assert.equal(result.states.get('c')?.state, 'existing');
  });

  it('a create in flight elsewhere holds the claim: the run does not send that shot', async () => {
    const runs = new StoryboardRuns();
    const w = world();
    const release = runs.claim('a')!;
    assert.equal(runs.claim('a'), undefined, 'a second claim waits');
    const result = (await generateAll(runs, w).result) as Awaited<ReturnType<typeof runBatch>>;
    release();
    assert.ok(!w.creates.includes('a'));
    assert.equal(result.states.get('a')?.state, 'existing');
    assert.ok(runs.claim('a'), 'released claims can be taken again');
  });

  it('a continuation waiting for its predecessor says which shot it waits for', async () => {
    const runs = new StoryboardRuns();
    const w = world();
    let waiting: string | undefined;
    runs.onDidChange(() => (waiting ??= runs.waitingFor('board', 'b')));
    await generateAll(runs, w).result;
    assert.equal(waiting, 'a');
    assert.equal(runs.waitingFor('board', 'b'), undefined, 'nothing waits once the run is over');
  });

  it('takeSincePlan ignores planned and failed takes', () => {
    const t = (key: string, status: Take['status'], extra: Partial<Take> = {}) => ({ key, shotId: 's', status, progress: 0, createdAt: 0, ...extra }) as Take;
    assert.equal(takeSincePlan([t('old', 'saved', { videoFile: '/x.mp4' })], new Set(['old'])), undefined);
    assert.equal(takeSincePlan([t('new', 'failed')], new Set()), undefined);
    assert.deepEqual(takeSincePlan([t('new', 'queued', { localId: 'L' })], new Set()), { kind: 'existing', localId: 'L' });
    assert.deepEqual(takeSincePlan([t('new.mp4', 'saved', { videoFile: '/n.mp4' })], new Set()), { kind: 'existing' });
  });
});
