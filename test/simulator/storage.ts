// The storage host (a separate port, imitating Volcengine TOS): serves signed video URLs with Range
// support, refuses tampered or expired ones with a 403 XML error, and never asks for Authorization (it
// only logs whether one came: a client must not send its API key to a third-party host, CONTRACT 5.1).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { type SimContext, storageNow } from './context';
import { newRequestId, storageErrorXml } from './errors';
import { type BodySource, bufferSource, paddedSource } from './mp4';
import { parseRange, sendBody, type TransferPlan } from './transfer';
import type { Task } from './tasks';

const OBJECT_PATH = /^\/([A-Za-z0-9._-]+)\/(task_[A-Za-z0-9]+)\.mp4$/;

function xmlError(res: ServerResponse, status: number, code: string, message: string, requestId: string): void {
  const body = Buffer.from(storageErrorXml(code, message, requestId), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': body.length, 'x-tos-request-id': requestId });
  res.end(body);
}

/** The bytes of a task's video: its ratio's fixture, or the padded large body when that mode is on. */
export function videoSource(ctx: SimContext, task: Task): { source: BodySource; etag: string } {
  const fixture = ctx.fixtures.get(task.ratio) ?? ctx.fixtures.get('16:9')!;
  const digest = createHash('md5').update(fixture).digest('hex');
  const large = ctx.cfg.largeVideoBytes;
  if (large > 0) return { source: paddedSource(fixture, large), etag: `"${digest}-${large}"` };
  return { source: bufferSource(fixture), etag: `"${digest}"` };
}

/**
 * Writes a video (whole or the requested range) with the storage host's headers. Shared with the API's
 * optional /content proxy. Faults come in as a plan; HEAD gets headers only.
 */
export async function serveVideo(
  req: IncomingMessage,
  res: ServerResponse,
  task: Task,
  ctx: SimContext,
  plan: TransferPlan,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const { source, etag } = videoSource(ctx, task);
  const range = parseRange(req.headers.range, source.size);
  const headers: Record<string, string | number> = {
    'Content-Type': 'video/mp4',
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': new Date(task.createdAtMs).toUTCString(),
    ...extraHeaders,
  };
  if (range.kind === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${source.size}`, 'Content-Length': 0 });
    res.end();
    return;
  }
  const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, source.size];
  if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end - 1}/${source.size}`;
  headers['Content-Length'] = end - start;
  res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await sendBody(res, source, start, end, plan);
}

export function createStorageHandler(ctx: SimContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const entry = ctx.log.record('video', req, res);
    const requestId = newRequestId();
    const url = new URL(req.url ?? '/', 'http://storage.invalid');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return xmlError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', requestId);
    }
    const m = OBJECT_PATH.exec(url.pathname);
    if (!m) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.', requestId);

    const failure = req.method === 'GET' ? ctx.faults.take('storageError') : undefined;
    if (failure) {
      entry.fault = 'storageError';
      const status = failure.status ?? 503;
      return xmlError(res, status, status === 503 ? 'ServiceUnavailable' : 'InternalError', 'We encountered an internal error. Please try again.', requestId);
    }

    const verdict = ctx.signer.verify(url.pathname, url.searchParams, storageNow(ctx));
    if (verdict === 'missing') return xmlError(res, 403, 'AccessDenied', 'Query-string authentication requires the X-Tos-Signature, X-Tos-Credential, X-Tos-Date and X-Tos-Expires parameters.', requestId);
    if (verdict === 'bad-signature') return xmlError(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', requestId);
    if (verdict === 'expired') return xmlError(res, 403, 'AccessDenied', 'Request has expired', requestId);

    const task = ctx.store.get(m[2]);
    if (!task || task.model !== m[1]) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.', requestId);

    const plan: TransferPlan = {};
    if (req.method === 'GET') {
      const truncate = ctx.faults.take('truncateDownload');
      const slow = ctx.faults.take('slowDownload');
      const stall = ctx.faults.take('stallDownload');
      if (truncate) plan.truncateAfter = truncate.afterBytes;
      if (slow) plan.bytesPerSecond = slow.bytesPerSecond;
      if (stall) plan.stallAfter = stall.afterBytes;
      const applied = [truncate && 'truncateDownload', slow && 'slowDownload', stall && 'stallDownload'].filter(Boolean);
      if (applied.length > 0) entry.fault = applied.join(',');
    }
    await serveVideo(req, res, task, ctx, plan, { 'x-tos-request-id': requestId });
  };
}
