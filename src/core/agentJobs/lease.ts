// Who is working on something in a workspace shared by several processes (the MCP server, the extension
// host, another server): a small JSON file its holder renews. A lease is dead when its holder stopped
// renewing it (TTL) or, on the same machine, when the holder's process is gone (so a SIGKILLed holder is
// replaced at once, not after the TTL). A pid that is alive is not trusted alone (pids are reused): the
// renewal time must be fresh too.
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';

/** A process that can hold leases. `instance` tells two holders apart even when a pid is reused. */
export interface LeaseOwner {
  readonly pid: number;
  readonly host: string;
  readonly instance: string;
  /** 'server' (dist/mcp.js) or 'editor' (the extension): for logs and the tree's words. */
  readonly kind: 'server' | 'editor';
}

export interface LeaseRecord {
  readonly owner: LeaseOwner;
  /** Epoch ms of the last renewal. */
  readonly renewedAt: number;
  /** The holder gave it up on purpose: anyone may take over at once. */
  readonly released?: boolean;
}

/** A lease not renewed for this long is dead, whatever its pid says. The holder renews every third of it. */
export const LEASE_TTL_MS = 30_000;
export const LEASE_RENEW_MS = 10_000;

export function newLeaseOwner(kind: LeaseOwner['kind']): LeaseOwner {
  return { pid: process.pid, host: os.hostname(), instance: randomBytes(8).toString('hex'), kind };
}

export function sameOwner(a: LeaseOwner | undefined, b: LeaseOwner | undefined): boolean {
  return a !== undefined && b !== undefined && a.instance === b.instance;
}

/** Whether a process with this pid exists on this machine (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface LivenessProbe {
  readonly now: number;
  readonly host?: string;
  readonly alive?: (pid: number) => boolean;
  readonly ttlMs?: number;
}

/** Whether a lease still stands: not released, renewed within the TTL and, on this machine, its process alive. */
export function leaseIsLive(lease: LeaseRecord | undefined, probe: LivenessProbe): boolean {
  if (!lease || lease.released) return false;
  if (probe.now - lease.renewedAt > (probe.ttlMs ?? LEASE_TTL_MS)) return false;
  if (lease.owner.host === (probe.host ?? os.hostname())) return (probe.alive ?? processAlive)(lease.owner.pid);
  return true;
}

/** A lease read from disk, tolerantly; undefined when it is not one. */
export function parseLease(value: unknown): LeaseRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  const o = r.owner as Record<string, unknown> | undefined;
  if (typeof o !== 'object' || o === null) return undefined;
  if (typeof o.pid !== 'number' || typeof o.host !== 'string' || typeof o.instance !== 'string') return undefined;
  if (typeof r.renewedAt !== 'number') return undefined;
  const kind = o.kind === 'editor' ? 'editor' : 'server';
  return {
    owner: { pid: o.pid, host: o.host, instance: o.instance, kind },
    renewedAt: r.renewedAt,
    ...(r.released === true ? { released: true } : {}),
  };
}
