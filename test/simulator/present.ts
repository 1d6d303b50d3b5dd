// Tasks as the wire shows them (CONTRACT 3.4, 4.1, 15), per profile: revision A's uppercase statuses with
// completed_at null until terminal, revision B's lowercase ones. Options move the failure reason and the
// URL to the other places real builds have used, to harden clients.

import type { Profile, SimulatorConfig } from './options';
import type { Phase, Task, TaskState } from './tasks';

const STATUS: Record<Profile, Record<Phase, string>> = {
  revA: { queued: 'SUBMITTED', running: 'IN_PROGRESS', succeeded: 'SUCCESS', failed: 'FAILED', error: 'ERROR' },
  revB: { queued: 'queued', running: 'in_progress', succeeded: 'completed', failed: 'failed', error: 'error' },
};

export function statusName(profile: Profile, phase: Phase): string {
  return STATUS[profile][phase];
}

const unix = (ms: number) => Math.floor(ms / 1000);

/** POST /v1/videos 200: exactly the documented fields, progress 0. */
export function createBody(task: Task, profile: Profile): object {
  return {
    id: task.id,
    task_id: task.id,
    object: 'video',
    model: task.model,
    status: statusName(profile, 'queued'),
    progress: 0,
    created_at: unix(task.createdAtMs),
  };
}

/** GET /v1/videos/{id} 200. `videoUrl` is given only for a succeeded task. */
export function pollBody(task: Task, state: TaskState, cfg: SimulatorConfig, videoUrl: string | undefined): object {
  const body: Record<string, unknown> = { id: task.id };
  if (cfg.taskIdOnGet) body.task_id = task.id;
  Object.assign(body, {
    model: task.model,
    object: 'video',
    status: state.wireStatus ?? statusName(cfg.profile, state.phase),
    progress: state.progress,
    created_at: unix(task.createdAtMs),
  });
  let completedAt: number | null = state.completedAtMs === undefined ? null : unix(state.completedAtMs);
  // new-api sets CompletedAt = UpdatedAt on every poll, so it can be non-null while running.
  if (completedAt === null && cfg.completedAtWhileRunning) completedAt = unix(Date.now());
  body.completed_at = completedAt;

  if (state.phase === 'succeeded' && videoUrl) {
    switch (cfg.videoUrlField) {
      case 'video_url':
        body.video_url = videoUrl;
        break;
      case 'metadata.url':
        body.metadata = { url: videoUrl };
        break;
      case 'output.video_url':
        body.output = { video_url: videoUrl };
        break;
      case 'fail_reason':
        // Legacy new-api task DTO kept the result URL in fail_reason.
        body.fail_reason = videoUrl;
        break;
      case 'none':
        break;
    }
  }
  if ((state.phase === 'failed' || state.phase === 'error') && state.error) {
    if (cfg.failureDetail === 'error') body.error = { code: state.error.code, message: state.error.message };
    else if (cfg.failureDetail === 'fail_reason') body.fail_reason = state.error.message;
  }
  return body;
}
