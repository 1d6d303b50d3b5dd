import * as assert from 'node:assert/strict';
import type { DurationBelief } from '../../src/core/polling/durationEstimate';
import {
  FIRST_CHECK_MS, LATEST_FIRST_CHECK_MS, MAX_GAP_MS, MIN_GAP_MS, nextCheckDelay, planSummary, PLAUSIBLE_MAX_GAP_MS, STALL_AFTER_MS,
  STALLED_GAP_MS, stallDeadline,
} from '../../src/core/polling/pollCadence';

const SEC = 1000;
const belief = (medianMs: number, sigma: number): DurationBelief => ({ mu: Math.log(medianMs), sigma });
const learned = (b: DurationBelief, elapsedMs: number) => nextCheckDelay({ elapsedMs, checked: true, stalled: false, belief: b });

/** The checks a task gets from submit until it is seen finished at durationMs. */
function checksUntil(b: DurationBelief | undefined, durationMs: number): number[] {
  const times: number[] = [];
  let t = nextCheckDelay({ elapsedMs: 0, checked: false, stalled: false, belief: b });
  for (;;) {
    times.push(t);
    if (t >= durationMs) return times;
    t += nextCheckDelay({ elapsedMs: t, checked: true, stalled: false, belief: b });
  }
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('poll cadence policy', () => {
  it('checks first a few seconds after submit, and at once for a task restored after a reload', () => {
    assert.equal(nextCheckDelay({ elapsedMs: 0, checked: false, stalled: false }), FIRST_CHECK_MS);
    const first = nextCheckDelay({ elapsedMs: 1_500, checked: false, stalled: false, belief: belief(120 * SEC, 0.1) }) + 1_500;
    assert.ok(first >= FIRST_CHECK_MS && first <= LATEST_FIRST_CHECK_MS, `first check at ${first}`);
    assert.equal(nextCheckDelay({ elapsedMs: 30 * 60_000, checked: false, stalled: true }), 0, 'a stalled task is checked on activation');
  });

  it('checks a stalled task at the slow cadence; with nothing learned, at 20 s after the early check, then every 10 s', () => {
    assert.equal(nextCheckDelay({ elapsedMs: 40 * 60_000, checked: true, stalled: true, belief: belief(60 * SEC, 0.2) }), STALLED_GAP_MS);
    // The early check took the place of a fixed poll's check at 10 s: the next is the fixed poll's second.
    assert.equal(nextCheckDelay({ elapsedMs: 4_300, checked: true, stalled: false }) + 4_300, 2 * PLAUSIBLE_MAX_GAP_MS);
    for (const elapsed of [20 * SEC, 60 * SEC, 10 * 60_000]) {
      assert.equal(nextCheckDelay({ elapsedMs: elapsed, checked: true, stalled: false }), PLAUSIBLE_MAX_GAP_MS);
    }
  });

  it('with nothing learned, never checks more often than a plain fixed 10 s poll on a task longer than 10 s', () => {
    for (let d = 10_500; d < 5 * 60_000; d += 777) {
      let t = FIRST_CHECK_MS;
      let ours = 1;
      while (t < d) {
        t += nextCheckDelay({ elapsedMs: t, checked: true, stalled: false });
        ours++;
      }
      const fixed = Math.ceil(d / 10_000);
      assert.ok(ours <= fixed, `a ${d} ms task: ${ours} checks against ${fixed}`);
    }
  });

  it('is sparse where a finish is unlikely and dense around the likely finish', () => {
    const b = belief(120 * SEC, 0.1); // 1st percentile about 95 s, 99th about 151 s
    assert.equal(learned(b, 4 * SEC), MAX_GAP_MS, 'long before any plausible finish');
    assert.ok(learned(b, 120 * SEC) < PLAUSIBLE_MAX_GAP_MS, 'at the median');
    const times = checksUntil(b, 10 * 60_000);
    for (let i = 1; i < times.length; i++) {
      const gap = times[i] - times[i - 1];
      assert.ok(gap <= MAX_GAP_MS + 1e-6 && gap >= MIN_GAP_MS - 1e-6, `gap ${gap} at ${times[i - 1]}`);
    }
    const near = times.filter((t) => t >= 95 * SEC && t <= 151 * SEC).length;
    const early = times.filter((t) => t < 95 * SEC).length;
    assert.ok(near >= 7, `${near} checks between the 1st and the 99th percentile`);
    assert.ok(early <= 7, `${early} checks before the 1st percentile`);
  });

  it('plans on the shape of recent finishes: dense around both humps of a bimodal service, sparse between', () => {
    const humps = [18, 19, 20, 21, 22, 20, 19, 21].map((s) => Math.log(s * SEC))
      .concat([220, 230, 240, 250, 260, 240, 235, 245].map((s) => Math.log(s * SEC)));
    const b: DurationBelief = { mu: Math.log(90 * SEC), sigma: 1.2, samples: humps };
    const gap = (t: number) => learned(b, t);
    assert.ok(gap(19 * SEC) <= PLAUSIBLE_MAX_GAP_MS, `near the short hump: ${gap(19 * SEC)}`);
    assert.ok(gap(100 * SEC) >= gap(238 * SEC) + 2 * SEC, `between the humps (${gap(100 * SEC)}) sparser than at the long one (${gap(238 * SEC)})`);
    // The bell fitted to the same finishes would check more densely between the humps, where none finish.
    assert.ok(learned({ mu: b.mu, sigma: b.sigma }, 100 * SEC) < gap(100 * SEC) - 1 * SEC);
  });

  it('goes back to every 10 s once a task outlived what was learned', () => {
    const b = belief(60 * SEC, 0.3); // 99th percentile about 121 s
    for (const t of [125 * SEC, 5 * 60_000, 40 * 60_000]) assert.equal(learned(b, t), PLAUSIBLE_MAX_GAP_MS);
  });

  it('for any belief: gaps within bounds, and a plan that meets the delay plan or costs no more than a plain fixed 10 s poll (robustness)', () => {
    const rnd = prng(3);
    for (let i = 0; i < 30; i++) {
      const b = belief(2 * SEC + rnd() * 30 * 60_000, 0.02 + rnd() * 2);
      const t = rnd() * 60 * 60_000;
      const gap = learned(b, t);
      assert.ok(gap >= MIN_GAP_MS - 1e-6 && gap <= MAX_GAP_MS + 1e-6, `gap ${gap}`);
      const plan = planSummary(b);
      const meetsDelays = plan.late[0] <= 0.4 + 1e-9 && plan.late[1] <= 0.05 + 1e-9;
      assert.ok(meetsDelays || plan.checks <= plan.fixedChecks + 1e-9, `belief ${JSON.stringify(b)}: ${JSON.stringify(plan)}`);
    }
  });

  it('spends fewer checks than a fixed 10 s poll on what it learned, with most finishes seen within 5 s', () => {
    const b = belief(150 * SEC, 0.2);
    const rnd = prng(11);
    let ours = 0;
    let fixed = 0;
    const delays: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
      const d = Math.exp(b.mu + b.sigma * z);
      const times = checksUntil(b, d);
      ours += times.length;
      // A plain fixed 10 s poll: checks at 10, 20, 30 s ...
      fixed += Math.max(1, Math.ceil(d / 10_000));
      delays.push(times[times.length - 1] - d);
    }
    const ratio = ours / fixed;
    assert.ok(ratio <= 0.9, `ratio ${ratio.toFixed(3)}`);
    delays.sort((a, b2) => a - b2);
    assert.ok(delays[500] <= 5_000, `median ${delays[500]}`);
    assert.ok(delays[900] <= 10_000, `p90 ${delays[900]}`);
  });

  it('scales every interval for tests', () => {
    assert.equal(nextCheckDelay({ elapsedMs: 0, checked: false, stalled: false, scale: 0.1 }), FIRST_CHECK_MS * 0.1);
    assert.equal(nextCheckDelay({ elapsedMs: 0, checked: true, stalled: true, scale: 0.1 }), STALLED_GAP_MS * 0.1);
    const b = belief(120 * SEC, 0.1);
    assert.ok(
      Math.abs(nextCheckDelay({ elapsedMs: 400, checked: true, stalled: false, belief: b, scale: 0.1 }) - 0.1 * learned(b, 4 * SEC)) < 1e-6,
    );
  });

  it('counts a task as stalled after 30 min, or later when the service is known to be that slow', () => {
    assert.equal(stallDeadline(undefined), STALL_AFTER_MS);
    assert.equal(stallDeadline(belief(120 * SEC, 0.3)), STALL_AFTER_MS);
    assert.ok(stallDeadline(belief(20 * 60_000, 0.3)) > 90 * 60_000);
    assert.equal(stallDeadline(undefined, 0.01), STALL_AFTER_MS * 0.01);
  });
});
