// Fault injection: what a test arms (in-process or by POST /__sim/faults) and how requests consume it.
// Every fault fires a counted number of times (`times`, default 1; -1 = until cleared), so "two 429s then
// success" is one setting and tests never depend on timing.

/** Which API call a fault hits: create (POST /v1/videos), poll (GET /v1/videos/{id}) or either. */
export type FaultTarget = 'create' | 'poll' | 'any';

export interface Counted {
  /** How many matching requests it hits; default 1; -1 = every one until cleared. */
  times?: number;
}
export interface ApiFault extends Counted {
  on?: FaultTarget;
}

export interface Faults {
  /** 429. Default: flat body with new-api's Chinese "group saturated" text, no Retry-After (none documented). */
  rateLimit?: ApiFault & { shape?: 'flat' | 'envelope'; retryAfterSeconds?: number; message?: string };
  /**
   * A 5xx. `code: "invalid_request"` gives the documented do-not-retry 500. `shape: "html"` imitates a proxy
   * page (Cloudflare's 524 is HTML) instead of the JSON envelope.
   */
  serverError?: ApiFault & { status?: 500 | 502 | 503 | 504 | 524; code?: string; message?: string; shape?: 'envelope' | 'html' };
  /**
   * 403: CONTRACT §6 E10 (balance or quota) and E11 (access blocked by a WAF). Undocumented for videos, so the
   * default is the envelope with the error guide's wording; `shape: "html"` imitates a WAF page.
   */
  forbidden?: ApiFault & { shape?: 'envelope' | 'flat' | 'html'; message?: string };
  /** TCP reset before any response (nothing is created). */
  reset?: ApiFault;
  /** The task IS created, then the socket is destroyed before the response: a retry makes a duplicate. */
  loseCreateResponse?: Counted;
  /**
   * The task IS created, then the create answers a 5xx or 524 (default 524, Cloudflare's origin timeout, as
   * its HTML page; other statuses default to the JSON envelope). The client cannot tell it from a create
   * that never happened.
   */
  createThenError?: Counted & { status?: 500 | 502 | 503 | 504 | 524; shape?: 'envelope' | 'html' };
  /**
   * The create takes `ms` before the task is made, and is made even if the client hung up meanwhile
   * (a client deadline shorter than `ms` leaves a task it never heard of).
   */
  slowCreate?: Counted & { ms: number };
  /** Wait this long before answering (client timeouts). */
  delay?: ApiFault & { ms: number };
  /** Send the response body at this rate. */
  slowBody?: ApiFault & { bytesPerSecond: number };
  /** Send headers and `afterBytes` of the body (default half), then nothing, keeping the socket open. */
  stallBody?: ApiFault & { afterBytes?: number };
  /** 5xx (default 503) from the storage host, XML body. */
  storageError?: Counted & { status?: number };
  /** Close the download socket after `afterBytes`, although Content-Length promised more. */
  truncateDownload?: Counted & { afterBytes: number };
  /** Send downloads at this rate. */
  slowDownload?: Counted & { bytesPerSecond: number };
  /** Send `afterBytes` of a download, then nothing. */
  stallDownload?: Counted & { afterBytes: number };
}

export type FaultName = keyof Faults;

const API_FAULTS: readonly FaultName[] = ['rateLimit', 'serverError', 'forbidden', 'reset', 'delay', 'slowBody', 'stallBody'];
const NAMES: readonly FaultName[] = [
  ...API_FAULTS,
  'loseCreateResponse',
  'createThenError',
  'slowCreate',
  'storageError',
  'truncateDownload',
  'slowDownload',
  'stallDownload',
];

// Allowed fields per fault (besides times/on), with their checks.
type Check = (v: unknown) => boolean;
const int = (min: number): Check => (v) => Number.isSafeInteger(v) && (v as number) >= min;
const str: Check = (v) => typeof v === 'string';
const FIELDS: Record<FaultName, Record<string, Check>> = {
  rateLimit: { shape: (v) => v === 'flat' || v === 'envelope', retryAfterSeconds: int(0), message: str },
  serverError: {
    status: (v) => [500, 502, 503, 504, 524].includes(v as number),
    code: str,
    message: str,
    shape: (v) => v === 'envelope' || v === 'html',
  },
  forbidden: { shape: (v) => v === 'envelope' || v === 'flat' || v === 'html', message: str },
  reset: {},
  loseCreateResponse: {},
  createThenError: { status: (v) => [500, 502, 503, 504, 524].includes(v as number), shape: (v) => v === 'envelope' || v === 'html' },
  slowCreate: { ms: int(0) },
  delay: { ms: int(0) },
  slowBody: { bytesPerSecond: int(1) },
  stallBody: { afterBytes: int(0) },
  storageError: { status: (v) => Number.isInteger(v) && (v as number) >= 500 && (v as number) <= 599 },
  truncateDownload: { afterBytes: int(0) },
  slowDownload: { bytesPerSecond: int(1) },
  stallDownload: { afterBytes: int(0) },
};
const REQUIRED: Partial<Record<FaultName, string>> = {
  delay: 'ms',
  slowCreate: 'ms',
  slowBody: 'bytesPerSecond',
  truncateDownload: 'afterBytes',
  slowDownload: 'bytesPerSecond',
  stallDownload: 'afterBytes',
};

/**
 * Validates faults from a test or JSON. A key set to null clears that fault. Throws on unknown names or
 * fields, so a typo fails the test that made it instead of silently arming nothing.
 */
export function checkFaults(input: unknown): { [K in FaultName]?: Faults[K] | null } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('faults must be a JSON object');
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(input)) {
    if (!NAMES.includes(name as FaultName)) throw new Error(`unknown fault "${name}"; known: ${NAMES.join(', ')}`);
    if (spec === null) {
      out[name] = null;
      continue;
    }
    if (typeof spec !== 'object' || Array.isArray(spec)) throw new Error(`fault "${name}" must be an object or null`);
    const fields = FIELDS[name as FaultName];
    for (const [k, v] of Object.entries(spec as object)) {
      if (k === 'times') {
        if (!(Number.isSafeInteger(v) && (v === -1 || v >= 1))) throw new Error(`fault "${name}": times must be >= 1 or -1`);
      } else if (k === 'on' && API_FAULTS.includes(name as FaultName)) {
        if (!['create', 'poll', 'any'].includes(v as string)) throw new Error(`fault "${name}": on must be create, poll or any`);
      } else if (!fields[k]) {
        throw new Error(`fault "${name}" has no field "${k}"`);
      } else if (!fields[k](v)) {
        throw new Error(`fault "${name}": invalid ${k} ${JSON.stringify(v)}`);
      }
    }
    const required = REQUIRED[name as FaultName];
    if (required && !(required in (spec as object))) throw new Error(`fault "${name}" needs "${required}"`);
    out[name] = { ...(spec as object) };
  }
  return out as { [K in FaultName]?: Faults[K] | null };
}

/** The armed faults and their remaining counts. */
export class FaultBox {
  private armed: Faults = {};

  set(input: unknown): Faults {
    const patch = checkFaults(input);
    for (const [name, spec] of Object.entries(patch)) {
      if (spec === null) delete this.armed[name as FaultName];
      else (this.armed as Record<string, unknown>)[name] = { times: 1, ...spec };
    }
    return this.current();
  }

  clear(): void {
    this.armed = {};
  }

  current(): Faults {
    return JSON.parse(JSON.stringify(this.armed)) as Faults;
  }

  /** Consumes one use of a fault if it is armed (and, for API faults, aimed at this route). */
  take<K extends FaultName>(name: K, route?: 'create' | 'poll'): NonNullable<Faults[K]> | undefined {
    const spec = this.armed[name] as (Counted & { on?: FaultTarget }) | undefined;
    if (!spec) return undefined;
    const on = spec.on ?? 'any';
    if (route && on !== 'any' && on !== route) return undefined;
    if (spec.times !== -1) {
      spec.times = (spec.times ?? 1) - 1;
      if (spec.times <= 0) delete this.armed[name];
    }
    return { ...spec } as NonNullable<Faults[K]>;
  }
}
