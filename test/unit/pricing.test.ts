// Pricing in core: estimates for every model x seconds x resolution from each price source, the live
// catalogue read tolerantly (against the real simulator over loopback HTTP, and from hand-made bodies),
// the monthly budget across a month boundary, and the ledger's versioned storage.
import { strict as assert } from 'node:assert';
import { MODELS, secondsFor } from '../../src/core/catalog';
import { ManualClock } from '../../src/core/clock';
import { BudgetExceededError, checkBatch, decide, monthKey } from '../../src/core/pricing/budget';
import { CATALOGUE_STORAGE_KEY, CatalogueSource, parseCatalogue } from '../../src/core/pricing/catalogue';
import { estimateCost, formatUsd, sumEstimates, type CostEstimate } from '../../src/core/pricing/estimate';
import { fetchCatalogueJson } from '../../src/core/pricing/fetchCatalogue';
import { Ledger, LEDGER_STORAGE_KEY, loadLedger, spentIn, type LedgerEntry } from '../../src/core/pricing/ledger';
import { parseModelPrice, parsePricingSetting, PRICE_TABLE, priceAt, TABLE_PRICES, type PriceSources } from '../../src/core/pricing/prices';
import { MemoryStorage } from '../../src/core/pricing/storage';
import { summarize, toCsv } from '../../src/core/pricing/summary';
import { SimulatorControl } from '../simulator/control';
import { startSimulator, type Simulator } from '../simulator/server';

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** Every combination the catalogue allows. */
function everyRequest(): { model: string; seconds: number; resolution: string }[] {
  const out = [];
  for (const m of MODELS) {
    for (const seconds of secondsFor(m)) for (const resolution of m.resolutions) out.push({ model: m.id, seconds, resolution });
  }
  return out;
}

describe('pricing: estimateCost for every model x seconds x resolution', () => {
  const catalogue: Record<string, number> = {
    'doubao-seedance-2-0': 0.06, 'doubao-seedance-2-0-fast': 0.03, 'doubao-seedance-2-0-mini': 0.02, 'seedance-2-5': 0.2,
  };

  it('table only: the published 2.0 price, 2.5 per resolution, every other model "unknown" (never $0)', () => {
    const published: Record<string, Record<string, number>> = { 'doubao-seedance-2-0': { '480p': 0.08, '720p': 0.08 }, 'seedance-2-5': { '480p': 0.103, '720p': 0.231 } };
    for (const args of everyRequest()) {
      const e = estimateCost(args, { table: TABLE_PRICES });
      const price = published[args.model]?.[args.resolution];
      if (price !== undefined) {
        assert.equal(e.source, 'table');
        assert.equal(e.perSecond, price);
        assert.ok(close(e.usd!, price * args.seconds), `${JSON.stringify(args)} -> ${e.usd}`);
      } else {
        assert.deepEqual(e, { source: 'unknown' }, JSON.stringify(args));
      }
    }
  });

  it('catalogue: wins over the table for every model', () => {
    for (const args of everyRequest()) {
      const e = estimateCost(args, { table: TABLE_PRICES, catalogue });
      assert.equal(e.source, 'catalogue');
      assert.equal(e.perSecond, catalogue[args.model]);
      assert.ok(close(e.usd!, catalogue[args.model] * args.seconds));
      // Float noise is rounded away: 0.06 x 7 is 0.42, not 0.42000000000000004.
      assert.equal(e.usd, Math.round(catalogue[args.model] * args.seconds * 10_000) / 10_000);
    }
  });

  it('setting: a flat price wins over catalogue and table; a per-resolution price picks the class, then "default"', () => {
    const flat: PriceSources = { table: TABLE_PRICES, catalogue, setting: Object.fromEntries(MODELS.map((m) => [m.id, 0.1])) };
    const byRes: PriceSources = {
      table: TABLE_PRICES, catalogue,
      setting: Object.fromEntries(MODELS.map((m) => [m.id, { '480p': 0.01, '720p': 0.02, default: 0.05 }])),
    };
    const partial: PriceSources = { table: TABLE_PRICES, catalogue, setting: Object.fromEntries(MODELS.map((m) => [m.id, { '1080p': 0.3 }])) };
    for (const args of everyRequest()) {
      const a = estimateCost(args, flat);
      assert.equal(a.source, 'setting');
      assert.ok(close(a.usd!, 0.1 * args.seconds));
      const b = estimateCost(args, byRes);
      const expected = args.resolution === '480p' ? 0.01 : args.resolution === '720p' ? 0.02 : 0.05;
      assert.equal(b.source, 'setting');
      assert.equal(b.perSecond, expected, JSON.stringify(args));
      assert.ok(close(b.usd!, expected * args.seconds));
      // A setting that does not name this resolution (and has no default) leaves it to the catalogue.
      const c = estimateCost(args, partial);
      assert.equal(c.source, args.resolution === '1080p' ? 'setting' : 'catalogue', JSON.stringify(args));
    }
  });

  it('2.5 at 480p and 720p: $0.103/s and $0.231/s (CONTRACT 16), a 30 s 720p clip $6.93', () => {
    assert.deepEqual(estimateCost({ model: 'seedance-2-5', seconds: 10, resolution: '480p' }, { table: TABLE_PRICES }), { usd: 1.03, perSecond: 0.103, source: 'table' });
    assert.deepEqual(estimateCost({ model: 'seedance-2-5', seconds: 30, resolution: '720p' }, { table: TABLE_PRICES }), { usd: 6.93, perSecond: 0.231, source: 'table' });
    for (const row of PRICE_TABLE) assert.ok(row.resolutions.length > 0 && row.source && row.date, `${row.model} says which resolutions it covers, its source and date`);
  });

  it('a catalogue price as a number is the price at every resolution; as an object, only at the classes it names', () => {
    const sources: PriceSources = { table: {}, catalogue: { 'doubao-seedance-2-0': 0.07, 'seedance-2-5': { '480p': 0.1, '720p': 0.25 } } };
    assert.equal(estimateCost({ model: 'doubao-seedance-2-0', seconds: 5, resolution: '480p' }, sources).perSecond, 0.07);
    assert.equal(estimateCost({ model: 'doubao-seedance-2-0', seconds: 5, resolution: '720p' }, sources).perSecond, 0.07);
    assert.deepEqual(estimateCost({ model: 'seedance-2-5', seconds: 5, resolution: '480p' }, sources), { usd: 0.5, perSecond: 0.1, source: 'catalogue' });
    assert.deepEqual(estimateCost({ model: 'seedance-2-5', seconds: 5, resolution: '720p' }, sources), { usd: 1.25, perSecond: 0.25, source: 'catalogue' });
  });

  it('never borrows another resolution\'s price: a price known only for 480p leaves 720p unknown (or to the next source)', () => {
    const only480: PriceSources = { table: {}, catalogue: { 'seedance-2-5': { '480p': 0.103 } } };
    assert.deepEqual(estimateCost({ model: 'seedance-2-5', seconds: 5, resolution: '720p' }, only480), { source: 'unknown' });
    // The catalogue knows 480p only; the table knows 720p: 720p comes from the table, not from the catalogue's 480p.
    assert.deepEqual(estimateCost({ model: 'seedance-2-5', seconds: 5, resolution: '720p' }, { ...only480, table: TABLE_PRICES }), { usd: 1.155, perSecond: 0.231, source: 'table' });
    // The table has no 1080p for 2.0 (its figure covers 480p and 720p).
    assert.deepEqual(estimateCost({ model: 'doubao-seedance-2-0', seconds: 5, resolution: '1080p' }, { table: TABLE_PRICES }), { source: 'unknown' });
    assert.equal(priceAt({ '720P': 0.2 }, '720p'), 0.2, 'a class written in capitals is the same class');
  });

  it('parses a catalogue per_second as a number, a numeric string or an object by resolution class; anything else is unknown', () => {
    assert.equal(parseModelPrice(0.08), 0.08);
    assert.equal(parseModelPrice('0.08'), 0.08);
    assert.deepEqual(parseModelPrice({ '480p': 0.103, '720p': '0.231' }), { '480p': 0.103, '720p': 0.231 });
    assert.deepEqual(parseModelPrice({ '480p': 0.103, '720p': 0, cheap: 1 }), { '480p': 0.103 });
    for (const junk of [0, -1, 'x', null, undefined, [], [0.1], {}, { a: 1 }, { '720p': 'free' }]) assert.equal(parseModelPrice(junk), undefined, JSON.stringify(junk));
  });

  it('unknown models, zero and bad prices are "unknown", never free', () => {
    assert.deepEqual(estimateCost({ model: 'doubao-seedance-9', seconds: 5, resolution: '720p' }, { table: TABLE_PRICES, catalogue }), { source: 'unknown' });
    assert.deepEqual(estimateCost({ model: 'x', seconds: 5, resolution: '720p' }, { table: { x: 0 }, catalogue: { x: -1 }, setting: { x: NaN } }), { source: 'unknown' });
  });

  it('sums a batch only when every price is known; formats small amounts without rounding them to $0.00', () => {
    const known: CostEstimate[] = [{ usd: 0.4, source: 'table' }, { usd: 0.35, source: 'catalogue' }];
    assert.equal(sumEstimates(known), 0.75);
    assert.equal(sumEstimates([...known, { source: 'unknown' }]), undefined);
    assert.equal(formatUsd(0.4), '$0.40');
    assert.equal(formatUsd(0.004), '$0.004');
    assert.equal(formatUsd(12), '$12.00');
  });

  it('the seedance.pricing setting is cleaned, and what is ignored is named', () => {
    const parsed = parsePricingSetting({ a: 0.1, b: 0, c: 'x', d: { '720p': 0.2, '1080p': -1 }, e: { '480p': 'no' } });
    assert.deepEqual(parsed.prices, { a: 0.1, d: { '720p': 0.2 } });
    assert.equal(parsed.problems.length, 4);
    assert.match(parsed.problems.join(' '), /"b"/);
    assert.deepEqual(parsePricingSetting([1]).prices, {});
    assert.equal(parsePricingSetting('nope').problems.length, 1);
    assert.deepEqual(parsePricingSetting(undefined), { prices: {}, problems: [] });
  });
});

describe('pricing: the live catalogue, read tolerantly', () => {
  it('reads per_second from the CONTRACT 8 envelope and skips what is missing, malformed, zero or not USD', () => {
    const body = {
      success: true, page: 0, data: [
        { id: 'doubao-seedance-2-0', pricing: { currency: 'USD', per_second: 0.08 } },
        { id: 'doubao-seedance-2-0-fast', pricing: { currency: 'USD', per_second: '0.03' } },
        { id: 'doubao-seedance-1-5-pro', pricing: { currency: 'USD', per_second: 0 } },
        { id: 'doubao-seedance-1-0-pro', pricing: { per_second: 'cheap' } },
        { id: 'seedance-2-5', pricing: { currency: 'USD', per_second: { '480p': 0.103, '720p': 0.231 } } },
        { id: 'doubao-seedance-2-0-mini' },
        { id: 'doubao-seedance-x', pricing: { currency: 'CNY', per_second: 0.5 } },
        { id: 'doubao-seedance-y', pricing: { per_second: -2 } },
        { id: 'gpt-4o', pricing: { per_second: 1 } },
        null, 'junk', { pricing: { per_second: 1 } },
      ],
    };
    const parsed = parseCatalogue(body);
    assert.deepEqual(parsed.prices, { 'doubao-seedance-2-0': 0.08, 'doubao-seedance-2-0-fast': 0.03, 'seedance-2-5': { '480p': 0.103, '720p': 0.231 } });
    assert.deepEqual(parsed.listed, ['doubao-seedance-2-0', 'doubao-seedance-2-0-fast', 'doubao-seedance-1-5-pro', 'doubao-seedance-1-0-pro', 'seedance-2-5', 'doubao-seedance-2-0-mini', 'doubao-seedance-x', 'doubao-seedance-y']);
    assert.ok(parsed.problems.length >= 5, parsed.problems.join('; '));
    assert.deepEqual(parseCatalogue([{ id: 'doubao-seedance-2-0', pricing: { per_second: 0.07 } }]).prices, { 'doubao-seedance-2-0': 0.07 });
    for (const junk of [undefined, null, 42, 'x', {}, { data: 'x' }, { data: {} }]) {
      const p = parseCatalogue(junk);
      assert.deepEqual(p.prices, {});
      assert.equal(p.problems.length, 1);
    }
  });

  describe('against the simulator (GET /api/models over loopback)', () => {
    let sim: Simulator;
    let control: SimulatorControl;
    before(async () => {
      sim = await startSimulator({ requestIdSuffix: false, deterministic: true });
      control = new SimulatorControl(sim.controlUrl);
    });
    after(() => sim.close());
    beforeEach(async () => {
      sim.reset();
      await control.resetPricing();
    });

    function source(
      storage: MemoryStorage,
      clock: ManualClock,
      origin = sim.baseUrl,
      fetchJson = (url: string) => fetchCatalogueJson(url),
    ) {
      return new CatalogueSource({ storage, clock, origin: () => origin, fetchJson });
    }

    it('reads prices in the background without the key, at most once a day, and caches them', async () => {
      const storage = new MemoryStorage();
      const clock = new ManualClock();
      const catalogue = source(storage, clock);
      let changes = 0;
      catalogue.onDidChange(() => changes++);
      assert.equal(catalogue.prices(), undefined, 'nothing is read until asked');
      assert.equal(sim.requests.length, 0);
      await catalogue.refreshIfStale();
      const served = (await control.pricing()) as Record<string, number>;
      // The default profile is revision A (no 2.0 Mini) as served now (CONTRACT 16: 2.5, no 1.x).
      const listed = ['doubao-seedance-2-0', 'doubao-seedance-2-0-fast', 'seedance-2-5'];
      assert.deepEqual(catalogue.prices(), Object.fromEntries(listed.map((id) => [id, served[id]])), 'the models served now, as served');
      assert.deepEqual(catalogue.prices()!['seedance-2-5'], { '480p': 0.103, '720p': 0.231 });
      assert.deepEqual([...catalogue.listed()!], listed);
      assert.equal(changes, 1);
      const reads = sim.requests.filter((r) => r.path === '/api/models');
      assert.equal(reads.length, 1);
      assert.equal(reads[0].headers.authorization, undefined, 'the catalogue never gets the key');
      assert.equal(reads[0].headers.cookie, undefined);

      // A new window (new source, same global state) a few hours later reads nothing.
      await clock.advance(23 * 3600_000);
      await source(storage, clock).refreshIfStale();
      await catalogue.refreshIfStale();
      assert.equal(sim.requests.filter((r) => r.path === '/api/models').length, 1);

      // A day later the prices are read again, and a price change shows.
      await control.setPricing({ 'doubao-seedance-2-0': 0.09 });
      await clock.advance(2 * 3600_000);
      await catalogue.refreshIfStale();
      assert.equal(sim.requests.filter((r) => r.path === '/api/models').length, 2);
      assert.equal(catalogue.prices()!['doubao-seedance-2-0'], 0.09);
      assert.equal(changes, 2);
    });

    it('keeps only usable prices when the service serves missing, malformed or zero ones', async () => {
      await control.setPricing({ 'doubao-seedance-2-0': null, 'doubao-seedance-2-0-fast': 0, 'seedance-2-5': { a: 1 } });
      const catalogue = source(new MemoryStorage(), new ManualClock());
      await catalogue.refreshIfStale();
      assert.deepEqual(catalogue.prices(), {});
      const e = estimateCost({ model: 'doubao-seedance-2-0-fast', seconds: 5, resolution: '720p' }, { table: TABLE_PRICES, catalogue: catalogue.prices() });
      assert.deepEqual(e, { source: 'unknown' });
    });

    it('a failed read is retried after an hour, not at once; prices of another origin are not used', async () => {
      const storage = new MemoryStorage();
      const clock = new ManualClock();
      let calls = 0;
      const failing = source(storage, clock, sim.baseUrl, async () => {
        calls++;
        throw new Error('offline');
      });
      await failing.refreshIfStale();
      await failing.refreshIfStale();
      assert.equal(calls, 1);
      await clock.advance(61 * 60_000);
      await failing.refreshIfStale();
      assert.equal(calls, 2);
      assert.equal(failing.prices(), undefined);

      const good = source(storage, clock);
      await clock.advance(61 * 60_000);
      await good.refreshIfStale();
      assert.ok(good.prices());
      const elsewhere = source(storage, clock, 'https://api.example.com');
      assert.equal(elsewhere.prices(), undefined, 'prices read from the simulator are not prices for another host');
      assert.equal(elsewhere.isStale(), true);
      assert.equal((storage.get(CATALOGUE_STORAGE_KEY) as { version: number }).version, 1);
    });

    it('a non-200 answer or a body that is not JSON is a failed read, not an empty price list', async () => {
      await assert.rejects(fetchCatalogueJson(`${sim.baseUrl}/api/nope`), /HTTP/);
    });
  });
});

describe('pricing: the monthly budget', () => {
  const jan31 = new Date(2026, 0, 31, 23, 59, 30).getTime();
  const feb1 = new Date(2026, 1, 1, 0, 0, 30).getTime();
  const entry = (taskId: string, at: number, usd: number | undefined, status: LedgerEntry['status'] = 'accepted'): LedgerEntry => ({
    taskId, at, model: 'doubao-seedance-2-0', seconds: 5, resolution: '720p',
    estimate: usd === undefined ? { source: 'unknown' } : { usd, perSecond: usd / 5, source: 'catalogue' }, status,
  });

  it('months are calendar months in local time; spending resets at the boundary', () => {
    assert.equal(monthKey(jan31), '2026-01');
    assert.equal(monthKey(feb1), '2026-02');
    const entries = [entry('a', jan31, 4), entry('b', feb1, 1), entry('c', feb1, 2, 'failed')];
    assert.equal(spentIn(entries, monthKey(jan31)), 4);
    assert.equal(spentIn(entries, monthKey(feb1)), 1, 'January does not count in February; a failed task does not count');
    const settings = { monthlyLimit: 5, confirmAbove: 1 };
    // One second before midnight the 4 dollars count; one minute after, they do not.
    assert.equal(decide({ usd: 2, source: 'catalogue' }, spentIn(entries, monthKey(jan31)), settings).kind, 'over');
    assert.equal(decide({ usd: 2, source: 'catalogue' }, spentIn(entries, monthKey(feb1)), { ...settings, confirmAbove: 3 }).kind, 'ok');
  });

  it('decides ok, confirm, over and unknown price', () => {
    const s = { monthlyLimit: 10, confirmAbove: 1 };
    assert.deepEqual(decide({ usd: 0.5, source: 'table' }, 0, s), { kind: 'ok' });
    assert.deepEqual(decide({ usd: 1.5, source: 'table' }, 0, s), { kind: 'confirm', usd: 1.5, threshold: 1 });
    assert.deepEqual(decide({ usd: 1, source: 'table' }, 9, s), { kind: 'ok' }, 'exactly at the limit is allowed');
    assert.deepEqual(decide({ usd: 1.01, source: 'table' }, 9, s), { kind: 'over', usd: 1.01, spent: 9, limit: 10 });
    assert.deepEqual(decide({ source: 'unknown' }, 3, s), { kind: 'unknownPrice', spent: 3, limit: 10 });
    // No limit: nothing is refused; an unknown price is not asked about by the budget.
    assert.deepEqual(decide({ usd: 500, source: 'table' }, 1e6, { monthlyLimit: 0, confirmAbove: 1000 }), { kind: 'ok' });
    assert.deepEqual(decide({ source: 'unknown' }, 0, { monthlyLimit: 0, confirmAbove: 1 }), { kind: 'ok' });
  });

  it('pre-checks a batch: counts what fits, stops at the limit or at an unknown price', () => {
    const e = (usd?: number): CostEstimate => (usd === undefined ? { source: 'unknown' } : { usd, source: 'catalogue' });
    assert.deepEqual(checkBatch([e(1), e(1), e(1), e(1)], 7, 10), { allowed: 3, spent: 7, limit: 10 });
    assert.deepEqual(checkBatch([e(1), e(), e(1)], 0, 10), { allowed: 1, spent: 0, limit: 10 });
    assert.deepEqual(checkBatch([e(1), e(), e(1)], 50, 0), { allowed: 3, spent: 50, limit: 0 });
    assert.deepEqual(checkBatch([], 0, 10), { allowed: 0, spent: 0, limit: 10 });
  });

  it('the refusal names the limit and what was spent', () => {
    const over = new BudgetExceededError('over', 5, 4.6, { usd: 0.5, source: 'catalogue' });
    assert.match(over.message, /\$5\.00/);
    assert.match(over.message, /\$4\.60/);
    assert.match(over.message, /\$0\.50/);
    const unknown = new BudgetExceededError('unknownPrice', 5, 1, { source: 'unknown' }, 'doubao-seedance-2-0-fast');
    assert.match(unknown.message, /doubao-seedance-2-0-fast/);
    assert.match(unknown.message, /seedance\.pricing/);
  });
});

describe('pricing: the ledger (versioned storage in global state)', () => {
  const at = new Date(2026, 2, 10, 12).getTime();
  const base = (taskId: string, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
    taskId, at, model: 'doubao-seedance-2-0-fast', seconds: 5, resolution: '720p', estimate: { usd: 0.15, perSecond: 0.03, source: 'catalogue' },
    status: 'accepted', workspace: 'demo', ...extra,
  });

  it('records, marks failed (kept, not counted) and survives a reload', async () => {
    const storage = new MemoryStorage();
    const ledger = new Ledger(storage);
    await ledger.record(base('t1'));
    await ledger.record(base('t2', { storyboard: 'Launch' }));
    await ledger.record(base('t1')); // twice is once
    assert.equal(ledger.list().length, 2);
    assert.equal(ledger.spentInMonth(at), 0.3);
    await ledger.setStatus('t2', 'failed');
    assert.equal(ledger.spentInMonth(at), 0.15);
    await ledger.setStatus('t1', 'succeeded', { billed_seconds: 5 });
    const again = new Ledger(storage);
    assert.deepEqual(again.list(), ledger.list());
    assert.deepEqual(again.list().find((e) => e.taskId === 't1')!.usage, { billed_seconds: 5 });
    assert.equal((storage.get(LEDGER_STORAGE_KEY) as { version: number }).version, 1);
    // A late "accepted" for a finished task does not undo the finish.
    await again.record(base('t2'));
    assert.equal(again.list().find((e) => e.taskId === 't2')!.status, 'failed');
  });

  it('two windows writing close together both keep their entries', async () => {
    const storage = new MemoryStorage();
    const a = new Ledger(storage);
    const b = new Ledger(storage);
    await a.record(base('from-a'));
    await b.record(base('from-b'));
    assert.deepEqual(new Ledger(storage).list().map((e) => e.taskId).sort(), ['from-a', 'from-b']);
    a.reload();
    assert.equal(a.list().length, 2);
  });

  it('migrates the bare-array shape, skips unreadable entries, and never overwrites a newer version', async () => {
    const storage = new MemoryStorage();
    await storage.update(LEDGER_STORAGE_KEY, [base('old'), { junk: true }, null]);
    const loaded = loadLedger(storage);
    assert.deepEqual(loaded.entries.map((e) => e.taskId), ['old']);
    assert.equal(loaded.problems.length, 1);
    const migrated = new Ledger(storage);
    await migrated.record(base('new'));
    assert.deepEqual(storage.get(LEDGER_STORAGE_KEY), { version: 1, entries: [base('new'), base('old')].sort((x, y) => x.taskId.localeCompare(y.taskId)) });

    const future = { version: 7, entries: [base('f1')], somethingNew: 1 };
    await storage.update(LEDGER_STORAGE_KEY, future);
    const readOnly = new Ledger(storage);
    assert.equal(readOnly.list().length, 1, 'a newer record is still shown');
    await readOnly.record(base('mine'));
    assert.deepEqual(storage.get(LEDGER_STORAGE_KEY), future, 'and left as it was');
    assert.match(readOnly.problems.join(' '), /newer version/);

    await storage.update(LEDGER_STORAGE_KEY, 'garbage');
    assert.equal(loadLedger(storage).problems.length, 1);
    assert.deepEqual(loadLedger(storage).entries, []);
  });

  it('summarises months, models and storyboards (failed apart) and exports CSV safely', () => {
    const feb = new Date(2026, 1, 3).getTime();
    const entries = [
      base('a'), base('b', { model: 'doubao-seedance-2-0', estimate: { usd: 0.4, perSecond: 0.08, source: 'table' }, storyboard: 'Ad, v2' }),
      base('c', { status: 'failed' }), base('d', { estimate: { source: 'unknown' } }), base('e', { at: feb, workspace: '=cmd()' }),
    ];
    const s = summarize(entries, at, 5);
    assert.equal(s.currentMonth, '2026-03');
    assert.deepEqual(s.months.map((m) => m.month), ['2026-03', '2026-02']);
    const march = s.months[0];
    assert.equal(march.spent, 0.55);
    assert.equal(march.count, 3);
    assert.equal(march.unpriced, 1);
    assert.deepEqual(march.failed, { count: 1, estimated: 0.15 });
    assert.deepEqual(march.byModel.map((g) => [g.key, g.spent, g.count]), [['doubao-seedance-2-0', 0.4, 1], ['doubao-seedance-2-0-fast', 0.15, 2]]);
    assert.deepEqual(march.byStoryboard.map((g) => g.key), ['Ad, v2', '']);
    assert.equal(s.limit, 5);
    assert.equal(summarize([], at, 0).months.length, 1, 'the current month is always there');

    const csv = toCsv(entries);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'date,task_id,model,seconds,resolution,estimated_usd,usd_per_second,price_source,status,workspace,storyboard,usage');
    assert.equal(lines.length, 6);
    assert.ok(lines[1].includes("'=cmd()"), 'a formula-looking value is defused');
    assert.ok(csv.includes('"Ad, v2"'));
    assert.ok(lines.some((l) => l.includes(',failed,')));
  });
});
