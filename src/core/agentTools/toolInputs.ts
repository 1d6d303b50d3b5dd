// The inputs of the language model tools that do not generate (get, list, storyboard), checked by shape.
// VS Code validates tool input against the JSON schema in package.json before `invoke`, but `invokeTool`
// from another extension can pass anything, so each tool parses its input once, here, and turns a wrong
// value into a problem the model can correct instead of an exception.

/** Input of seedance_get_video. */
export interface GetVideoInput {
  readonly taskId: string;
}

export const LISTABLE_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type ListableStatus = (typeof LISTABLE_STATUSES)[number];

/** Input of seedance_list_videos. */
export interface ListVideosInput {
  readonly status?: ListableStatus;
  /** A storyboard file, workspace-relative or absolute; only that storyboard's takes are listed. */
  readonly storyboard?: string;
  readonly limit: number;
}

/** Input of seedance_generate_storyboard. */
export interface GenerateStoryboardInput {
  /** The `*.storyboard.md` file, relative to the workspace folder (or absolute inside it). */
  readonly path: string;
  /** Shot ids or titles; none = every shot without a take, as Generate All does. */
  readonly shots?: readonly string[];
}

export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function unknownKeys(input: Record<string, unknown>, known: readonly string[]): string[] {
  return Object.keys(input)
    .filter((k) => !known.includes(k))
    .map((k) => `Unknown field "${k}"; the fields are ${known.join(', ')}.`);
}

export function parseGetVideoInput(value: unknown): Parsed<GetVideoInput> {
  const input = record(value);
  if (!input) return { ok: false, problems: ['Pass an object such as {"taskId": "task_abc123"}.'] };
  const problems = unknownKeys(input, ['taskId']);
  const taskId = typeof input.taskId === 'string' ? input.taskId.trim() : '';
  if (!taskId) problems.push('"taskId" must be the id returned by seedance_generate_video or listed by seedance_list_videos.');
  return problems.length ? { ok: false, problems } : { ok: true, value: { taskId } };
}

export function parseListVideosInput(value: unknown): Parsed<ListVideosInput> {
  const input = record(value ?? {});
  if (!input) return { ok: false, problems: ['Pass an object such as {"status": "running"} or {}.'] };
  const problems = unknownKeys(input, ['status', 'storyboard', 'limit']);
  let status: ListableStatus | undefined;
  if (input.status !== undefined) {
    if (typeof input.status === 'string' && (LISTABLE_STATUSES as readonly string[]).includes(input.status)) status = input.status as ListableStatus;
    else problems.push(`"status" must be one of ${LISTABLE_STATUSES.join(', ')}.`);
  }
  let storyboard: string | undefined;
  if (input.storyboard !== undefined) {
    if (typeof input.storyboard === 'string' && input.storyboard.trim()) storyboard = input.storyboard.trim();
    else problems.push('"storyboard" must be the path of a *.storyboard.md file.');
  }
  let limit = DEFAULT_LIST_LIMIT;
  if (input.limit !== undefined) {
    if (typeof input.limit === 'number' && Number.isInteger(input.limit) && input.limit >= 1 && input.limit <= MAX_LIST_LIMIT) limit = input.limit;
    else problems.push(`"limit" must be a whole number from 1 to ${MAX_LIST_LIMIT}.`);
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: { status, storyboard, limit } };
}

export function parseGenerateStoryboardInput(value: unknown): Parsed<GenerateStoryboardInput> {
  const input = record(value);
  if (!input) return { ok: false, problems: ['Pass an object such as {"path": "film/teaser.storyboard.md"}.'] };
  const problems = unknownKeys(input, ['path', 'shots']);
  const file = typeof input.path === 'string' ? input.path.trim() : '';
  if (!file) problems.push('"path" must be the path of a *.storyboard.md file, relative to the workspace folder.');
  else if (!file.toLowerCase().endsWith('.storyboard.md')) problems.push(`"${file}" is not a storyboard: its name must end in .storyboard.md.`);
  let shots: string[] | undefined;
  if (input.shots !== undefined) {
    if (Array.isArray(input.shots) && input.shots.every((s) => typeof s === 'string' && s.trim() !== '')) {
      shots = input.shots.map((s) => (s as string).trim());
    } else {
      problems.push('"shots" must be a list of shot ids or shot titles (the "## " headings), or left out for every shot without a take.');
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: { path: file, ...(shots ? { shots } : {}) } };
}
