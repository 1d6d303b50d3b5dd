// The task as the extension tracks it (domain), the shape it is persisted in (stored), and the small public
// snapshot other code may show or hand out. Kept apart on purpose: the wire shape (api/types.ts) says what
// the service sent, this file says what we know, the stored shape is versioned so it can be migrated.

import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import type { ApiErrorKind } from '../api/errors';
import { fieldsOf, type Editable, type GenerationFields, type GenerationRequest } from '../generationRequest';

/**
 * Where a task stands, as far as this extension knows.
 * - submitting: the create request is being sent; no service id yet.
 * - uncertain: the create request may have reached the service (timeout, reset, window closed mid-create),
 *   but no id came back. Never re-sent automatically (create is not idempotent and is billed); the person
 *   can dismiss it or resubmit knowingly.
 * - queued / running: the service has it; the poller checks it.
 * - succeeded / failed: terminal; never polled again.
 * - stalled: past the polling deadline without finishing; no longer polled until the person chooses
 *   "keep waiting" (the service may still finish it).
 */
export type TrackedStatus = 'submitting' | 'uncertain' | 'queued' | 'running' | 'succeeded' | 'failed' | 'stalled';

export const TRACKED_STATUSES: readonly TrackedStatus[] = [
  'submitting', 'uncertain', 'queued', 'running', 'succeeded', 'failed', 'stalled',
];

/** Download of the finished video into the workspace. */
export type DownloadStateName = 'none' | 'downloading' | 'downloaded' | 'failed';

export interface DownloadInfo {
  readonly state: DownloadStateName;
  /** Bytes written so far (downloading) or in total (downloaded). */
  readonly bytes?: number;
  /** Expected size from Content-Length, when the server sent one. */
  readonly total?: number;
  /** Human words for a failed download. */
  readonly error?: string;
  /**
   * The final path being written (set when a download starts, kept when it is cut off): after a crash the
   * temporary file beside it is found and deleted, and the download is started again.
   */
  readonly target?: string;
  /** The download was cut off by a reload or crash (not by an error or the person): restart it by itself. */
  readonly interrupted?: boolean;
  /**
   * The video is saved but the record beside it could not be written (why, in words): shown once as a
   * warning. Not persisted: the saved video is what lasts.
   */
  readonly recordError?: string;
}

/** The reference image as the task remembers it: where it was read from, never its bytes. */
export interface TaskReferenceImage {
  /** Absolute path the image was read from (after realpath). */
  readonly path: string;
  /** File name shown to the person and sent in the multipart upload. */
  readonly name: string;
}

/**
 * What was asked for (validated parameters, as sent), the images by where they were read from. Reference images
 * after the first are in `moreReferences`, in upload order (2.0 models; up to 8 more).
 */
export interface TaskRequest extends GenerationRequest<TaskReferenceImage> {
  /** The storyboard shot this generation is a take of (workspace-relative file, shot id). */
  readonly storyboard?: { readonly file: string; readonly shotId: string };
}

/** Why a task failed, in words a person can act on. */
export interface TrackedFailure {
  /** The ApiError kind when the failure came from an error on our side of the wire ('notFound', 'auth', ...). */
  readonly kind?: ApiErrorKind | 'service' | 'interrupted';
  /** The service's code when it gave one (e.g. "InputTextSensitiveContentDetected", "task_not_exist"). */
  readonly code?: string;
  readonly message: string;
}

/**
 * One generation tracked by the extension. Immutable: the store replaces the object on every change.
 * All timestamps are epoch milliseconds from the injected clock.
 */
export interface TrackedTask {
  /** Stable id generated before submit; the tree item id and the key everywhere in the extension. */
  readonly localId: string;
  /** The service's task id, verbatim. Absent while submitting or when uncertain. */
  readonly remoteId?: string;
  readonly status: TrackedStatus;
  /** 0-100 as last reported by the service; a hint for the UI only, never a stop condition. */
  readonly progress: number;
  readonly request: TaskRequest;
  /** When the person asked for it (set before the create request). */
  readonly createdAt: number;
  /** When the service accepted it (the id came back). */
  readonly submittedAt?: number;
  /** When it reached succeeded or failed. */
  readonly finishedAt?: number;
  /** Last successful status check. Changes alone do not count as a change (see taskStore.ts). */
  readonly lastPolledAt?: number;
  /**
   * Start of the current wait: submittedAt, or the moment the person chose "keep waiting" on a stalled
   * task. The stall deadline counts from here.
   */
  readonly waitingSince?: number;
  /**
   * When a status check first answered task_not_exist after the task was seen (applyStatus): the task ends
   * only if the answer is the same minutes later. Not stored (a reload starts the wait again).
   */
  readonly notFoundSince?: number;
  readonly failure?: TrackedFailure;
  /**
   * Signed, expiring download URL from the service. A bearer credential until it expires: never log it,
   * never put it in the metadata record or the public snapshot (use taskLogLine for logs). It IS persisted
   * in workspace state (see persistence.ts for why).
   */
  readonly videoUrl?: string;
  readonly download: DownloadInfo;
  /** Absolute path of the downloaded video. */
  readonly file?: string;
  /** Absolute path of the sibling .json metadata record. */
  readonly metadataFile?: string;
  /**
   * Started by an agent outside VS Code through the MCP server (dist/mcp.js): the job lives in the workspace's
   * `.seedance/jobs/` and was adopted by the extension (src/core/agentJobs/).
   */
  readonly startedBy?: 'agent';
}

/** A new task in 'submitting' state; the caller adds it to the store before sending the create request. */
export function createSubmittingTask(request: TaskRequest, now: number, localId: string = newLocalId()): TrackedTask {
  return { localId, status: 'submitting', progress: 0, request, createdAt: now, download: { state: 'none' } };
}

/** A fresh local id (random UUID; never derived from the prompt, so ids leak nothing). */
export function newLocalId(): string {
  return randomUUID();
}

/** succeeded and failed never change again on the service. */
export function isTerminal(status: TrackedStatus): boolean {
  return status === 'succeeded' || status === 'failed';
}

/**
 * Nothing more will happen to this task by itself: it failed, or it succeeded and its video is saved. Only
 * settled tasks may be read lazily after a reload (the poller and the download resumer never need them).
 */
export function isSettled(task: Pick<TrackedTask, 'status' | 'download'>): boolean {
  return task.status === 'failed' || (task.status === 'succeeded' && task.download.state === 'downloaded');
}

/**
 * The one rule for "is this task running" (issue 22): its create request is being sent, or the service has
 * it queued or generating. A stalled task is not running (nobody checks it until the person asks), nor is an
 * uncertain one (it cannot be followed). The status bar's count, the view's spinner and ticking clock, the
 * panel's typical duration and a storyboard take's busy state all follow this. Takes a take too.
 */
export function isRunning(task: { readonly status: TrackedStatus | 'saved' }): boolean {
  return task.status === 'submitting' || task.status === 'queued' || task.status === 'running';
}

/**
 * Whether the task may still produce a video by itself or with a "keep waiting": running, or stalled (the
 * service may still finish it). Removing such a task asks first.
 */
export function isInFlight(task: Pick<TrackedTask, 'status'>): boolean {
  return isRunning(task) || task.status === 'stalled';
}

/** The four statuses everyone outside the extension understands. */
export type PublicStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** What may be shown or handed out about a task: no service id internals, no signed URL. */
export interface PublicTaskSnapshot extends GenerationFields {
  /**
   * The service's task id (what `seedance.generate` resolves to); a request that never got one (uncertain,
   * or still submitting) is listed under the extension's own local id.
   */
  readonly id: string;
  readonly status: PublicStatus;
  readonly progress: number;
  /** Absolute path of the downloaded video, once downloaded. */
  readonly file?: string;
  /** Why it failed (or why its download failed), in plain words. */
  readonly error?: string;
}

/** The explanation shown for an uncertain task in the public snapshot. */
export const UNCERTAIN_MESSAGE =
  'The request may have reached CometAPI, but no task id came back, so it cannot be followed. Check your CometAPI usage before resubmitting.';

/**
 * The public view. Status mapping, chosen so `status` answers "will this still change by itself?":
 * - submitting -> queued: it is on its way and will move on without anyone acting.
 * - stalled -> running: the service may still finish it; we only stopped looking until asked.
 * - uncertain -> failed (with UNCERTAIN_MESSAGE): without an id nothing will ever report a result, so for a
 *   consumer it is finished without a video; calling it queued/running would promise a video that no code
 *   path can deliver.
 * A succeeded task whose download failed stays succeeded (the video exists) with the download error.
 */
export function toPublicSnapshot(task: TrackedTask): PublicTaskSnapshot {
  let status: PublicStatus;
  let error: string | undefined;
  switch (task.status) {
    case 'submitting':
    case 'queued':
      status = 'queued';
      break;
    case 'running':
    case 'stalled':
      status = 'running';
      break;
    case 'succeeded':
      status = 'succeeded';
      if (task.download.state === 'failed') error = task.download.error ?? l10n.t('The download failed.');
      break;
    case 'failed':
      status = 'failed';
      error = task.failure?.message ?? l10n.t('The generation failed.');
      break;
    case 'uncertain':
      status = 'failed';
      error = task.failure?.message ?? UNCERTAIN_MESSAGE;
      break;
  }
  const snapshot: PublicTaskSnapshot = {
    id: task.remoteId ?? task.localId,
    status,
    progress: task.progress,
    ...fieldsOf(task.request),
    ...(task.file !== undefined && task.download.state === 'downloaded' ? { file: task.file } : {}),
    ...(error !== undefined ? { error } : {}),
  };
  return snapshot;
}

/** One log line about a task, safe to write to the output channel: never the signed URL or the prompt text. */
export function taskLogLine(task: TrackedTask): string {
  const parts = [`task ${task.localId}`, `remote=${task.remoteId ?? '-'}`, `status=${task.status}`, `progress=${task.progress}`,
    `model=${task.request.model}`, `download=${task.download.state}`];
  if (task.failure) parts.push(`failure=${task.failure.kind ?? '-'}/${task.failure.code ?? '-'}`);
  return parts.join(' ');
}

// ---- Stored shape (version 1) ----------------------------------------------------------------------------

/** The persisted envelope. `version` moves when the stored task shape changes; see persistence.ts migrations. */
export interface StoredEnvelopeV1 {
  readonly version: 1;
  readonly tasks: readonly StoredTaskV1[];
}

/**
 * A task as persisted: plain JSON, same fields as TrackedTask today, but a separate type so the domain type
 * can change without silently changing what is on disk (a change here needs a new version + migration).
 */
export interface StoredTaskV1 {
  localId: string;
  remoteId?: string;
  status: TrackedStatus;
  progress: number;
  /**
   * The generation fields as the domain declares them (generationRequest.ts): a field added there is stored by
   * toStoredTask and must be read by parseTask (storedTask.ts), tolerating entries written before it existed.
   */
  request: Editable<GenerationFields> & {
    inputReference?: { path: string; name: string };
    /** Optional, so version 1 envelopes written before storyboards still load as they are. */
    storyboard?: { file: string; shotId: string };
    /** Optional and additive (older versions ignore it), so no new store version. */
    moreReferences?: { path: string; name: string }[];
  };
  createdAt: number;
  submittedAt?: number;
  finishedAt?: number;
  lastPolledAt?: number;
  waitingSince?: number;
  failure?: { kind?: string; code?: string; message: string };
  videoUrl?: string;
  download: { state: DownloadStateName; bytes?: number; total?: number; error?: string; target?: string; interrupted?: boolean };
  file?: string;
  metadataFile?: string;
  /** Optional and additive (older versions ignore it), so no new store version. */
  startedBy?: 'agent';
}
