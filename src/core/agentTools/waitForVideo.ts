// seedance_wait_for_video: the MCP server's long poll. Most MCP clients give up on a request after 60 s
// unless progress notifications keep it alive, so one call waits at most MAX_WAIT_SECONDS and then answers
// with the current state; the agent calls again if it wants to keep waiting. Input schema and parsing live
// here, once, beside the other tools' inputs.
import type { Parsed } from './toolInputs';

export const MAX_WAIT_SECONDS = 45;
export const DEFAULT_WAIT_SECONDS = 45;

export interface WaitForVideoInput {
  readonly taskId: string;
  readonly timeoutSeconds: number;
}

export const WAIT_FOR_VIDEO_TOOL = {
  name: 'seedance_wait_for_video',
  description:
    `Waits for one Seedance video (the task id seedance_generate_video returned) to finish and be saved in the workspace, for at most ${MAX_WAIT_SECONDS} seconds, then reports its state like seedance_get_video: status, progress, the reason for a failure, and the path of the MP4 once it is saved. Videos usually take 1-3 minutes: if it is not finished yet, call this again (or do other work and check later with seedance_get_video). Never submit the video again.`,
  inputSchema: {
    type: 'object',
    properties: {
      taskId: { type: 'string', description: 'The task id, e.g. task_abc123.' },
      timeoutSeconds: { type: 'integer', minimum: 1, maximum: MAX_WAIT_SECONDS, description: `Longest wait in seconds (default and most ${MAX_WAIT_SECONDS}).` },
    },
    required: ['taskId'],
    additionalProperties: false,
  },
} as const;

export function parseWaitForVideoInput(value: unknown): Parsed<WaitForVideoInput> {
  const input = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  if (!input) return { ok: false, problems: ['Pass an object such as {"taskId": "task_abc123"}.'] };
  const problems = Object.keys(input)
    .filter((k) => k !== 'taskId' && k !== 'timeoutSeconds')
    .map((k) => `Unknown field "${k}"; the fields are taskId, timeoutSeconds.`);
  const taskId = typeof input.taskId === 'string' ? input.taskId.trim() : '';
  if (!taskId) problems.push('"taskId" must be the id returned by seedance_generate_video or listed by seedance_list_videos.');
  let timeoutSeconds = DEFAULT_WAIT_SECONDS;
  if (input.timeoutSeconds !== undefined) {
    const t = input.timeoutSeconds;
    if (typeof t === 'number' && Number.isInteger(t) && t >= 1 && t <= MAX_WAIT_SECONDS) timeoutSeconds = t;
    else problems.push(`"timeoutSeconds" must be a whole number from 1 to ${MAX_WAIT_SECONDS}.`);
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: { taskId, timeoutSeconds } };
}

/** The wait is over: the video is saved, or it failed (nothing more will happen by itself). */
export function waitIsOver(view: { status: string; file?: string }): boolean {
  return view.status === 'failed' || (view.status === 'succeeded' && view.file !== undefined);
}

/** The line before the task's description when the wait ran out. */
export function describeStillWaiting(seconds: number): string {
  return `Not finished after waiting ${seconds} s. Call seedance_wait_for_video again to keep waiting, or check later with seedance_get_video; do not submit it again.`;
}
