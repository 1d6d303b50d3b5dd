// downloadVideo (src/core/download/download.ts) over real loopback HTTP: against the simulator's storage host
// (signed URLs, Range, truncation, stalls, 5xx, expiry) and against tiny servers for behaviours the
// simulator does not have (a server that ignores Range, HTML instead of video, chunked bodies, redirects).
// After every failure the folder must be empty: no temporary file, nothing under the final name.

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { Agent } from 'undici';
import { BatchWriter } from '../../src/core/download/batchWriter';
import { CometClient } from '../../src/core/api/client';
import { ApiError } from '../../src/core/api/errors';
import { downloadVideo, parseContentRange, type DownloadOptions } from '../../src/core/download/download';
import { startSimulator, type Simulator } from '../simulator/server';
import { loadFixtures, paddedSource } from '../simulator/mp4';

const fixture16x9 = loadFixtures().get('16:9')!;

function sha(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** The bytes the simulator serves in largeVideoBytes mode, built the same way, for comparison. */
function paddedBytes(total: number): Buffer {
  const src = paddedSource(fixture16x9, total);
  return Buffer.concat([...src.chunks(0, total)]);
}

async function expectApiError(p: Promise<unknown>, kind: string): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ApiError, `expected ApiError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    assert.equal(/X-Tos-Signature=|X-Tos-Credential=/.test(e.message), false, `signed query leaked: ${e.message}`);
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

describe('downloadVideo', () => {
  let dir: string;
  const quick: DownloadOptions = { retryDelayMs: 1, idleTimeoutMs: 2_000 };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seedance-dl-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('against the simulator storage host', () => {
    let sim: Simulator;
    let client: CometClient;

    before(async () => {
      sim = await startSimulator({ timeScale: 0.005, deterministic: true });
      client = new CometClient({ baseUrl: sim.baseUrl, getApiKey: async () => sim.apiKey, download: quick });
    });
    after(async () => {
      await client.close();
      await sim.close();
    });
    beforeEach(() => sim.reset());

    /** A finished task's signed URL, made through the client like the product does. */
    async function finishedVideoUrl(): Promise<string> {
      const task = await client.createVideo({ prompt: 'A coast at sunrise', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' });
      sim.setTaskState(task.id, { status: 'completed' });
      const done = await client.getVideo(task.id);
      assert.equal(done.status, 'succeeded');
      assert.ok(done.videoUrl);
      return done.videoUrl;
    }

    it('downloads the video byte-identical, with progress ending at the full size', async () => {
      const url = await finishedVideoUrl();
      const target = join(dir, 'coast.mp4');
      const progress: [number, number | undefined][] = [];
      const result = await client.downloadVideo(url, target, { onProgress: (r, t) => progress.push([r, t]) });
      assert.equal(result.bytes, fixture16x9.length);
      assert.equal(sha(await readFile(target)), sha(fixture16x9));
      assert.deepEqual(progress[progress.length - 1], [fixture16x9.length, fixture16x9.length]);
      assert.deepEqual(await readdir(dir), ['coast.mp4'], 'no temporary file left');
    });

    it('never sends Authorization (or the key) to the video host', async () => {
      const url = await finishedVideoUrl();
      sim.setFaults({ truncateDownload: { afterBytes: 1000 } });
      await client.downloadVideo(url, join(dir, 'v.mp4'));
      const video = sim.requests.filter((r) => r.server === 'video');
      assert.equal(video.length, 2, 'first try and the resume');
      for (const r of video) {
        assert.equal(r.headers.authorization, undefined);
        assert.equal(JSON.stringify(r.headers).includes(sim.apiKey), false);
      }
      // The API did get the key: the header is per request, not per dispatcher.
      assert.ok(sim.requests.filter((r) => r.server === 'api').every((r) => r.headers.authorization === `Bearer ${sim.apiKey}`));
    });

    it('resumes a truncated download with Range and produces an identical file', async () => {
      const total = 4 * 1024 * 1024 + 123;
      sim.setConfig({ largeVideoBytes: total });
      const url = await finishedVideoUrl();
      sim.setFaults({ truncateDownload: { afterBytes: 1_500_000, times: 2 } });
      const target = join(dir, 'big.mp4');
      const result = await client.downloadVideo(url, target);
      assert.equal(result.bytes, total);
      assert.equal(sha(await readFile(target)), sha(paddedBytes(total)));
      const video = sim.requests.filter((r) => r.server === 'video');
      assert.equal(video.length, 3);
      assert.equal(video[0].headers.range, undefined);
      // Every byte received before a cut is kept, so each resume starts exactly where the server stopped.
      assert.equal(video[1].headers.range, 'bytes=1500000-');
      assert.equal(video[2].headers.range, 'bytes=3000000-');
      assert.deepEqual(await readdir(dir), ['big.mp4']);
    });

    it('a download truncated on every attempt fails and leaves nothing behind', async () => {
      const url = await finishedVideoUrl();
      sim.setFaults({ truncateDownload: { afterBytes: 0, times: -1 } });
      const e = await expectApiError(client.downloadVideo(url, join(dir, 'cut.mp4')), 'network');
      assert.match(e.message, /failed after 4 attempts/);
      assert.deepEqual(await readdir(dir), []);
    });

    it('resumes after a stalled body (idle timeout)', async () => {
      sim.setConfig({ largeVideoBytes: 1024 * 1024 });
      const url = await finishedVideoUrl();
      sim.setFaults({ stallDownload: { afterBytes: 300_000 } });
      const c = new CometClient({ baseUrl: sim.baseUrl, getApiKey: async () => sim.apiKey, download: { ...quick, idleTimeoutMs: 300 } });
      try {
        await c.downloadVideo(url, join(dir, 'stall.mp4'));
      } finally {
        await c.close();
      }
      assert.equal(sha(await readFile(join(dir, 'stall.mp4'))), sha(paddedBytes(1024 * 1024)));
      assert.equal(sim.requests.filter((r) => r.server === 'video').length, 2);
    });

    it('retries a 5xx from the storage host', async () => {
      const url = await finishedVideoUrl();
      sim.setFaults({ storageError: { status: 503, times: 2 } });
      await client.downloadVideo(url, join(dir, 'v.mp4'));
      assert.equal(sha(await readFile(join(dir, 'v.mp4'))), sha(fixture16x9));
      assert.equal(sim.requests.filter((r) => r.server === 'video').length, 3);
    });

    it('reports an expired URL as kind expired, without retrying, and leaves nothing behind', async () => {
      const url = await finishedVideoUrl();
      sim.setConfig({ clockOffsetSeconds: 86_401 });
      const e = await expectApiError(client.downloadVideo(url, join(dir, 'old.mp4')), 'expired');
      assert.equal(e.status, 403);
      assert.match(e.message, /no longer valid/);
      assert.equal(sim.requests.filter((r) => r.server === 'video').length, 1);
      assert.deepEqual(await readdir(dir), []);
    });

    it('reports a tampered signature as expired too (a fresh URL is the remedy)', async () => {
      const url = await finishedVideoUrl();
      const tampered = url.replace(/X-Tos-Expires=\d+/, 'X-Tos-Expires=604800');
      await expectApiError(client.downloadVideo(tampered, join(dir, 'bad.mp4')), 'expired');
      assert.deepEqual(await readdir(dir), []);
    });

    it('refuses to overwrite an existing file, before sending anything', async () => {
      const url = await finishedVideoUrl();
      const target = join(dir, 'exists.mp4');
      await writeFile(target, 'precious');
      sim.clearRequests();
      const e = await expectApiError(client.downloadVideo(url, target), 'file');
      assert.match(e.message, /already exists/);
      assert.equal(await readFile(target, 'utf8'), 'precious');
      assert.equal(sim.requests.length, 0);
      assert.deepEqual(await readdir(dir), ['exists.mp4']);
    });

    it('refuses a target that appears while downloading, keeping the other file', async () => {
      sim.setConfig({ largeVideoBytes: 2 * 1024 * 1024 });
      const url = await finishedVideoUrl();
      const target = join(dir, 'race.mp4');
      let wrote = false;
      const e = await expectApiError(
        client.downloadVideo(url, target, {
          onProgress: () => {
            if (!wrote) {
              wrote = true;
              void writeFile(target, 'someone else');
            }
          },
        }),
        'file',
      );
      assert.match(e.message, /already exists/);
      assert.equal(await readFile(target, 'utf8'), 'someone else');
      assert.deepEqual(await readdir(dir), ['race.mp4']);
    });

    it('reports a missing folder as kind file', async () => {
      const url = await finishedVideoUrl();
      const e = await expectApiError(client.downloadVideo(url, join(dir, 'no-such-folder', 'v.mp4')), 'file');
      assert.match(e.message, /does not exist/);
    });

    it('is cancelled by the caller signal (kind aborted) and leaves nothing behind', async () => {
      sim.setConfig({ largeVideoBytes: 8 * 1024 * 1024 });
      const url = await finishedVideoUrl();
      sim.setFaults({ slowDownload: { bytesPerSecond: 200_000 } });
      const controller = new AbortController();
      const pending = client.downloadVideo(url, join(dir, 'slow.mp4'), {
        signal: controller.signal,
        onProgress: (received) => {
          if (received > 0) controller.abort();
        },
      });
      await expectApiError(pending, 'aborted');
      assert.deepEqual(await readdir(dir), []);
    });

    it('an overall deadline ends a slow download as kind timeout, leaving nothing behind', async () => {
      sim.setConfig({ largeVideoBytes: 4 * 1024 * 1024 });
      const url = await finishedVideoUrl();
      sim.setFaults({ slowDownload: { bytesPerSecond: 100_000 } });
      const e = await expectApiError(downloadVideo(url, join(dir, 'late.mp4'), { ...quick, deadlineMs: 300 }), 'timeout');
      assert.match(e.message, /did not finish within/);
      assert.deepEqual(await readdir(dir), []);
    });

    it('drains small error bodies, so the next download reuses the connection', async () => {
      const url = await finishedVideoUrl();
      const agent = new Agent({ connections: 1 });
      try {
        sim.setFaults({ storageError: { status: 503 } });
        await downloadVideo(url, join(dir, 'a.mp4'), { ...quick, dispatcher: agent });
        await downloadVideo(url, join(dir, 'b.mp4'), { ...quick, dispatcher: agent });
        assert.equal(sim.requests.filter((r) => r.server === 'video').length, 3);
      } finally {
        await agent.close();
      }
    });

    it('throttles progress: with a long interval, one report while streaming plus the final one', async () => {
      sim.setConfig({ largeVideoBytes: 3 * 1024 * 1024 });
      const url = await finishedVideoUrl();
      const calls: [number, number | undefined][] = [];
      await downloadVideo(url, join(dir, 'p.mp4'), { progressIntervalMs: 1e9, onProgress: (r, t) => calls.push([r, t]) });
      assert.equal(calls.length, 2);
      assert.equal(calls[0][1], 3 * 1024 * 1024, 'the total is known from Content-Length');
      assert.deepEqual(calls[1], [3 * 1024 * 1024, 3 * 1024 * 1024]);
    });
  });

  describe('against tiny servers', () => {
    type Handler = (req: IncomingMessage, res: ServerResponse) => void;
    const servers: { close(): Promise<void> }[] = [];
    const seen: IncomingMessage['headers'][] = [];

    async function serve(handler: Handler): Promise<string> {
      const server = createServer((req, res) => {
        seen.push(req.headers);
        handler(req, res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push({
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      });
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
    afterEach(async () => {
      seen.length = 0;
      await Promise.all(servers.splice(0).map((s) => s.close()));
    });

    it('restarts from zero when a resume is answered 200 instead of 206', async () => {
      let n = 0;
      const body = paddedBytes(600_000);
      const base = await serve((_req, res) => {
        n++;
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': body.length });
        if (n === 1) {
          res.write(body.subarray(0, 250_000), () => res.socket?.end());
        } else {
          res.end(body);
        }
      });
      const result = await downloadVideo(`${base}/v.mp4?sig=1`, join(dir, 'v.mp4'), quick);
      assert.equal(result.bytes, body.length);
      assert.equal(sha(await readFile(join(dir, 'v.mp4'))), sha(body));
      assert.equal(n, 2);
      assert.match(String(seen[1].range), /^bytes=\d+-$/, 'it did ask to resume');
    });

    it('refuses an HTML page served as the video', async () => {
      const base = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Sign in</body></html>');
      });
      await expectApiError(downloadVideo(`${base}/v.mp4`, join(dir, 'v.mp4'), quick), 'invalidResponse');
      assert.deepEqual(await readdir(dir), []);
    });

    it('catches a cut-short MP4 sent without Content-Length (chunked) by its boxes', async () => {
      const body = paddedBytes(300_000);
      const base = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(body.subarray(0, 200_000)); // chunked, ends cleanly, but the last box is incomplete
      });
      const e = await expectApiError(downloadVideo(`${base}/v.mp4`, join(dir, 'v.mp4'), quick), 'invalidResponse');
      assert.match(e.message, /not a complete MP4/);
      assert.deepEqual(await readdir(dir), []);
    });

    it('refuses bytes that are not an MP4 at all', async () => {
      const base = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 1000 });
        res.end(Buffer.alloc(1000, 0x41));
      });
      await expectApiError(downloadVideo(`${base}/v.mp4`, join(dir, 'v.mp4'), quick), 'invalidResponse');
      assert.deepEqual(await readdir(dir), []);
    });

    it('follows a redirect from the storage host without adding any credentials', async () => {
      const target = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': fixture16x9.length });
        res.end(fixture16x9);
      });
      const base = await serve((_req, res) => {
        res.writeHead(302, { location: `${target}/real.mp4?sig=2` });
        res.end();
      });
      await downloadVideo(`${base}/v.mp4?sig=1`, join(dir, 'v.mp4'), quick);
      assert.equal(sha(await readFile(join(dir, 'v.mp4'))), sha(fixture16x9));
      assert.equal(seen.length, 2);
      for (const h of seen) {
        assert.equal(h.authorization, undefined);
        assert.equal(h.cookie, undefined);
      }
    });

    it('uses the dispatcher it is given', async () => {
      let dispatched = 0;
      class CountingAgent extends Agent {
        override dispatch(...args: Parameters<Agent['dispatch']>): boolean {
          dispatched++;
          return super.dispatch(...args);
        }
      }
      const agent = new CountingAgent();
      const base = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': fixture16x9.length });
        res.end(fixture16x9);
      });
      await downloadVideo(`${base}/v.mp4`, join(dir, 'v.mp4'), { ...quick, dispatcher: agent });
      assert.equal(dispatched, 1);
      await agent.close();
    });

    it('refuses a URL that is not http(s)', async () => {
      await expectApiError(downloadVideo('file:///etc/passwd', join(dir, 'v.mp4')), 'invalidResponse');
      assert.deepEqual(await readdir(dir), []);
    });
  });

  describe('BatchWriter (bounded, positional writes)', () => {
    /** A file stand-in whose writes complete when the test says so. */
    function fakeFile(failOn?: number) {
      const writes: { at: number; bytes: number; done: () => void; fail: (e: Error) => void }[] = [];
      const file = {
        writev(chunks: Buffer[], at: number) {
          return new Promise<void>((resolve, reject) => {
            const bytes = chunks.reduce((n, c) => n + c.length, 0);
            writes.push({ at, bytes, done: resolve, fail: reject });
            if (failOn !== undefined && writes.length === failOn) {
              reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC', syscall: 'write' }));
            }
          });
        },
      } as unknown as FileHandle;
      return { file, writes };
    }
    const tick = () => new Promise((r) => setImmediate(r));

    it('writes batches at their positions, keeps at most two in flight, pauses and resumes the socket', async () => {
      const { file, writes } = fakeFile();
      const w = new BatchWriter({ file, start: 100, batchBytes: 10, maxInFlight: 2 });
      let resumed = 0;
      const flow = { resume: () => resumed++, abort: () => assert.fail('no abort') };
      const chunk = Buffer.alloc(5);
      const accepted: boolean[] = [];
      for (let i = 0; i < 6; i++) accepted.push(w.data(chunk, flow));
      // 10 bytes -> write 1, 10 -> write 2, 10 more -> full with two in flight: pause.
      assert.deepEqual(accepted, [true, true, true, true, true, false]);
      assert.deepEqual(writes.map((x) => [x.at, x.bytes]), [[100, 10], [110, 10]]);
      writes[0].done();
      await tick();
      assert.equal(resumed, 1);
      assert.deepEqual(writes.map((x) => [x.at, x.bytes]), [[100, 10], [110, 10], [120, 10]]);
      assert.equal(w.position, 130);
      const ending = w.end();
      writes[1].done();
      writes[2].done();
      await ending;
    });

    it('a failed write aborts the transfer and ends as kind file', async () => {
      const { file, writes } = fakeFile(1);
      const w = new BatchWriter({ file, start: 0, batchBytes: 4 });
      let aborted: Error | undefined;
      const flow = { resume: () => undefined, abort: (e: Error) => (aborted = e) };
      w.data(Buffer.alloc(4), flow);
      await tick();
      assert.ok(aborted instanceof ApiError && aborted.kind === 'file');
      assert.equal(w.data(Buffer.alloc(4), flow), false, 'no more data is taken');
      const e = await w.fail().then(() => undefined, (err: unknown) => err as ApiError);
      assert.equal(e?.kind, 'file');
      assert.match(e?.message ?? '', /ENOSPC/);
      assert.equal(writes.length, 1);
    });
  });

  it('parseContentRange reads byte ranges with and without a total', () => {
    assert.deepEqual(parseContentRange('bytes 100-199/1000'), { start: 100, end: 199, total: 1000 });
    assert.deepEqual(parseContentRange('bytes 0-0/*'), { start: 0, end: 0 });
    assert.equal(parseContentRange('bytes */1000'), undefined);
    assert.equal(parseContentRange(undefined), undefined);
  });
});
