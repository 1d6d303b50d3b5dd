// The CometAPI side: routing, auth first (CONTRACT 2), create (3), poll (4), the /content route (5.3), the
// public model list (8), unknown paths, and the API faults. Validation lives in validation.ts, wire shapes
// in present.ts.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { type SimContext, sendReply, sleep, storageNow, videoUrlFor } from './context';
import { type ApiReply, envelope, flat, invalidUrl, newRequestId, TEXT } from './errors';
import type { LoggedRequest } from './log';
import { modelsFor, modelsPage } from './models';
import { readCreateBody } from './multipart';
import { createBody, pollBody, statusName } from './present';
import { serveVideo } from './storage';
import { stateOf } from './tasks';
import type { TransferPlan } from './transfer';
import { checkCreate, MAX_BODY_BYTES } from './validation';

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

/** Reads and drops the request body so an early answer does not leave the client mid-upload. */
function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.on('close', resolve);
    req.resume();
  });
}

function serverErrorReply(spec: { status?: number; code?: string; message?: string; shape?: string }, rid: string | undefined): ApiReply {
  const status = spec.status ?? 500;
  if (spec.shape === 'html') {
    return {
      status,
      contentType: 'text/html; charset=UTF-8',
      body: `<!DOCTYPE html><html><head><title>${status} error</title></head><body><h1>Error ${status}</h1><p>${status === 524 ? 'A timeout occurred' : 'Bad gateway'}</p></body></html>`,
    };
  }
  const code = spec.code ?? '';
  const message = spec.message ?? (code === 'invalid_request' ? 'invalid request' : `bad response status code ${status}`);
  return envelope(status, code, message, rid);
}

function forbiddenReply(spec: { shape?: string; message?: string }, rid: string | undefined): ApiReply {
  const message = spec.message ?? 'Access was blocked or the current request was not allowed';
  if (spec.shape === 'html') {
    return { status: 403, contentType: 'text/html; charset=UTF-8', body: '<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1></body></html>' };
  }
  return spec.shape === 'flat' ? flat(403, 'forbidden', message, true) : envelope(403, 'forbidden', message, rid);
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

    if (r.kind === 'models') return sendReply(res, { status: 200, body: modelsPage(ctx.cfg.profile, ctx.prices) });
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
          body: { object: 'list', data: modelsFor(ctx.cfg.profile).map((m) => ({ id: m.id, object: 'model', created: 1776000000, owned_by: 'bytedance' })) },
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

/** Applies the armed API faults. Returns the body plan, or 'handled' when a fault already answered. */
async function applyFaults(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  entry: LoggedRequest,
  target: 'create' | 'poll',
  requestId: () => string | undefined,
): Promise<TransferPlan | 'handled'> {
  if (ctx.faults.take('reset', target)) {
    entry.fault = 'reset';
    req.socket.resetAndDestroy();
    return 'handled';
  }
  const delay = ctx.faults.take('delay', target);
  if (delay) {
    entry.fault = 'delay';
    await sleep(ctx, res, delay.ms);
    if (res.destroyed) return 'handled';
  }
  const limited = ctx.faults.take('rateLimit', target);
  if (limited) {
    entry.fault = 'rateLimit';
    await drain(req);
    const message = limited.message ?? TEXT.saturated;
    // new-api's task relay answers 429 flat with code fail_to_fetch_task; model rate limits use the envelope.
    const reply = limited.shape === 'envelope' ? envelope(429, '', message, requestId()) : flat(429, 'fail_to_fetch_task', message, true);
    if (limited.retryAfterSeconds !== undefined) reply.headers = { 'Retry-After': String(limited.retryAfterSeconds) };
    await sendReply(res, reply);
    return 'handled';
  }
  const broken = ctx.faults.take('serverError', target);
  if (broken) {
    entry.fault = 'serverError';
    await drain(req);
    await sendReply(res, serverErrorReply(broken, requestId()));
    return 'handled';
  }
  const blocked = ctx.faults.take('forbidden', target);
  if (blocked) {
    entry.fault = 'forbidden';
    await drain(req);
    await sendReply(res, forbiddenReply(blocked, requestId()));
    return 'handled';
  }
  const plan: TransferPlan = {};
  const slow = ctx.faults.take('slowBody', target);
  if (slow) {
    entry.fault = 'slowBody';
    plan.bytesPerSecond = slow.bytesPerSecond;
  }
  const stall = ctx.faults.take('stallBody', target);
  if (stall) {
    entry.fault = 'stallBody';
    // Negative means "half of whatever body is sent" (resolved by sendReply).
    plan.stallAfter = stall.afterBytes ?? -1;
  }
  return plan;
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
  const body = await readCreateBody(req, MAX_BODY_BYTES);
  const checked = checkCreate(body, ctx.cfg, requestId);
  if (!checked.ok) {
    if (body.tooLarge) res.setHeader('Connection', 'close');
    return sendReply(res, checked.reply, plan);
  }
  const { model, prompt, seconds, shape, referenceImages } = checked.value;
  const task = ctx.store.create(
    { owner: account, model: model.id, prompt, seconds, ...shape, referenceImages },
    ctx.cfg.timeScale,
  );
  if (ctx.faults.take('loseCreateResponse')) {
    // The task exists and will run; the client never hears about it (a retry creates a duplicate).
    entry.fault = 'loseCreateResponse';
    req.socket.destroy();
    return;
  }
  return sendReply(res, { status: 200, body: createBody(task, ctx.cfg.profile) }, plan);
}

function poll(ctx: SimContext, res: ServerResponse, account: string, id: string, plan: TransferPlan): Promise<void> {
  const task = ctx.store.get(id, account);
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
  const task = ctx.store.get(id, account);
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
