// A typed client for the simulator's /__sim/ control endpoints, for tests that run in another process
// than the simulator (e.g. integration tests inside VS Code against `npm run simulator`). Type-only imports:
// loading this file never loads the server.

import { type Dispatcher, request } from 'undici';
import type { Faults } from './faults';
import type { LoggedRequest } from './log';
import type { SimulatorConfig } from './options';
import type { TaskStateChange, TaskView } from './tasks';

/** What `npm run simulator` prints after "SIMULATOR_READY ". */
export interface ReadyInfo {
  baseUrl: string;
  videoBaseUrl: string;
  apiKey: string;
  controlUrl: string;
}

export const READY_PREFIX = 'SIMULATOR_READY ';

/** Parses the machine line of the standalone simulator; undefined for any other line. */
export function parseReadyLine(line: string): ReadyInfo | undefined {
  const at = line.indexOf(READY_PREFIX);
  if (at < 0) return undefined;
  try {
    const info = JSON.parse(line.slice(at + READY_PREFIX.length)) as ReadyInfo;
    return typeof info.baseUrl === 'string' && typeof info.controlUrl === 'string' ? info : undefined;
  } catch {
    return undefined;
  }
}

export class SimulatorControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SimulatorControlError';
  }
}

export class SimulatorControl {
  private readonly base: string;

  /** controlUrl: the simulator's `controlUrl` (…/__sim). */
  constructor(
    controlUrl: string,
    private readonly opts: { dispatcher?: Dispatcher } = {},
  ) {
    this.base = controlUrl.replace(/\/+$/, '');
  }

  faults(): Promise<Faults> {
    return this.call('GET', '/faults');
  }
  /** Arms faults (merged; a fault set to null is cleared). Returns what is armed now. */
  setFaults(faults: { [K in keyof Faults]?: Faults[K] | null }): Promise<Faults> {
    return this.call('POST', '/faults', faults);
  }
  clearFaults(): Promise<Faults> {
    return this.call('DELETE', '/faults');
  }
  tasks(): Promise<TaskView[]> {
    return this.call('GET', '/tasks');
  }
  setTaskState(id: string, change: TaskStateChange): Promise<TaskView> {
    return this.call('POST', `/tasks/${encodeURIComponent(id)}/state`, change);
  }
  /** The request log, optionally one server's and only entries after `since` (a seq number). */
  requests(filter: { server?: 'api' | 'video'; since?: number } = {}): Promise<LoggedRequest[]> {
    const q = new URLSearchParams();
    if (filter.server) q.set('server', filter.server);
    if (filter.since !== undefined) q.set('since', String(filter.since));
    const query = q.toString();
    return this.call('GET', `/requests${query ? `?${query}` : ''}`);
  }
  clearRequests(): Promise<void> {
    return this.call('DELETE', '/requests').then(() => undefined);
  }
  config(): Promise<SimulatorConfig> {
    return this.call('GET', '/config');
  }
  setConfig(patch: Partial<SimulatorConfig>): Promise<SimulatorConfig> {
    return this.call('POST', '/config', patch);
  }
  /**
   * Deterministic mode (on) or the realistic default (off): fixed durations and no random or time-dependent
   * faults (lost or failed create answers, replication lag, the per-key rate limit). See options.ts.
   */
  deterministic(on = true): Promise<SimulatorConfig> {
    return this.setConfig({ deterministic: on });
  }
  /**
   * Keeps the realistic timing (varying durations, lag, rate limit) but stops the random create faults, for
   * a test that submits and must see its task succeed. Undo with setConfig({ lostCreateRate, createErrorRate }).
   */
  noRandomFaults(): Promise<SimulatorConfig> {
    return this.setConfig({ lostCreateRate: 0, createErrorRate: 0 });
  }
  reset(): Promise<void> {
    return this.call('POST', '/reset').then(() => undefined);
  }
  /** The per-second prices GET /api/models serves now (model id -> value; null: no pricing). */
  pricing(): Promise<Record<string, unknown>> {
    return this.call('GET', '/pricing');
  }
  /** Changes prices: a number sets per_second, null drops the pricing, anything else is served verbatim. */
  setPricing(prices: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.call('POST', '/pricing', prices);
  }
  resetPricing(): Promise<Record<string, unknown>> {
    return this.call('DELETE', '/pricing');
  }

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await request(this.base + path, {
      method,
      dispatcher: this.opts.dispatcher,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SimulatorControlError(res.statusCode, `simulator control ${method} ${path}: not JSON (HTTP ${res.statusCode})`);
    }
    if (res.statusCode !== 200) {
      const reason = (json as { error?: string }).error ?? text;
      throw new SimulatorControlError(res.statusCode, `simulator control ${method} ${path}: ${reason}`);
    }
    return json as T;
  }
}
