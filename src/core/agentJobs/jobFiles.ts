// The workspace's shared job list: what the MCP server (dist/mcp.js) and the extension both read, so an
// agent's job shows up in the editor, and either side can finish it. One folder per job under
// `<workspace>/.seedance/jobs/<localId>/`, each file with one writer so no process overwrites another's facts:
//   job.json    the request, the estimate and the create's outcome; written by the process that creates the
//               job, BEFORE the create request leaves (so a crash mid-create is found as "uncertain").
//   state.json  the last status the service reported (status, progress, failure); written by whoever checked.
//   saved.json  where the video was saved; written once (exclusive create) by the holder of the job's claim.
//   claim-N.json  the job's claim (see claims.ts): who creates, checks and downloads it now.
// `<workspace>/.seedance/editor.json` is the editor's presence: a lease the extension renews while the
// workspace is open, so the server leaves the checking and the download to it.
// Never written here: the API key, the signed video URL (a bearer credential until it expires).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CostEstimate } from '../pricing/estimate';
import { UNCERTAIN_SUBMIT_MESSAGE } from '../submit';
import { parseTask } from '../tasks/storedTask';
import { isTerminal, type TrackedStatus, type TrackedTask } from '../tasks/task';
import { parseLease, type LeaseOwner, type LeaseRecord } from './lease';
import { jobFolder, jobsFolder, sharedFolder } from './paths';

export const JOBS_SCHEMA = 'seedance-studio.agent-job';
export const JOBS_VERSION = 1;

export { editorPresenceFile, jobFolder, jobsFolder, sharedFolder } from './paths';

/** What the creator writes: the task as requested and answered (never its signed URL), and its estimate. */
export interface JobRecord {
  readonly schema: typeof JOBS_SCHEMA;
  readonly version: number;
  readonly task: Record<string, unknown>;
  readonly estimate?: CostEstimate;
  readonly createdBy: LeaseOwner;
}

/** The last status the service reported, from whichever process checked. */
export interface JobState {
  readonly status: TrackedStatus;
  readonly progress: number;
  readonly finishedAt?: number;
  readonly failure?: { kind?: string; code?: string; message: string };
  /** The file a download under way writes (relative): a process taking the job over removes its leftovers. */
  readonly target?: string;
  /** When it was written (epoch ms). */
  readonly at: number;
}

/** Where the video landed; paths relative to the workspace folder. */
export interface JobSaved {
  readonly file: string;
  readonly metadataFile?: string;
  readonly bytes: number;
  readonly savedAt: number;
  readonly by: LeaseOwner;
}

/** One job as read from its folder. */
export interface JobFiles {
  readonly localId: string;
  readonly job?: JobRecord;
  readonly state?: JobState;
  readonly saved?: JobSaved;
  /** The newest claim (see claims.ts), if any; `raw` is false when its file could not be parsed yet. */
  readonly claim?: { readonly generation: number; readonly lease?: LeaseRecord; readonly mtimeMs: number };
}

/** Writes a file so a reader sees the old content or the new one, never half of it. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(5).toString('hex')}.tmp`);
  await fs.writeFile(temp, text, 'utf8');
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Creates `.seedance/jobs` (and a .gitignore that keeps the folder out of commits). */
export async function ensureJobsFolder(workspace: string): Promise<void> {
  await fs.mkdir(jobsFolder(workspace), { recursive: true });
  const ignore = path.join(sharedFolder(workspace), '.gitignore');
  await fs.writeFile(ignore, '# Seedance Studio: jobs shared by the editor and agents (MCP server); not for commits.\n*\n', { flag: 'wx' }).catch(() => undefined);
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The creator's record: the task without its signed URL, download or file (those are other files' facts). */
export function jobRecordOf(task: TrackedTask, estimate: CostEstimate | undefined, createdBy: LeaseOwner): JobRecord {
  const { videoUrl: _url, download: _download, file: _file, metadataFile: _meta, lastPolledAt: _polled, ...rest } = task;
  return { schema: JOBS_SCHEMA, version: JOBS_VERSION, task: JSON.parse(JSON.stringify({ ...rest, download: { state: 'none' } })) as Record<string, unknown>, ...(estimate ? { estimate } : {}), createdBy };
}

export async function writeJob(workspace: string, record: JobRecord): Promise<void> {
  const localId = String(record.task.localId);
  const dir = jobFolder(workspace, localId);
  await fs.mkdir(dir, { recursive: true });
  await writeAtomically(path.join(dir, 'job.json'), `${JSON.stringify(record, null, 2)}\n`);
}

export async function writeState(workspace: string, localId: string, state: JobState): Promise<void> {
  const dir = jobFolder(workspace, localId);
  await fs.mkdir(dir, { recursive: true });
  await writeAtomically(path.join(dir, 'state.json'), `${JSON.stringify(state)}\n`);
}

/** Records the saved video once: false when another process recorded it first (its record stands). */
export async function writeSaved(workspace: string, localId: string, saved: JobSaved): Promise<boolean> {
  try {
    await fs.writeFile(path.join(jobFolder(workspace, localId), 'saved.json'), `${JSON.stringify(saved, null, 2)}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

const CLAIM_NAME = /^claim-(\d+)\.json$/;

/** Reads one job's folder; never throws (a missing or odd file is left out). */
export async function readJob(workspace: string, localId: string): Promise<JobFiles> {
  const dir = jobFolder(workspace, localId);
  const [job, state, saved, names] = await Promise.all([
    readJson(path.join(dir, 'job.json')),
    readJson(path.join(dir, 'state.json')),
    readJson(path.join(dir, 'saved.json')),
    fs.readdir(dir).catch(() => [] as string[]),
  ]);
  let top = 0;
  for (const name of names) {
    const m = CLAIM_NAME.exec(name);
    if (m) top = Math.max(top, Number(m[1]));
  }
  let claim: JobFiles['claim'];
  if (top > 0) {
    const file = path.join(dir, `claim-${top}.json`);
    const [raw, stat] = await Promise.all([readJson(file), fs.stat(file).catch(() => undefined)]);
    const lease = parseLease(raw);
    claim = { generation: top, ...(lease ? { lease } : {}), mtimeMs: stat?.mtimeMs ?? 0 };
  }
  return {
    localId,
    ...(isJobRecord(job) ? { job } : {}),
    ...(isJobState(state) ? { state } : {}),
    ...(isJobSaved(saved) ? { saved } : {}),
    ...(claim ? { claim } : {}),
  };
}

/** Every job of the workspace (folders without a readable job.json are skipped). */
export async function readAllJobs(workspace: string): Promise<JobFiles[]> {
  let ids: string[];
  try {
    ids = (await fs.readdir(jobsFolder(workspace), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
  const jobs = await Promise.all(ids.map((id) => readJob(workspace, id)));
  return jobs.filter((j) => j.job !== undefined);
}

function isJobRecord(value: unknown): value is JobRecord {
  const r = value as Partial<JobRecord> | undefined;
  return typeof r === 'object' && r !== null && r.schema === JOBS_SCHEMA && typeof r.task === 'object' && r.task !== null && parseLease({ owner: r.createdBy, renewedAt: 0 }) !== undefined;
}
function isJobState(value: unknown): value is JobState {
  const r = value as Partial<JobState> | undefined;
  return typeof r === 'object' && r !== null && typeof r.status === 'string' && typeof r.progress === 'number' && typeof r.at === 'number';
}
function isJobSaved(value: unknown): value is JobSaved {
  const r = value as Partial<JobSaved> | undefined;
  return typeof r === 'object' && r !== null && typeof r.file === 'string' && typeof r.bytes === 'number' && typeof r.savedAt === 'number';
}

const RANK: Record<TrackedStatus, number> = { submitting: 0, uncertain: 1, queued: 2, running: 3, stalled: 3, succeeded: 4, failed: 4 };

/**
 * The task one job's files describe, as both processes show it (marked as started by an agent):
 * - a job still `submitting` whose claim is not live was cut off mid-create: it is `uncertain`, never re-sent;
 * - a status check from state.json moves a followed task forward (never back);
 * - saved.json makes it succeeded and downloaded, with its file (absolute);
 * - a live claim on a succeeded task without saved.json: someone is downloading it.
 */
export function taskFromJob(workspace: string, files: JobFiles, claimLive: boolean): TrackedTask | undefined {
  if (!files.job) return undefined;
  const parsed = parseTask(files.job.task);
  if (!parsed || parsed.localId !== files.localId) return undefined;
  let task: TrackedTask = { ...parsed, startedBy: 'agent', download: { state: 'none' } };
  delete (task as { videoUrl?: string }).videoUrl;
  if (task.status === 'submitting' && !claimLive) {
    task = { ...task, status: 'uncertain', failure: { message: UNCERTAIN_SUBMIT_MESSAGE } };
  }
  const state = files.state;
  if (state && task.remoteId && !isTerminal(task.status) && task.status !== 'uncertain' && RANK[state.status] >= RANK[task.status]) {
    task = {
      ...task,
      status: state.status,
      progress: Math.max(0, Math.min(100, state.progress)),
      ...(state.finishedAt !== undefined ? { finishedAt: state.finishedAt } : {}),
      ...(state.failure ? { failure: { ...state.failure, kind: state.failure.kind as never } } : {}),
    };
  }
  if (files.saved && task.remoteId) {
    task = {
      ...task,
      status: 'succeeded',
      progress: 100,
      download: { state: 'downloaded', bytes: files.saved.bytes },
      file: path.resolve(workspace, files.saved.file),
      ...(files.saved.metadataFile ? { metadataFile: path.resolve(workspace, files.saved.metadataFile) } : {}),
    };
  } else if (task.status === 'succeeded' && claimLive) {
    task = { ...task, download: { state: 'downloading' } };
  }
  return task;
}

/** The state.json a task's current status makes. */
export function stateOf(task: TrackedTask, now: number, workspace: string): JobState {
  return {
    ...(task.download.target ? { target: relativeToWorkspace(workspace, task.download.target) } : {}),
    status: task.status,
    progress: task.progress,
    ...(task.finishedAt !== undefined ? { finishedAt: task.finishedAt } : {}),
    ...(task.failure
      ? {
        failure: {
          ...(task.failure.kind ? { kind: task.failure.kind } : {}),
          ...(task.failure.code ? { code: task.failure.code } : {}),
          message: task.failure.message,
        },
      }
      : {}),
    at: now,
  };
}

/** A path for records and for agents: relative to the workspace folder, with forward slashes. */
export function relativeToWorkspace(workspace: string, file: string): string {
  return path.relative(workspace, file).split(path.sep).join('/');
}
