// Wire JSON -> domain types, read tolerantly (CONTRACT "Decisions", 4.1, 6, 9, 13). The service has two live
// documentation revisions with different status vocabularies, gateways put the video URL and the failure
// reason in different places, and any optional field may be missing or null. Everything here is pure and
// never throws on odd-but-usable input; it throws WireShapeError only when the body cannot be a task.

import type { TaskFailure, TaskStatus, VideoTask } from './types';

/** The body is JSON but not a video task (no id): the caller reports it as an invalid response. */
export class WireShapeError extends Error {
  override readonly name = 'WireShapeError';
}

// CONTRACT 9: every spelling seen in CometAPI revisions A and B, new-api, Ark and OpenAI, after
// normalisation (lower case, spaces and hyphens as underscores).
const STATUS_BUCKETS: Readonly<Record<string, TaskStatus>> = {
  submitted: 'queued',
  queued: 'queued',
  not_start: 'queued',
  not_started: 'queued',
  pending: 'queued',
  in_progress: 'running',
  running: 'running',
  processing: 'running',
  success: 'succeeded',
  succeeded: 'succeeded',
  completed: 'succeeded',
  failed: 'failed',
  failure: 'failed',
  error: 'failed',
  // Ark: a cancelled or expired task will never produce a video, so it is over (failed), not stuck.
  expired: 'failed',
  cancelled: 'failed',
  canceled: 'failed',
};

export interface NormalisedStatus {
  readonly status: TaskStatus;
  /** True when the string is not one we know: treated as still running, never as an end state. */
  readonly unknown: boolean;
}

export function normaliseStatus(raw: unknown): NormalisedStatus {
  const key = typeof raw === 'string' ? raw.trim().toLowerCase().replace(/[\s-]+/g, '_') : '';
  const status = STATUS_BUCKETS[key];
  return status ? { status, unknown: false } : { status: 'running', unknown: true };
}

/** A message with any vendor request id taken out (for display) and kept apart (for logs). */
export interface SplitMessage {
  readonly text: string;
  readonly requestId?: string;
}

// new-api decorates messages with " (request id: <id>)"; Ark ends its messages with "Request id: <id>" or
// "Request ID: <id>". These are fixed vendor formats, not prose, so matching them is not English-only
// matching of meaning.
const PAREN_REQUEST_ID = /\s*\(\s*request[ _-]?id\s*[:：]\s*([^)\s]+)\s*\)/i;
// The full stop before Ark's "Request id" belongs to the sentence, so only spaces and commas go with it.
const TRAILING_REQUEST_ID = /[\s,;]*\brequest[ _-]?id\s*[:：]\s*([A-Za-z0-9._-]+)[\s.]*$/i;

export function splitRequestId(message: string): SplitMessage {
  let text = message;
  let requestId: string | undefined;
  const paren = PAREN_REQUEST_ID.exec(text);
  if (paren) {
    requestId = paren[1];
    text = text.slice(0, paren.index) + text.slice(paren.index + paren[0].length);
  }
  const trailing = TRAILING_REQUEST_ID.exec(text);
  if (trailing) {
    requestId ??= trailing[1];
    text = text.slice(0, trailing.index);
  }
  text = text.trim();
  return requestId ? { text, requestId } : { text };
}

/** What an error body says, from either shape: flat {code,message} or {error:{code,message,type}}. */
export interface WireErrorBody {
  readonly code?: string;
  /** With any request id removed. */
  readonly message?: string;
  readonly type?: string;
  readonly requestId?: string;
}

/** Reads either error shape (CONTRACT 6); undefined when the JSON carries neither a code nor a message. */
export function parseErrorBody(json: unknown): WireErrorBody | undefined {
  if (!isRecord(json)) return undefined;
  const env = json.error;
  let code: string | undefined;
  let message: string | undefined;
  let type: string | undefined;
  if (isRecord(env)) {
    code = text(env.code);
    message = text(env.message);
    type = text(env.type);
  } else if (typeof env === 'string') {
    message = text(env);
  }
  // `body.error?.message ?? body.message` (CONTRACT 13): the envelope wins, the flat shape fills gaps.
  code ??= text(json.code);
  message ??= text(json.message) ?? text(json.msg);
  if (code === undefined && message === undefined) return undefined;
  const split = message !== undefined ? splitRequestId(message) : undefined;
  return stripUndefined({ code, message: split?.text || undefined, type, requestId: split?.requestId });
}

/**
 * Maps a task object (create or poll response) to a VideoTask. Throws WireShapeError when there is no
 * task id, which means the body is not a task at all.
 */
export function parseVideoTask(json: unknown): VideoTask {
  let body = json;
  // The task object is documented at the top level; a `data` wrapper (common in gateways) is tolerated.
  if (isRecord(body) && text(body.id) === undefined && text(body.task_id) === undefined && isRecord(body.data)) {
    body = body.data;
  }
  if (!isRecord(body)) throw new WireShapeError('the response is not a JSON object');
  const id = idOf(body.id) ?? idOf(body.task_id);
  if (id === undefined) throw new WireShapeError('the response has no task id');

  const rawStatus = typeof body.status === 'string' ? body.status : body.status === null || body.status === undefined ? '' : String(body.status);
  const { status, unknown } = normaliseStatus(rawStatus);
  const videoUrl = findVideoUrl(body);

  const task: VideoTask = {
    id,
    status,
    rawStatus,
    unknownStatus: unknown,
    progress: progressOf(body.progress, status),
    model: text(body.model),
    createdAt: unixSeconds(body.created_at),
    completedAt: unixSeconds(body.completed_at),
    videoUrl,
    failure: status === 'failed' ? failureOf(body, rawStatus) : undefined,
  };
  return stripUndefined(task);
}

// CONTRACT 4.1: top-level video_url is documented; other builds used metadata.url, output.video_url,
// Ark's content.video_url, or (legacy new-api) fail_reason holding the URL.
function findVideoUrl(body: Record<string, unknown>): string | undefined {
  const candidates: unknown[] = [
    body.video_url,
    isRecord(body.metadata) ? body.metadata.url : undefined,
    isRecord(body.output) ? body.output.video_url : undefined,
    isRecord(body.content) ? body.content.video_url : undefined,
    body.fail_reason,
  ];
  for (const c of candidates) {
    const url = text(c);
    if (url !== undefined && isHttpUrl(url)) return url;
  }
  return undefined;
}

function failureOf(body: Record<string, unknown>, rawStatus: string): TaskFailure {
  const err = body.error;
  let code: string | undefined;
  let message: string | undefined;
  if (isRecord(err)) {
    code = text(err.code);
    message = text(err.message);
  } else if (typeof err === 'string') {
    message = text(err);
  }
  const failReason = text(body.fail_reason);
  // Read error.message, then error.code, then fail_reason (when it is not the legacy URL slot).
  message ??= code ?? (failReason !== undefined && !isHttpUrl(failReason) ? failReason : undefined);
  if (message === undefined) {
    return stripUndefined({ code, message: genericFailure(rawStatus) });
  }
  const split = splitRequestId(message);
  return stripUndefined({ code, message: split.text || genericFailure(rawStatus), requestId: split.requestId });
}

function genericFailure(rawStatus: string): string {
  switch (rawStatus.trim().toLowerCase()) {
    case 'error':
      return 'The service hit an internal error and could not finish the video. No reason was given.';
    case 'cancelled':
    case 'canceled':
      return 'The task was cancelled on the service.';
    case 'expired':
      return 'The task expired on the service before it finished.';
    default:
      return 'The service could not make this video and gave no reason.';
  }
}

function progressOf(value: unknown, status: TaskStatus): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.replace('%', '')) : NaN;
  if (!Number.isFinite(n)) return status === 'succeeded' ? 100 : 0;
  return Math.min(100, Math.max(0, Math.round(n)));
}

/** Unix seconds; accepts milliseconds and numeric strings; 0/null/absent mean "not set". */
function unixSeconds(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return n > 1e12 ? Math.floor(n / 1000) : n;
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value; // kept verbatim
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A non-empty string, or undefined (null, "", numbers become strings). */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value.trim())) return false;
  try {
    new URL(value.trim());
    return true;
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stripUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}
