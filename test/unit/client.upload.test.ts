// Slow uplinks (issue 8, item 1): the create deadline bounds waiting for the answer after the body has
// been sent, not the upload. Sizes are scaled down from "20 MB at 250 KB/s against 30 s" to a few MB at a
// slow rate against a short deadline: the point is that an upload longer than the deadline still submits.
// The simulator reads the body at the configured rate (uploadBytesPerSecond); two tiny servers here cover
// what it must not do: never read the body (a dead uplink), and read it all but never answer.

import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CometClient, type CometClientOptions } from '../../src/core/api/client';
import { ApiError } from '../../src/core/api/errors';
import { NodeHttpDispatcher } from '../../src/core/api/nodeHttpDispatcher';
import type { CreateVideoRequest } from '../../src/core/api/types';
import { startSimulator, type Simulator } from '../simulator/server';

const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

function request(imageBytes: number): CreateVideoRequest {
  const data = Buffer.concat([PNG_HEAD, randomBytes(imageBytes - PNG_HEAD.length)]);
  return {
    prompt: 'A lighthouse at dusk, slow push in',
    model: 'doubao-seedance-2-0-fast',
    seconds: 5,
    size: '16:9',
    resolution: '720p',
    inputReference: { fileName: 'big.png', contentType: 'image/png', data },
  };
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ApiError, `expected an ApiError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the create to fail');
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const TRANSPORTS: Array<[string, () => Partial<CometClientOptions>]> = [
  ['undici', () => ({})],
  // What runs inside VS Code (Node's http module, which VS Code's proxy support patches).
  ["Node's http module", () => ({ dispatcher: new NodeHttpDispatcher(), videoDispatcher: new NodeHttpDispatcher() })],
];

for (const [transportName, transport] of TRANSPORTS) {
describe(`create over a slow uplink (${transportName})`, function () {
  this.timeout(60_000);
  let sim: Simulator;
  const clients: CometClient[] = [];
  const client = (baseUrl: string, key: string, opts: Partial<CometClientOptions> = {}) => {
    const c = new CometClient({ baseUrl, getApiKey: async () => key, ...transport(), ...opts });
    clients.push(c);
    return c;
  };

  before(async () => {
    sim = await startSimulator({ timeScale: 0.01, deterministic: true });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await sim.close();
  });
  afterEach(() => sim.reset());

  it('submits an image whose upload takes far longer than the create deadline, reporting progress', async () => {
    // 12 MB at 2 MB/s is about 6 s of upload against a 2.5 s deadline for the answer. (Loopback socket
    // buffers take the first 3-4 MB at once, so the body must be well over that to be slow at all.)
    sim.setConfig({ uploadBytesPerSecond: 2 * 1024 * 1024 });
    const req = request(12 * 1024 * 1024);
    const progress: Array<[number, number]> = [];
    const started = performance.now();
    const task = await client(sim.baseUrl, sim.apiKey, { createTimeoutMs: 2_500 }).createVideo(req, undefined, {
      onUploadProgress: (sent, total) => progress.push([sent, total]),
    });
    const seconds = (performance.now() - started) / 1000;
    assert.ok(task.id, 'the service answered with a task id');
    assert.equal(sim.tasks().length, 1, 'exactly one task was created');
    assert.ok(seconds > 3, `the upload really was slow (${seconds.toFixed(1)} s), longer than the deadline`);
    // Progress climbs to the whole body, never past it, one total throughout.
    assert.ok(progress.length > 10, `progress was reported along the way (${progress.length} times)`);
    const total = progress[0][1];
    assert.ok(total > req.inputReference!.data.length, 'the total is the whole multipart body');
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i][0] >= progress[i - 1][0] && progress[i][1] === total);
    assert.equal(progress[progress.length - 1][0], total);
  });

  it('still yields "may have reached the service" when nothing answers after the whole body was sent', async () => {
    // Reads the body at about 4 MB/s (16 MB: about 4 s), then never answers.
    let receivedAll = 0;
    const server = createServer((req: IncomingMessage) => {
      req.on('data', (chunk: Buffer) => {
        req.pause();
        setTimeout(() => req.resume(), Math.ceil(chunk.length / 4096));
      });
      req.on('end', () => (receivedAll = performance.now()));
    });
    const url = await listen(server);
    try {
      const started = performance.now();
      const e = await rejection(client(url, 'sk-test-0123456789', { createTimeoutMs: 1_500 }).createVideo(request(16 * 1024 * 1024)));
      const failedAt = performance.now();
      assert.equal(e.kind, 'timeout', e.message);
      assert.equal(e.reason, 'noAnswer');
      assert.equal(e.mayHaveReachedServer, true, 'the whole request was sent: it may have been billed (uncertain)');
      assert.ok(receivedAll > 0, 'the server received the whole body');
      assert.ok(failedAt - started > 3_000, `the upload (about 4 s) was not cut by the 1.5 s deadline (${(failedAt - started).toFixed(0)} ms)`);
      assert.ok(failedAt > receivedAll, 'the client waited for the answer after the server had the whole body');
      assert.ok(failedAt - receivedAll < 3_500, `and then gave up within the deadline (${(failedAt - receivedAll).toFixed(0)} ms after the body arrived)`);
    } finally {
      await close(server);
    }
  });

  it('fails as a stalled upload, with nothing created, when the socket takes no byte for the idle timeout', async () => {
    // Accepts the connection and never reads the body: the socket buffers fill and the upload stops.
    const server = createServer((req: IncomingMessage) => req.pause());
    const url = await listen(server);
    try {
      const started = performance.now();
      const e = await rejection(client(url, 'sk-test-0123456789', { uploadIdleMs: 500, createTimeoutMs: 60_000 }).createVideo(request(24 * 1024 * 1024)));
      assert.equal(e.kind, 'timeout', e.message);
      assert.equal(e.reason, 'uploadStalled');
      assert.equal(e.mayHaveReachedServer, false, 'an incomplete body cannot have made a task: safe to send again');
      assert.ok(performance.now() - started < 20_000, 'the idle timeout, not the answer deadline, ended it');
      assert.ok((e.detail?.sentBytes ?? 0) < (e.detail?.totalBytes ?? 0));
    } finally {
      await close(server);
    }
  });
});
}
