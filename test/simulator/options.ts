// The simulator's settings: what can be chosen at start (SimulatorOptions) and what can be changed while it
// runs (SimulatorConfig, through Simulator.setConfig or POST /__sim/config). Every default is the documented
// behaviour (CONTRACT.md) and as messy as the real service (varying durations, coarse progress, replication
// lag, a per-key rate limit, a few lost create answers), so a test only names what it wants to be different;
// a test that needs exact timing and no random faults asks for `deterministic: true`.

import type { Faults } from './faults';
import { newSeed } from './random';

export type Profile = 'revA' | 'revB';
/** coarse: new-api's 10/50/100; none: 0 until done; smooth: even growth; backloaded: most of it at the end. */
export type ProgressMode = 'coarse' | 'none' | 'smooth' | 'backloaded';
/** A token bucket per API key: `burst` requests at once, refilled at `perSecond` (real time). */
export interface KeyRateLimit {
  burst: number;
  perSecond: number;
}
/** Tasks created within `windowSeconds` of setting it wait about `extraQueueSeconds` more (both simulated). */
export interface LoadSpike {
  extraQueueSeconds: number;
  windowSeconds: number;
}
/** newapi: re-polling a finished task returns the URL stored at completion (expired or not); ark: re-signs. */
export type UrlMode = 'newapi' | 'ark';
/** What an unknown path answers: a JSON 404 (default), a 200 HTML page, or a 301 to that page. */
export type WrongPathMode = 'notFound' | 'html' | 'redirect';
/** Where a failed task's reason goes (CONTRACT 4.1: undocumented, so clients must read all of them). */
export type FailureDetail = 'error' | 'fail_reason' | 'none';
/** Where a finished task's URL goes (CONTRACT 4.1 lists the places other builds used; 'none' omits it). */
export type VideoUrlField = 'video_url' | 'metadata.url' | 'output.video_url' | 'fail_reason' | 'none';
/** GET /v1/videos/{id}/content: refused for Seedance (revision B's words) or new-api's proxy (CONTRACT 5.3). */
export type ContentRoute = 'unsupported' | 'proxy';
/** E3's text: the documented short message, or the raw, longer Ark message. */
export type DurationMessage = 'documented' | 'ark';

export interface SimulatorConfig {
  profile: Profile;
  /** Accepted keys; each key is its own account (tasks are visible only to the key that made them). */
  apiKeys: string[];
  /** 1 = realistic (medians 60-180 s per task); tests use about 0.005-0.05. Applies to tasks created afterwards. */
  timeScale: number;
  /**
   * A preset, applied before the other keys of the same patch: true gives fixed durations (the medians) and
   * turns off every random or time-dependent fault (lostCreateRate, createErrorRate, replicationLagMs,
   * keyRateLimit); false puts the realistic defaults of those back. Explicit keys in the same patch win.
   */
  deterministic: boolean;
  /** Seed of every random behaviour (durations, random faults, lag). Default: a fresh one per start. */
  seed: number;
  /** Polls of a task younger than about this many ms (real time) get task_not_exist (replication lag). */
  replicationLagMs: number;
  /** Per-key token bucket on every API route (429 when empty); null = none. */
  keyRateLimit: KeyRateLimit | null;
  /** Share of creates whose task is made and whose answer is then lost (connection dropped). */
  lostCreateRate: number;
  /** Share of creates whose task is made and which then answer 502, 503 or 524. */
  createErrorRate: number;
  /** A load spike, starting when set; null = none. */
  loadSpike: LoadSpike | null;
  /** X-Tos-Expires of new download URLs (TOS allows 1..604800). */
  urlExpirySeconds: number;
  progress: ProgressMode;
  /** Append " (request id: ...)" to envelope error messages, as live CometAPI does. */
  requestIdSuffix: boolean;
  /** Also send the request id in this response header (new-api: X-Oneapi-Request-Id); null = none. */
  requestIdHeader: string | null;
  /** Live chat endpoints answered 503 for an unknown model; 400 is the plausible alternative. */
  unknownModelStatus: 503 | 400;
  urlMode: UrlMode;
  wrongPath: WrongPathMode;
  failureDetail: FailureDetail;
  videoUrlField: VideoUrlField;
  contentRoute: ContentRoute;
  durationMessage: DurationMessage;
  /**
   * Strict mode refuses what the service is documented to tolerate: a non-integer `seconds` (otherwise 5),
   * a resolution class the model lacks (otherwise silently downgraded, as revision B reports), and an
   * undocumented WxH (otherwise mapped to the nearest documented one).
   */
  strict: boolean;
  /** new-api quirk: completed_at is filled (with "now") on every poll, even while the task runs. */
  completedAtWhileRunning: boolean;
  /** Repeat `task_id` on GET responses (new-api does; the revision A example does not). */
  taskIdOnGet: boolean;
  /** Add "data": null to every flat error (new-api does); task_not_exist always has it. */
  flatErrorData: boolean;
  /** When > 0 every download is this many bytes: the fixture followed by an MP4 'free' box (streamed). */
  largeVideoBytes: number;
  /** Seconds added to the storage host's clock (signing and expiry checks): lets a test expire URLs now. */
  clockOffsetSeconds: number;
  /** Read create request bodies at about this rate (a slow uplink; see slowUpload.ts); 0 = full speed. */
  uploadBytesPerSecond: number;
  /**
   * Serve the models CometAPI retired (CONTRACT 16: 1.0 Pro, 1.5 Pro) as the seed page described them; off
   * by default, when they are answered as unknown (E6) and left out of /api/models, as the service does now.
   */
  serveRetired: boolean;
}

export interface SimulatorOptions extends Partial<SimulatorConfig> {
  /** Interface to listen on; default 127.0.0.1. The control endpoints answer loopback clients only. */
  host?: string;
  /** API port; default 0 (any free port). */
  port?: number;
  /** Storage (video) port; default 0. */
  videoPort?: number;
  /** Faults armed from the start. */
  faults?: Faults;
}

export const DEFAULT_API_KEY = 'sk-sim-local-demo';

/** The messy defaults of the random or time-dependent behaviours (deterministic: false). */
export const REALISTIC: Pick<SimulatorConfig, 'replicationLagMs' | 'keyRateLimit' | 'lostCreateRate' | 'createErrorRate'> = {
  replicationLagMs: 1000,
  // Normal use (one poll every few seconds, a create now and then) never empties it; a burst does.
  keyRateLimit: { burst: 40, perSecond: 4 },
  lostCreateRate: 0.01,
  createErrorRate: 0.005,
};
const DETERMINISTIC: typeof REALISTIC = { replicationLagMs: 0, keyRateLimit: null, lostCreateRate: 0, createErrorRate: 0 };

export function defaultConfig(): SimulatorConfig {
  return {
    profile: 'revA',
    apiKeys: [DEFAULT_API_KEY],
    timeScale: 1,
    deterministic: false,
    seed: newSeed(),
    ...REALISTIC,
    loadSpike: null,
    urlExpirySeconds: 86400,
    progress: 'coarse',
    requestIdSuffix: true,
    requestIdHeader: null,
    unknownModelStatus: 503,
    urlMode: 'newapi',
    wrongPath: 'notFound',
    failureDetail: 'error',
    videoUrlField: 'video_url',
    contentRoute: 'unsupported',
    durationMessage: 'documented',
    strict: false,
    completedAtWhileRunning: false,
    taskIdOnGet: false,
    flatErrorData: false,
    largeVideoBytes: 0,
    clockOffsetSeconds: 0,
    uploadBytesPerSecond: 0,
    serveRetired: false,
  };
}

type Check = (v: unknown) => boolean;
const oneOf = (...values: unknown[]): Check => (v) => values.includes(v);
const bool: Check = (v) => typeof v === 'boolean';
const num = (min: number, max: number): Check => (v) => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;

/** An object with exactly these keys, each passing its check. */
const fields = (v: unknown, checks: Record<string, Check>): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) &&
  Object.keys(v).length === Object.keys(checks).length &&
  Object.entries(checks).every(([k, check]) => k in v && check((v as Record<string, unknown>)[k]));

// One checker per key: a typo or a wrong type in a test's config is reported, not silently ignored.
const CHECKS: { [K in keyof SimulatorConfig]: Check } = {
  profile: oneOf('revA', 'revB'),
  apiKeys: (v) => Array.isArray(v) && v.length > 0 && v.every((k) => typeof k === 'string' && k.length > 0),
  timeScale: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0,
  deterministic: bool,
  seed: (v) => Number.isInteger(v) && num(0, 2 ** 32 - 1)(v),
  replicationLagMs: (v) => Number.isInteger(v) && num(0, 600_000)(v),
  keyRateLimit: (v) => v === null || fields(v, { burst: (x) => Number.isInteger(x) && num(1, 1e6)(x), perSecond: num(0.001, 1e6) }),
  lostCreateRate: num(0, 1),
  createErrorRate: num(0, 1),
  loadSpike: (v) => v === null || fields(v, { extraQueueSeconds: num(0, 86400), windowSeconds: num(0, 86400) }),
  urlExpirySeconds: (v) => Number.isInteger(v) && num(1, 604800)(v),
  progress: oneOf('coarse', 'none', 'smooth', 'backloaded'),
  requestIdSuffix: bool,
  requestIdHeader: (v) => v === null || (typeof v === 'string' && /^[A-Za-z0-9-]+$/.test(v)),
  unknownModelStatus: oneOf(503, 400),
  urlMode: oneOf('newapi', 'ark'),
  wrongPath: oneOf('notFound', 'html', 'redirect'),
  failureDetail: oneOf('error', 'fail_reason', 'none'),
  videoUrlField: oneOf('video_url', 'metadata.url', 'output.video_url', 'fail_reason', 'none'),
  contentRoute: oneOf('unsupported', 'proxy'),
  durationMessage: oneOf('documented', 'ark'),
  strict: bool,
  completedAtWhileRunning: bool,
  taskIdOnGet: bool,
  flatErrorData: bool,
  largeVideoBytes: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
  clockOffsetSeconds: num(-1e9, 1e9),
  uploadBytesPerSecond: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
  serveRetired: bool,
};

/** Validates a partial config (from a test or from JSON); throws with the offending key. */
export function checkConfigPatch(patch: unknown): Partial<SimulatorConfig> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new Error('config must be a JSON object');
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    const check = (CHECKS as Record<string, Check | undefined>)[key];
    if (!check) throw new Error(`unknown config key "${key}"; known: ${Object.keys(CHECKS).join(', ')}`);
    if (!check(value)) throw new Error(`invalid value for config "${key}": ${JSON.stringify(value)}`);
    out[key] = key === 'apiKeys' ? [...(value as string[])] : value !== null && typeof value === 'object' ? { ...value } : value;
  }
  return out as Partial<SimulatorConfig>;
}

/** Applies a checked patch to a config: the `deterministic` preset first, then the patch's own keys. */
export function applyConfigPatch(cfg: SimulatorConfig, patch: Partial<SimulatorConfig>): void {
  if (patch.deterministic !== undefined) Object.assign(cfg, patch.deterministic ? DETERMINISTIC : REALISTIC);
  Object.assign(cfg, patch);
}
