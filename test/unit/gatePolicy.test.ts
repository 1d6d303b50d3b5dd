// The one gate's policy as a table (every caller kind x monthly limit x price x agent cap), its answered
// questions, and the counting rules every spending figure comes from (accepted, uncertain, dismissed,
// failed, another window's entry, a ledger written by a newer version).
import { strict as assert } from 'node:assert';
import { authorize, GateRefusedError, refusalText, type Caller, type GateSettings, type Verdict } from '../../src/core/gate/policy';
import { agentSpentOnDayOf, countsAsSpent, dayKey, spendingState, spentInMonthOf, uncertainKey } from '../../src/core/gate/spending';
import { Ledger, LEDGER_STORAGE_KEY, type LedgerEntry, type LedgerStatus } from '../../src/core/pricing/ledger';
import { MemoryStorage } from '../../src/core/pricing/storage';
import { summarize, toCsv } from '../../src/core/pricing/summary';

const CALLERS: Record<string, Caller> = {
  person: { kind: 'person' },
  extension: { kind: 'extension' },
  batchByPerson: { kind: 'batch', by: 'person' },
  agent: { kind: 'agent' },
  batchByAgent: { kind: 'batch', by: 'agent' },
};
/** none: no monthly limit; room: $2 of $10 spent; full: $9.80 of $10 spent. */
const LIMITS = { none: { monthlyLimit: 0, spent: 9.8 }, room: { monthlyLimit: 10, spent: 2 }, full: { monthlyLimit: 10, spent: 9.8 } };
/** confirmAbove is $1: below asks nothing, above asks a person. */
const PRICES = { below: 0.5, above: 1.5, unknown: undefined };
/** off: agentDailyLimit 0; room: $1 of $5 today; spent: $4.80 of $5 today. */
const CAPS = { off: { agentDailyLimit: 0, today: 0 }, room: { agentDailyLimit: 5, today: 1 }, spent: { agentDailyLimit: 5, today: 4.8 } };

/** Short form of a verdict: A (allow), R:reason, Q:question+question. */
function code(v: Verdict): string {
  if (v.kind === 'allow') return 'A';
  if (v.kind === 'refuse') return `R:${v.reason}`;
  return `Q:${v.questions.join('+')}`;
}

function run(
  caller: string,
  limit: keyof typeof LIMITS,
  price: keyof typeof PRICES,
  cap: keyof typeof CAPS,
  confirmBeforeSubmit = true,
): string {
  const settings: GateSettings = {
    monthlyLimit: LIMITS[limit].monthlyLimit,
    confirmAbove: 1,
    agentDailyLimit: CAPS[cap].agentDailyLimit,
    confirmBeforeSubmit,
  };
  return code(authorize({
    caller: CALLERS[caller],
    quote: { usd: PRICES[price] },
    spending: { spentThisMonth: LIMITS[limit].spent, agentSpentToday: CAPS[cap].today },
    settings,
  }));
}

// Rows: caller, limit, price, cap -> verdict (confirmBeforeSubmit on). Written out, not computed.
const TABLE: [string, keyof typeof LIMITS, keyof typeof PRICES, keyof typeof CAPS, string][] = [
  // A person is asked (unknown price, above confirmAbove, the review) and refused only past the limit.
  ['person', 'none', 'below', 'room', 'Q:review'],
  ['person', 'none', 'above', 'room', 'Q:aboveThreshold+review'],
  ['person', 'none', 'unknown', 'room', 'Q:unknownPrice+review'],
  ['person', 'room', 'below', 'room', 'Q:review'],
  ['person', 'room', 'above', 'room', 'Q:aboveThreshold+review'],
  ['person', 'room', 'unknown', 'room', 'Q:unknownPrice+review'],
  ['person', 'full', 'below', 'room', 'R:monthlyLimit'],
  ['person', 'full', 'above', 'room', 'R:monthlyLimit'],
  ['person', 'full', 'unknown', 'room', 'Q:unknownPrice+review'],
  ['person', 'full', 'below', 'off', 'R:monthlyLimit'],
  ['person', 'room', 'above', 'off', 'Q:aboveThreshold+review'],
  ['person', 'none', 'below', 'spent', 'Q:review'],
  // Another extension is never asked: an unknown price is refused while a limit is set, the limit holds.
  ['extension', 'none', 'below', 'room', 'A'],
  ['extension', 'none', 'above', 'room', 'A'],
  ['extension', 'none', 'unknown', 'room', 'A'],
  ['extension', 'room', 'below', 'room', 'A'],
  ['extension', 'room', 'above', 'room', 'A'],
  ['extension', 'room', 'unknown', 'room', 'R:unknownPrice'],
  ['extension', 'full', 'below', 'room', 'R:monthlyLimit'],
  ['extension', 'full', 'above', 'room', 'R:monthlyLimit'],
  ['extension', 'full', 'unknown', 'room', 'R:unknownPrice'],
  ['extension', 'room', 'above', 'off', 'A'],
  ['extension', 'none', 'below', 'spent', 'A'],
  // A shot inside a total the person confirmed: never asked again, the limit still holds.
  ['batchByPerson', 'none', 'below', 'room', 'A'],
  ['batchByPerson', 'none', 'above', 'room', 'A'],
  ['batchByPerson', 'none', 'unknown', 'room', 'A'],
  ['batchByPerson', 'room', 'below', 'room', 'A'],
  ['batchByPerson', 'room', 'above', 'room', 'A'],
  ['batchByPerson', 'room', 'unknown', 'room', 'A'],
  ['batchByPerson', 'full', 'below', 'room', 'R:monthlyLimit'],
  ['batchByPerson', 'full', 'above', 'room', 'R:monthlyLimit'],
  ['batchByPerson', 'full', 'unknown', 'room', 'A'],
  ['batchByPerson', 'room', 'above', 'off', 'A'],
  ['batchByPerson', 'none', 'above', 'spent', 'A'],
];
// An agent, and a batch an agent started: the cap first, then the limit; never asked.
for (const caller of ['agent', 'batchByAgent']) {
  TABLE.push(
    [caller, 'none', 'below', 'off', 'R:agentDisabled'],
    [caller, 'none', 'above', 'off', 'R:agentDisabled'],
    [caller, 'none', 'unknown', 'off', 'R:agentDisabled'],
    [caller, 'room', 'below', 'off', 'R:agentDisabled'],
    [caller, 'full', 'below', 'off', 'R:agentDisabled'],
    [caller, 'full', 'unknown', 'off', 'R:agentDisabled'],
    [caller, 'none', 'below', 'room', 'A'],
    [caller, 'none', 'above', 'room', 'A'],
    [caller, 'none', 'unknown', 'room', 'R:unknownPrice'],
    [caller, 'room', 'below', 'room', 'A'],
    [caller, 'room', 'above', 'room', 'A'],
    [caller, 'room', 'unknown', 'room', 'R:unknownPrice'],
    [caller, 'full', 'below', 'room', 'R:monthlyLimit'],
    [caller, 'full', 'above', 'room', 'R:monthlyLimit'],
    [caller, 'full', 'unknown', 'room', 'R:unknownPrice'],
    [caller, 'none', 'below', 'spent', 'R:agentDailyLimit'],
    [caller, 'none', 'above', 'spent', 'R:agentDailyLimit'],
    [caller, 'none', 'unknown', 'spent', 'R:unknownPrice'],
    [caller, 'room', 'below', 'spent', 'R:agentDailyLimit'],
    [caller, 'room', 'above', 'spent', 'R:agentDailyLimit'],
    [caller, 'full', 'below', 'spent', 'R:agentDailyLimit'],
    [caller, 'full', 'unknown', 'spent', 'R:unknownPrice'],
  );
}

describe('gate policy: the table', () => {
  for (const [caller, limit, price, cap, expected] of TABLE) {
    it(`${caller} · limit ${limit} · price ${price} · agent cap ${cap} -> ${expected}`, () => {
      assert.equal(run(caller, limit, price, cap), expected);
    });
  }

  it('covers every caller kind x limit x price at least once', () => {
    for (const caller of Object.keys(CALLERS)) {
      for (const limit of Object.keys(LIMITS)) {
        for (const price of Object.keys(PRICES)) {
          assert.ok(TABLE.some((r) => r[0] === caller && r[1] === limit && r[2] === price), `${caller}/${limit}/${price}`);
        }
      }
    }
  });

  it('with confirmBeforeSubmit off a person is asked only about the price', () => {
    assert.equal(run('person', 'room', 'below', 'room', false), 'A');
    assert.equal(run('person', 'room', 'above', 'room', false), 'Q:aboveThreshold');
    assert.equal(run('person', 'none', 'unknown', 'room', false), 'Q:unknownPrice');
    assert.equal(run('person', 'full', 'below', 'room', false), 'R:monthlyLimit');
  });
});

describe('gate policy: answered questions, edges and words', () => {
  const settings: GateSettings = { monthlyLimit: 10, confirmAbove: 1, agentDailyLimit: 5, confirmBeforeSubmit: true };
  const person: Caller = { kind: 'person' };

  it('asks only what is not answered yet; all answered allows', () => {
    const base = { caller: person, quote: { usd: 1.5 }, spending: { spentThisMonth: 0, agentSpentToday: 0 }, settings };
    assert.equal(code(authorize({ ...base, answered: ['review'] })), 'Q:aboveThreshold');
    assert.equal(code(authorize({ ...base, answered: ['review', 'aboveThreshold'] })), 'A');
    // The panel's button is the review; an answered question never lifts the limit.
    assert.equal(code(authorize({ ...base, spending: { spentThisMonth: 9, agentSpentToday: 0 }, answered: ['review', 'aboveThreshold'] })), 'R:monthlyLimit');
  });

  it('exactly at a limit is allowed; a hundredth of a cent past it is not', () => {
    const at = (spent: number, usd: number, caller: Caller = { kind: 'extension' }) =>
      code(authorize({ caller, quote: { usd }, spending: { spentThisMonth: spent, agentSpentToday: spent }, settings }));
    assert.equal(at(9, 1), 'A');
    assert.equal(at(9, 1.0001), 'R:monthlyLimit');
    assert.equal(at(4, 1, { kind: 'agent' }), 'A');
    assert.equal(at(4, 1.0001, { kind: 'agent' }), 'R:agentDailyLimit');
  });

  it('a batch quote is judged as one total: a confirmed total above confirmAbove is asked once', () => {
    const v = authorize({
      caller: person,
      quote: { usd: 4, count: 10 },
      spending: { spentThisMonth: 0, agentSpentToday: 0 },
      settings: { ...settings, confirmBeforeSubmit: false },
    });
    assert.deepEqual(v, { kind: 'ask', questions: ['aboveThreshold'], usd: 4, threshold: 1 });
  });

  it('a refusal carries its figures and words an agent can relay', () => {
    const v = authorize({ caller: { kind: 'agent' }, quote: { usd: 0.75 }, spending: { spentThisMonth: 0, agentSpentToday: 4.5 }, settings });
    assert.equal(v.kind, 'refuse');
    if (v.kind !== 'refuse') return;
    assert.deepEqual({ ...v }, { kind: 'refuse', reason: 'agentDailyLimit', usd: 0.75, limit: 5, spent: 4.5 });
    const error = new GateRefusedError(v);
    assert.equal(error.reason, 'agentDailyLimit');
    assert.match(error.message, /daily agent limit of \$5\.00; \$4\.50 is counted today/);
    assert.match(refusalText({ kind: 'refuse', reason: 'agentDisabled', usd: 1, limit: 0, spent: 0 }), /only to estimate costs and list videos/);
    assert.match(refusalText({ kind: 'refuse', reason: 'monthlyLimit', usd: 2, limit: 10, spent: 9 }), /limit of \$10\.00; \$9\.00 is counted/);
  });
});

describe('gate spending: what counts', () => {
  const now = new Date(2026, 11, 6, 12, 0, 0).getTime();
  const yesterday = new Date(2026, 11, 5, 23, 30, 0).getTime();
  const lastMonth = new Date(2026, 10, 30, 23, 0, 0).getTime();
  const entry = (taskId: string, usd: number | undefined, status: LedgerStatus, at = now, by?: 'person' | 'agent' | 'extension'): LedgerEntry => ({
    taskId, at, model: 'doubao-seedance-2-0', seconds: 5, resolution: '720p', estimate: usd === undefined ? { source: 'unknown' } : { usd, perSecond: usd / 5, source: 'table' }, status, ...(by ? { by } : {}),
  });

  it('accepted, succeeded and uncertain count; failed and dismissed do not', () => {
    assert.deepEqual((['accepted', 'succeeded', 'uncertain', 'failed', 'dismissed'] as const).map(countsAsSpent), [true, true, true, false, false]);
    const entries = [entry('a', 1, 'accepted'), entry('b', 2, 'succeeded'), entry(uncertainKey('l1'), 0.5, 'uncertain'), entry('c', 4, 'failed'), entry(uncertainKey('l2'), 8, 'dismissed'), entry('d', 16, 'accepted', lastMonth)];
    assert.equal(spentInMonthOf(entries, now), 3.5);
    assert.equal(spentInMonthOf(entries, lastMonth), 16);
  });

  it('agents are counted per calendar day, only what agents (or their batches) started', () => {
    const entries = [entry('a', 1, 'accepted', now, 'agent'), entry('b', 2, 'accepted', yesterday, 'agent'), entry('c', 4, 'accepted', now, 'person'), entry('d', 0.25, 'uncertain', now, 'agent'), entry('e', 3, 'failed', now, 'agent')];
    assert.equal(dayKey(now), '2026-12-06');
    assert.equal(agentSpentOnDayOf(entries, now), 1.25);
    assert.deepEqual(
      spendingState(entries, now, [{ usd: 0.5, byAgent: true }, { usd: 1, byAgent: false }]),
      { spentThisMonth: 8.75, agentSpentToday: 1.75 },
    );
  });

  it('Resubmit Anyway keeps the first uncertain entry counted; Dismiss stops it counting', async () => {
    const storage = new MemoryStorage();
    const ledger = new Ledger(storage);
    await ledger.record(entry(uncertainKey('first'), 1, 'uncertain'));
    await ledger.record(entry('resubmitted', 1, 'accepted'));
    assert.equal(ledger.spentInMonth(now), 2);
    // The service never reports on a request without an id: a later "accepted" record does not hide it.
    await ledger.record(entry(uncertainKey('first'), 1, 'accepted'));
    assert.equal(ledger.spentInMonth(now), 2);
    await ledger.setStatus(uncertainKey('first'), 'dismissed');
    assert.equal(ledger.spentInMonth(now), 1);
    assert.equal(new Ledger(storage).spentInMonth(now), 1, 'the dismissal is stored');
  });

  it("another window's entry counts as soon as the ledger is read again; both windows keep theirs", async () => {
    const storage = new MemoryStorage();
    const here = new Ledger(storage);
    const there = new Ledger(storage);
    await there.record(entry('other-window', 3, 'accepted'));
    assert.equal(here.spentInMonth(now), 0, 'not read yet');
    here.reload();
    assert.equal(here.spentInMonth(now), 3);
    await here.record(entry('this-window', 1, 'accepted'));
    there.reload();
    assert.equal(there.spentInMonth(now), 4);
  });

  it('a ledger a newer version wrote is counted and never written over, even when it appears later', async () => {
    const storage = new MemoryStorage();
    const older = new Ledger(storage);
    await older.record(entry('mine', 1, 'accepted'));
    const newer = { version: 2, entries: [entry('mine', 1, 'accepted'), entry('from-newer', 2, 'accepted')], extra: 'kept' };
    await storage.update(LEDGER_STORAGE_KEY, newer);
    // This window writes after the newer one did, without having read it.
    await older.record(entry('after', 4, 'accepted'));
    assert.deepEqual(storage.get(LEDGER_STORAGE_KEY), newer, 'left exactly as the newer version wrote it');
    assert.equal(older.isReadOnly, true);
    older.reload();
    assert.equal(older.spentInMonth(now), 7, "the newer version's entries count, and this window's own");
  });

  it('the spending view and the CSV count the same entries as the gate', () => {
    const entries = [entry('a', 1, 'accepted'), entry(uncertainKey('u'), 0.5, 'uncertain'), entry('f', 4, 'failed'), entry(uncertainKey('d'), 8, 'dismissed')];
    const month = summarize(entries, now, 10).months[0];
    assert.equal(month.spent, spentInMonthOf(entries, now));
    assert.equal(month.spent, 1.5);
    const csv = toCsv(entries);
    assert.match(csv, /local:u,.*,uncertain,/);
    assert.match(csv, /local:d,.*,dismissed,/);
  });
});
