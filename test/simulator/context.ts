// The state both servers share, and the small response helpers they both use.

import type { ServerResponse } from 'node:http';
import type { ApiReply } from './errors';
import type { FaultBox } from './faults';
import type { PriceBook } from './pricing';
import type { RequestLog } from './log';
import type { AspectRatio } from './models';
import { bufferSource } from './mp4';
import type { SimulatorConfig } from './options';
import type { Rng } from './random';
import type { KeyBuckets } from './ratelimit';
import type { UrlSigner } from './signing';
import type { Task, TaskState, TaskStore } from './tasks';
import { sendBody, type TransferPlan } from './transfer';

export interface SimContext {
  /** The live config (mutated in place by setConfig). */
  readonly cfg: SimulatorConfig;
  readonly store: TaskStore;
  readonly faults: FaultBox;
  readonly log: RequestLog;
  readonly signer: UrlSigner;
  readonly fixtures: Map<AspectRatio, Buffer>;
  /** The price catalogue served on GET /api/models (pricing.ts). */
  readonly prices?: PriceBook;
  /** Origin of the storage host, e.g. http://127.0.0.1:40123 (known once it listens). */
  videoBaseUrl: string;
  /** Pending timers (delays), cleared by close(). */
  readonly timers: Set<NodeJS.Timeout>;
  /** Every random behaviour draws from this (seeded by cfg.seed). */
  readonly rng: Rng;
  readonly buckets: KeyBuckets;
  /** When the current load spike was set (monotonic ms); undefined when none. */
  spikeStartedMono?: number;
}

/** The storage host's clock: real time plus the test-controlled offset. */
export function storageNow(ctx: SimContext): number {
  return Date.now() + ctx.cfg.clockOffsetSeconds * 1000;
}

/**
 * The download URL a poll reports for a succeeded task. 'newapi' mode keeps the URL signed when the
 * gateway saw the task finish, so after expiry every poll returns the same dead URL; 'ark' signs afresh.
 */
export function videoUrlFor(ctx: SimContext, task: Task, state: TaskState): string {
  const path = `/${task.model}/${task.id}.mp4`;
  if (ctx.cfg.urlMode === 'ark') return ctx.videoBaseUrl + ctx.signer.sign(path, storageNow(ctx), ctx.cfg.urlExpirySeconds);
  if (!task.storedUrl) {
    const signedAt = (state.completedAtMs ?? Date.now()) + ctx.cfg.clockOffsetSeconds * 1000;
    task.storedUrl = ctx.videoBaseUrl + ctx.signer.sign(path, signedAt, ctx.cfg.urlExpirySeconds);
  }
  return task.storedUrl;
}

/** Sends an ApiReply (JSON unless it says otherwise), applying any body fault. */
export async function sendReply(res: ServerResponse, reply: ApiReply, plan: TransferPlan = {}): Promise<void> {
  if (res.destroyed) return;
  const isJson = reply.contentType === undefined;
  const bytes = Buffer.from(isJson ? JSON.stringify(reply.body) : String(reply.body ?? ''), 'utf8');
  if (plan.stallAfter !== undefined && plan.stallAfter < 0) plan = { ...plan, stallAfter: Math.floor(bytes.length / 2) };
  res.statusCode = reply.status;
  res.setHeader('Content-Type', reply.contentType ?? 'application/json; charset=utf-8');
  res.setHeader('Content-Length', bytes.length);
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  await sendBody(res, bufferSource(bytes), 0, bytes.length, plan);
}

/** Sleeps unless the response closes first (a client that gave up) or the simulator stops. */
export function sleep(ctx: SimContext, res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      ctx.timers.delete(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    ctx.timers.add(timer);
    res.once('close', done);
  });
}

/** Waits whether or not the client is still there (work the server goes on with); close() drops it. */
export function wait(ctx: SimContext, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ctx.timers.delete(timer);
      resolve();
    }, ms);
    ctx.timers.add(timer);
  });
}
