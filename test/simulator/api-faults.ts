// The API's injected failures: the counted faults a test arms (faults.ts) and the random ones the realistic
// default produces on its own (options.ts: lostCreateRate, createErrorRate), plus the per-key rate limit.
// Kept apart from the routing in api.ts.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { type SimContext, sendReply, sleep } from './context';
import { type ApiReply, envelope, flat, TEXT } from './errors';
import type { LoggedRequest } from './log';
import type { TransferPlan } from './transfer';

/** Reads and drops the request body so an early answer does not leave the client mid-upload. */
export function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.on('close', resolve);
    req.resume();
  });
}

export function serverErrorReply(
  spec: { status?: number; code?: string; message?: string; shape?: string },
  rid: string | undefined,
): ApiReply {
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

/** new-api's task relay answers 429 flat with code fail_to_fetch_task; model rate limits use the envelope. */
function tooManyReply(spec: { shape?: string; message?: string; retryAfterSeconds?: number }, rid: string | undefined): ApiReply {
  const message = spec.message ?? TEXT.saturated;
  const reply = spec.shape === 'envelope' ? envelope(429, '', message, rid) : flat(429, 'fail_to_fetch_task', message, true);
  if (spec.retryAfterSeconds !== undefined) reply.headers = { 'Retry-After': String(spec.retryAfterSeconds) };
  return reply;
}

/**
 * The per-key token bucket (every API route; key-less routes share one bucket). Answers 429 and returns
 * true when the bucket is empty.
 */
export async function rateLimited(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  entry: LoggedRequest,
  account: string | undefined,
): Promise<boolean> {
  if (ctx.buckets.take(account ?? '(no key)', ctx.cfg.keyRateLimit)) return false;
  entry.fault = 'keyRateLimit';
  await drain(req);
  await sendReply(res, tooManyReply({}, undefined));
  return true;
}

/** Applies the armed API faults. Returns the body plan, or 'handled' when a fault already answered. */
export async function applyFaults(
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
    await sendReply(res, tooManyReply(limited, requestId()));
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

/** What happens to a create's answer once its task exists: sent normally, lost, or replaced by an error. */
export type AfterCreate = { kind: 'answer' } | { kind: 'lose' } | { kind: 'error'; reply: ApiReply };

const RANDOM_ERROR_STATUSES = [502, 503, 524] as const;

/**
 * The faults that strike after the task was made (the reason `uncertain` exists): an armed
 * loseCreateResponse or createThenError first, else the random ones at the configured rates.
 */
export function afterCreate(ctx: SimContext, entry: LoggedRequest, requestId: () => string | undefined): AfterCreate {
  if (ctx.faults.take('loseCreateResponse')) {
    entry.fault = 'loseCreateResponse';
    return { kind: 'lose' };
  }
  const armed = ctx.faults.take('createThenError');
  if (armed) {
    entry.fault = 'createThenError';
    const status = armed.status ?? 524;
    return { kind: 'error', reply: serverErrorReply({ status, shape: armed.shape ?? (status === 524 ? 'html' : 'envelope') }, requestId()) };
  }
  const { lostCreateRate, createErrorRate } = ctx.cfg;
  if (lostCreateRate + createErrorRate <= 0) return { kind: 'answer' };
  const u = ctx.rng.next();
  if (u < lostCreateRate) {
    entry.fault = 'lostCreateRate';
    return { kind: 'lose' };
  }
  if (u < lostCreateRate + createErrorRate) {
    entry.fault = 'createErrorRate';
    const status = ctx.rng.pick(RANDOM_ERROR_STATUSES);
    // A 524 comes from the proxy in front (Cloudflare), as an HTML page; the others from the gateway.
    return { kind: 'error', reply: serverErrorReply({ status, shape: status === 524 ? 'html' : 'envelope' }, requestId()) };
  }
  return { kind: 'answer' };
}
