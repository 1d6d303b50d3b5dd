// The MCP server's side of the workspace's shared job list (src/core/agentJobs/): creating a job (claim,
// job.json, then the create request, exactly as the extension's submit path: never lost, never sent twice),
// and following the jobs this process holds: status checks through the core poller, the download through the
// core VideoSaver into the workspace's output folder. When the editor has the workspace open, the server
// leaves the checking and the download to it (it releases its claim once the create is answered); when no
// editor is open, it takes over every job nobody works on, including those of a process that was killed.
import * as path from 'node:path';
import type { CometClient } from '../core/api/client';
import { ApiError } from '../core/api/errors';
import { uncertainKey } from '../core/gate/spending';
import type { LedgerEntry, LedgerStatus } from '../core/pricing/ledger';
import { acquireClaim, claimIsLive, ClaimKeeper, editorIsPresent, stillHeld, type HeldClaim } from '../core/agentJobs/claims';
import {
  editorPresenceFile, ensureJobsFolder, jobRecordOf, readAllJobs, relativeToWorkspace, stateOf, taskFromJob, writeJob,
  writeSaved, writeState,
  type JobFiles,
} from '../core/agentJobs/jobFiles';
import { LEASE_RENEW_MS, newLeaseOwner, type LeaseOwner } from '../core/agentJobs/lease';
import { resolveOutputFolder } from '../core/files/pathGuard';
import type { PreparedGeneration } from '../core/generationArgs';
import { TaskPoller } from '../core/polling/poller';
import { estimateArgsOf, type CostEstimate } from '../core/pricing/estimate';
import { submitGeneration, type SubmitOutcome } from '../core/submit';
import { isSettled, type TrackedTask } from '../core/tasks/task';
import { TaskStore } from '../core/tasks/taskStore';
import { VideoSaver } from '../core/download/videoSaver';

export interface JobRunnerOptions {
  readonly workspace: string;
  /** The client, built on first use (the key and host come from the environment). */
  readonly client: () => CometClient;
  readonly outputFolder: () => string;
  readonly extensionVersion: string;
  readonly log: (line: string) => void;
  /** How often jobs nobody works on are looked for (and the editor's presence checked). Default 10 s. */
  readonly sweepMs?: number;
}

export class JobRunner {
  readonly owner: LeaseOwner = newLeaseOwner('server');
  /** The jobs this process holds the claim of: the poller and the saver work on these only. */
  private readonly work = new TaskStore({ onListenerError: (e) => this.options.log(`A job listener failed: ${String(e)}`) });
  private readonly claims: ClaimKeeper;
  private readonly poller: TaskPoller;
  private readonly saver: VideoSaver;
  private readonly estimates = new Map<string, CostEstimate | undefined>();
  private readonly written = new Map<string, string>();
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private sweeping: Promise<void> | undefined;
  private disposed = false;

  constructor(private readonly options: JobRunnerOptions) {
    const { workspace, log } = options;
    this.claims = new ClaimKeeper(workspace, this.owner, LEASE_RENEW_MS, (id) => {
      log(`job ${id}: another process took it over; this server stops following it`);
      this.work.remove(id);
    });
    this.saver = new VideoSaver({
      store: this.work,
      downloadVideo: (url, file, o) => options.client().downloadVideo(url, file, o),
      getVideo: (id, signal) => options.client().getVideo(id, signal),
      extensionVersion: options.extensionVersion,
      log,
    });
    this.poller = new TaskPoller({
      store: this.work,
      getVideo: (id, signal) => options.client().getVideo(id, signal),
      onSucceeded: (task) => this.finish(task),
      log,
    });
    // Every status the service reports is shared with the other processes (the editor shows it).
    this.work.onDidChange((ids) => {
      for (const id of ids) void this.share(id);
    });
  }

  start(): void {
    // The shared folder exists from the start, so an editor that has the workspace open notices the agent
    // (its watcher loads the adoption and announces its presence) before the first job is created.
    ensureJobsFolder(this.options.workspace).catch((e: unknown) => this.options.log(`Could not create the jobs folder: ${String(e)}`));
    this.poller.start();
    void this.sweep();
    this.sweepTimer = setInterval(() => void this.sweep(), this.options.sweepMs ?? 10_000);
  }

  /** Whether the editor has this workspace open (its presence lease is live). */
  editorPresent(): Promise<boolean> {
    return editorIsPresent(editorPresenceFile(this.options.workspace), { now: Date.now() });
  }

  /**
   * Creates one job: the claim and job.json are on disk before the request leaves; a failure to write them
   * sends nothing. A lost answer leaves the job uncertain (never re-sent). Resolves with the outcome.
   */
  async create(prepared: PreparedGeneration, estimate: CostEstimate | undefined): Promise<SubmitOutcome> {
    const { workspace } = this.options;
    let recorded: { ok: true } | { ok: false; error: unknown } = { ok: false, error: new Error('not recorded') };
    const outcome = await submitGeneration(
      {
        store: this.work,
        persist: async () => {
          const draft = this.work.list().find((t) => t.status === 'submitting' && !this.written.has(t.localId));
          if (!draft) return;
          try {
            await ensureJobsFolder(workspace);
            const claim = await acquireClaim(workspace, draft.localId, this.owner);
            if (!claim) throw new Error('could not claim the new job');
            this.claims.add(claim);
            this.estimates.set(draft.localId, estimate);
            await this.writeJobRecord(draft);
            recorded = { ok: true };
          } catch (error) {
            recorded = { ok: false, error };
          }
        },
        createVideo: (request) => {
          // Not recorded in the workspace: sending would risk a job nobody could find again.
          if (!recorded.ok) {
            throw new ApiError('file', `Could not record the job in ${path.join(workspace, '.seedance')} (${String(recorded.error)}); nothing was sent.`, { mayHaveReachedServer: false });
          }
          return this.options.client().createVideo(request);
        },
        log: this.options.log,
      },
      prepared.request,
      prepared.uploads,
    );
    await this.writeJobRecord(outcome.task).catch((e: unknown) => this.options.log(`job ${outcome.task.localId}: could not record the create's outcome (${String(e)})`));
    if (!outcome.ok || !outcome.task.remoteId) {
      // Refused or uncertain: nothing more will happen to it by itself.
      this.work.remove(outcome.task.localId);
      await this.claims.release(outcome.task.localId);
      return outcome;
    }
    if (await this.editorPresent()) await this.handOver(outcome.task.localId, 'the editor has this workspace open');
    return outcome;
  }

  /** Every job of the workspace as the processes together know it (this one's live state wins for its own). */
  async jobs(): Promise<TrackedTask[]> {
    const { workspace } = this.options;
    const files = await readAllJobs(workspace);
    const now = Date.now();
    const out: TrackedTask[] = [];
    for (const f of files) {
      const mine = this.work.get(f.localId);
      if (mine && !f.saved) {
        out.push(mine);
        continue;
      }
      const task = taskFromJob(workspace, f, claimIsLive(f.claim, { now }));
      if (task) out.push(task);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  /**
   * The workspace's agent jobs as spending-record entries (by: 'agent'), for the one money policy
   * (src/core/gate/): accepted, succeeded and uncertain creates count; refused and failed ones do not.
   */
  async ledgerEntries(): Promise<LedgerEntry[]> {
    const { workspace } = this.options;
    const now = Date.now();
    const out: LedgerEntry[] = [];
    for (const f of await readAllJobs(workspace)) {
      const task = this.work.get(f.localId) ?? taskFromJob(workspace, f, claimIsLive(f.claim, { now }));
      if (!task) continue;
      out.push({
        taskId: task.remoteId ?? uncertainKey(task.localId),
        at: task.submittedAt ?? task.createdAt,
        ...estimateArgsOf(task.request),
        estimate: f.job?.estimate ?? { source: 'unknown' },
        status: ledgerStatusOf(task),
        by: 'agent',
      });
    }
    return out;
  }

  /** Checks this job at once if this process follows it (the wait tool calls this). */
  checkNow(localId: string): void {
    if (this.work.get(localId)) this.poller.refresh(localId);
  }

  /** The estimate recorded when the job was created (undefined for jobs of other processes). */
  estimateOf(localId: string): CostEstimate | undefined {
    return this.estimates.get(localId);
  }

  /** Looks for jobs nobody works on now; picks them up when no editor has the workspace open. */
  sweep(): Promise<void> {
    if (this.sweeping || this.disposed) return this.sweeping ?? Promise.resolve();
    this.sweeping = this.sweepOnce()
      .catch((e: unknown) => this.options.log(`Looking for unfinished jobs failed: ${String(e)}`))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.poller.dispose();
    await this.claims.releaseAll().catch(() => undefined);
    this.claims.dispose();
  }

  private async sweepOnce(): Promise<void> {
    const { workspace, log } = this.options;
    const editor = await this.editorPresent();
    if (editor) {
      // The editor adopts and finishes jobs; hand over the ones this server follows but has not started saving.
      for (const task of this.work.list()) if (task.download.state !== 'downloading') await this.handOver(task.localId, 'the editor opened this workspace');
      return;
    }
    const now = Date.now();
    for (const files of await readAllJobs(workspace)) {
      if (this.work.get(files.localId) || files.saved || claimIsLive(files.claim, { now })) continue;
      const task = taskFromJob(workspace, files, false);
      if (!task?.remoteId || isSettled(task) || task.status === 'uncertain' || task.status === 'failed') continue;
      const claim = await acquireClaim(workspace, files.localId, this.owner);
      if (!claim) continue;
      this.claims.add(claim);
      log(`job ${files.localId}: nobody was following it; this server checks and saves it`);
      this.adopt(task, files);
      if (task.status === 'succeeded') void this.finish(this.work.get(task.localId) ?? task);
    }
  }

  private adopt(task: TrackedTask, files: JobFiles): void {
    const target = files.state?.target;
    // A download cut off in another process left a temporary file beside its target: the saver removes it.
    this.work.add({ ...task, download: { state: 'none', ...(target ? { target: path.resolve(this.options.workspace, target) } : {}) } });
  }

  /** Gives a job to the editor: its claim is released and this process stops following it. */
  private async handOver(localId: string, why: string): Promise<void> {
    const task = this.work.get(localId);
    if (!task) return;
    await this.share(localId);
    this.work.remove(localId);
    await this.claims.release(localId);
    this.options.log(`job ${localId}: left to the editor (${why})`);
  }

  /** A followed job succeeded: save it (unless the editor is there to do it), record it, let go of it. */
  private async finish(task: TrackedTask): Promise<void> {
    const { workspace, log } = this.options;
    const claim = this.claims.get(task.localId);
    if (!claim) return;
    if (await this.editorPresent()) {
      await this.handOver(task.localId, 'the editor has this workspace open');
      return;
    }
    try {
      const folder = await resolveOutputFolder(workspace, this.options.outputFolder());
      const saved = await this.saver.save(task.localId, { kind: 'folder', root: workspace, folder: folder.path });
      await this.recordSaved(saved, claim);
    } catch (error) {
      log(`job ${task.localId}: saving failed (${error instanceof Error ? error.message : String(error)}); it is tried again later`);
      this.work.remove(task.localId);
      await this.claims.release(task.localId);
    }
  }

  private async recordSaved(task: TrackedTask, claim: HeldClaim): Promise<void> {
    const { workspace, log } = this.options;
    if (!task.file) return;
    if (!(await stillHeld(workspace, claim))) {
      log(`job ${task.localId}: saved, but another process took the job over meanwhile; its record stands`);
    } else {
      await writeSaved(workspace, task.localId, {
        file: relativeToWorkspace(workspace, task.file),
        ...(task.metadataFile ? { metadataFile: relativeToWorkspace(workspace, task.metadataFile) } : {}),
        bytes: task.download.bytes ?? 0,
        savedAt: Date.now(),
        by: this.owner,
      });
    }
    this.work.remove(task.localId);
    await this.claims.release(task.localId);
  }

  private async writeJobRecord(task: TrackedTask): Promise<void> {
    const record = jobRecordOf(task, this.estimates.get(task.localId), this.owner);
    await writeJob(this.options.workspace, record);
    this.written.set(task.localId, task.status);
  }

  /** Writes what the service last said about a followed job into state.json (only what changed). */
  private async share(localId: string): Promise<void> {
    const task = this.work.get(localId);
    if (!task?.remoteId) return;
    const state = stateOf(task, Date.now(), this.options.workspace);
    const key = JSON.stringify({ ...state, at: 0 });
    if (this.written.get(`state:${localId}`) === key) return;
    this.written.set(`state:${localId}`, key);
    await writeState(this.options.workspace, localId, state).catch((e: unknown) => this.options.log(`job ${localId}: could not share its status (${String(e)})`));
  }
}

/** How the spending record counts a job in this state. */
function ledgerStatusOf(task: TrackedTask): LedgerStatus {
  switch (task.status) {
    case 'submitting':
    case 'uncertain':
      return 'uncertain';
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    default:
      return 'accepted';
  }
}
