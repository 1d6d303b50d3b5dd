// One stored task entry (anything: storage may hold what an older or newer build wrote, or garbage) into a
// TrackedTask, tolerantly: required fields are checked, optional junk is dropped, nothing throws.
import { TRACKED_STATUSES, type DownloadInfo, type TrackedFailure, type TrackedStatus, type TrackedTask } from './task';

/** One stored entry -> task, or undefined when a required field is missing or wrong. Optional junk is dropped. */
export function parseTask(entry: unknown): TrackedTask | undefined {
  if (!isRecord(entry)) return undefined;
  const localId = entry.localId;
  const status = entry.status;
  const req = entry.request;
  if (typeof localId !== 'string' || localId === '') return undefined;
  if (typeof status !== 'string' || !(TRACKED_STATUSES as readonly string[]).includes(status)) return undefined;
  if (!isRecord(req)) return undefined;
  if (typeof req.prompt !== 'string' || typeof req.model !== 'string' || !isFiniteNumber(req.seconds)) return undefined;
  if (typeof req.size !== 'string' || typeof req.resolution !== 'string') return undefined;
  if (!isFiniteNumber(entry.createdAt)) return undefined;

  const ref = isRecord(req.inputReference) && typeof req.inputReference.path === 'string' && typeof req.inputReference.name === 'string'
    ? { path: req.inputReference.path, name: req.inputReference.name }
    : undefined;
  const storyboard = isRecord(req.storyboard) && typeof req.storyboard.file === 'string' && typeof req.storyboard.shotId === 'string'
    ? { file: req.storyboard.file, shotId: req.storyboard.shotId }
    : undefined;
  const more = Array.isArray(req.moreReferences)
    ? req.moreReferences.filter((r): r is { path: string; name: string } => isRecord(r) && typeof r.path === 'string' && typeof r.name === 'string')
      .map((r) => ({ path: r.path, name: r.name }))
    : [];
  const task: TrackedTask = {
    localId,
    remoteId: optString(entry.remoteId),
    status: status as TrackedStatus,
    progress: isFiniteNumber(entry.progress) ? Math.min(100, Math.max(0, entry.progress)) : 0,
    request: {
      prompt: req.prompt,
      model: req.model,
      seconds: req.seconds,
      size: req.size,
      resolution: req.resolution,
      inputReference: ref,
      ...(more.length ? { moreReferences: more } : {}),
      ...(storyboard ? { storyboard } : {}),
    },
    createdAt: entry.createdAt,
    submittedAt: optNumber(entry.submittedAt),
    finishedAt: optNumber(entry.finishedAt),
    lastPolledAt: optNumber(entry.lastPolledAt),
    waitingSince: optNumber(entry.waitingSince),
    failure: parseFailure(entry.failure),
    videoUrl: optString(entry.videoUrl),
    download: parseDownload(entry.download),
    file: optString(entry.file),
    metadataFile: optString(entry.metadataFile),
    startedBy: entry.startedBy === 'agent' ? 'agent' : undefined,
  };
  // A task that claims to be on the service but has no id cannot be followed.
  if ((task.status === 'queued' || task.status === 'running' || task.status === 'stalled') && !task.remoteId) {
    return { ...task, status: 'uncertain' };
  }
  return stripUndefined(task);
}

function parseFailure(value: unknown): TrackedFailure | undefined {
  if (!isRecord(value) || typeof value.message !== 'string') return undefined;
  return stripUndefined({
    kind: optString(value.kind) as TrackedFailure['kind'],
    code: optString(value.code),
    message: value.message,
  });
}

function parseDownload(value: unknown): DownloadInfo {
  const states = ['none', 'downloading', 'downloaded', 'failed'];
  if (!isRecord(value) || typeof value.state !== 'string' || !states.includes(value.state)) return { state: 'none' };
  return stripUndefined({
    state: value.state as DownloadInfo['state'],
    bytes: optNumber(value.bytes),
    total: optNumber(value.total),
    error: optString(value.error),
    target: optString(value.target),
    interrupted: value.interrupted === true ? true : undefined,
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function optString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optNumber(value: unknown): number | undefined {
  return isFiniteNumber(value) ? value : undefined;
}

function stripUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}
