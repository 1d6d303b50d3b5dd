// The error boundary's mapping from typed errors to words and actions (src/vscode/errorWords.ts), with the
// errors made the way the product makes them: by the client against the simulator and tiny servers, and
// by errorMapping for answers the simulator cannot give. A fake translator marks every string, so a word
// that bypassed l10n shows up.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CometClient } from '../../src/core/api/client';
import { ApiError } from '../../src/core/api/errors';
import { errorFromResponse } from '../../src/core/api/errorMapping';
import { readFileSync } from 'node:fs';
import { errorWords, failureWords, storedReasonWords, type ErrorFix, type Translate } from '../../src/vscode/errorWords';
import { MISSING_URL_MESSAGE, NO_REASON_MESSAGE, NOT_FOUND_MESSAGE } from '../../src/core/polling/applyStatus';
import { UNCERTAIN_SUBMIT_MESSAGE } from '../../src/core/submit';
import { UNCERTAIN_MESSAGE } from '../../src/core/tasks/task';
import { repairAfterReload } from '../../src/core/tasks/persistence';
import { applyStatus } from '../../src/core/polling/applyStatus';
import { GateRefusedError } from '../../src/core/gate/policy';
import type { TrackedTask } from '../../src/core/tasks/task';
import { startSimulator, type Simulator } from '../simulator/server';

/** Marks translated text with « » and fills placeholders, as vscode.l10n.t would. */
const t: Translate = (message, ...args) => `«${message.replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)]))}»`;

const REQ = { prompt: 'A coast at sunrise', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };
const l10n = { t };
const kinds = (fixes: readonly ErrorFix[]) => fixes.map((f) => (f.kind === 'openSettings' ? `settings:${f.query}` : f.kind));

async function caught(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ApiError, String(e));
    return e;
  }
  assert.fail('expected a failure');
}

describe('errorWords: from typed errors to words and actions', () => {
  let sim: Simulator;
  const clients: CometClient[] = [];
  const client = (getApiKey: () => Promise<string | undefined>, baseUrl = sim.baseUrl) => {
    const c = new CometClient({ baseUrl, getApiKey, download: { attempts: 1 } });
    clients.push(c);
    return c;
  };

  before(async () => {
    sim = await startSimulator({ timeScale: 0.005, deterministic: true });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await sim.close();
  });
  afterEach(() => sim.reset());

  it('a missing key says so and offers Set API Key; it never blames CometAPI for refusing it', async () => {
    const e = await caught(client(async () => undefined).createVideo(REQ));
    const w = errorWords(e, l10n);
    assert.match(w.message, /^«No CometAPI API key is set/);
    assert.doesNotMatch(w.message, /did not accept/);
    assert.deepEqual(kinds(w.fixes).slice(0, 1), ['setApiKey']);
  });

  it('a rejected key (401) offers Set API Key and quotes the service, redacted', async () => {
    const e = await caught(client(async () => 'sk-wrong-key-0123456789').createVideo(REQ));
    const w = errorWords(e, l10n);
    assert.match(w.message, /did not accept the API key \(401\)/);
    assert.match(w.message, /CometAPI said/);
    assert.equal(w.message.includes('sk-wrong-key-0123456789'), false);
    assert.equal(kinds(w.fixes)[0], 'setApiKey');
  });

  it('a 403 for balance or quota says so, and does not send the person to Set API Key', async () => {
    sim.setFaults({ forbidden: { on: 'create' } });
    const forbidden = errorWords(await caught(client(async () => sim.apiKey).createVideo(REQ)), l10n);
    assert.match(forbidden.message, /balance or quota/);
    assert.equal(kinds(forbidden.fixes).includes('setApiKey'), false);

    const quota = errorFromResponse({
      operation: 'create',
      status: 403,
      headers: { 'content-type': 'application/json' },
      bodyText: JSON.stringify({ error: { code: 'insufficient_user_quota', message: 'user quota is not enough sk-secret-123456 (request id: R1)' } }),
      url: 'https://api.cometapi.com/v1/videos',
      secrets: ['sk-secret-123456'],
    });
    const w = errorWords(quota, l10n);
    assert.match(w.message, /out of balance or quota \(insufficient_user_quota\)/);
    assert.equal(w.message.includes('sk-secret-123456'), false, 'vendor text is redacted');
    assert.equal(quota.requestId, 'R1');
    assert.equal(kinds(w.fixes).includes('setApiKey'), false);
  });

  it('a WAF page (403 HTML) points at the network, not the key', async () => {
    sim.setFaults({ forbidden: { on: 'create', shape: 'html' } });
    const w = errorWords(await caught(client(async () => sim.apiKey).createVideo(REQ)), l10n);
    assert.match(w.message, /blocked \(403\) by a firewall/);
    assert.deepEqual(kinds(w.fixes), ['extra', 'settings:http.proxy', 'showLog']);
  });

  it('a download-host failure names the video host, never seedance.apiBaseUrl', async () => {
    const c = client(async () => sim.apiKey);
    const task = await c.createVideo(REQ);
    sim.setTaskState(task.id, { status: 'completed' });
    const done = await c.getVideo(task.id);
    sim.setFaults({ storageError: { status: 503, times: -1 } });
    const dir = await mkdtemp(join(tmpdir(), 'seedance-words-'));
    try {
      const e = await caught(c.downloadVideo(done.videoUrl!, join(dir, 'v.mp4')));
      assert.equal(e.kind, 'server', e.message);
      assert.equal(e.host, 'video');
      const w = errorWords(e, l10n);
      assert.doesNotMatch(w.message, /apiBaseUrl|did not answer like CometAPI/);
      assert.equal(kinds(w.fixes).includes('settings:seedance.apiBaseUrl'), false);

      // A video host that is not there at all.
      const gone = await caught(c.downloadVideo('http://127.0.0.1:9/v.mp4', join(dir, 'w.mp4')));
      const words = errorWords(gone, l10n);
      assert.match(words.message, /video host/);
      assert.doesNotMatch(words.message, /apiBaseUrl/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a wrong base URL (a web page) points at seedance.apiBaseUrl', async () => {
    const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>hi</p>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const w = errorWords(await caught(client(async () => 'sk-test-0123456789', url).getVideo('task_x')), l10n);
      assert.match(w.message, /did not answer like CometAPI/);
      assert.ok(kinds(w.fixes).includes('settings:seedance.apiBaseUrl'));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('transient problems offer Retry (only when the caller can retry), and a create that may exist says so', async () => {
    sim.setFaults({ serverError: { status: 502, on: 'create' } });
    const w = errorWords(await caught(client(async () => sim.apiKey).createVideo(REQ)), l10n);
    assert.match(w.message, /HTTP 502/);
    assert.match(w.message, /may still have been created/);
    assert.equal(w.severity, 'warning');
    assert.equal(kinds(w.fixes)[0], 'retry');

    const refused = errorWords(await caught(client(async () => sim.apiKey, 'http://127.0.0.1:9').createVideo(REQ)), l10n);
    assert.match(refused.message, /Could not connect to CometAPI at http:\/\/127\.0\.0\.1:9/);
    assert.deepEqual(kinds(refused.fixes), ['retry', 'extra', 'settings:http.proxy']);
  });

  it("a task's failure reason from the service is redacted like every other message", async () => {
    const c = client(async () => sim.apiKey);
    const task = await c.createVideo(REQ);
    const leaky = `upstream refused: key ${sim.apiKey} at https://storage.example.com/v.mp4?X-Tos-Signature=abc123 (request id: R7)`;
    sim.setTaskState(task.id, { status: 'failed', error: { code: 'OutputVideoSensitiveContentDetected', message: leaky } });
    const failed = await c.getVideo(task.id);
    assert.equal(failed.status, 'failed');
    const shown = failed.failure?.message ?? '';
    assert.match(shown, /upstream refused/);
    assert.equal(shown.includes(sim.apiKey), false, 'no key');
    assert.equal(shown.includes('X-Tos-Signature'), false, 'no signed query');
    assert.equal(failed.failure?.requestId, 'R7', 'the request id is kept apart, for the log');
  });

  it("a failed generation's reason is followed by the next step and says it was not charged", async () => {
    const c = client(async () => sim.apiKey);
    // The task as the poller stores it: the service's answer through applyStatus, as in the extension.
    const failedTask = async (prompt: string, status: 'failed' | 'error') => {
      const created = await c.createVideo({ ...REQ, prompt });
      sim.setTaskState(created.id, { status });
      const video = await c.getVideo(created.id);
      const now = Date.now();
      const watched: TrackedTask = {
        localId: 'l1', remoteId: created.id, status: 'running', progress: 50, request: REQ, createdAt: now - 30_000,
        submittedAt: now - 30_000, waitingSince: now - 30_000, download: { state: 'none' },
      };
      const after = applyStatus(watched, { kind: 'task', video }, now, { stallAfterMs: 3_600_000 });
      assert.equal(after.status, 'failed');
      return after.failure!;
    };

    const internal = failureWords(await failedTask('x [sim:error]', 'error'), l10n);
    assert.match(internal, /^The service encountered an unexpected internal error\. «Try again later with Regenerate\. Failed generations are not charged\.»$/);

    const moderated = failureWords(await failedTask('x [sim:fail]', 'failed'), l10n);
    assert.match(moderated, /sensitive information\. «Change the prompt or reference image, then Regenerate\. Failed generations are not charged\.»$/);

    // Failures of our own (an unknown id, a refused status check) already say what they are; nothing is added.
    assert.equal(failureWords({ kind: 'notFound', message: 'CometAPI no longer knows this task.' }, l10n), 'CometAPI no longer knows this task.');
  });

  it('every word passes through the translator; other errors are shown with the log', () => {
    const samples: unknown[] = [
      new ApiError('rateLimited', 'x', { status: 429 }),
      new ApiError('notFound', 'x', { status: 400, code: 'task_not_exist' }),
      new ApiError('timeout', 'x', { reason: 'noAnswer', detail: { seconds: 30 }, mayHaveReachedServer: true }),
      new ApiError('timeout', 'x', { reason: 'uploadStalled', detail: { seconds: 30, sentBytes: 1048576, totalBytes: 20971520 } }),
      new ApiError('network', 'x', { reason: 'tls', origin: 'https://api.cometapi.com' }),
      new ApiError('expired', 'x', { host: 'video' }),
      new ApiError('aborted', 'x'),
      new Error('something odd'),
    ];
    for (const e of samples) {
      const w = errorWords(e, l10n);
      assert.match(w.message, /^«.*»/, `translated: ${w.message}`);
    }
    assert.match(errorWords(samples[3], l10n).message, /1\.0 of 20\.0 MB/);
    assert.deepEqual(kinds(errorWords(new Error('x'), l10n).fixes), ['extra', 'showLog']);
  });
});

describe('errorWords: a refusal by the payment gate, said to the person', () => {
  const refused = (reason: 'monthlyLimit' | 'unknownPrice' | 'agentDisabled' | 'agentDailyLimit', usd: number | undefined, limit: number, spent: number) =>
    errorWords(new GateRefusedError({ kind: 'refuse', reason, usd, limit, spent }), l10n);

  it('speaks to the person, in their language, with the figures and the fix; never of "the user"', () => {
    const cases = [
      { w: refused('monthlyLimit', 0.96, 5, 4.5), has: [/^«Not sent: this request, estimated at \$0\.96, would take this month's Seedance spending past your limit of \$5\.00; \$4\.50 is counted so far/], setting: 'seedance.budget.monthlyLimit' },
      { w: refused('monthlyLimit', undefined, 5, 4.5), has: [/past your limit of \$5\.00; \$4\.50 is counted/], setting: 'seedance.budget.monthlyLimit' },
      { w: refused('unknownPrice', undefined, 20, 0), has: [/price of this request is unknown, so it cannot be checked against your limit of \$20\.00/], setting: 'seedance.pricing' },
      { w: refused('unknownPrice', undefined, 0, 0), has: [/against your budget/], setting: 'seedance.pricing' },
      { w: refused('agentDisabled', 1, 0, 0), has: [/agents may only estimate costs and list videos/], setting: 'seedance.budget.agentDailyLimit' },
      { w: refused('agentDailyLimit', 1.2, 2, 1), has: [/estimated at \$1\.20, would take what agents started today past your daily agent limit of \$2\.00; \$1\.00 is counted today/], setting: 'seedance.budget.agentDailyLimit' },
    ];
    for (const c of cases) {
      assert.match(c.w.message, /^«.*»$/s, 'one translated sentence');
      for (const re of c.has) assert.match(c.w.message, re);
      assert.doesNotMatch(c.w.message, /the user/i);
      assert.equal(c.w.severity, 'warning');
      assert.deepEqual(kinds(c.w.fixes), ['extra', 'showSpending', `settings:${c.setting}`]);
    }
  });
});

describe('stored failure reasons in the display language', () => {
  // Core's own reasons, made the way core makes them (constants it exports, a task repaired after a reload);
  // the download deadline's and a cancel's words are the video saver's (videoSaverSafety.test.ts makes them).
  const now = Date.now();
  const repaired = repairAfterReload({
    localId: 'l1', status: 'submitting', progress: 0, request: REQ, createdAt: now, download: { state: 'downloading', bytes: 10 },
  } as TrackedTask, now);
  const stored = [
    NOT_FOUND_MESSAGE, MISSING_URL_MESSAGE, NO_REASON_MESSAGE, UNCERTAIN_SUBMIT_MESSAGE, UNCERTAIN_MESSAGE,
    repaired.failure!.message, repaired.download.error!, 'The download was cancelled.',
    'The download did not finish within 5 min; it was stopped. Try "Download Again".',
    'The download did not finish within 700 ms; it was stopped. Try "Download Again".',
  ];

  it('every reason core stores passes through the translator when shown, placeholders filled', () => {
    for (const text of stored) assert.match(storedReasonWords(text, l10n), /^«.*»$/, text);
    assert.equal(storedReasonWords(stored[8], l10n), '«The download did not finish within 5 min; it was stopped. Try "Download Again".»');
    // The service's own words and an error's message are not ours: shown as stored.
    assert.equal(storedReasonWords('The service encountered an unexpected internal error.', l10n), 'The service encountered an unexpected internal error.');
    // Through failureWords, as the tree, the notification and the panel's card show a failure.
    assert.equal(failureWords({ kind: 'notFound', code: 'task_not_exist', message: NOT_FOUND_MESSAGE }, l10n), `«${NOT_FOUND_MESSAGE}»`);
    assert.match(failureWords({ kind: 'service', message: NO_REASON_MESSAGE }, l10n), /^«CometAPI reported that the generation failed, without giving a reason\.» «Try again later/);
  });

  it('with the zh-cn bundle, a task stored in English is shown in Chinese', () => {
    const bundle = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const zh: Translate = (message, ...args) => (bundle[message] ?? message).replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)]));
    for (const text of stored) {
      const shown = storedReasonWords(text, { t: zh });
      assert.notEqual(shown, text, `translated: ${text}`);
      assert.match(shown, /[\u4e00-\u9fff]/, shown);
    }
    assert.equal(storedReasonWords(stored[9], { t: zh }), '下载未在 700 毫秒内完成，已被停止。请尝试“重新下载”。');
  });
});
