// The pure parts of the client: wire JSON -> VideoTask (both revisions, synonyms, fallbacks, failure
// reasons), error bodies, request-id stripping, Retry-After parsing, backoff, redaction and the MP4 box
// scanner. HTTP behaviour is covered over real loopback sockets in client.http.test.ts and client.test.ts.

import * as assert from 'node:assert/strict';
import { errorFromResponse } from '../../src/core/api/errorMapping';
import { Mp4BoxScanner } from '../../src/core/download/mp4Scan';
import { parseRetryAfter } from '../../src/core/api/retry';
import { normaliseStatus, parseErrorBody, parseVideoTask, splitRequestId, WireShapeError } from '../../src/core/api/wire';
import { redactSecrets, redactUrl } from '../../src/core/redact';

const SIGNED = 'https://ark-acg-cn-beijing.tos-cn-beijing.volces.com/doubao-seedance-2-0/0217abc.mp4?X-Tos-Algorithm=TOS4-HMAC-SHA256&X-Tos-Credential=AKLTxyz%2F20250805&X-Tos-Signature=deadbeef';

describe('client: wire parsing (wire.ts)', () => {
  describe('normaliseStatus', () => {
    const table: [string, string][] = [
      ['SUBMITTED', 'queued'], ['queued', 'queued'], ['NOT_START', 'queued'], ['pending', 'queued'], ['QUEUED', 'queued'],
      ['IN_PROGRESS', 'running'], ['in_progress', 'running'], ['running', 'running'], ['processing', 'running'], ['In Progress', 'running'], ['in-progress', 'running'],
      ['SUCCESS', 'succeeded'], ['completed', 'succeeded'], ['succeeded', 'succeeded'], ['Completed', 'succeeded'],
      ['FAILED', 'failed'], ['failed', 'failed'], ['FAILURE', 'failed'], ['ERROR', 'failed'], ['error', 'failed'],
      ['cancelled', 'failed'], ['canceled', 'failed'], ['expired', 'failed'],
    ];
    for (const [raw, want] of table) {
      it(`${raw} -> ${want}`, () => assert.deepEqual(normaliseStatus(raw), { status: want, unknown: false }));
    }
    it('keeps unknown, empty and non-string statuses non-terminal and flagged', () => {
      for (const raw of ['UNKNOWN', 'paused', '', undefined, null, 3]) {
        const s = normaliseStatus(raw);
        assert.equal(s.unknown, true, String(raw));
        assert.ok(s.status === 'running' || s.status === 'queued', 'never terminal');
      }
    });
  });

  describe('parseVideoTask', () => {
    it('reads revision A create and poll bodies', () => {
      const created = parseVideoTask({ id: 'task_abc123', task_id: 'task_abc123', object: 'video', model: 'doubao-seedance-2-0-fast', status: 'SUBMITTED', progress: 0, created_at: 1776681149 });
      assert.deepEqual(created, { id: 'task_abc123', status: 'queued', rawStatus: 'SUBMITTED', unknownStatus: false, progress: 0, model: 'doubao-seedance-2-0-fast', createdAt: 1776681149 });
      const running = parseVideoTask({ id: 'task_abc123', model: 'm', object: 'video', status: 'IN_PROGRESS', progress: 45, created_at: 1776567610, completed_at: null });
      assert.equal(running.status, 'running');
      assert.equal(running.progress, 45);
      assert.equal(running.completedAt, undefined);
    });

    it('reads revision B bodies, lowercase, with video_url', () => {
      const done = parseVideoTask({ id: 'task_example', object: 'video', model: 'doubao-seedance-2-0', status: 'completed', progress: 100, completed_at: 1779872300, video_url: SIGNED });
      assert.equal(done.status, 'succeeded');
      assert.equal(done.videoUrl, SIGNED);
      assert.equal(done.completedAt, 1779872300);
      assert.equal(done.failure, undefined);
    });

    it('keeps the id verbatim (case, prefix) and falls back to task_id', () => {
      assert.equal(parseVideoTask({ id: 'task_pa9CKKtYlTdxO7IIHOKKhXfjxEu4EQoR', status: 'queued' }).id, 'task_pa9CKKtYlTdxO7IIHOKKhXfjxEu4EQoR');
      assert.equal(parseVideoTask({ task_id: 'task_X', status: 'queued' }).id, 'task_X');
      assert.equal(parseVideoTask({ data: { id: 'task_W', status: 'queued' } }).id, 'task_W', 'a data wrapper is tolerated');
    });

    it('throws WireShapeError when there is no id or no object', () => {
      assert.throws(() => parseVideoTask({ status: 'queued' }), WireShapeError);
      assert.throws(() => parseVideoTask([]), WireShapeError);
      assert.throws(() => parseVideoTask('task_1'), WireShapeError);
      assert.throws(() => parseVideoTask(null), WireShapeError);
    });

    it('tolerates extra fields and missing optional ones', () => {
      const t = parseVideoTask({ id: 't', status: 'running', usage: { total_tokens: 1 }, seconds: '5', size: '1280x720', metadata: null, error: null, expires_at: 1 });
      assert.deepEqual(t, { id: 't', status: 'running', rawStatus: 'running', unknownStatus: false, progress: 0 });
    });

    it('never stops on completed_at or progress: only the status decides', () => {
      const t = parseVideoTask({ id: 't', status: 'in_progress', progress: 100, completed_at: 1779872300 });
      assert.equal(t.status, 'running');
    });

    it('reads progress from numbers and numeric strings, clamped; success without progress is 100', () => {
      assert.equal(parseVideoTask({ id: 't', status: 'running', progress: '50%' }).progress, 50);
      assert.equal(parseVideoTask({ id: 't', status: 'running', progress: 150 }).progress, 100);
      assert.equal(parseVideoTask({ id: 't', status: 'running', progress: -3 }).progress, 0);
      assert.equal(parseVideoTask({ id: 't', status: 'SUCCESS', video_url: SIGNED }).progress, 100);
    });

    it('reads created_at in seconds or milliseconds', () => {
      assert.equal(parseVideoTask({ id: 't', status: 'queued', created_at: 1776681149000 }).createdAt, 1776681149);
      assert.equal(parseVideoTask({ id: 't', status: 'queued', created_at: '1776681149' }).createdAt, 1776681149);
      assert.equal(parseVideoTask({ id: 't', status: 'queued', completed_at: 0 }).completedAt, undefined);
    });

    it('finds the video URL in every documented place, in order', () => {
      assert.equal(parseVideoTask({ id: 't', status: 'SUCCESS', metadata: { url: SIGNED } }).videoUrl, SIGNED);
      assert.equal(parseVideoTask({ id: 't', status: 'SUCCESS', output: { video_url: SIGNED } }).videoUrl, SIGNED);
      assert.equal(parseVideoTask({ id: 't', status: 'SUCCESS', content: { video_url: SIGNED } }).videoUrl, SIGNED);
      assert.equal(parseVideoTask({ id: 't', status: 'SUCCESS', fail_reason: SIGNED }).videoUrl, SIGNED);
      assert.equal(parseVideoTask({ id: 't', status: 'SUCCESS', video_url: 'https://a.example/1.mp4', metadata: { url: 'https://b.example/2.mp4' } }).videoUrl, 'https://a.example/1.mp4');
      // A placeholder or an empty value is not a URL: fall through to the next place.
      assert.equal(parseVideoTask({ id: 't', status: 'SUCCESS', video_url: '<generated-video-url>', output: { video_url: SIGNED } }).videoUrl, SIGNED);
      assert.equal(parseVideoTask({ id: 't', status: 'SUCCESS', video_url: '' }).videoUrl, undefined);
      assert.equal(parseVideoTask({ id: 't', status: 'SUCCESS', video_url: 'ftp://x/y.mp4' }).videoUrl, undefined);
    });

    it('reads the failure reason from error.message, error.code, fail_reason, and strips request ids for display', () => {
      const a = parseVideoTask({ id: 't', status: 'FAILED', error: { code: 'InputTextSensitiveContentDetected', message: 'The request failed because the input text may contain sensitive information. Request id: 0217abc123' } });
      assert.equal(a.status, 'failed');
      assert.deepEqual(a.failure, { code: 'InputTextSensitiveContentDetected', message: 'The request failed because the input text may contain sensitive information.', requestId: '0217abc123' });

      const b = parseVideoTask({ id: 't', status: 'failed', error: { code: 'SomeCode', message: '' } });
      assert.deepEqual(b.failure, { code: 'SomeCode', message: 'SomeCode' });

      const c = parseVideoTask({ id: 't', status: 'FAILURE', fail_reason: '内容审核未通过 (request id: 20260101120000123456789abcdef01)' });
      assert.deepEqual(c.failure, { message: '内容审核未通过', requestId: '20260101120000123456789abcdef01' });

      const d = parseVideoTask({ id: 't', status: 'FAILED', error: null });
      assert.match(d.failure!.message, /gave no reason/);

      const e = parseVideoTask({ id: 't', status: 'FAILED', fail_reason: SIGNED });
      assert.match(e.failure!.message, /gave no reason/, 'a URL in fail_reason is not a reason');
    });

    it('treats ERROR as failed with its reason, and cancelled/expired as failed with a clear message', () => {
      const err = parseVideoTask({ id: 't', status: 'ERROR', error: { message: 'upstream exploded' } });
      assert.equal(err.status, 'failed');
      assert.equal(err.failure!.message, 'upstream exploded');
      assert.match(parseVideoTask({ id: 't', status: 'error' }).failure!.message, /internal error/);
      assert.match(parseVideoTask({ id: 't', status: 'cancelled' }).failure!.message, /cancelled/);
      assert.match(parseVideoTask({ id: 't', status: 'expired' }).failure!.message, /expired/);
    });

    it('flags an unknown status and keeps it raw', () => {
      const t = parseVideoTask({ id: 't', status: 'MODERATING', progress: 30 });
      assert.equal(t.unknownStatus, true);
      assert.equal(t.rawStatus, 'MODERATING');
      assert.notEqual(t.status, 'succeeded');
      assert.notEqual(t.status, 'failed');
    });
  });

  describe('error bodies and request ids', () => {
    it('reads both shapes', () => {
      assert.deepEqual(parseErrorBody({ code: 'invalid_request', message: 'prompt is required' }), { code: 'invalid_request', message: 'prompt is required' });
      assert.deepEqual(parseErrorBody({ error: { code: '', message: 'invalid token (request id: 2026abc)', type: 'comet_api_error' } }), { message: 'invalid token', type: 'comet_api_error', requestId: '2026abc' });
      assert.deepEqual(parseErrorBody({ code: 'task_not_exist', message: 'task_not_exist', data: null }), { code: 'task_not_exist', message: 'task_not_exist' });
      assert.deepEqual(parseErrorBody({ error: { code: null, message: 'x' } }), { message: 'x' });
      assert.deepEqual(parseErrorBody({ error: 'plain string' }), { message: 'plain string' });
      assert.equal(parseErrorBody({ hello: 1 }), undefined);
      assert.equal(parseErrorBody('text'), undefined);
    });

    it('splits every vendor request-id form', () => {
      assert.deepEqual(splitRequestId('invalid token (request id: 20260824abc)'), { text: 'invalid token', requestId: '20260824abc' });
      assert.deepEqual(splitRequestId('no available channel for group default and model X (distributor) (request id: R1)'), { text: 'no available channel for group default and model X (distributor)', requestId: 'R1' });
      assert.deepEqual(splitRequestId('the parameter duration is not valid for model m in r2v Request id: 0217x'), { text: 'the parameter duration is not valid for model m in r2v', requestId: '0217x' });
      assert.deepEqual(splitRequestId('Rejected. Request ID: 0217y'), { text: 'Rejected.', requestId: '0217y' });
      assert.deepEqual(splitRequestId('当前分组上游负载已饱和，请稍后再试'), { text: '当前分组上游负载已饱和，请稍后再试' });
    });
  });

  describe('errorFromResponse (status + code, never English wording)', () => {
    const facts = (status: number, body: unknown, extra: Partial<Parameters<typeof errorFromResponse>[0]> = {}) =>
      errorFromResponse({ operation: 'poll', status, headers: { 'content-type': 'application/json' }, bodyText: typeof body === 'string' ? body : JSON.stringify(body), url: 'https://api.cometapi.com/v1/videos/t', secrets: ['sk-secret-key-123'], ...extra });

    it('classifies by status and code', () => {
      assert.equal(facts(401, { error: { code: '', message: '无效的令牌' } }).kind, 'auth');
      assert.equal(facts(403, { error: { message: '余额不足' } }).kind, 'auth');
      assert.equal(facts(429, { code: '', message: '当前分组上游负载已饱和，请稍后再试' }).kind, 'rateLimited');
      assert.equal(facts(400, { code: 'task_not_exist', message: '任务不存在' }).kind, 'notFound');
      assert.equal(facts(400, { code: 'InvalidParameter', message: '参数无效' }).kind, 'invalidRequest');
      assert.equal(facts(503, { error: { code: 'model_not_found', message: '无可用渠道' } }).kind, 'invalidRequest');
      assert.equal(facts(500, { error: { code: 'invalid_request', message: '字段缺失' } }).kind, 'invalidRequest');
      for (const s of [500, 502, 503, 504, 524]) assert.equal(facts(s, { error: { code: 'x', message: '服务器错误' } }).kind, 'server', String(s));
      assert.equal(facts(524, '<html><body>origin timeout</body></html>', { headers: { 'content-type': 'text/html' } }).kind, 'server', 'an HTML 5xx is still a server error');
      assert.equal(facts(404, { error: { message: 'Invalid URL (GET /v1/videos/t)', type: 'invalid_request_error' } }).kind, 'invalidResponse');
      assert.equal(facts(301, '', { headers: { location: 'https://www.cometapi.com/' } }).kind, 'invalidResponse');
      assert.equal(facts(200, '<!DOCTYPE html><html></html>', { headers: { 'content-type': 'text/html' } }).kind, 'invalidResponse');
    });

    it('keeps the vendor code and request id, and never the key', () => {
      const e = facts(401, { error: { code: '', message: 'invalid token sk-secret-key-123 (request id: R9)' } });
      assert.equal(e.requestId, 'R9');
      assert.equal(e.message.includes('sk-secret-key-123'), false);
      assert.match(e.message, /^CometAPI rejected the API key \(401\)\./);
      assert.equal(e.reason, 'keyRejected');
      const h = facts(429, { code: 'x', message: 'slow down' }, { headers: { 'x-oneapi-request-id': 'H1' }, retryAfterMs: 2000 });
      assert.equal(h.requestId, 'H1');
      assert.equal(h.retryAfterMs, 2000);
      assert.equal(h.code, 'x');
    });

    it('explains a wrong base URL without showing a signed query', () => {
      const e = facts(302, '', { url: 'https://wrong.example/v1/videos/t?sig=SECRET', headers: { location: 'https://login.example/?token=SECRET2' } });
      assert.match(e.message, /base URL is probably wrong/);
      assert.equal(/SECRET/.test(e.message), false, e.message);
    });

    it('marks a create 5xx as possibly reaching the server, and a 4xx as not', () => {
      assert.equal(facts(502, {}, { operation: 'create' }).mayHaveReachedServer, true);
      assert.equal(facts(400, { code: 'InvalidParameter', message: 'm' }, { operation: 'create' }).mayHaveReachedServer, false);
      assert.equal(facts(502, {}).mayHaveReachedServer, false, 'polls create nothing');
    });
  });
});

describe('client: Retry-After (retry.ts)', () => {
  it('parses retry-after-ms, Retry-After seconds and HTTP dates', () => {
    const now = Date.parse('2026-08-24T10:00:00Z');
    assert.equal(parseRetryAfter({ 'retry-after-ms': '1500' }, now), 1500);
    assert.equal(parseRetryAfter({ 'retry-after': '3' }, now), 3000);
    assert.equal(parseRetryAfter({ 'retry-after': '0.5' }, now), 500);
    assert.equal(parseRetryAfter({ 'retry-after': 'Mon, 24 Aug 2026 10:00:07 GMT' }, now), 7000);
    assert.equal(parseRetryAfter({ 'retry-after': 'Mon, 24 Aug 2026 09:00:00 GMT' }, now), 0, 'a past date means now');
    assert.equal(parseRetryAfter({ 'retry-after': 'soon' }, now), undefined);
    assert.equal(parseRetryAfter({}, now), undefined);
    assert.equal(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, now), 250, 'the precise header wins');
  });
});

describe('redact.ts', () => {
  it('redactUrl keeps the origin and the file name, drops the path, query, fragment and credentials', () => {
    assert.equal(redactUrl(SIGNED), 'https://ark-acg-cn-beijing.tos-cn-beijing.volces.com/…/0217abc.mp4?[redacted]');
    assert.equal(redactUrl('https://user:pass@h.example:8443/a/b#frag'), 'https://h.example:8443/…');
    assert.equal(redactUrl('http://127.0.0.1:4000/v1/videos'), 'http://127.0.0.1:4000/…');
    assert.equal(redactUrl('https://cdn.example/clip.mp4'), 'https://cdn.example/clip.mp4');
    assert.equal(redactUrl('https://cdn.example/'), 'https://cdn.example');
    // A path-signed link: the token is a folder or the last segment, never a file name; neither is kept.
    assert.equal(redactUrl('https://cdn.example/sig/AbC123secret/v.mp4'), 'https://cdn.example/…/v.mp4');
    assert.equal(redactUrl('https://cdn.example/download/AbC123secretToken'), 'https://cdn.example/…');
    for (const url of [SIGNED, 'https://cdn.example/sig/AbC123secret/v.mp4', 'https://cdn.example/download/AbC123secretToken']) {
      const out = redactUrl(url);
      assert.ok(!out.includes('AbC123secret') && !out.includes('doubao-seedance-2-0/') && !out.includes('deadbeef'), out);
    }
    assert.equal(redactUrl('not a url sk-123'), '(invalid URL)');
  });

  it('redactSecrets removes Bearer tokens, Authorization values, the key and signed queries', () => {
    const key = 'sk-abcdef1234567890';
    const text = `sent Authorization: Bearer ${key} to ${SIGNED}. Also "authorization":"Bearer zzz" and key=${key}; bearer other-token`;
    const out = redactSecrets(text, [key]);
    assert.equal(out.includes(key), false, out);
    assert.equal(out.includes('deadbeef'), false, out);
    assert.equal(out.includes('zzz'), false, out);
    assert.equal(out.includes('other-token'), false, out);
    assert.match(out, /0217abc\.mp4\?\[redacted\]\./, 'keeps the sentence around the URL');
  });

  it('leaves ordinary text alone and ignores short or missing secrets', () => {
    assert.equal(redactSecrets('CometAPI had a server error (502).', [undefined, 'ab']), 'CometAPI had a server error (502).');
  });
});

describe('client: MP4 box scanner (mp4Scan.ts)', () => {
  const box = (type: string, size: number) => {
    const b = Buffer.alloc(size);
    b.writeUInt32BE(size, 0);
    b.write(type, 4, 'latin1');
    return b;
  };
  const mp4 = Buffer.concat([box('ftyp', 24), box('moov', 100), box('mdat', 1000)]);

  const scan = (buf: Buffer, chunk: number) => {
    const s = new Mp4BoxScanner();
    for (let at = 0; at < buf.length; at += chunk) s.feed(buf.subarray(at, at + chunk), at);
    return s;
  };

  it('accepts a complete file fed in any chunk size', () => {
    for (const chunk of [1, 3, 7, 8, 64, 5000]) assert.deepEqual(scan(mp4, chunk).verdict(mp4.length), { ok: true }, `chunk ${chunk}`);
  });

  it('accepts 64-bit sizes and a last box that runs to the end (size 0)', () => {
    const big = Buffer.alloc(16 + 40);
    big.writeUInt32BE(1, 0);
    big.write('mdat', 4, 'latin1');
    big.writeBigUInt64BE(BigInt(56), 8);
    const toEnd = box('mdat', 50);
    toEnd.writeUInt32BE(0, 0);
    for (const tail of [big, toEnd]) {
      const file = Buffer.concat([box('ftyp', 24), box('moov', 100), tail]);
      assert.deepEqual(scan(file, 5).verdict(file.length), { ok: true });
    }
  });

  it('rejects a truncated file, a file without moov, and something that is not MP4', () => {
    const cut = mp4.subarray(0, mp4.length - 10);
    assert.equal(scan(cut, 64).verdict(cut.length).ok, false);
    const noMoov = Buffer.concat([box('ftyp', 24), box('mdat', 100)]);
    assert.match((scan(noMoov, 64).verdict(noMoov.length) as { reason: string }).reason, /moov/);
    const html = Buffer.from('<html><body>Access denied</body></html>');
    assert.equal(scan(html, 64).verdict(html.length).ok, false);
    assert.equal(new Mp4BoxScanner().verdict(0).ok, false);
  });

  it('rewinds to any offset and, fed again from there, reaches the same verdict', () => {
    for (const stop of [0, 3, 8, 20, 24, 27, 30, 124, 130, 500, mp4.length]) {
      const s = new Mp4BoxScanner();
      // Feed a bit beyond `stop` (what the transform saw but the disk did not get), rewind, then resume.
      const seen = Math.min(mp4.length, stop + 13);
      for (let at = 0; at < seen; at += 5) s.feed(mp4.subarray(at, Math.min(seen, at + 5)), at);
      s.rewind(stop);
      for (let at = stop; at < mp4.length; at += 9) s.feed(mp4.subarray(at, at + 9), at);
      assert.deepEqual(s.verdict(mp4.length), { ok: true }, `stop ${stop}`);
    }
  });
});
