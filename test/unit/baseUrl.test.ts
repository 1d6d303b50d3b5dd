import * as assert from 'node:assert/strict';
import { checkBaseUrl, isLoopbackHost } from '../../src/core/baseUrl';

describe('checkBaseUrl', () => {
  it('accepts https anywhere and normalizes the trailing slash', () => {
    assert.deepEqual(checkBaseUrl('https://api.cometapi.com/'), { ok: true, url: 'https://api.cometapi.com', origin: 'https://api.cometapi.com' });
    assert.deepEqual(checkBaseUrl(' https://gw.example.com:8443/comet/ '), { ok: true, url: 'https://gw.example.com:8443/comet', origin: 'https://gw.example.com:8443' });
  });

  it('accepts plain http only for loopback hosts', () => {
    for (const url of ['http://127.0.0.1:8787', 'http://127.4.5.6', 'http://localhost:3000', 'http://[::1]:9000']) {
      assert.equal(checkBaseUrl(url).ok, true, url);
    }
    for (const url of ['http://api.cometapi.com', 'http://10.0.0.1', 'http://128.0.0.1', 'http://localhost.evil.com', 'http://0.0.0.0']) {
      const result = checkBaseUrl(url);
      assert.equal(result.ok, false, url);
      if (!result.ok) assert.match(result.problem, /https/);
    }
  });

  it('refuses user info without echoing it', () => {
    const result = checkBaseUrl('https://user:hunter2@api.cometapi.com');
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.problem, /user name or password/);
      assert.doesNotMatch(result.problem, /hunter2/);
    }
  });

  it('refuses other schemes, queries, fragments, garbage and empty values, naming the source', () => {
    for (const url of ['ftp://api.cometapi.com', 'file:///etc/passwd', 'https://api.cometapi.com/?x=1', 'https://api.cometapi.com/#a', 'not a url', '', undefined]) {
      const result = checkBaseUrl(url, 'SEEDANCE_API_BASE_URL');
      assert.equal(result.ok, false, String(url));
      if (!result.ok) assert.match(result.problem, /SEEDANCE_API_BASE_URL/);
    }
  });

  it('knows the loopback ranges', () => {
    assert.equal(isLoopbackHost('127.0.0.1'), true);
    assert.equal(isLoopbackHost('127.255.255.254'), true);
    assert.equal(isLoopbackHost('[::1]'), true);
    assert.equal(isLoopbackHost('LOCALHOST'), true);
    assert.equal(isLoopbackHost('127.0.0.256'), false);
    assert.equal(isLoopbackHost('example.com'), false);
  });
});
