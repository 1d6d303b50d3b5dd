// The simulator against CONTRACT.md, over real loopback HTTP with undici (not the product's client, so the
// simulator is checked against the contract, not against one reading of it). Waits poll with a deadline;
// nothing asserts on elapsed time.
/* eslint-disable @typescript-eslint/no-explicit-any -- the replies are raw JSON the tests take apart, as a client would */

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Agent, FormData, request } from 'undici';
import { parseReadyLine, SimulatorControl, SimulatorControlError } from '../simulator/control';
import { ASPECT_RATIOS } from '../simulator/models';
import { readBoxes, videoDimensions } from '../simulator/mp4';
import { type Simulator, type SimulatorOptions, startSimulator } from '../simulator/server';

const OTHER_KEY = 'sk-sim-second-account';

// The vendor page's models and second ranges (revision A), copied from the contract, not from any table in code.
const REVISION_A_SECONDS: [string, number, number][] = [
  ['doubao-seedance-2-0', 4, 15],
  ['doubao-seedance-2-0-fast', 4, 15],
  ['doubao-seedance-1-5-pro', 4, 12],
  ['doubao-seedance-1-0-pro', 2, 10],
];
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

// CONTRACT 15, verbatim.
const CANON = {
  missingPrompt: { code: 'invalid_request', message: 'prompt is required' },
  missingModel: { error: { code: '', message: 'model name is required', type: 'comet_api_error' } },
  badSeconds: { code: 'InvalidParameter', message: 'the parameter duration specified in the request is not valid' },
  r2v15: {
    code: 'InvalidParameter',
    message: 'The parameter task_type specified in the request is not valid: the specified task_type r2v does not support model seedance-1-5-pro',
  },
  badKey: { error: { code: '', message: 'invalid token', type: 'comet_api_error' } },
  unknownId: { code: 'task_not_exist', message: 'task_not_exist', data: null },
  unknownModel: (m: string) => ({
    error: { code: 'model_not_found', message: `no available channel for group default and model ${m} (distributor)`, type: 'comet_api_error' },
  }),
};

const agent = new Agent({ keepAliveTimeout: 1000 });
after(() => agent.close());

type Fields = Record<string, string>;
interface Upload {
  name?: string;
  data: Buffer;
  filename: string;
  type: string;
}

function form(fields: Fields, files: Upload[] = []): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const f of files) fd.append(f.name ?? 'input_reference', new Blob([f.data], { type: f.type }), f.filename);
  return fd;
}

const ok = (extra: Fields = {}): Fields => ({ prompt: 'a lighthouse at dawn', model: 'doubao-seedance-2-0-fast', ...extra });

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

async function call(url: string, opts: { method?: 'GET' | 'POST' | 'HEAD'; key?: string | null; headers?: Record<string, string>; body?: FormData | string; bodyTimeout?: number; headersTimeout?: number } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key !== null && opts.key !== undefined) headers.authorization = `Bearer ${opts.key}`;
  const res = await request(url, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers,
    body: opts.body,
    dispatcher: agent,
    bodyTimeout: opts.bodyTimeout,
    headersTimeout: opts.headersTimeout,
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

async function download(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Reply['headers']; body: Buffer }> {
  const res = await request(url, { headers, dispatcher: agent });
  return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
}

const create = (sim: Simulator, fields: Fields, files: Upload[] = [], key: string | null = sim.apiKey) =>
  call(`${sim.baseUrl}/v1/videos`, { body: form(fields, files), key });
const poll = (sim: Simulator, id: string, key: string = sim.apiKey) => call(`${sim.baseUrl}/v1/videos/${id}`, { key });

/** Calls fn until it returns something truthy, or fails after the deadline. */
async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const TERMINAL = new Set(['SUCCESS', 'FAILED', 'ERROR', 'completed', 'failed', 'error']);

/** Polls until terminal; returns every body seen, in order. */
async function pollToEnd(sim: Simulator, id: string): Promise<any[]> {
  const seen: any[] = [];
  await waitFor(`task ${id} to finish`, async () => {
    const r = await poll(sim, id);
    assert.equal(r.status, 200, r.text);
    seen.push(r.json);
    return TERMINAL.has(r.json.status);
  });
  return seen;
}

async function finishedVideo(sim: Simulator, fields: Fields): Promise<{ id: string; url: string; last: any }> {
  const created = await create(sim, fields);
  assert.equal(created.status, 200, created.text);
  const seen = await pollToEnd(sim, created.json.id);
  const last = seen[seen.length - 1];
  assert.ok(last.video_url, JSON.stringify(last));
  return { id: created.json.id, url: last.video_url, last };
}

/** The seed page's service (retired models served, as these checks of CONTRACT 3-12 describe it) unless opts say otherwise. */
function useSimulator(opts: SimulatorOptions = {}): () => Simulator {
  let sim: Simulator | undefined;
  before(async () => {
    sim = await startSimulator({ timeScale: 0.005, deterministic: true, apiKeys: ['sk-sim-local-demo', OTHER_KEY], serveRetired: true, ...opts });
  });
  beforeEach(() => sim!.reset());
  after(() => sim?.close());
  return () => sim!;
}

describe('simulator: routing and auth (CONTRACT 2, 8, 12)', () => {
  const sim = useSimulator({ requestIdSuffix: false });

  it('GET /api/models needs no key and lists the profile models in the catalogue envelope', async () => {
    const r = await call(`${sim().baseUrl}/api/models`);
    assert.equal(r.status, 200);
    assert.equal(r.json.success, true);
    assert.equal(r.json.page, 0);
    assert.equal(r.json.total, r.json.data.length);
    assert.deepEqual(r.json.data.map((m: any) => m.id), [...REVISION_A_SECONDS.map(([id]) => id), 'seedance-2-5']);
    for (const m of r.json.data) {
      assert.equal(m.model_type, 'video');
      // CONTRACT 16: 2.5 is priced per resolution.
      if (m.id === 'seedance-2-5') assert.deepEqual(m.pricing.per_second, { '480p': 0.103, '720p': 0.231 });
      else assert.equal(typeof m.pricing.per_second, 'number');
    }
    sim().setConfig({ profile: 'revB' });
    const b = await call(`${sim().baseUrl}/api/models`);
    assert.ok(b.json.data.some((m: any) => m.id === 'doubao-seedance-2-0-mini'));
  });

  it('checks auth before the body: a bad key with an invalid body gets the 401 envelope', async () => {
    const invalid = { seconds: '99' }; // no model, no prompt
    const variants: Record<string, string>[] = [{}, { authorization: 'Basic c2stc2ltLWxvY2FsLWRlbW8=' }, { authorization: 'Bearer sk-wrong' }, { authorization: sim().apiKey }];
    for (const headers of variants) {
      const r = await call(`${sim().baseUrl}/v1/videos`, { body: form(invalid), headers });
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.deepEqual(r.json, CANON.badKey);
    }
    const p = await call(`${sim().baseUrl}/v1/videos/task_nope`, { key: 'sk-wrong' });
    assert.equal(p.status, 401);
    assert.deepEqual(p.json, CANON.badKey);
  });

  it('appends "(request id: ...)" to envelope errors by default, and can send a request-id header', async () => {
    sim().setConfig({ requestIdSuffix: true, requestIdHeader: 'X-Oneapi-Request-Id' });
    const r = await call(`${sim().baseUrl}/v1/videos`, { body: form({}), key: 'sk-wrong' });
    assert.equal(r.status, 401);
    const m = /^invalid token \(request id: ([0-9a-f]{20,})\)$/.exec(r.json.error.message);
    assert.ok(m, r.json.error.message);
    assert.equal(r.headers['x-oneapi-request-id'], m[1]);
  });

  it('answers unknown paths with 404 (JSON under /v1, text elsewhere) and redirects a trailing slash like gin', async () => {
    const v1 = await call(`${sim().baseUrl}/v1/nope`, { key: sim().apiKey });
    assert.equal(v1.status, 404);
    assert.deepEqual(v1.json, { error: { message: 'Invalid URL (GET /v1/nope)', type: 'invalid_request_error', param: '', code: '' } });
    const list = await call(`${sim().baseUrl}/v1/videos`, { key: sim().apiKey });
    assert.equal(list.status, 404, 'no list endpoint is documented');
    const other = await call(`${sim().baseUrl}/v2/videos`);
    assert.equal(other.status, 404);
    assert.equal(other.text, '404 page not found');
    const slash = await call(`${sim().baseUrl}/v1/videos/`, { method: 'POST', body: form(ok()), key: sim().apiKey });
    assert.equal(slash.status, 307);
    assert.equal(slash.headers.location, '/v1/videos');
  });

  it('has a "wrong base URL" mode: HTML pages, or 301 redirects to one', async () => {
    sim().setConfig({ wrongPath: 'html' });
    const html = await call(`${sim().baseUrl}/v2/videos`, { body: form(ok()), key: sim().apiKey });
    assert.equal(html.status, 200);
    assert.match(String(html.headers['content-type']), /^text\/html/);
    sim().setConfig({ wrongPath: 'redirect' });
    const moved = await call(`${sim().baseUrl}/api/v1/videos`, { key: sim().apiKey });
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.location, '/');
    // The real routes still work in these modes.
    assert.equal((await create(sim(), ok())).status, 200);
  });

  it('refuses /v1/videos/{id}/content for Seedance by default (revision B: use video_url)', async () => {
    const created = await create(sim(), ok());
    const r = await call(`${sim().baseUrl}/v1/videos/${created.json.id}/content`, { key: sim().apiKey });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.type, 'invalid_request_error');
  });
});

describe('simulator: create validation in CONTRACT 3.5 order, exact bodies (E1-E8)', () => {
  const sim = useSimulator({ requestIdSuffix: false });

  it('E2: a missing or empty model is a 400 envelope, reported before a missing prompt', async () => {
    const variants: Fields[] = [{ prompt: 'x' }, { prompt: 'x', model: '' }, {}];
    for (const fields of variants) {
      const r = await create(sim(), fields);
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, CANON.missingModel);
    }
  });

  it('E6: an unknown model is a 503 model_not_found envelope (400 when configured), before a missing prompt', async () => {
    const r = await create(sim(), { model: 'seedance-mini' });
    assert.equal(r.status, 503);
    assert.deepEqual(r.json, CANON.unknownModel('seedance-mini'));
    sim().setConfig({ unknownModelStatus: 400 });
    const r400 = await create(sim(), { model: 'seedance-mini', prompt: 'x' });
    assert.equal(r400.status, 400);
    assert.deepEqual(r400.json, CANON.unknownModel('seedance-mini'));
  });

  it('E6: revision A does not know doubao-seedance-2-0-mini; revision B does', async () => {
    const a = await create(sim(), ok({ model: 'doubao-seedance-2-0-mini' }));
    assert.equal(a.status, 503);
    sim().setConfig({ profile: 'revB' });
    const b = await create(sim(), ok({ model: 'doubao-seedance-2-0-mini', size: '1280x720' }));
    assert.equal(b.status, 200, b.text);
  });

  it('E7: a non-multipart body naming a model is a flat invalid_multipart_form', async () => {
    const r = await call(`${sim().baseUrl}/v1/videos`, {
      key: sim().apiKey,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'doubao-seedance-2-0-fast', prompt: 'x' }),
    });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { code: 'invalid_multipart_form', message: "request Content-Type isn't multipart/form-data" });
    // Without a model anywhere, the missing model comes first (step 2 before step 3).
    const noModel = await call(`${sim().baseUrl}/v1/videos`, { key: sim().apiKey, headers: { 'content-type': 'text/plain' }, body: 'hello' });
    assert.deepEqual(noModel.json, CANON.missingModel);
  });

  it('E7: a broken multipart body (model readable, then cut off) is a flat invalid_multipart_form', async () => {
    const body =
      '--XyZ\r\nContent-Disposition: form-data; name="model"\r\n\r\ndoubao-seedance-2-0-fast\r\n' +
      '--XyZ\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nhal';
    const r = await call(`${sim().baseUrl}/v1/videos`, { key: sim().apiKey, headers: { 'content-type': 'multipart/form-data; boundary=XyZ' }, body });
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'invalid_multipart_form');
    assert.equal(typeof r.json.message, 'string');
    assert.deepEqual(Object.keys(r.json), ['code', 'message']);
  });

  it('E1: a missing or blank prompt is the flat invalid_request, before a bad duration', async () => {
    for (const prompt of [undefined, '', '   \n\t']) {
      const fields: Fields = { model: 'doubao-seedance-2-0', seconds: '99' };
      if (prompt !== undefined) fields.prompt = prompt;
      const r = await create(sim(), fields);
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, CANON.missingPrompt);
    }
  });

  it('E3: seconds outside each model range (from the contract) is InvalidParameter; the range ends are accepted', async () => {
    for (const [id, min, max] of REVISION_A_SECONDS) {
      for (const s of [min - 1, max + 1]) {
        const r = await create(sim(), ok({ model: id, seconds: String(s) }));
        assert.equal(r.status, 400, `${id} ${s}`);
        assert.deepEqual(r.json, CANON.badSeconds);
      }
      for (const s of [min, max]) {
        const r = await create(sim(), ok({ model: id, seconds: String(s) }));
        assert.equal(r.status, 200, `${id} ${s}: ${r.text}`);
      }
    }
  });

  it('E3 comes before E4 (section 3.5 order), and the raw Ark duration text is available', async () => {
    const r = await create(sim(), ok({ model: 'doubao-seedance-1-5-pro', seconds: '20' }), [{ data: PNG, filename: 'a.png', type: 'image/png' }]);
    assert.deepEqual(r.json, CANON.badSeconds);
    sim().setConfig({ durationMessage: 'ark' });
    const ark = await create(sim(), ok({ model: 'doubao-seedance-2-0', seconds: '3' }), [{ data: PNG, filename: 'a.png', type: 'image/png' }]);
    assert.equal(ark.json.code, 'InvalidParameter');
    assert.match(ark.json.message, /^the parameter duration specified in the request is not valid for model doubao-seedance-2-0 in r2v Request id: 0217\w+$/);
  });

  it('E4: input_reference with 1.5 Pro or 1.0 Pro is the r2v InvalidParameter naming the model', async () => {
    const ref = [{ data: PNG, filename: 'ref.png', type: 'image/png' }];
    const a = await create(sim(), ok({ model: 'doubao-seedance-1-5-pro' }), ref);
    assert.equal(a.status, 400);
    assert.deepEqual(a.json, CANON.r2v15);
    const b = await create(sim(), ok({ model: 'doubao-seedance-1-0-pro' }), ref);
    assert.equal(b.status, 400);
    assert.deepEqual(b.json, { code: 'InvalidParameter', message: CANON.r2v15.message.replace('seedance-1-5-pro', 'seedance-1-0-pro') });
    const c = await create(sim(), ok({ model: 'doubao-seedance-2-0' }), ref);
    assert.equal(c.status, 200, c.text);
  });

  it('refuses a reference that is not a JPEG/PNG/WebP (by its bytes), and more than 9 references', async () => {
    const fake = await create(sim(), ok(), [{ data: Buffer.from('not an image'), filename: 'a.png', type: 'image/png' }]);
    assert.equal(fake.status, 400);
    assert.equal(fake.json.code, 'InvalidParameter');
    const ten = Array.from({ length: 10 }, (_, i) => ({ data: PNG, filename: `r${i}.png`, type: 'image/png' }));
    assert.equal((await create(sim(), ok(), ten)).status, 400);
    assert.equal((await create(sim(), ok(), ten.slice(0, 9))).status, 200);
  });

  it('a non-integer seconds falls back to 5 (new-api), or is E3 in strict mode; flatErrorData adds data:null', async () => {
    const lenient = await create(sim(), ok({ seconds: 'five' }));
    assert.equal(lenient.status, 200);
    assert.equal(sim().tasks()[0].seconds, 5);
    sim().setConfig({ strict: true, flatErrorData: true });
    const strict = await create(sim(), ok({ seconds: 'five' }));
    assert.deepEqual(strict.json, { ...CANON.badSeconds, data: null });
  });

  it('revision A takes size as a ratio: WxH or an unknown ratio is InvalidParameter', async () => {
    for (const size of ['1280x720', '5:4']) {
      const r = await create(sim(), ok({ size }));
      assert.equal(r.status, 400, size);
      assert.deepEqual(r.json, { code: 'InvalidParameter', message: 'the parameter ratio specified in the request is not valid' });
    }
    const badRes = await create(sim(), ok({ resolution: '2K' }));
    assert.deepEqual(badRes.json, { code: 'InvalidParameter', message: 'the parameter resolution specified in the request is not valid' });
  });

  it('a resolution the model lacks is silently downgraded (strict mode: InvalidParameter)', async () => {
    assert.equal((await create(sim(), ok({ resolution: '1080p' }))).status, 200);
    assert.deepEqual(
      sim().tasks().map((t) => [t.resolution, t.width, t.height]),
      [['720p', 1280, 720]],
    );
    sim().setConfig({ strict: true });
    assert.equal((await create(sim(), ok({ resolution: '1080p' }))).status, 400);
  });

  it('the [sim:reject] tag is a submit-time moderation 400', async () => {
    const r = await create(sim(), ok({ prompt: 'something [sim:reject]' }));
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'InputTextSensitiveContentDetected');
    assert.equal(sim().tasks().length, 0);
  });
});

describe('simulator: tasks (CONTRACT 3.4, 4, 9)', () => {
  const sim = useSimulator();

  it('create returns exactly the documented object: task_ + 32 alphanumerics, task_id alias, SUBMITTED, 0', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await create(sim(), ok());
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    assert.deepEqual(Object.keys(r.json), ['id', 'task_id', 'object', 'model', 'status', 'progress', 'created_at']);
    assert.match(r.json.id, /^task_[A-Za-z0-9]{32}$/);
    assert.equal(r.json.task_id, r.json.id);
    assert.equal(r.json.object, 'video');
    assert.equal(r.json.model, 'doubao-seedance-2-0-fast');
    assert.equal(r.json.status, 'SUBMITTED');
    assert.equal(r.json.progress, 0);
    assert.ok(r.json.created_at >= before && r.json.created_at <= before + 5);
  });

  it('revision A: SUBMITTED -> IN_PROGRESS -> SUCCESS, monotonic progress, completed_at null until terminal', async () => {
    const created = await create(sim(), ok());
    const seen = await pollToEnd(sim(), created.json.id);
    const order = ['SUBMITTED', 'IN_PROGRESS', 'SUCCESS'];
    let lastStep = 0;
    let lastProgress = 0;
    for (const b of seen) {
      const step = order.indexOf(b.status);
      assert.ok(step >= lastStep, `status went ${order[lastStep]} -> ${b.status}`);
      assert.ok(b.progress >= lastProgress, `progress went ${lastProgress} -> ${b.progress}`);
      assert.ok(Number.isInteger(b.progress) && b.progress >= 0 && b.progress <= 100);
      if (b.status === 'SUCCESS') {
        assert.equal(typeof b.completed_at, 'number');
        assert.match(b.video_url, /^http:\/\/127\.0\.0\.1:\d+\/doubao-seedance-2-0-fast\/task_\w+\.mp4\?X-Tos-Algorithm=/);
      } else {
        assert.equal(b.completed_at, null);
        assert.equal(b.video_url, undefined);
        assert.equal('completed_at' in b, true);
      }
      lastStep = step;
      lastProgress = b.progress;
    }
    assert.equal(seen[seen.length - 1].progress, 100);
    assert.ok(seen.some((b) => b.status === 'IN_PROGRESS'), 'saw the task running');
    assert.equal(seen[0].task_id, undefined, 'revision A GET example has no task_id');
  });

  it('coarse progress reports only new-api values 10/50/100', async () => {
    sim().setConfig({ progress: 'coarse' });
    const created = await create(sim(), ok());
    const seen = await pollToEnd(sim(), created.json.id);
    for (const b of seen) assert.ok([10, 50, 100].includes(b.progress), String(b.progress));
    assert.equal(seen[seen.length - 1].progress, 100);
  });

  it('revision B: lowercase statuses, exact WxH sizes, queued on create', async () => {
    sim().setConfig({ profile: 'revB', taskIdOnGet: true });
    const created = await create(sim(), ok({ size: '720x1280' }));
    assert.equal(created.json.status, 'queued');
    const seen = await pollToEnd(sim(), created.json.id);
    for (const b of seen) assert.ok(['queued', 'in_progress', 'completed'].includes(b.status), b.status);
    assert.equal(seen[seen.length - 1].task_id, created.json.id);
    const t = sim().tasks()[0];
    assert.deepEqual([t.ratio, t.width, t.height], ['9:16', 720, 1280]);
  });

  it('revision B: Mini asked for 1920x1080 is silently made 1280x720; 1.0 Pro uses its own table', async () => {
    sim().setConfig({ profile: 'revB' });
    assert.equal((await create(sim(), ok({ model: 'doubao-seedance-2-0-mini', size: '1920x1080' }))).status, 200);
    assert.equal((await create(sim(), ok({ model: 'doubao-seedance-1-0-pro', size: '1920x1088' }))).status, 200);
    assert.equal((await create(sim(), ok({ size: 'big' }))).status, 400);
    const [mini, v1] = sim().tasks();
    assert.deepEqual([mini.resolution, mini.width, mini.height], ['720p', 1280, 720]);
    assert.deepEqual([v1.resolution, v1.width, v1.height], ['1080p', 1920, 1088]);
  });

  it('revision B quirk: completed_at may be filled while the task is still running', async () => {
    sim().setConfig({ profile: 'revB', completedAtWhileRunning: true });
    const created = await create(sim(), ok({ prompt: 'x [sim:stuck]' }));
    const r = await poll(sim(), created.json.id);
    assert.notEqual(r.json.status, 'completed');
    assert.equal(typeof r.json.completed_at, 'number');
  });

  it('[sim:fail] ends FAILED with error {code, message}; the reason can move to fail_reason or vanish', async () => {
    const created = await create(sim(), ok({ prompt: 'a cat [sim:fail]' }));
    const last = (await pollToEnd(sim(), created.json.id)).pop();
    assert.equal(last.status, 'FAILED');
    assert.equal(last.error.code, 'InputTextSensitiveContentDetected');
    assert.match(last.error.message, /^The request failed because the input text may contain sensitive information\. Request id: 0217\w+$/);
    assert.equal(typeof last.completed_at, 'number');
    assert.equal(last.video_url, undefined);
    sim().setConfig({ failureDetail: 'fail_reason' });
    const again = await poll(sim(), created.json.id);
    assert.equal(again.json.fail_reason, last.error.message);
    assert.equal(again.json.error, undefined);
    sim().setConfig({ failureDetail: 'none' });
    const bare = await poll(sim(), created.json.id);
    assert.equal(bare.json.fail_reason, undefined);
    assert.equal(bare.json.status, 'FAILED', 'terminal states do not move');
  });

  it('[sim:error] ends ERROR', async () => {
    const created = await create(sim(), ok({ prompt: 'a cat [sim:error]' }));
    const last = (await pollToEnd(sim(), created.json.id)).pop();
    assert.equal(last.status, 'ERROR');
    assert.equal(typeof last.error.message, 'string');
  });

  it('[sim:stuck] and [sim:slow] are still running after an identical untagged task has finished', async () => {
    const normal = await create(sim(), ok());
    const stuck = await create(sim(), ok({ prompt: 'a lighthouse at dawn [sim:stuck]' }));
    const slow = await create(sim(), ok({ prompt: 'a lighthouse at dawn [SIM:SLOW]' }));
    await pollToEnd(sim(), normal.json.id);
    const s = await poll(sim(), stuck.json.id);
    assert.equal(s.json.status, 'IN_PROGRESS');
    assert.ok(s.json.progress < 100);
    assert.notEqual((await poll(sim(), slow.json.id)).json.status, 'SUCCESS');
    assert.deepEqual(sim().tasks().map((t) => t.outcome), ['success', 'stuck', 'success']);
  });

  it('tasks belong to the key that made them: another account, or a made-up id, gets task_not_exist', async () => {
    const created = await create(sim(), ok());
    const other = await poll(sim(), created.json.id, OTHER_KEY);
    assert.equal(other.status, 400);
    assert.deepEqual(other.json, CANON.unknownId);
    const made = await poll(sim(), 'task_abcdefghijklmnopqrstuvwxyz012345');
    assert.equal(made.status, 400);
    assert.deepEqual(made.json, CANON.unknownId);
    assert.equal((await poll(sim(), created.json.id)).status, 200);
  });

  it('a test can move a task: force success, failure with a chosen reason, or stuck', async () => {
    const a = await create(sim(), ok({ prompt: 'x [sim:stuck]' }));
    sim().setTaskState(a.json.id, { status: 'completed' });
    const done = await poll(sim(), a.json.id);
    assert.equal(done.json.status, 'SUCCESS');
    assert.ok(done.json.video_url);
    const b = await create(sim(), ok());
    sim().setTaskState(b.json.id, { status: 'FAILED', error: { code: 'OutputVideoSensitiveContentDetected', message: 'nope' } });
    assert.deepEqual((await poll(sim(), b.json.id)).json.error, { code: 'OutputVideoSensitiveContentDetected', message: 'nope' });
    sim().setTaskState(b.json.id, { status: 'in_progress', progress: 45 });
    const running = await poll(sim(), b.json.id);
    assert.deepEqual([running.json.status, running.json.progress, running.json.completed_at], ['IN_PROGRESS', 45, null]);
    assert.throws(() => sim().setTaskState(b.json.id, { status: 'paused' }), /unknown status/);
  });

  it('can put the URL where other builds did (metadata.url, output.video_url) or leave it out', async () => {
    const created = await create(sim(), ok());
    sim().setTaskState(created.json.id, { status: 'completed' });
    sim().setConfig({ videoUrlField: 'metadata.url' });
    assert.match((await poll(sim(), created.json.id)).json.metadata.url, /\.mp4\?/);
    sim().setConfig({ videoUrlField: 'output.video_url' });
    assert.match((await poll(sim(), created.json.id)).json.output.video_url, /\.mp4\?/);
    sim().setConfig({ videoUrlField: 'none' });
    const none = await poll(sim(), created.json.id);
    assert.equal(none.json.status, 'SUCCESS');
    assert.equal(none.json.video_url, undefined);
  });
});

describe('simulator: downloads from the storage host (CONTRACT 5)', () => {
  const sim = useSimulator();

  it('signs URLs like TOS and serves video/mp4 without any Authorization', async () => {
    const { url } = await finishedVideo(sim(), ok());
    const u = new URL(url);
    assert.equal(u.origin, sim().videoBaseUrl);
    assert.equal(u.searchParams.get('X-Tos-Algorithm'), 'TOS4-HMAC-SHA256');
    assert.match(u.searchParams.get('X-Tos-Credential')!, /^\w+\/\d{8}\/cn-beijing\/tos\/request$/);
    assert.match(u.searchParams.get('X-Tos-Date')!, /^\d{8}T\d{6}Z$/);
    assert.equal(u.searchParams.get('X-Tos-Expires'), '86400');
    assert.match(u.searchParams.get('X-Tos-Signature')!, /^[0-9a-f]{64}$/);
    assert.equal(u.searchParams.get('X-Tos-SignedHeaders'), 'host');
    const v = await download(url);
    assert.equal(v.status, 200);
    assert.equal(v.headers['content-type'], 'video/mp4');
    assert.equal(Number(v.headers['content-length']), v.body.length);
    assert.equal(v.headers['accept-ranges'], 'bytes');
    const types = readBoxes(v.body).map((b) => b.type);
    assert.deepEqual(types.filter((t) => t !== 'free'), ['ftyp', 'moov', 'mdat'], 'moov first (faststart)');
    const logged = sim().requests.filter((r) => r.server === 'video');
    assert.equal(logged.length, 1);
    assert.equal(logged[0].headers.authorization, undefined);
    assert.equal(logged[0].status, 200);
    assert.ok(!logged[0].path.includes(u.searchParams.get('X-Tos-Signature')!), 'signatures are not logged');
  });

  it('logs an Authorization header sent to the storage host (so tests can catch the leak)', async () => {
    const { url } = await finishedVideo(sim(), ok());
    await download(url, { authorization: `Bearer ${sim().apiKey}` });
    assert.equal(sim().requests.filter((r) => r.server === 'video')[0].headers.authorization, `Bearer ${sim().apiKey}`);
  });

  it('refuses a tampered URL with a 403 XML storage error', async () => {
    const { url } = await finishedVideo(sim(), ok());
    const sig = new URL(url).searchParams.get('X-Tos-Signature')!;
    const cases: [string, string][] = [
      [url.replace(sig, (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1)), 'SignatureDoesNotMatch'],
      [url.replace('X-Tos-Expires=86400', 'X-Tos-Expires=604800'), 'SignatureDoesNotMatch'],
      [url.replace('/task_', '/task_X'), 'SignatureDoesNotMatch'],
      [url.split('?')[0], 'AccessDenied'],
    ];
    for (const [bad, code] of cases) {
      const r = await download(bad);
      assert.equal(r.status, 403, bad);
      assert.equal(r.headers['content-type'], 'application/xml');
      assert.match(r.body.toString(), new RegExp(`^<\\?xml[\\s\\S]*<Error><Code>${code}</Code>`));
    }
  });

  it('expires URLs; re-polling returns the same dead URL (newapi) or a fresh one (ark)', async () => {
    sim().setConfig({ urlExpirySeconds: 60 });
    const { id, url } = await finishedVideo(sim(), ok());
    assert.equal(new URL(url).searchParams.get('X-Tos-Expires'), '60');
    assert.equal((await download(url)).status, 200);
    sim().setConfig({ clockOffsetSeconds: 61 });
    const expired = await download(url);
    assert.equal(expired.status, 403);
    assert.match(expired.body.toString(), /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    assert.equal((await poll(sim(), id)).json.video_url, url, 'newapi mode keeps the stored URL');
    sim().setConfig({ urlMode: 'ark' });
    const fresh = (await poll(sim(), id)).json.video_url;
    assert.notEqual(fresh, url);
    assert.equal((await download(fresh)).status, 200);
  });

  it('answers Range with 206 (open, closed and suffix ranges) and 416 when unsatisfiable', async () => {
    const { url } = await finishedVideo(sim(), ok());
    const full = await download(url);
    const size = full.body.length;
    const part = await download(url, { range: 'bytes=100-199' });
    assert.equal(part.status, 206);
    assert.equal(part.headers['content-range'], `bytes 100-199/${size}`);
    assert.deepEqual(part.body, full.body.subarray(100, 200));
    const tail = await download(url, { range: 'bytes=-10' });
    assert.deepEqual(tail.body, full.body.subarray(size - 10));
    const rest = await download(url, { range: `bytes=${size - 5}-` });
    assert.equal(rest.headers['content-length'], '5');
    const none = await download(url, { range: `bytes=${size}-` });
    assert.equal(none.status, 416);
    assert.equal(none.headers['content-range'], `bytes */${size}`);
  });

  it('serves a clip whose tkhd size has the requested aspect ratio (9:16 is portrait)', async () => {
    const videos = await Promise.all(ASPECT_RATIOS.map((size) => finishedVideo(sim(), ok({ size }))));
    for (const [i, ratio] of ASPECT_RATIOS.entries()) {
      const dims = videoDimensions((await download(videos[i].url)).body);
      assert.ok(dims, ratio);
      const [a, b] = ratio.split(':').map(Number);
      assert.ok(Math.abs(dims.width / dims.height - a / b) < 0.05, `${ratio}: ${dims.width}x${dims.height}`);
      if (ratio === '9:16') assert.ok(dims.height > dims.width);
    }
  });

  it('large-body mode streams a valid MP4 of exactly the requested size (fixture + free box)', async () => {
    const size = 3 * 1024 * 1024 + 7;
    sim().setConfig({ largeVideoBytes: size });
    const { url } = await finishedVideo(sim(), ok({ size: '9:16' }));
    const v = await download(url);
    assert.equal(v.body.length, size);
    assert.equal(Number(v.headers['content-length']), size);
    const boxes = readBoxes(v.body);
    assert.deepEqual(boxes.map((b) => b.type).filter((t) => t !== 'free'), ['ftyp', 'moov', 'mdat']);
    const last = boxes[boxes.length - 1];
    assert.equal(last.type, 'free');
    assert.equal(last.start + last.size, size);
    assert.ok(videoDimensions(v.body)!.height > videoDimensions(v.body)!.width);
    const end = await download(url, { range: `bytes=${size - 4}-` });
    assert.deepEqual(end.body, Buffer.alloc(4));
  });

  it('answers HEAD with the headers only', async () => {
    const { url } = await finishedVideo(sim(), ok());
    const h = await call(url, { method: 'HEAD' });
    assert.equal(h.status, 200);
    assert.equal(h.text, '');
    assert.ok(Number(h.headers['content-length']) > 1000);
  });

  it('the optional /content proxy mode streams the video, and 502s once the stored URL expired', async () => {
    sim().setConfig({ contentRoute: 'proxy' });
    const running = await create(sim(), ok({ prompt: 'x [sim:stuck]' }));
    const early = await call(`${sim().baseUrl}/v1/videos/${running.json.id}/content`, { key: sim().apiKey });
    assert.equal(early.status, 400);
    assert.match(early.json.error.message, /^Task is not completed yet, current status: (SUBMITTED|IN_PROGRESS)$/);
    const { id } = await finishedVideo(sim(), ok());
    const v = await download(`${sim().baseUrl}/v1/videos/${id}/content`, { authorization: `Bearer ${sim().apiKey}` });
    assert.equal(v.status, 200);
    assert.equal(v.headers['content-type'], 'video/mp4');
    assert.equal(v.headers['cache-control'], 'public, max-age=86400');
    sim().setConfig({ clockOffsetSeconds: 86401 });
    assert.equal((await call(`${sim().baseUrl}/v1/videos/${id}/content`, { key: sim().apiKey })).status, 502);
    assert.equal((await call(`${sim().baseUrl}/v1/videos/task_none/content`, { key: sim().apiKey })).status, 404);
  });
});

describe('simulator: faults (CONTRACT 12)', () => {
  const sim = useSimulator({ requestIdSuffix: false });

  it('N x 429 on create: flat body with the Chinese message, no Retry-After, nothing created; then success', async () => {
    sim().setFaults({ rateLimit: { times: 2, on: 'create' } });
    for (let i = 0; i < 2; i++) {
      const r = await create(sim(), ok());
      assert.equal(r.status, 429);
      assert.deepEqual(r.json, { code: 'fail_to_fetch_task', message: '当前分组上游负载已饱和，请稍后再试', data: null });
      assert.equal(r.headers['retry-after'], undefined);
    }
    assert.equal(sim().tasks().length, 0);
    assert.equal((await create(sim(), ok())).status, 200);
    assert.equal(sim().tasks().length, 1);
    assert.deepEqual(sim().requests.map((r) => [r.status, r.fault]), [[429, 'rateLimit'], [429, 'rateLimit'], [200, undefined]]);
  });

  it('429 on poll as an envelope with Retry-After; a poll-only fault leaves create alone', async () => {
    const created = await create(sim(), ok());
    sim().setFaults({ rateLimit: { on: 'poll', shape: 'envelope', retryAfterSeconds: 3 } });
    assert.equal((await create(sim(), ok())).status, 200);
    const r = await poll(sim(), created.json.id);
    assert.equal(r.status, 429);
    assert.deepEqual(r.json, { error: { code: '', message: '当前分组上游负载已饱和，请稍后再试', type: 'comet_api_error' } });
    assert.equal(r.headers['retry-after'], '3');
    assert.equal((await poll(sim(), created.json.id)).status, 200);
  });

  it('5xx: 500/502/503/504/524 envelopes, the do-not-retry 500 invalid_request, and an HTML proxy page', async () => {
    for (const status of [500, 502, 503, 504, 524] as const) {
      sim().setFaults({ serverError: { status } });
      const r = await create(sim(), ok());
      assert.equal(r.status, status);
      assert.deepEqual(r.json, { error: { code: '', message: `bad response status code ${status}`, type: 'comet_api_error' } });
    }
    sim().setFaults({ serverError: { status: 500, code: 'invalid_request' } });
    assert.equal((await create(sim(), ok())).json.error.code, 'invalid_request');
    sim().setFaults({ serverError: { status: 524, shape: 'html', on: 'poll' } });
    const created = await create(sim(), ok());
    const page = await poll(sim(), created.json.id);
    assert.equal(page.status, 524);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.equal(sim().tasks().length, 1, 'only the unfaulted create made a task');
  });

  it('403 (balance/quota or WAF): envelope by default, flat and HTML on request, and nothing is created', async () => {
    sim().setFaults({ forbidden: { on: 'create' } });
    const r = await create(sim(), ok());
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'forbidden');
    sim().setFaults({ forbidden: { on: 'create', shape: 'flat' } });
    assert.equal((await create(sim(), ok())).json.code, 'forbidden');
    sim().setFaults({ forbidden: { on: 'create', shape: 'html' } });
    const page = await create(sim(), ok());
    assert.equal(page.status, 403);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.equal(sim().tasks().length, 0);
  });

  it('connection reset on create: the request fails and nothing is created', async () => {
    sim().setFaults({ reset: { on: 'create' } });
    await assert.rejects(create(sim(), ok()), (err: any) => /ECONNRESET|UND_ERR_SOCKET|other side closed/i.test(`${err.code} ${err.message}`));
    assert.equal(sim().tasks().length, 0);
    assert.equal((await create(sim(), ok())).status, 200);
  });

  it('lost create response: the request fails but the task exists (a retry would duplicate it)', async () => {
    sim().setFaults({ loseCreateResponse: {} });
    await assert.rejects(create(sim(), ok()));
    assert.equal(sim().tasks().length, 1);
    assert.equal(sim().requests[0].fault, 'loseCreateResponse');
    assert.equal(sim().requests[0].status, 0);
    assert.equal((await create(sim(), ok())).status, 200);
    assert.equal(sim().tasks().length, 2);
  });

  it('stalled and delayed API responses trip client timeouts; a slow body still arrives whole', async () => {
    const created = await create(sim(), ok());
    sim().setFaults({ stallBody: { on: 'poll' } });
    await assert.rejects(call(`${sim().baseUrl}/v1/videos/${created.json.id}`, { key: sim().apiKey, bodyTimeout: 200 }), (e: any) => e.code === 'UND_ERR_BODY_TIMEOUT');
    sim().setFaults({ delay: { on: 'poll', ms: 60_000 } });
    await assert.rejects(call(`${sim().baseUrl}/v1/videos/${created.json.id}`, { key: sim().apiKey, headersTimeout: 200 }), (e: any) => e.code === 'UND_ERR_HEADERS_TIMEOUT');
    sim().setFaults({ slowBody: { on: 'poll', bytesPerSecond: 20_000 } });
    const slow = await poll(sim(), created.json.id);
    assert.equal(slow.json.id, created.json.id);
  });

  it('storage 5xx, then a normal download', async () => {
    const { url } = await finishedVideo(sim(), ok());
    sim().setFaults({ storageError: { status: 503 } });
    const r = await download(url);
    assert.equal(r.status, 503);
    assert.match(r.body.toString(), /<Code>ServiceUnavailable<\/Code>/);
    assert.equal((await download(url)).status, 200);
    assert.deepEqual(sim().requests.filter((e) => e.server === 'video').map((e) => [e.status, e.fault]), [[503, 'storageError'], [200, undefined]]);
  });

  it('truncated download: Content-Length promises the whole file, the socket closes after K bytes', async () => {
    const { url } = await finishedVideo(sim(), ok());
    const full = (await download(url)).body.length;
    sim().setFaults({ truncateDownload: { afterBytes: 1000 } });
    const res = await request(url, { dispatcher: agent });
    assert.equal(Number(res.headers['content-length']), full);
    let got = 0;
    await assert.rejects(
      (async () => {
        for await (const chunk of res.body) got += (chunk as Buffer).length;
      })(),
    );
    assert.equal(got, 1000);
  });

  it('stalled download trips the body timeout; a slow download arrives intact', async () => {
    const { url } = await finishedVideo(sim(), ok());
    const full = (await download(url)).body;
    sim().setFaults({ stallDownload: { afterBytes: 500 } });
    await assert.rejects(
      request(url, { dispatcher: agent, bodyTimeout: 200 }).then((r) => r.body.arrayBuffer()),
      (e: any) => e.code === 'UND_ERR_BODY_TIMEOUT',
    );
    sim().setFaults({ slowDownload: { bytesPerSecond: 200_000 } });
    assert.deepEqual((await download(url)).body, full);
  });

  it('rejects unknown faults and bad fields instead of arming nothing', () => {
    assert.throws(() => sim().setFaults({ rateLimt: {} } as never), /unknown fault "rateLimt"/);
    assert.throws(() => sim().setFaults({ serverError: { status: 418 as never } }), /invalid status/);
    assert.throws(() => sim().setFaults({ truncateDownload: {} as never }), /needs "afterBytes"/);
    assert.deepEqual(sim().faults(), {});
  });

  it('times: -1 keeps a fault until cleared', async () => {
    sim().setFaults({ serverError: { status: 503, times: -1 } });
    for (let i = 0; i < 3; i++) assert.equal((await create(sim(), ok())).status, 503);
    sim().clearFaults();
    assert.equal((await create(sim(), ok())).status, 200);
  });
});

describe('simulator: control endpoints over HTTP (control.ts)', () => {
  const sim = useSimulator();
  const control = () => new SimulatorControl(sim().controlUrl, { dispatcher: agent });

  it('arms and clears faults, reads and clears the log (control calls are not logged)', async () => {
    const c = control();
    assert.deepEqual(await c.setFaults({ rateLimit: { times: 1, on: 'create' } }), { rateLimit: { times: 1, on: 'create' } });
    assert.equal((await create(sim(), ok())).status, 429);
    assert.deepEqual(await c.faults(), {});
    await c.setFaults({ serverError: { times: 2 } });
    await c.setFaults({ serverError: null });
    assert.deepEqual(await c.faults(), {});
    const { url } = await finishedVideo(sim(), ok());
    await download(url);
    const video = await c.requests({ server: 'video' });
    assert.equal(video.length, 1);
    assert.equal(video[0].headers.authorization, undefined);
    const all = await c.requests();
    assert.ok(all.every((r) => !r.path.startsWith('/__sim')));
    assert.equal((await c.requests({ since: all[all.length - 2].seq })).length, 1);
    await c.clearRequests();
    assert.deepEqual(await c.requests(), []);
  });

  it('changes config, moves tasks, lists tasks and resets', async () => {
    const c = control();
    const cfg = await c.setConfig({ profile: 'revB', urlExpirySeconds: 5 });
    assert.equal(cfg.profile, 'revB');
    await assert.rejects(c.setConfig({ profile: 'revC' as never }), (e: unknown) => e instanceof SimulatorControlError && e.status === 400);
    await assert.rejects(c.setConfig({ urlExpirySecs: 5 } as never), /unknown config key/);
    const created = await create(sim(), ok({ prompt: 'x [sim:stuck]' }));
    const view = await c.setTaskState(created.json.id, { status: 'completed' });
    assert.equal(view.phase, 'succeeded');
    const polled = await poll(sim(), created.json.id);
    assert.equal(polled.json.status, 'completed');
    assert.equal(new URL(polled.json.video_url).searchParams.get('X-Tos-Expires'), '5');
    assert.equal((await c.tasks()).length, 1);
    await assert.rejects(c.setTaskState('task_missing', { status: 'completed' }), (e: unknown) => e instanceof SimulatorControlError && e.status === 404);
    await c.reset();
    assert.equal((await c.config()).profile, 'revA');
    assert.deepEqual(await c.tasks(), []);
  });

  it('parses the SIMULATOR_READY line', () => {
    const info = { baseUrl: 'http://127.0.0.1:1', videoBaseUrl: 'http://127.0.0.1:2', apiKey: 'k', controlUrl: 'http://127.0.0.1:1/__sim' };
    assert.deepEqual(parseReadyLine(`SIMULATOR_READY ${JSON.stringify(info)}`), info);
    assert.equal(parseReadyLine('Seedance simulator is running'), undefined);
  });
});

describe('simulator: standalone main.js', () => {
  it('prints SIMULATOR_READY, serves, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'simulator', 'main.js'), '--port', '0', '--time-scale', '0.01', '--profile', 'revB'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      const info = await waitFor('SIMULATOR_READY', async () => out.split('\n').map(parseReadyLine).find(Boolean), 10000);
      assert.equal(info.apiKey, 'sk-sim-local-demo');
      assert.match(out, /API base URL\s+http:\/\/127\.0\.0\.1:\d+/);
      const models = await call(`${info.baseUrl}/api/models`);
      assert.ok(models.json.data.some((m: any) => m.id === 'doubao-seedance-2-0-mini'), 'profile flag applied');
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('simulator: the service since the seed page (CONTRACT 16)', () => {
  const sim = useSimulator({ serveRetired: false, requestIdSuffix: false });

  it('answers the retired 1.0 Pro and 1.5 Pro with E6 (503 model_not_found) and leaves them out of /api/models', async () => {
    for (const model of ['doubao-seedance-1-0-pro', 'doubao-seedance-1-5-pro']) {
      const r = await create(sim(), ok({ model }));
      assert.equal(r.status, 503, model);
      assert.deepEqual(r.json, CANON.unknownModel(model));
    }
    const list = await call(`${sim().baseUrl}/api/models`);
    assert.deepEqual(list.json.data.map((m: any) => m.id), ['doubao-seedance-2-0', 'doubao-seedance-2-0-fast', 'seedance-2-5']);
  });

  it('takes seedance-2-5 as exact WxH in both profiles, 4-30 s, 16:9 only', async () => {
    for (const profile of ['revA', 'revB'] as const) {
      sim().setConfig({ profile, strict: true });
      for (const [size, seconds, want] of [['854x480', '4', 200], ['1280x720', '30', 200], ['1280x720', '31', 400], ['1280x720', '3', 400], ['720x1280', '5', 400], ['864x496', '5', 400]] as const) {
        const r = await create(sim(), ok({ model: 'seedance-2-5', size, seconds }));
        assert.equal(r.status, want, `${profile} ${size} ${seconds}: ${r.text}`);
      }
      const ratio = await create(sim(), ok({ model: 'seedance-2-5', size: '16:9', resolution: '720p' }));
      assert.equal(ratio.status, 400, 'strict: 2.5 is documented with exact sizes only');
    }
    const made = sim().tasks().find((t) => t.model === 'seedance-2-5' && t.seconds === 30);
    assert.equal(`${made?.width}x${made?.height}`, '1280x720');
  });
});
