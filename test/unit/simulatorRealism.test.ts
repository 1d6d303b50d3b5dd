// The simulator's realistic default (issue 8): timing like a real queue, coarse progress, replication lag,
// a per-key rate limit, random create faults, forced odd status words, and the deterministic mode a test
// asks for. Over real loopback HTTP with undici; the timing model is also checked directly (timing.ts) with
// many draws, since a handful of HTTP tasks cannot show a distribution. Nothing asserts on elapsed time.
/* eslint-disable @typescript-eslint/no-explicit-any -- the replies are raw JSON the tests take apart, as a client would */

import { strict as assert } from 'node:assert';
import { Agent, FormData, request } from 'undici';
import { SimulatorControl } from '../simulator/control';
import { parseArgs } from '../simulator/main';
import { modelsFor } from '../simulator/models';
import { Rng } from '../simulator/random';
import { type Simulator, type SimulatorOptions, startSimulator } from '../simulator/server';
import { DURATION_SIGMA, planTask, progressAt, renderSeconds, TAIL_SHARE } from '../simulator/timing';

const agent = new Agent({ keepAliveTimeout: 1000 });
after(() => agent.close());

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

async function call(url: string, opts: { key?: string; body?: FormData; signal?: AbortSignal } = {}): Promise<Reply> {
  const res = await request(url, {
    method: opts.body ? 'POST' : 'GET',
    headers: opts.key ? { authorization: `Bearer ${opts.key}` } : {},
    body: opts.body,
    dispatcher: agent,
    signal: opts.signal,
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

function form(fields: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries({ prompt: 'a harbour at dusk', model: 'doubao-seedance-2-0-fast', ...fields })) fd.append(k, v);
  return fd;
}

const create = (sim: Simulator, fields: Record<string, string> = {}, key = sim.apiKey, signal?: AbortSignal) =>
  call(`${sim.baseUrl}/v1/videos`, { body: form(fields), key, signal });
const poll = (sim: Simulator, id: string, key = sim.apiKey) => call(`${sim.baseUrl}/v1/videos/${id}`, { key });

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function useSimulator(opts: SimulatorOptions = {}): () => Simulator {
  let sim: Simulator | undefined;
  before(async () => {
    sim = await startSimulator({ timeScale: 0.005, ...opts });
  });
  beforeEach(() => sim!.reset());
  after(() => sim?.close());
  return () => sim!;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];

describe('simulator timing model (timing.ts)', () => {
  const draw = (rng: Rng, model: string, deterministic = false, n = 4000) =>
    Array.from({ length: n }, () => {
      const p = planTask({ model, seconds: 5, resolution: '720p', slow: false, timeScale: 1, deterministic, spikeSeconds: 0 }, rng);
      return (p.queueMs + p.runMs) / 1000;
    });

  it('has a median within the documented 1-3 minutes for every model, resolution and length', () => {
    for (const profile of ['revA', 'revB'] as const) {
      for (const m of modelsFor(profile)) {
        for (const resolution of m.resolutions) {
          for (let s = m.minSeconds; s <= m.maxSeconds; s++) {
            const t = renderSeconds(m.id, s, resolution);
            assert.ok(t >= 60 && t <= 180, `${m.id} ${resolution} ${s} s: ${t}`);
          }
        }
      }
    }
    // More work takes longer.
    assert.ok(renderSeconds('doubao-seedance-2-0', 15, '720p') > renderSeconds('doubao-seedance-2-0', 5, '720p'));
    assert.ok(renderSeconds('doubao-seedance-2-0', 5, '1080p') > renderSeconds('doubao-seedance-2-0', 5, '480p'));
  });

  it('varies log-normally around the median, with a heavy tail, and the fast tiers are faster', () => {
    const rng = new Rng(7);
    const standard = draw(rng, 'doubao-seedance-2-0');
    const fast = draw(rng, 'doubao-seedance-2-0-fast');
    const mini = draw(rng, 'doubao-seedance-2-0-mini');
    const m = renderSeconds('doubao-seedance-2-0', 5, '720p');
    assert.ok(Math.abs(median(standard) / m - 1) < 0.08, `median ${median(standard)} vs ${m}`);
    assert.ok(median(fast) < median(standard) * 0.9, `fast ${median(fast)} vs standard ${median(standard)}`);
    assert.ok(median(mini) < median(standard) * 0.9, `mini ${median(mini)} vs standard ${median(standard)}`);
    // Spread: the middle half is wide, but the log-normal body alone would put p99 at ~2x the median; the
    // tail reaches further.
    const iqr = quantile(standard, 0.75) / quantile(standard, 0.25);
    assert.ok(iqr > 1.3 && iqr < 2, `IQR ratio ${iqr} (sigma ${DURATION_SIGMA})`);
    const p995 = quantile(standard, 0.995) / median(standard);
    assert.ok(p995 > Math.exp(2.58 * DURATION_SIGMA) * 1.2, `p99.5 ${p995}x the median (tail share ${TAIL_SHARE})`);
  });

  it('is the median exactly in deterministic mode, and replays with the same seed', () => {
    const fixed = draw(new Rng(1), 'doubao-seedance-2-0', true, 20);
    assert.ok(fixed.every((t) => Math.abs(t - renderSeconds('doubao-seedance-2-0', 5, '720p')) < 1e-6));
    assert.deepEqual(draw(new Rng(42), 'doubao-seedance-2-0-fast', false, 50), draw(new Rng(42), 'doubao-seedance-2-0-fast', false, 50));
    assert.notDeepEqual(draw(new Rng(42), 'doubao-seedance-2-0-fast', false, 50), draw(new Rng(43), 'doubao-seedance-2-0-fast', false, 50));
  });

  it('reports progress in each mode: coarse 10/50, none 0, smooth even, backloaded late', () => {
    assert.deepEqual([progressAt('coarse', 'queued', 0), progressAt('coarse', 'running', 0.1), progressAt('coarse', 'running', 0.9)], [10, 50, 50]);
    assert.deepEqual([progressAt('none', 'queued', 0), progressAt('none', 'running', 0.99)], [0, 0]);
    assert.ok(progressAt('smooth', 'running', 0.5) >= 45 && progressAt('smooth', 'running', 0.5) <= 55);
    assert.ok(progressAt('backloaded', 'running', 0.5) < 20);
    assert.ok(progressAt('backloaded', 'running', 0.95) > 80);
    for (const mode of ['smooth', 'backloaded'] as const) {
      let last = -1;
      for (let f = 0; f <= 1; f += 0.01) {
        const p = progressAt(mode, 'running', f);
        assert.ok(p >= last && p <= 99, `${mode} at ${f}: ${p}`);
        last = p;
      }
    }
  });
});

describe('simulator realistic default over HTTP', () => {
  const sim = useSimulator();

  it('is not deterministic by default: coarse progress, lag, a rate limit and random create faults are on', () => {
    const c = sim().config;
    assert.equal(c.deterministic, false);
    assert.equal(c.progress, 'coarse');
    assert.ok(c.replicationLagMs > 0 && c.keyRateLimit && c.lostCreateRate > 0 && c.createErrorRate > 0, JSON.stringify(c));
  });

  it('gives tasks of the same setting different durations', async () => {
    sim().setConfig({ lostCreateRate: 0, createErrorRate: 0 });
    for (let i = 0; i < 8; i++) assert.equal((await create(sim())).status, 200);
    const totals = sim().tasks().map((t) => t.queueMs + t.runMs);
    assert.ok(new Set(totals).size >= 7, `durations ${totals}`);
  });

  it('does not know a task for about the first second after create (replication lag), then does', async () => {
    sim().setConfig({ lostCreateRate: 0, createErrorRate: 0 });
    const created = await create(sim());
    assert.equal(created.status, 200);
    const early = await poll(sim(), created.json.id);
    assert.equal(early.status, 400);
    assert.deepEqual(early.json, { code: 'task_not_exist', message: 'task_not_exist', data: null });
    const later = await waitFor('the task to become visible', async () => {
      const r = await poll(sim(), created.json.id);
      return r.status === 200 && r;
    });
    assert.equal(later.json.id, created.json.id);
  });

  it('coarse progress by default: 10 queued, 50 running, 100 done', async () => {
    sim().setConfig({ lostCreateRate: 0, createErrorRate: 0, replicationLagMs: 0, keyRateLimit: null });
    const { json } = await create(sim());
    const seen = new Set<string>();
    await waitFor('the task to finish', async () => {
      const r = await poll(sim(), json.id);
      seen.add(`${r.json.status}:${r.json.progress}`);
      return r.json.status === 'SUCCESS';
    });
    for (const s of seen) assert.ok(['SUBMITTED:10', 'IN_PROGRESS:50', 'SUCCESS:100'].includes(s), s);
    assert.ok(seen.has('SUCCESS:100'));
  });

  it('rate-limits a burst per key with 429 (every route), leaves other keys alone, and refills', async () => {
    sim().setConfig({ keyRateLimit: { burst: 5, perSecond: 20 }, apiKeys: ['sk-a', 'sk-b'] });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await poll(sim(), 'task_unknown', 'sk-a')).status);
    assert.deepEqual(statuses.slice(0, 5), [400, 400, 400, 400, 400]);
    assert.ok(statuses.slice(5).includes(429), String(statuses));
    const limited = await poll(sim(), 'task_unknown', 'sk-a');
    if (limited.status === 429) assert.deepEqual(limited.json, { code: 'fail_to_fetch_task', message: '当前分组上游负载已饱和，请稍后再试', data: null });
    assert.equal((await poll(sim(), 'task_unknown', 'sk-b')).status, 400, 'another key has its own bucket');
    assert.equal((await create(sim(), { prompt: '' }, 'sk-b')).status, 400);
    await waitFor('the bucket to refill', async () => (await poll(sim(), 'task_unknown', 'sk-a')).status === 400);
    assert.ok(sim().requests.some((r) => r.fault === 'keyRateLimit'));
    // The public model list has a bucket too.
    sim().setConfig({ keyRateLimit: { burst: 1, perSecond: 0.001 } });
    await call(`${sim().baseUrl}/api/models`);
    assert.equal((await call(`${sim().baseUrl}/api/models`)).status, 429);
  });

  it('loses or fails create answers at the configured rates, the task made each time, replayable by seed', async () => {
    sim().setConfig({ keyRateLimit: null, lostCreateRate: 0.3, createErrorRate: 0.3, seed: 1234 });
    const outcomes = async () => {
      const out: string[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await create(sim()).then(
          (x) => String(x.status),
          () => 'lost',
        );
        out.push(r);
      }
      return out;
    };
    const first = await outcomes();
    assert.equal(sim().tasks().length, 20, 'every create made its task, answered or not');
    assert.ok(first.includes('lost') && first.includes('200') && first.some((s) => ['502', '503', '524'].includes(s)), String(first));
    sim().reset();
    sim().setConfig({ keyRateLimit: null, lostCreateRate: 0.3, createErrorRate: 0.3, seed: 1234 });
    assert.deepEqual(await outcomes(), first, 'the same seed gives the same faults');
  });

  it('adds minutes of queueing to tasks created during a load spike, and none after its window', async () => {
    sim().setConfig({ deterministic: true, loadSpike: { extraQueueSeconds: 240, windowSeconds: 40 } });
    await create(sim());
    const during = sim().tasks()[0];
    assert.equal(during.queueMs, Math.round((renderSeconds('doubao-seedance-2-0-fast', 5, '720p') * 0.2 + 240) * 5));
    await new Promise((r) => setTimeout(r, 40 * 5 + 50)); // past the window (40 simulated s at scale 0.005)
    await create(sim());
    const afterwards = sim().tasks()[1];
    assert.equal(afterwards.queueMs, Math.round(renderSeconds('doubao-seedance-2-0-fast', 5, '720p') * 0.2 * 5));
  });
});

describe('simulator deterministic mode and create faults', () => {
  const sim = useSimulator({ deterministic: true });

  it('has fixed durations and no random or time-dependent faults', async () => {
    const c = sim().config;
    assert.deepEqual([c.replicationLagMs, c.keyRateLimit, c.lostCreateRate, c.createErrorRate], [0, null, 0, 0]);
    for (let i = 0; i < 3; i++) assert.equal((await create(sim())).status, 200);
    const totals = new Set(sim().tasks().map((t) => t.queueMs + t.runMs));
    assert.equal(totals.size, 1);
    const id = sim().tasks()[0].id;
    assert.equal((await poll(sim(), id)).status, 200, 'visible at once');
  });

  it('is switched by /__sim/config and SimulatorControl, explicit keys winning over the preset', async () => {
    const control = new SimulatorControl(sim().controlUrl);
    const realistic = await control.deterministic(false);
    assert.equal(realistic.deterministic, false);
    assert.ok(realistic.replicationLagMs > 0 && realistic.keyRateLimit !== null && realistic.lostCreateRate > 0);
    const calm = await control.noRandomFaults();
    assert.deepEqual([calm.lostCreateRate, calm.createErrorRate, calm.replicationLagMs > 0], [0, 0, true]);
    const mixed = await control.setConfig({ deterministic: true, replicationLagMs: 500 });
    assert.deepEqual([mixed.deterministic, mixed.replicationLagMs, mixed.keyRateLimit], [true, 500, null]);
    await assert.rejects(control.setConfig({ keyRateLimit: { burst: 0, perSecond: 1 } } as never), /keyRateLimit/);
    await assert.rejects(control.setConfig({ progress: 'linear' } as never), /progress/);
  });

  it('createThenError: the task is made, then the create answers 524 (an HTML page) or the status asked for', async () => {
    sim().setFaults({ createThenError: {} });
    const r = await create(sim());
    assert.equal(r.status, 524);
    assert.match(String(r.headers['content-type']), /text\/html/);
    assert.equal(sim().tasks().length, 1);
    sim().setFaults({ createThenError: { status: 502, shape: 'envelope' } });
    const b = await create(sim());
    assert.equal(b.status, 502);
    assert.equal(b.json.error.type, 'comet_api_error');
    assert.equal(sim().tasks().length, 2);
  });

  it('slowCreate: a client that hangs up first still leaves a task behind', async () => {
    sim().setFaults({ slowCreate: { ms: 400 } });
    await assert.rejects(create(sim(), {}, sim().apiKey, AbortSignal.timeout(100)));
    assert.equal(sim().tasks().length, 0, 'not yet made');
    await waitFor('the task to be made after the client left', async () => sim().tasks().length === 1);
    assert.equal(sim().requests.find((r) => r.method === 'POST')?.fault, 'slowCreate');
  });

  it('sends a forced status word verbatim, with the behaviour its meaning implies', async () => {
    for (const profile of ['revA', 'revB'] as const) {
      sim().setConfig({ profile });
      const { json } = await create(sim());
      const expectations: [string, Record<string, unknown>][] = [
        ['NOT_START', { progress: 10, error: undefined }],
        ['QUEUED', { progress: 10 }],
        ['FAILURE', { error: { code: 'InputTextSensitiveContentDetected' } }],
        ['expired', { error: undefined }],
        ['cancelled', { error: undefined }],
        ['RENDERING_SOMEWHERE', { video_url: undefined }],
      ];
      for (const [word, want] of expectations) {
        const view = sim().setTaskState(json.id, { wireStatus: word });
        assert.equal(view.wireStatus, word);
        const r = await poll(sim(), json.id);
        assert.equal(r.status, 200);
        assert.equal(r.json.status, word, `${profile} ${word}`);
        for (const [k, v] of Object.entries(want)) {
          if (v === undefined) assert.equal(r.json[k], undefined, `${word}: ${k}`);
          else if (typeof v === 'object') assert.equal(r.json[k]?.code, (v as { code: string }).code, `${word}: ${k}`);
          else assert.equal(r.json[k], v, `${word}: ${k}`);
        }
      }
      // A forced word can also name the behaviour explicitly.
      sim().setTaskState(json.id, { status: 'completed', wireStatus: 'DONE_OK' });
      const done = await poll(sim(), json.id);
      assert.equal(done.json.status, 'DONE_OK');
      assert.ok(done.json.video_url);
    }
    assert.throws(() => sim().setTaskState(sim().tasks()[0].id, { wireStatus: '' }), /wireStatus/);
  });
});

describe('simulator command line: seed and deterministic mode', () => {
  it('reads --seed and --deterministic from flags or the environment, flags winning', () => {
    assert.deepEqual(parseArgs(['--seed', '42', '--deterministic'], {}), { seed: 42, deterministic: true });
    assert.deepEqual(parseArgs([], { SEEDANCE_SIM_SEED: '7', SEEDANCE_SIM_DETERMINISTIC: '1' }), { seed: 7, deterministic: true });
    assert.deepEqual(parseArgs(['--deterministic=0'], { SEEDANCE_SIM_DETERMINISTIC: '1' }), { deterministic: false });
    assert.deepEqual(parseArgs(['--progress', 'backloaded'], {}), { progress: 'backloaded' });
    assert.deepEqual(parseArgs(['--load-spike', '240'], {}), { loadSpike: { extraQueueSeconds: 240, windowSeconds: 600 } });
    assert.deepEqual(parseArgs(['--load-spike=300,60'], {}), { loadSpike: { extraQueueSeconds: 300, windowSeconds: 60 } });
  });
});
