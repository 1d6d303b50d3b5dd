// CometClient against the simulator (test/simulator), over real loopback HTTP. Every row of CONTRACT.md
// section 6 goes simulator -> client -> typed ApiError -> a message a person can act on; both contract
// profiles parse through a whole task lifecycle; create is never retried (POSTs are counted in the
// simulator's request log); GET retries 429 bursts and 5xx; downloads resume, expire and never carry the
// API key to the video host.

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CometClient, type CometClientOptions } from '../../src/core/api/client';
import { ApiError, type ApiErrorKind } from '../../src/core/api/errors';
import { NodeHttpDispatcher } from '../../src/core/api/nodeHttpDispatcher';
import type { CreateVideoRequest, VideoTask } from '../../src/core/api/types';
import { loadFixtures } from '../simulator/mp4';
import { startSimulator, type Simulator } from '../simulator/server';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const REQ: CreateVideoRequest = { prompt: 'A slow push across a coastal landscape at sunrise', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };

/** The things every message shown to a person must satisfy. */
function assertReadable(e: ApiError, key: string): void {
  assert.ok(e.message.length >= 20, `too short: ${e.message}`);
  assert.match(e.message, /^[A-Z"]/, `starts like a sentence: ${e.message}`);
  assert.equal(e.message.includes(key), false, `leaks the key: ${e.message}`);
  assert.equal(/Bearer|authorization/i.test(e.message), false, `mentions the header: ${e.message}`);
  assert.equal(/X-Tos-(Signature|Credential)=/.test(e.message), false, `leaks a signed query: ${e.message}`);
  assert.equal(/\(request id:/i.test(e.message), false, `shows the raw request id: ${e.message}`);
}

// Every case runs over both dispatchers: undici (plain Node, tests, benchmarks) and Node's http module
// (what the extension uses inside VS Code, whose proxy support patches that module).
const TRANSPORTS: Array<[string, () => Partial<CometClientOptions>]> = [
  ['undici', () => ({})],
  ["Node's http module", () => ({ dispatcher: new NodeHttpDispatcher(), videoDispatcher: new NodeHttpDispatcher() })],
];

for (const [transportName, transport] of TRANSPORTS) {
describe(`CometClient against the simulator (${transportName})`, () => {
  let sim: Simulator;
  let client: CometClient;
  const waits: number[] = [];
  const extraClients: CometClient[] = [];

  function makeClient(opts: Partial<CometClientOptions> = {}): CometClient {
    const c = new CometClient({
      baseUrl: sim.baseUrl,
      getApiKey: async () => sim.apiKey,
      download: { retryDelayMs: 1 },
      ...transport(),
      ...opts,
    });
    extraClients.push(c);
    return c;
  }

  async function failure(p: Promise<unknown>, kind: ApiErrorKind): Promise<ApiError> {
    try {
      await p;
    } catch (e) {
      assert.ok(e instanceof ApiError, `expected ApiError, got ${String(e)}`);
      assert.equal(e.kind, kind, `${e.kind}: ${e.message}`);
      assertReadable(e, sim.apiKey);
      return e;
    }
    assert.fail(`expected a ${kind} error`);
  }

  const posts = () => sim.requests.filter((r) => r.server === 'api' && r.method === 'POST' && r.path === '/v1/videos').length;
  const gets = () => sim.requests.filter((r) => r.server === 'api' && r.method === 'GET' && r.path.startsWith('/v1/videos/')).length;

  before(async () => {
    sim = await startSimulator({ timeScale: 0.005, deterministic: true });
  });
  beforeEach(() => {
    sim.reset();
    waits.length = 0;
    client = makeClient();
  });
  afterEach(async () => {
    await Promise.all(extraClients.splice(0).map((c) => c.close()));
  });
  after(async () => {
    await sim.close();
  });

  describe('CONTRACT section 6: every error row becomes a typed error with a message for people', () => {
    it('E1 blank prompt: invalidRequest invalid_request, the service says why', async () => {
      const e = await failure(client.createVideo({ ...REQ, prompt: '   ' }), 'invalidRequest');
      assert.equal(e.status, 400);
      assert.equal(e.code, 'invalid_request');
      assert.match(e.message, /^CometAPI rejected the request \(400, invalid_request\)\. CometAPI said: "prompt is required"\.$/);
      assert.equal(e.mayHaveReachedServer, false);
    });

    it('E2 missing model: invalidRequest from the envelope, request id kept apart', async () => {
      const e = await failure(client.createVideo({ ...REQ, model: '' }), 'invalidRequest');
      assert.equal(e.status, 400);
      assert.match(e.message, /model name is required/);
      assert.match(e.requestId ?? '', /^\d{14}/, 'new-api request id from the message suffix');
    });

    it('E3 seconds out of range: InvalidParameter about the duration (documented and raw Ark wording)', async () => {
      let e = await failure(client.createVideo({ ...REQ, seconds: 16 }), 'invalidRequest');
      assert.equal(e.code, 'InvalidParameter');
      assert.match(e.message, /duration specified in the request is not valid/);
      sim.setConfig({ durationMessage: 'ark' });
      e = await failure(client.createVideo({ ...REQ, seconds: 3 }), 'invalidRequest');
      assert.match(e.message, /duration/);
      assert.match(e.requestId ?? '', /^0217/, 'Ark "Request id:" suffix moved to requestId');
    });

    it('E4 reference image on 1.5 Pro: InvalidParameter r2v', async () => {
      sim.setConfig({ serveRetired: true }); // the seed page's service, which still had 1.5 Pro
      const e = await failure(
        client.createVideo({ ...REQ, model: 'doubao-seedance-1-5-pro', inputReference: { fileName: 'ref.png', contentType: 'image/png', data: PNG } }),
        'invalidRequest',
      );
      assert.equal(e.code, 'InvalidParameter');
      assert.match(e.message, /r2v does not support model seedance-1-5-pro/);
    });

    it('E5 bad key: auth (reason keyRejected), for create and poll', async () => {
      const bad = makeClient({ getApiKey: async () => 'sk-not-a-real-key-123456' });
      for (const call of [() => bad.createVideo(REQ), () => bad.getVideo('task_x')]) {
        const e = await failure(call(), 'auth');
        assert.equal(e.status, 401);
        assert.match(e.message, /^CometAPI rejected the API key \(401\)\./);
        assert.equal(e.reason, 'keyRejected');
        assert.equal(e.message.includes('sk-not-a-real-key-123456'), false);
      }
      assert.equal(gets(), 1, '401 is not retried');
    });

    it('E6 unknown model: 503 model_not_found is a do-not-retry error that names the problem', async () => {
      const e = await failure(client.createVideo({ ...REQ, model: 'doubao-seedance-9-9' }), 'invalidRequest');
      assert.equal(e.status, 503);
      assert.equal(e.code, 'model_not_found');
      assert.equal(e.retryable, false);
      assert.match(e.message, /does not serve doubao-seedance-9-9 now/);
      assert.equal(e.model, 'doubao-seedance-9-9');
      assert.equal(e.mayHaveReachedServer, false, 'the router refused it before any provider: nothing was created');
      assert.equal(posts(), 1);
      sim.setConfig({ unknownModelStatus: 400 });
      const e400 = await failure(client.createVideo({ ...REQ, model: 'doubao-seedance-9-9' }), 'invalidRequest');
      assert.equal(e400.status, 400);
    });

    it('E7 500 with invalid_request: not retried, even on GET', async () => {
      const task = await client.createVideo(REQ);
      sim.setFaults({ serverError: { status: 500, code: 'invalid_request', message: 'field messages is required', on: 'poll', times: -1 } });
      const e = await failure(client.getVideo(task.id), 'invalidRequest');
      assert.equal(e.status, 500);
      assert.match(e.message, /retrying will not help/);
      assert.equal(gets(), 1);
    });

    it('E8 unknown task id: notFound, terminal, not retried; another key\'s task is unknown too', async () => {
      let e = await failure(client.getVideo('task_doesnotexist0000000000000000000'), 'notFound');
      assert.equal(e.code, 'task_not_exist');
      assert.match(e.message, /does not know this task/);
      assert.equal(gets(), 1);
      sim.setConfig({ apiKeys: [sim.apiKey, 'sk-sim-other-account'] });
      const task = await client.createVideo(REQ);
      const other = makeClient({ getApiKey: async () => 'sk-sim-other-account' });
      e = await failure(other.getVideo(task.id), 'notFound');
      assert.equal(e.code, 'task_not_exist');
    });

    it('E9 429 (flat, Chinese text): rateLimited; neither GET nor POST is retried inside the client', async () => {
      const task = await client.createVideo(REQ);
      sim.setFaults({ rateLimit: { on: 'poll', times: 1 } });
      await failure(client.getVideo(task.id), 'rateLimited');
      assert.equal(gets(), 1, 'the poller owns retries');
      assert.equal((await client.getVideo(task.id)).id, task.id);

      sim.setFaults({ rateLimit: { on: 'poll', times: -1 } });
      const e = await failure(client.getVideo(task.id), 'rateLimited');
      assert.match(e.message, /limiting requests/);
      assert.ok(e.message.includes('当前分组上游负载已饱和，请稍后再试'), 'the vendor text is quoted as is');
      sim.clearFaults();

      sim.setFaults({ rateLimit: { on: 'create', shape: 'envelope' } });
      const before = posts();
      await failure(client.createVideo(REQ), 'rateLimited');
      assert.equal(posts() - before, 1);
    });

    it('E9 with Retry-After: the wait the server asked for reaches the caller (the poller waits, not the client)', async () => {
      const task = await client.createVideo(REQ);
      sim.setFaults({ rateLimit: { on: 'poll', times: 2, retryAfterSeconds: 3 } });
      const before = gets();
      const e = await failure(client.getVideo(task.id), 'rateLimited');
      assert.equal(e.retryAfterMs, 3000);
      assert.equal(gets() - before, 1, 'sent once');
    });

    it('E10/E11 403 (balance, quota, blocked): auth kind, not retried (tiny server: the simulator has no 403 yet)', async () => {
      let hits = 0;
      const server = createServer((_req, res) => {
        hits++;
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'insufficient_user_quota', message: '用户额度不足 (request id: 2026082412000012345678abcd)', type: 'comet_api_error' } }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const c = makeClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
        const e = await failure(c.getVideo('task_x'), 'auth');
        assert.equal(e.status, 403);
        assert.equal(e.code, 'insufficient_user_quota');
        assert.match(e.message, /balance or quota/);
        assert.equal(e.requestId, '2026082412000012345678abcd');
        assert.equal(hits, 1);
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    });

    for (const status of [500, 502, 503, 504, 524] as const) {
      it(`E12 ${status}: GET reports it after one request (the poller retries); POST is not retried and may have made a task`, async () => {
        const task = await client.createVideo(REQ);
        sim.setFaults({ serverError: { status, on: 'poll', times: 1, ...(status === 524 ? { shape: 'html' as const } : {}) } });
        assert.equal((await failure(client.getVideo(task.id), 'server')).status, status);
        assert.equal(gets(), 1);
        assert.equal((await client.getVideo(task.id)).id, task.id);

        sim.setFaults({ serverError: { status, on: 'create' } });
        const before = posts();
        const e = await failure(client.createVideo(REQ), 'server');
        assert.equal(e.status, status);
        assert.equal(e.mayHaveReachedServer, true);
        assert.match(e.message, /may still have been created/);
        assert.equal(posts() - before, 1);
      });
    }

    it('E12 persistent 5xx on GET: a server error after one request', async () => {
      const task = await client.createVideo(REQ);
      sim.setFaults({ serverError: { status: 502, on: 'poll', times: -1 } });
      const e = await failure(client.getVideo(task.id), 'server');
      assert.match(e.message, /^CometAPI had a server error \(502\)/);
      assert.equal(gets(), 1);
    });

    it('E13/E14 upstream rejection at submit (moderation): invalidRequest with the upstream code', async () => {
      const e = await failure(client.createVideo({ ...REQ, prompt: 'something [sim:reject]' }), 'invalidRequest');
      assert.equal(e.status, 400);
      assert.match(e.code ?? '', /Sensitive/);
      assert.equal(sim.tasks().length, 0);
    });

    it('E14 moderation after submit: the task fails with a readable reason and the request id kept apart', async () => {
      const task = await client.createVideo({ ...REQ, prompt: 'a scene [sim:fail]' });
      sim.setTaskState(task.id, { status: 'failed' });
      const t = await client.getVideo(task.id);
      assert.equal(t.status, 'failed');
      assert.equal(t.failure?.code, 'InputTextSensitiveContentDetected');
      assert.equal(t.failure?.message, 'The request failed because the input text may contain sensitive information.');
      assert.match(t.failure?.requestId ?? '', /^0217/);
    });
  });

  describe('both profiles parse through a whole lifecycle', () => {
    for (const profile of ['revA', 'revB'] as const) {
      it(`${profile}: queued -> running -> succeeded with a downloadable URL; failed and error carry reasons`, async () => {
        sim.setConfig({ profile, taskIdOnGet: profile === 'revB', completedAtWhileRunning: profile === 'revB', flatErrorData: true });
        const created = await client.createVideo(REQ);
        assert.equal(created.status, 'queued');
        assert.equal(created.rawStatus, profile === 'revA' ? 'SUBMITTED' : 'queued');
        assert.match(created.id, /^task_[A-Za-z0-9]{32}$/);

        const seen: VideoTask[] = [];
        sim.setTaskState(created.id, { status: 'queued' });
        seen.push(await client.getVideo(created.id));
        sim.setTaskState(created.id, { status: 'in_progress', progress: 40 });
        seen.push(await client.getVideo(created.id));
        sim.setTaskState(created.id, { status: 'completed' });
        seen.push(await client.getVideo(created.id));
        assert.deepEqual(seen.map((t) => t.status), ['queued', 'running', 'succeeded']);
        assert.ok(seen.every((t) => !t.unknownStatus));
        assert.equal(seen[1].progress, 40);
        assert.equal(seen[2].progress, 100);
        assert.ok(seen[2].videoUrl?.startsWith(sim.videoBaseUrl));
        assert.equal(seen[2].model, REQ.model);

        const failed = await client.createVideo({ ...REQ, prompt: 'x [sim:fail]' });
        sim.setTaskState(failed.id, { status: 'failed' });
        const f = await client.getVideo(failed.id);
        assert.equal(f.status, 'failed');
        assert.ok(f.failure && f.failure.message.length > 10);

        const errored = await client.createVideo({ ...REQ, prompt: 'x [sim:error]' });
        sim.setTaskState(errored.id, { status: 'error' });
        const er = await client.getVideo(errored.id);
        assert.equal(er.status, 'failed');
        assert.equal(er.rawStatus, profile === 'revA' ? 'ERROR' : 'error');
        assert.equal(er.failure?.code, 'InternalServiceError');
      });
    }

    it('reads the failure reason wherever the service puts it (error, fail_reason, nothing)', async () => {
      for (const failureDetail of ['error', 'fail_reason', 'none'] as const) {
        sim.setConfig({ failureDetail });
        const task = await client.createVideo({ ...REQ, prompt: 'x [sim:fail]' });
        sim.setTaskState(task.id, { status: 'failed' });
        const t = await client.getVideo(task.id);
        assert.equal(t.status, 'failed', failureDetail);
        if (failureDetail === 'none') assert.match(t.failure!.message, /gave no reason/);
        else assert.match(t.failure!.message, /sensitive information/, failureDetail);
      }
    });

    it('finds the video URL wherever the service puts it, and reports none when absent', async () => {
      for (const videoUrlField of ['video_url', 'metadata.url', 'output.video_url', 'fail_reason', 'none'] as const) {
        sim.setConfig({ videoUrlField });
        const task = await client.createVideo(REQ);
        sim.setTaskState(task.id, { status: 'completed' });
        const t = await client.getVideo(task.id);
        assert.equal(t.status, 'succeeded');
        if (videoUrlField === 'none') assert.equal(t.videoUrl, undefined);
        else assert.ok(t.videoUrl?.startsWith(sim.videoBaseUrl), videoUrlField);
      }
    });

    it('a stuck task stays non-terminal; coarse progress is read as given', async () => {
      sim.setConfig({ progress: 'coarse' });
      const task = await client.createVideo({ ...REQ, prompt: 'x [sim:stuck]' });
      sim.setTaskState(task.id, { status: 'stuck' });
      const t = await client.getVideo(task.id);
      assert.equal(t.status, 'running');
      assert.equal(t.progress, 50);
    });

    it('reads the request id from the response header when the body has none', async () => {
      sim.setConfig({ requestIdHeader: 'X-Oneapi-Request-Id' });
      const e = await failure(client.getVideo('task_nope'), 'notFound');
      assert.match(e.requestId ?? '', /^\d{14}/);
    });
  });

  describe('create is never retried', () => {
    it('a lost response (task created, socket destroyed): one POST, one task, mayHaveReachedServer', async () => {
      sim.setFaults({ loseCreateResponse: {} });
      const e = await failure(client.createVideo(REQ), 'network');
      assert.equal(e.mayHaveReachedServer, true);
      assert.match(e.message, /may still have been created/);
      assert.equal(posts(), 1);
      assert.equal(sim.tasks().length, 1, 'the service made exactly one task');
    });

    it('a reset, a 5xx and a timeout: one POST each', async () => {
      sim.setFaults({ reset: { on: 'create' } });
      assert.equal((await failure(client.createVideo(REQ), 'network')).mayHaveReachedServer, true);
      sim.setFaults({ serverError: { status: 502, on: 'create' } });
      await failure(client.createVideo(REQ), 'server');
      const slow = makeClient({ createTimeoutMs: 200 });
      sim.setFaults({ delay: { ms: 5_000, on: 'create' } });
      assert.equal((await failure(slow.createVideo(REQ), 'timeout')).mayHaveReachedServer, true);
      assert.equal(posts(), 3);
      assert.deepEqual(waits, []);
    });

    it('a stalled poll body times out (once: the poller decides when to try again)', async () => {
      const task = await client.createVideo(REQ);
      const c = makeClient({ pollTimeoutMs: 200 });
      sim.setFaults({ stallBody: { on: 'poll' } });
      await failure(c.getVideo(task.id), 'timeout');
      assert.equal(gets(), 1);
    });
  });

  describe('a wrong base URL is a configuration-style invalidResponse', () => {
    for (const wrongPath of ['html', 'redirect', 'notFound'] as const) {
      it(`${wrongPath}`, async () => {
        sim.setConfig({ wrongPath });
        const c = makeClient({ baseUrl: `${sim.baseUrl}/wrong-prefix` });
        const e = await failure(c.getVideo('task_x'), 'invalidResponse');
        assert.match(e.message, /base URL is probably wrong/);
        const p = await failure(c.createVideo(REQ), 'invalidResponse');
        assert.equal(p.mayHaveReachedServer, false);
      });
    }
  });

  describe('downloads through the client', () => {
    let dir: string;
    const fixture = loadFixtures().get('16:9')!;
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'seedance-client-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    async function finished(): Promise<VideoTask> {
      const task = await client.createVideo(REQ);
      sim.setTaskState(task.id, { status: 'completed' });
      return client.getVideo(task.id);
    }

    it('a truncated download leaves nothing under the final name; a resumed one is byte-identical', async () => {
      const done = await finished();
      sim.setFaults({ truncateDownload: { afterBytes: 100, times: -1 } });
      await failure(client.downloadVideo(done.videoUrl!, join(dir, 'cut.mp4')), 'network');
      assert.deepEqual(await readdir(dir), []);

      sim.setFaults({ truncateDownload: { afterBytes: 100, times: 1 } });
      const result = await client.downloadVideo(done.videoUrl!, join(dir, 'whole.mp4'));
      assert.equal(result.bytes, fixture.length);
      assert.equal(sha(await readFile(join(dir, 'whole.mp4'))), sha(fixture));
      assert.deepEqual(await readdir(dir), ['whole.mp4']);
    });

    it('an expired URL is kind expired; in Ark mode one more poll gives a fresh URL that works', async () => {
      const done = await finished();
      sim.setConfig({ clockOffsetSeconds: 90_000 });
      const e = await failure(client.downloadVideo(done.videoUrl!, join(dir, 'v.mp4')), 'expired');
      assert.equal(e.retryable, false);
      // new-api mode: re-polling returns the same, still expired URL.
      assert.equal((await client.getVideo(done.id)).videoUrl, done.videoUrl);
      sim.setConfig({ urlMode: 'ark' });
      const fresh = await client.getVideo(done.id);
      assert.notEqual(fresh.videoUrl, done.videoUrl);
      await client.downloadVideo(fresh.videoUrl!, join(dir, 'v.mp4'));
      assert.equal(sha(await readFile(join(dir, 'v.mp4'))), sha(fixture));
    });

    it('no Authorization header (nor the key) reaches the video host', async () => {
      const done = await finished();
      sim.setFaults({ storageError: { status: 503 } });
      await client.downloadVideo(done.videoUrl!, join(dir, 'v.mp4'));
      const video = sim.requests.filter((r) => r.server === 'video');
      assert.equal(video.length, 2);
      for (const r of video) {
        assert.equal(r.headers.authorization, undefined);
        assert.equal(Object.values(r.headers).some((v) => v.includes(sim.apiKey)), false);
      }
      const api = sim.requests.filter((r) => r.server === 'api');
      assert.ok(api.length > 0 && api.every((r) => r.headers.authorization === `Bearer ${sim.apiKey}`));
    });
  });
});
}
