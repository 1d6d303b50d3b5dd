// startSimulator(): a local, faithful stand-in for CometAPI's Seedance video API (CONTRACT.md) plus the
// storage host its video URLs point at. Two loopback HTTP servers:
//   API     baseUrl       POST /v1/videos, GET /v1/videos/{id}, GET /api/models, ... and /__sim/ control
//   storage videoBaseUrl  signed /<model>/<id>.mp4 downloads
// See test/simulator/README.md for every option, control endpoint and prompt tag.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createApiHandler } from './api';
import type { SimContext } from './context';
import { createControlHandler } from './control-routes';
import { type Faults, FaultBox } from './faults';
import { type LoggedRequest, RequestLog } from './log';
import { loadFixtures } from './mp4';
import { applyConfigPatch, checkConfigPatch, defaultConfig, type SimulatorConfig, type SimulatorOptions } from './options';
import { Rng } from './random';
import { KeyBuckets } from './ratelimit';
import { UrlSigner } from './signing';
import { createStorageHandler } from './storage';
import { PriceBook, withPricingRoutes } from './pricing';
import { applyStateChange, type TaskStateChange, TaskStore, type TaskView, viewOf } from './tasks';

export type { SimulatorConfig, SimulatorOptions } from './options';
export type { Faults } from './faults';
export type { LoggedRequest } from './log';
export type { TaskStateChange, TaskView } from './tasks';

export interface Simulator {
  /** API base URL, e.g. http://127.0.0.1:40123 (no trailing slash; the client appends /v1/videos). */
  readonly baseUrl: string;
  /** Storage host origin the video URLs point at. */
  readonly videoBaseUrl: string;
  /** The first accepted key. */
  readonly apiKey: string;
  /** `${baseUrl}/__sim`: the control endpoints. */
  readonly controlUrl: string;
  /** Live request log of both servers (control calls excluded); cleared in place. */
  readonly requests: LoggedRequest[];
  /** The current config (a copy). */
  readonly config: SimulatorConfig;
  setConfig(patch: Partial<SimulatorConfig>): SimulatorConfig;
  /** Arms faults (merged with the armed ones; a fault set to null is cleared). */
  setFaults(faults: { [K in keyof Faults]?: Faults[K] | null }): Faults;
  clearFaults(): void;
  faults(): Faults;
  setTaskState(id: string, change: TaskStateChange): TaskView;
  tasks(): TaskView[];
  clearRequests(): void;
  /** Back to the start: initial config (same seed: random behaviour replays) and faults, no tasks, empty log, full rate-limit buckets. */
  reset(): void;
  /** Stops both servers, dropping every connection (idle keep-alive and stalled ones too). */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function origin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A handler crash must not kill the process or hang the client: answer 500 and say why on stderr. */
function guarded(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res).catch((err: unknown) => {
      process.stderr.write(`[simulator] handler error: ${(err as Error)?.stack ?? err}\n`);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('simulator bug: see stderr');
      } else {
        res.destroy();
      }
    });
  };
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const { host = '127.0.0.1', port = 0, videoPort = 0, faults: initialFaults, ...configOpts } = opts;
  const initialConfig = defaultConfig();
  applyConfigPatch(initialConfig, checkConfigPatch(configOpts));
  const copy = (c: SimulatorConfig): SimulatorConfig => JSON.parse(JSON.stringify(c)) as SimulatorConfig;
  const cfg: SimulatorConfig = copy(initialConfig);
  const faults = new FaultBox();
  const prices = new PriceBook();
  if (initialFaults) faults.set(initialFaults);

  const ctx: SimContext = {
    cfg,
    store: new TaskStore(),
    faults,
    log: new RequestLog(() => cfg.apiKeys),
    signer: new UrlSigner(),
    fixtures: loadFixtures(),
    prices,
    videoBaseUrl: '',
    timers: new Set(),
    rng: new Rng(cfg.seed),
    buckets: new KeyBuckets(),
    spikeStartedMono: cfg.loadSpike ? performance.now() : undefined,
  };

  const ops = {
    faults: () => faults.current(),
    setFaults: (input: unknown) => faults.set(input),
    clearFaults: () => faults.clear(),
    tasks: () => ctx.store.all().map((t) => viewOf(t, cfg.progress)),
    setTaskState: (id: string, change: unknown) => {
      const task = ctx.store.get(id);
      if (!task) throw new Error(`no task ${id}`);
      applyStateChange(task, change);
      return viewOf(task, cfg.progress);
    },
    requests: () => [...ctx.log.entries],
    clearRequests: () => ctx.log.clear(),
    config: () => copy(cfg),
    setConfig: (patch: unknown) => {
      const checked = checkConfigPatch(patch);
      applyConfigPatch(cfg, checked);
      if (checked.seed !== undefined) ctx.rng.reseed(cfg.seed);
      // Setting a spike (again) starts its window now.
      if ('loadSpike' in checked) ctx.spikeStartedMono = cfg.loadSpike ? performance.now() : undefined;
      return ops.config();
    },
    reset: () => {
      Object.assign(cfg, copy(initialConfig));
      ctx.rng.reseed(cfg.seed);
      ctx.buckets.clear();
      ctx.spikeStartedMono = cfg.loadSpike ? performance.now() : undefined;
      faults.clear();
      if (initialFaults) faults.set(initialFaults);
      ctx.store.clear();
      ctx.log.clear();
      prices.reset();
    },
  };

  const apiServer = createServer(guarded(createApiHandler(ctx, withPricingRoutes(prices, createControlHandler(ops)))));
  const videoServer = createServer(guarded(createStorageHandler(ctx)));
  let apiPort: number;
  let storagePort: number;
  try {
    apiPort = await listen(apiServer, port, host);
    storagePort = await listen(videoServer, videoPort, host);
  } catch (err) {
    apiServer.close();
    videoServer.close();
    throw err;
  }
  const baseUrl = origin(host, apiPort);
  ctx.videoBaseUrl = origin(host, storagePort);

  let closing: Promise<void> | undefined;
  const stop = (server: Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    baseUrl,
    videoBaseUrl: ctx.videoBaseUrl,
    apiKey: cfg.apiKeys[0],
    controlUrl: `${baseUrl}/__sim`,
    requests: ctx.log.entries,
    get config() {
      return ops.config();
    },
    setConfig: (patch) => ops.setConfig(patch),
    setFaults: (f) => ops.setFaults(f),
    clearFaults: ops.clearFaults,
    faults: ops.faults,
    setTaskState: (id, change) => ops.setTaskState(id, change),
    tasks: ops.tasks,
    clearRequests: ops.clearRequests,
    reset: ops.reset,
    close() {
      closing ??= (async () => {
        for (const t of ctx.timers) clearTimeout(t);
        ctx.timers.clear();
        await Promise.all([stop(apiServer), stop(videoServer)]);
      })();
      return closing;
    },
  };
}
