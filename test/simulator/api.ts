// The CometAPI side: routing, auth first (CONTRACT 2), create (3), poll (4), the /content route (5.3), the
// public model list (8), unknown paths, and the API faults. Validation lives in validation.ts, wire shapes
// in present.ts.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterCreate, applyFaults, drain, rateLimited } from './api-faults';
import { type SimContext, sendReply, storageNow, videoUrlFor, wait } from './context';
import { type ApiReply, envelope, flat, invalidUrl, newRequestId, TEXT } from './errors';
import type { LoggedRequest } from './log';
import { modelsFor, modelsPage } from './models';
import { readCreateBody } from './multipart';
import { throttleUpload } from './slowUpload';
import { createBody, pollBody, statusName } from './present';
import { serveVideo } from './storage';
import { outcomeFromPrompt, stateOf, type Task } from './tasks';
import { planTask } from './timing';
import type { TransferPlan } from './transfer';
import { type AcceptedCreate, checkCreate, MAX_BODY_BYTES } from './validation';

type Route =
  | { kind: 'create' }
  | { kind: 'poll'; id: string }
  | { kind: 'content'; id: string }
  | { kind: 'models' }
  | { kind: 'v1models' }
  | { kind: 'slash'; to: string }
  | { kind: 'unknown' };

const TASK_PATH = /^\/v1\/videos\/([^/]+)$/;
const CONTENT_PATH = /^\/v1\/videos\/([^/]+)\/content$/;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function route(method: string, path: string): Route {
  if (method === 'POST' && path === '/v1/videos') return { kind: 'create' };
  if (method === 'GET') {
    if (path === '/api/models') return { kind: 'models' };
    if (path === '/v1/models') return { kind: 'v1models' };
    const content = CONTENT_PATH.exec(path);
    if (content) return { kind: 'content', id: decode(content[1]) };
    const task = TASK_PATH.exec(path);
    if (task) return { kind: 'poll', id: decode(task[1]) };
  }
  // gin redirects a known route with a trailing slash (301 for GET, 307 otherwise).
  if (path.length > 1 && path.endsWith('/')) {
    const bare = path.slice(0, -1);
    if (route(method, bare).kind !== 'unknown') return { kind: 'slash', to: bare };
  }
  return { kind: 'unknown' };
}

const HTML_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CometAPI</title></head>' +
  '<body><div id="root">CometAPI console (simulated). This is a web page, not the API: check the base URL.</div></body></html>';

/** Unknown paths: JSON 404 (new-api RelayNotFound under /v1, gin's text elsewhere), or the HTML/301 modes. */
function unknownPath(ctx: SimContext, method: string, path: string): ApiReply {
  switch (ctx.cfg.wrongPath) {
    case 'html':
      return { status: 200, body: HTML_PAGE, contentType: 'text/html; charset=utf-8' };
    case 'redirect':
      if (path === '/') return { status: 200, body: HTML_PAGE, contentType: 'text/html; charset=utf-8' };
      return { status: 301, body: '<a href="/">Moved Permanently</a>.\n', contentType: 'text/html; charset=utf-8', headers: { Location: '/' } };
    default:
      if (path.startsWith('/v1/')) return invalidUrl(method, path);
      return { status: 404, body: '404 page not found', contentType: 'text/plain' };
  }
}

/** The account (API key) a request speaks for, or undefined (CONTRACT 2: "Bearer <key>" and nothing else). */
function accountOf(ctx: SimContext, req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m && ctx.cfg.apiKeys.includes(m[1]) ? m[1] : undefined;
}

export function createApiHandler(ctx: SimContext, control: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://api.invalid');
    if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/')) return control(req, res, url);

    const entry = ctx.log.record('api', req, res);
    const rid = newRequestId();
    const requestId = () => (ctx.cfg.requestIdSuffix ? rid : undefined);
    if (ctx.cfg.requestIdHeader) res.setHeader(ctx.cfg.requestIdHeader, rid);
    const method = req.method ?? 'GET';
    const r = route(method, url.pathname);

    if (r.kind === 'models') {
      if (await rateLimited(ctx, req, res, entry, undefined)) return;
      return sendReply(res, { status: 200, body: modelsPage(ctx.cfg.profile, ctx.prices, ctx.cfg.serveRetired) });
    }
    if (r.kind === 'slash') {
      await drain(req);
      const status = method === 'GET' ? 301 : 307;
      return sendReply(res, { status, body: '', contentType: 'text/plain', headers: { Location: r.to + url.search } });
    }
    if (r.kind === 'unknown') {
      await drain(req);
      return sendReply(res, unknownPath(ctx, method, url.pathname));
    }

    // 1. Auth, before anything else (even before reading a body that may be invalid).
    const account = accountOf(ctx, req);
    if (!account) {
      await drain(req);
      return sendReply(res, envelope(401, '', TEXT.invalidToken, requestId()));
    }
    if (await rateLimited(ctx, req, res, entry, account)) return;

    let plan: TransferPlan = {};
    if (r.kind === 'create' || r.kind === 'poll') {
      const faulted = await applyFaults(ctx, req, res, entry, r.kind, requestId);
      if (faulted === 'handled') return;
      plan = faulted;
    }

    switch (r.kind) {
      case 'v1models':
        await drain(req);
        return sendReply(res, {
          status: 200,
          body: { object: 'list', data: modelsFor(ctx.cfg.profile, ctx.cfg.serveRetired).map((m) => ({ id: m.id, object: 'model', created: 1776000000, owned_by: 'bytedance' })) },
        }, plan);
      case 'create':
        return create(ctx, req, res, account, entry, requestId, plan);
      case 'poll':
        return poll(ctx, res, account, r.id, plan);
      case 'content':
        return content(ctx, req, res, account, r.id);
    }
  };
}

async function create(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  account: string,
  entry: LoggedRequest,
  requestId: () => string | undefined,
  plan: TransferPlan,
): Promise<void> {
  const body = await readCreateBody(throttleUpload(req, ctx.cfg.uploadBytesPerSecond), MAX_BODY_BYTES);
  const checked = checkCreate(body, ctx.cfg, requestId);
  if (!checked.ok) {
    if (body.tooLarge) res.setHeader('Connection', 'close');
    return sendReply(res, checked.reply, plan);
  }
  const slowCreate = ctx.faults.take('slowCreate');
  if (slowCreate) {
    // The gateway keeps working after the client gives up: the task is made even if nobody hears of it.
    entry.fault = 'slowCreate';
    await wait(ctx, slowCreate.ms);
  }
  const task = makeTask(ctx, account, checked.value);
  const next = afterCreate(ctx, entry, requestId);
  if (next.kind === 'lose') {
    // The task exists and will run; the client never hears about it (a retry creates a duplicate).
    req.socket.destroy();
    return;
  }
  if (next.kind === 'error') return sendReply(res, next.reply);
  return sendReply(res, { status: 200, body: createBody(task, ctx.cfg.profile) }, plan);
}

/** Makes the task, with its timing drawn now (timing.ts) and its replication lag. */
function makeTask(ctx: SimContext, account: string, accepted: AcceptedCreate): Task {
  const { cfg } = ctx;
  const { model, prompt, seconds, shape, referenceImages } = accepted;
  const timing = planTask(
    {
      model: model.id,
      seconds,
      resolution: shape.resolution,
      slow: outcomeFromPrompt(prompt).slow,
      timeScale: cfg.timeScale,
      deterministic: cfg.deterministic,
      spikeSeconds: spikeSecondsNow(ctx),
    },
    ctx.rng,
  );
  const lagMs = cfg.deterministic ? cfg.replicationLagMs : cfg.replicationLagMs * ctx.rng.between(0.5, 1.5);
  return ctx.store.create({ owner: account, model: model.id, prompt, seconds, ...shape, referenceImages }, timing, lagMs);
}

/** Extra queueing for a task created now: the spike's, while its window (simulated seconds) lasts. */
function spikeSecondsNow(ctx: SimContext): number {
  const spike = ctx.cfg.loadSpike;
  if (!spike || ctx.spikeStartedMono === undefined) return 0;
  const inWindow = performance.now() - ctx.spikeStartedMono <= spike.windowSeconds * 1000 * ctx.cfg.timeScale;
  return inWindow ? spike.extraQueueSeconds : 0;
}

/** A task this account may see now: another account's, or one still within its replication lag, is unknown. */
function visibleTask(ctx: SimContext, id: string, account: string): Task | undefined {
  const task = ctx.store.get(id, account);
  return task && performance.now() >= task.visibleFromMono ? task : undefined;
}

function poll(ctx: SimContext, res: ServerResponse, account: string, id: string, plan: TransferPlan): Promise<void> {
  const task = visibleTask(ctx, id, account);
  if (!task) return sendReply(res, flat(400, 'task_not_exist', TEXT.taskNotExist, true), plan);
  const state = stateOf(task, ctx.cfg.progress);
  const url = state.phase === 'succeeded' ? videoUrlFor(ctx, task, state) : undefined;
  return sendReply(res, { status: 200, body: pollBody(task, state, ctx.cfg, url) }, plan);
}

/**
 * GET /v1/videos/{id}/content. Default: refused (revision B: Seedance downloads use video_url "instead of a
 * separate /content route"). 'proxy' mode: new-api's VideoProxy (CONTRACT 5.3).
 */
async function content(ctx: SimContext, req: IncomingMessage, res: ServerResponse, account: string, id: string): Promise<void> {
  const task = visibleTask(ctx, id, account);
  if (ctx.cfg.contentRoute === 'unsupported') {
    if (!task) return sendReply(res, flat(400, 'task_not_exist', TEXT.taskNotExist, true));
    return sendReply(res, {
      status: 400,
      body: { error: { code: '', message: 'content download is not supported for this model; download video_url instead', type: 'invalid_request_error' } },
    });
  }
  if (!task) return sendReply(res, { status: 404, body: { error: { message: 'Task not found', type: 'invalid_request_error' } } });
  const state = stateOf(task, ctx.cfg.progress);
  if (state.phase !== 'succeeded') {
    const message = `Task is not completed yet, current status: ${statusName(ctx.cfg.profile, state.phase)}`;
    return sendReply(res, { status: 400, body: { error: { message, type: 'invalid_request_error' } } });
  }
  // The proxy fetches the stored URL; once that has expired upstream answers 403 and the proxy 502.
  const stored = new URL(videoUrlFor(ctx, task, state));
  if (ctx.signer.verify(stored.pathname, stored.searchParams, storageNow(ctx)) !== 'ok') {
    return sendReply(res, { status: 502, body: { error: { message: 'Upstream service returned status 403', type: 'server_error' } } });
  }
  await serveVideo(req, res, task, ctx, {}, { 'Cache-Control': 'public, max-age=86400' });
}
