// Proxies (src/core/api/proxy.ts): a bundled undici does not get VS Code's proxy support, so the client
// builds its own dispatcher. These tests run a tiny proxy on loopback (node:http 'connect' for tunnels,
// plus 'request' for absolute-form forwarding, so whichever undici uses is seen) and prove that API and
// video requests really traverse it, that noProxy / NO_PROXY bypass it, that proxy credentials go only to
// the proxy, and that strictSSL:false relaxes certificate checks on the proxy leg only.

import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer as createHttpServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CometClient } from '../../src/core/api/client';
import { ApiError } from '../../src/core/api/errors';
import { createDispatcher, type ProxySettings } from '../../src/core/api/proxy';
import { proxyRoute } from '../../src/core/api/proxyRoute';
import { startSimulator, type Simulator } from '../simulator/server';

// A throwaway self-signed certificate for 127.0.0.1 (test only; it protects nothing). Node does not trust
// it, which is the point: it stands for a corporate proxy's own certificate.
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUOpdnqgrg8JkuzLYlprMcutOHwXMwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNDE4MzUzNloYDzIxMjYxMDMx
MTgzNTM2WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATCtpOtQ36UZfwwBzuCbBv75owRzX6939byroIBb0yAscj23S5vqph9
5ldu3S9x6YPXv+k4r4vEdSzPX7QEGYSso28wbTAdBgNVHQ4EFgQUtnjux75WCtT5
GzzHhgxVgjaNpsEwHwYDVR0jBBgwFoAUtnjux75WCtT5GzzHhgxVgjaNpsEwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSQAwRgIhAKe3fX+QupBEDp6jkNF2YmekVI8dZdEvQYOzv7XVrf9VAiEA
g6yhNR9AAQZo1QLjxlpnaV9AiHa7FPtQdjGRJuniWow=
-----END CERTIFICATE-----
`;
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgqCmu6IarjHDSQ++6
v5xx+v+nqrMlqD+UfFabwaoSD46hRANCAATCtpOtQ36UZfwwBzuCbBv75owRzX69
39byroIBb0yAscj23S5vqph95ldu3S9x6YPXv+k4r4vEdSzPX7QEGYSs
-----END PRIVATE KEY-----
`;

interface ProxySeen {
  kind: 'connect' | 'forward';
  /** host:port for CONNECT, the absolute URL for forwarding. */
  target: string;
  headers: IncomingHttpHeaders;
}

interface TinyProxy {
  url: string;
  seen: ProxySeen[];
  close(): Promise<void>;
}

/** A minimal HTTP(S) proxy that only connects to loopback targets. */
async function startProxy(opts: { tls?: boolean; refuseWith?: number } = {}): Promise<TinyProxy> {
  const seen: ProxySeen[] = [];
  const sockets = new Set<Socket>();
  const server: Server = opts.tls ? createHttpsServer({ cert: TEST_CERT, key: TEST_KEY }) : createHttpServer();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  server.on('connect', (req, client: Socket, head: Buffer) => {
    seen.push({ kind: 'connect', target: req.url ?? '', headers: req.headers });
    client.on('error', () => undefined);
    if (opts.refuseWith) {
      client.end(`HTTP/1.1 ${opts.refuseWith} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const m = /^(127\.0\.0\.1|localhost):(\d+)$/.exec(req.url ?? '');
    if (!m) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(Number(m[2]), m[1], () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });

  // Absolute-form forwarding ("GET http://host/path"), used by some clients for plain-http targets.
  server.on('request', (req, res) => {
    seen.push({ kind: 'forward', target: req.url ?? '', headers: req.headers });
    const target = new URL(req.url ?? '');
    const out = httpRequest({
      host: target.hostname,
      port: target.port,
      path: target.pathname + target.search,
      method: req.method,
      headers: req.headers,
    }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const REQ = { prompt: 'A coast at sunrise', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };

describe('proxies (createDispatcher)', () => {
  let sim: Simulator;
  let proxy: TinyProxy;
  const clients: CometClient[] = [];

  function client(proxySettings: ProxySettings | undefined, baseUrl = sim.baseUrl): CometClient {
    const c = new CometClient({
      baseUrl,
      getApiKey: async () => sim.apiKey,
      proxy: proxySettings,
    });
    clients.push(c);
    return c;
  }

  const simPort = () => new URL(sim.baseUrl).port;
  const videoPort = () => new URL(sim.videoBaseUrl).port;

  before(async () => {
    sim = await startSimulator({ timeScale: 0.005, deterministic: true });
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    sim.reset();
    proxy = await startProxy();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await proxy.close();
  });

  it('API requests traverse the proxy; for a plain-http target undici tunnels with CONNECT', async () => {
    const c = client({ proxyUrl: proxy.url });
    const task = await c.createVideo(REQ);
    const polled = await c.getVideo(task.id);
    assert.equal(polled.id, task.id);
    // What undici 7 does: CONNECT even for http:// targets (ProxyAgent's proxyTunnel defaults to true),
    // so the proxy never sees the request line, the key or the body.
    assert.ok(proxy.seen.length >= 1);
    for (const s of proxy.seen) {
      assert.deepEqual([s.kind, s.target], ['connect', `127.0.0.1:${simPort()}`]);
      assert.equal(s.headers.authorization, undefined, 'the CometAPI key is not in the CONNECT');
    }
    // ...and the simulator got both requests, through the tunnel.
    const api = sim.requests.filter((r) => r.server === 'api');
    assert.deepEqual(api.map((r) => r.method), ['POST', 'GET']);
  });

  it('downloads traverse the proxy too, through their own tunnel and without the API key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seedance-proxy-'));
    try {
      const c = client({ proxyUrl: proxy.url });
      const task = await c.createVideo(REQ);
      sim.setTaskState(task.id, { status: 'completed' });
      const done = await c.getVideo(task.id);
      await c.downloadVideo(done.videoUrl!, join(dir, 'v.mp4'));
      assert.deepEqual(await readdir(dir), ['v.mp4']);
      const targets = proxy.seen.map((s) => s.target);
      assert.ok(targets.includes(`127.0.0.1:${simPort()}`));
      assert.ok(targets.includes(`127.0.0.1:${videoPort()}`), 'the video host was reached through the proxy');
      assert.ok(proxy.seen.every((s) => s.headers.authorization === undefined));
      const video = sim.requests.filter((r) => r.server === 'video');
      assert.equal(video.length, 1);
      assert.equal(video[0].headers.authorization, undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('noProxy entries (host, or host:port) go direct', async () => {
    await client({ proxyUrl: proxy.url, noProxy: ['127.0.0.1'] }).createVideo(REQ);
    await client({ proxyUrl: proxy.url, noProxy: [`127.0.0.1:${simPort()}`] }).createVideo(REQ);
    assert.equal(proxy.seen.length, 0);
    await client({ proxyUrl: proxy.url, noProxy: ['other.example', `127.0.0.1:${Number(simPort()) + 1}`] }).createVideo(REQ);
    assert.equal(proxy.seen.length, 1, 'entries for other hosts or ports do not bypass');
    assert.equal(sim.requests.filter((r) => r.method === 'POST').length, 3);
  });

  it("'env' reads HTTP_PROXY / NO_PROXY; no settings means a direct connection", async () => {
    const saved = {
      HTTP_PROXY: process.env.HTTP_PROXY,
      http_proxy: process.env.http_proxy,
      NO_PROXY: process.env.NO_PROXY,
      no_proxy: process.env.no_proxy,
    };
    const restore = () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    };
    try {
      delete process.env.http_proxy;
      delete process.env.no_proxy;
      process.env.HTTP_PROXY = proxy.url;
      process.env.NO_PROXY = '';
      await client('env').createVideo(REQ);
      assert.equal(proxy.seen.length, 1);

      process.env.NO_PROXY = 'localhost,127.0.0.1';
      await client('env').createVideo(REQ);
      assert.equal(proxy.seen.length, 1, 'NO_PROXY bypassed the proxy');

      // Settings without proxyUrl fall back to the environment, as VS Code does with an empty http.proxy.
      process.env.NO_PROXY = '';
      await client({ strictSSL: true }).createVideo(REQ);
      assert.equal(proxy.seen.length, 2);

      await client(undefined).createVideo(REQ);
      assert.equal(proxy.seen.length, 2, 'no proxy settings at all: direct');
    } finally {
      restore();
    }
  });

  it('proxy credentials go to the proxy as Proxy-Authorization, and only there', async () => {
    const u = new URL(proxy.url);
    u.username = 'alice';
    u.password = 'p@ss word';
    await client({ proxyUrl: u.href }).createVideo(REQ);
    assert.equal(proxy.seen[0].headers['proxy-authorization'], `Basic ${Buffer.from('alice:p@ss word').toString('base64')}`);
    const post = sim.requests.find((r) => r.method === 'POST')!;
    assert.equal(post.headers['proxy-authorization'], undefined, 'not forwarded to the target');
  });

  it('a proxy that refuses the tunnel is a network error; a create was not sent', async () => {
    const refusing = await startProxy({ refuseWith: 407 });
    try {
      const c = client({ proxyUrl: refusing.url });
      const e = await c.createVideo(REQ).then(
        () => assert.fail('expected a failure'),
        (err: unknown) => err as ApiError,
      );
      assert.ok(e instanceof ApiError);
      assert.equal(e.kind, 'network');
      assert.match(e.message, /proxy refused/i);
      assert.equal(e.mayHaveReachedServer, false);
      assert.equal(sim.requests.length, 0);
    } finally {
      await refusing.close();
    }
  });

  it('an unusable proxy setting is a configuration error', () => {
    for (const proxyUrl of ['not a url', 'socks4://127.0.0.1:1080', 'ftp://127.0.0.1:21']) {
      assert.throws(() => createDispatcher({ proxyUrl }), (e: unknown) => e instanceof ApiError && e.kind === 'configuration', proxyUrl);
    }
  });

  describe('strictSSL (an https proxy with a self-signed certificate)', () => {
    let tlsProxy: TinyProxy;
    beforeEach(async () => {
      tlsProxy = await startProxy({ tls: true });
    });
    afterEach(async () => {
      await tlsProxy.close();
    });

    it('by default the proxy certificate is verified, so the request fails before reaching the proxy handler', async () => {
      const e = await client({ proxyUrl: tlsProxy.url }).createVideo(REQ).then(
        () => assert.fail('expected a failure'),
        (err: unknown) => err as ApiError,
      );
      assert.equal(e.kind, 'network');
      assert.match(e.message, /secure connection|certificate|SELF_SIGNED|CERT/i);
      assert.equal(tlsProxy.seen.length, 0);
      assert.equal(sim.requests.length, 0);
    });

    it('strictSSL:false accepts the proxy certificate', async () => {
      const task = await client({ proxyUrl: tlsProxy.url, strictSSL: false }).createVideo(REQ);
      assert.match(task.id, /^task_/);
      assert.deepEqual(tlsProxy.seen.map((s) => s.kind), ['connect']);
    });

    it('strictSSL:false does not relax the check of the target behind the proxy', async () => {
      // An https "CometAPI" with the same untrusted certificate: the tunnel opens, the target is refused.
      let targetHits = 0;
      const target = createHttpsServer({ cert: TEST_CERT, key: TEST_KEY }, (_req, res) => {
        targetHits++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id":"task_x","status":"queued"}');
      });
      await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
      try {
        const port = (target.address() as AddressInfo).port;
        const e = await client({ proxyUrl: tlsProxy.url, strictSSL: false }, `https://127.0.0.1:${port}`).getVideo('task_x').then(
          () => assert.fail('the target certificate must still be verified'),
          (err: unknown) => err as ApiError,
        );
        assert.equal(e.kind, 'network');
        assert.match(e.message, /secure connection/);
        assert.deepEqual(tlsProxy.seen.map((s) => [s.kind, s.target]), [['connect', `127.0.0.1:${port}`]], 'the proxy leg worked');
        assert.equal(targetHits, 0);
      } finally {
        target.closeAllConnections();
        await new Promise((r) => target.close(r));
      }
    });
  });

  it('http.proxyAuthorization goes to the proxy on the CONNECT only, never through the tunnel to CometAPI', async () => {
    const c = client({ proxyUrl: proxy.url, authorization: 'Basic dXNlcjpwYXNz' });
    const task = await c.createVideo(REQ);
    await c.getVideo(task.id);
    assert.ok(proxy.seen.length >= 1);
    for (const seen of proxy.seen) assert.equal(seen.headers['proxy-authorization'], 'Basic dXNlcjpwYXNz');
    const api = sim.requests.filter((r) => r.server === 'api');
    assert.equal(api.length, 2);
    for (const r of api) assert.equal(JSON.stringify(r).includes('dXNlcjpwYXNz'), false, 'the proxy credentials never reach the service');
  });
});

describe('proxyRoute (which way the client goes inside VS Code)', () => {
  it('goes through VS Code (its patched http module) unless http.proxyAuthorization needs sending', () => {
    for (const proxySupport of ['off', 'on', 'fallback', 'override']) {
      assert.deepEqual(proxyRoute({ proxySupport, proxy: 'http://proxy:3128' }, {}), { kind: 'vscode' }, proxySupport);
    }
    assert.deepEqual(proxyRoute({ proxySupport: 'override', proxyAuthorization: null }, { HTTPS_PROXY: 'http://p:1' }), { kind: 'vscode' });
  });

  it('with http.proxyAuthorization: the http.proxy setting first, then the environment, with the header', () => {
    const fromSetting = proxyRoute({ proxySupport: 'override', proxy: 'http://proxy:3128', noProxy: ['internal'], proxyAuthorization: 'Basic x' }, { HTTPS_PROXY: 'http://env:1' });
    assert.equal(fromSetting.kind, 'explicit');
    assert.deepEqual(fromSetting.kind === 'explicit' && fromSetting.proxy, { proxyUrl: 'http://proxy:3128', noProxy: ['internal'], strictSSL: true, authorization: 'Basic x' });
    const fromEnv = proxyRoute({ proxySupport: 'on', proxyAuthorization: 'Basic x', proxyStrictSSL: false }, { https_proxy: 'http://env:1', NO_PROXY: 'a,b' });
    assert.deepEqual(fromEnv.kind === 'explicit' && fromEnv.proxy, { proxyUrl: 'http://env:1', noProxy: ['a', 'b'], strictSSL: false, authorization: 'Basic x' });
  });

  it('with http.proxyAuthorization but no proxy it can name (system or PAC), or with proxySupport off: through VS Code', () => {
    assert.deepEqual(proxyRoute({ proxySupport: 'override', proxyAuthorization: 'Basic x' }, {}), { kind: 'vscode' });
    assert.deepEqual(proxyRoute({ proxySupport: 'off', proxy: 'http://proxy:3128', proxyAuthorization: 'Basic x' }, {}), { kind: 'vscode' });
  });
});
