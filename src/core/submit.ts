// Sending one create request without ever losing or double-billing it: the task is in the store (and so
// persisted) before the request leaves, gets its service id the moment it comes back, and a failure after
// the request may have reached the service leaves an "uncertain" entry that nothing re-sends by itself.

import { isApiError } from './api/errors';
import type { CreateVideoRequest, ReferenceImageUpload, VideoTask } from './api/types';
import { systemClock, type Clock } from './clock';
import { fieldsOf } from './generationRequest';
import { referencesOf } from './requestImages';
import { createSubmittingTask, taskLogLine, type TaskRequest, type TrackedTask } from './tasks/task';
import type { TaskStore } from './tasks/taskStore';

export interface SubmitDeps {
  readonly store: TaskStore;
  /** CometClient.createVideo (never retried automatically: create is billed and not idempotent). */
  readonly createVideo: (request: CreateVideoRequest) => Promise<VideoTask>;
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
  /**
   * Writes the task list to storage and resolves once it is stored (TaskPersistence.flush). Awaited after the
   * `submitting` entry is added and before the create request leaves, so a crash mid-create leaves an entry
   * that comes back as `uncertain`, never nothing. Must not reject.
   */
  readonly persist?: () => PromiseLike<void>;
}

export type SubmitOutcome =
  /** The service has it; `task` carries the service id and is being polled. */
  | { readonly ok: true; readonly task: TrackedTask }
  /**
   * It did not work. `uncertain`: the request may have reached the service (so may be billed); the task
   * stays as an uncertain entry. Otherwise nothing was created and the task is marked failed with the
   * reason, so the prompt is kept for a later "Regenerate".
   */
  | { readonly ok: false; readonly task: TrackedTask; readonly uncertain: boolean; readonly error: unknown };

export const UNCERTAIN_SUBMIT_MESSAGE =
  'The request may have reached CometAPI, but no answer came back. It may have been submitted (and billed); check your CometAPI usage before sending it again.';

export async function submitGeneration(
  deps: SubmitDeps,
  request: TaskRequest,
  upload?: ReferenceImageUpload | readonly ReferenceImageUpload[],
): Promise<SubmitOutcome> {
  const uploads: readonly ReferenceImageUpload[] =
    upload === undefined ? [] : Array.isArray(upload) ? upload : [upload as ReferenceImageUpload];
  const clock = deps.clock ?? systemClock;
  const draft = createSubmittingTask(request, clock.now());
  deps.store.add(draft);
  if (deps.persist) {
    try {
      await deps.persist();
    } catch (error) {
      // A storage failure must not stop the request the person asked for; the next save retries.
      deps.log?.(`${taskLogLine(draft)}: could not store the entry before sending (${String(error)})`);
    }
  }
  deps.log?.(`${taskLogLine(draft)}: sending create request`);
  let remote: VideoTask;
  try {
    // The task's request with its images as bytes (the task keeps only where they were read from).
    remote = await deps.createVideo({ ...fieldsOf(request), ...referencesOf(uploads) });
  } catch (error) {
    const uncertain = isApiError(error) ? error.mayHaveReachedServer : true;
    const message = error instanceof Error ? error.message : String(error);
    const failed = deps.store.update(draft.localId, {
      status: uncertain ? 'uncertain' : 'failed',
      finishedAt: uncertain ? undefined : clock.now(),
      failure: {
        kind: isApiError(error) ? error.kind : undefined,
        code: isApiError(error) ? error.code : undefined,
        message: uncertain ? UNCERTAIN_SUBMIT_MESSAGE : message,
      },
    }) ?? draft;
    deps.log?.(`${taskLogLine(failed)}: create ${uncertain ? 'may have reached the service (uncertain)' : 'refused'}`);
    return { ok: false, task: failed, uncertain, error };
  }
  const now = clock.now();
  // A create answer is never trusted as final: the poller confirms every state with a GET.
  const status = remote.status === 'running' ? 'running' : 'queued';
  const task = deps.store.update(draft.localId, {
    remoteId: remote.id,
    status,
    progress: Math.max(0, Math.min(100, Math.round(remote.progress || 0))),
    submittedAt: now,
    waitingSince: now,
  }) ?? draft;
  deps.log?.(`${taskLogLine(task)}: accepted by the service`);
  return { ok: true, task };
}
