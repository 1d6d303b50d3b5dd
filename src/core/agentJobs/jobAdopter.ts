// The editor's side of the workspace's shared job list: while VS Code has the workspace open, jobs an agent
// started through the MCP server join the extension's task list (marked as started by an agent), so they show
// in the Seedance view, are checked by the extension's poller and counted in the spending record; the
// extension downloads a finished one when it can take the job's claim (exactly one process downloads: if the
// server holds it, its saved.json is picked up instead). The editor's presence lease tells servers to leave
// the work to it. No vscode here: src/vscode/agentJobs/registerAgentJobs.ts wires it (watcher, download).
import { promises as fs } from 'node:fs';
import { acquireClaim, claimIsLive, ClaimKeeper, stillHeld } from './claims';
import {
  editorPresenceFile, readAllJobs, relativeToWorkspace, sharedFolder, stateOf, taskFromJob, writeAtomically, writeSaved, writeState,
  type JobFiles,
} from './jobFiles';
import { LEASE_RENEW_MS, newLeaseOwner, type LeaseOwner } from './lease';
import { isTerminal, type TrackedStatus, type TrackedTask } from '../tasks/task';
import type { TaskStore } from '../tasks/taskStore';

export interface JobAdopterDeps {
  readonly workspace: string;
  readonly store: TaskStore;
  /** The extension's own download (output folder, record, progress): resolves with the task once saved. */
  readonly download: (localId: string) => Promise<TrackedTask | undefined>;
  readonly log: (line: string) => void;
  /** How often the jobs folder is read again besides the file watcher. Default 5 s. */
  readonly rescanMs?: number;
}

const RANK: Record<TrackedStatus, number> = { submitting: 0, uncertain: 1, queued: 2, running: 3, stalled: 3, succeeded: 4, failed: 4 };

export class JobAdopter {
  readonly owner: LeaseOwner = newLeaseOwner('editor');
  private readonly claims: ClaimKeeper;
  private readonly downloading = new Set<string>();
  private readonly shared = new Map<string, string>();
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private scanning: Promise<void> | undefined;
  private again = false;
  private disposed = false;
  private readonly subscription: { dispose(): void };

  constructor(private readonly deps: JobAdopterDeps) {
    this.claims = new ClaimKeeper(deps.workspace, this.owner, LEASE_RENEW_MS, (id) => deps.log(`agent job ${id}: another process took it over`));
    // What the extension's poller learns about an agent's job is shared with the server (its get/wait read it).
    this.subscription = deps.store.onDidChange((ids) => {
      for (const id of ids) void this.share(id);
    });
  }

  start(): void {
    void this.writePresence();
    void this.scan();
    this.timers.push(setInterval(() => void this.writePresence(), LEASE_RENEW_MS));
    this.timers.push(setInterval(() => void this.scan(), this.deps.rescanMs ?? 5_000));
  }

  /** The poller saw an agent's job succeed: download it if this window can take the job. */
  onSucceeded(task: TrackedTask): Promise<void> {
    return this.tryDownload(task.localId);
  }

  /** Reads the jobs folder again (single-flight; a request during a scan runs one more). */
  scan(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.scanning) {
      this.again = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      do {
        this.again = false;
        try {
          await this.scanOnce();
        } catch (error) {
          this.deps.log(`Reading the agents' jobs failed: ${String(error)}`);
        }
      } while (this.again && !this.disposed);
    })().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const t of this.timers) clearInterval(t);
    this.subscription.dispose();
    await this.claims.releaseAll().catch(() => undefined);
    this.claims.dispose();
    // Our presence only: another window may have taken over the file.
    try {
      const raw = JSON.parse(await fs.readFile(editorPresenceFile(this.deps.workspace), 'utf8')) as { owner?: { instance?: string } };
      if (raw.owner?.instance === this.owner.instance) await fs.rm(editorPresenceFile(this.deps.workspace), { force: true });
    } catch {
      // nothing to remove
    }
  }

  private async writePresence(): Promise<void> {
    if (this.disposed) return;
    try {
      await fs.access(sharedFolder(this.deps.workspace));
      await writeAtomically(editorPresenceFile(this.deps.workspace), JSON.stringify({ owner: this.owner, renewedAt: Date.now() }));
    } catch {
      // No agent has used this workspace (no .seedance folder): nothing to announce.
    }
  }

  private async scanOnce(): Promise<void> {
    const { workspace, store } = this.deps;
    const now = Date.now();
    for (const files of await readAllJobs(workspace)) {
      const mine = this.claims.get(files.localId) !== undefined;
      const live = claimIsLive(files.claim, { now });
      const fromFiles = taskFromJob(workspace, files, live);
      if (!fromFiles) continue;
      const current = store.get(files.localId);
      if (!current) {
        store.add(fromFiles);
        this.deps.log(`agent job ${files.localId}: adopted (remote=${fromFiles.remoteId ?? '-'} status=${fromFiles.status})`);
      } else {
        this.reconcile(current, fromFiles, files, mine);
      }
      const task = store.get(files.localId);
      if (task && this.wantsDownload(task, files, live && !mine)) void this.tryDownload(task.localId);
    }
  }

  /** What the files know and the list does not yet: the create's answer, a later status, the saved file. */
  private reconcile(current: TrackedTask, fromFiles: TrackedTask, files: JobFiles, mine: boolean): void {
    const { store } = this.deps;
    if (files.saved && current.download.state !== 'downloaded') {
      store.update(current.localId, {
        status: 'succeeded', progress: 100, download: fromFiles.download, file: fromFiles.file, metadataFile: fromFiles.metadataFile,
        ...(fromFiles.finishedAt ? { finishedAt: fromFiles.finishedAt } : {}),
      });
      return;
    }
    if (mine || current.download.state === 'downloaded') return;
    const answered = !current.remoteId && fromFiles.remoteId;
    if (answered || (!isTerminal(current.status) && RANK[fromFiles.status] > RANK[current.status]) || (current.status === 'submitting' && fromFiles.status === 'uncertain')) {
      store.update(current.localId, {
        remoteId: fromFiles.remoteId, status: fromFiles.status, progress: fromFiles.progress, failure: fromFiles.failure,
        submittedAt: fromFiles.submittedAt, finishedAt: fromFiles.finishedAt, waitingSince: fromFiles.waitingSince,
        ...(current.download.state === 'none' || current.download.state === 'downloading' ? { download: fromFiles.download } : {}),
      });
    } else if (current.status === 'succeeded' && current.download.state !== fromFiles.download.state && !this.downloading.has(current.localId) && (current.download.state === 'none' || current.download.state === 'downloading')) {
      // Someone else started or stopped downloading it: show that.
      store.update(current.localId, { download: fromFiles.download });
    } else if (current.status === 'running' && fromFiles.status === 'running' && fromFiles.progress > current.progress) {
      store.update(current.localId, { progress: fromFiles.progress });
    }
  }

  private wantsDownload(task: TrackedTask, files: JobFiles, heldElsewhere: boolean): boolean {
    if (files.saved || heldElsewhere || this.downloading.has(task.localId) || task.status !== 'succeeded' || !task.remoteId) return false;
    return task.download.state === 'none' || task.download.state === 'downloading' || (task.download.state === 'failed' && task.download.interrupted === true);
  }

  private async tryDownload(localId: string): Promise<void> {
    const { workspace, log } = this.deps;
    if (this.downloading.has(localId) || this.disposed) return;
    this.downloading.add(localId);
    try {
      const claim = await acquireClaim(workspace, localId, this.owner);
      if (!claim) return; // another process downloads it; its saved.json is picked up by a scan
      this.claims.add(claim);
      // Someone may have saved it between the scan and the claim.
      const saved = (await readAllJobs(workspace)).find((f) => f.localId === localId)?.saved;
      if (saved) {
        await this.claims.release(localId);
        void this.scan();
        return;
      }
      const task = this.deps.store.get(localId);
      if (task?.download.state === 'downloading') this.deps.store.update(localId, { download: { state: 'none' } });
      const done = await this.deps.download(localId);
      if (done?.file && done.download.state === 'downloaded') {
        if (await stillHeld(workspace, claim)) {
          await writeSaved(workspace, localId, {
            file: relativeToWorkspace(workspace, done.file),
            ...(done.metadataFile ? { metadataFile: relativeToWorkspace(workspace, done.metadataFile) } : {}),
            bytes: done.download.bytes ?? 0,
            savedAt: Date.now(),
            by: this.owner,
          });
          log(`agent job ${localId}: saved by this window`);
        } else {
          log(`agent job ${localId}: saved, but another process took the job over meanwhile; its record stands`);
        }
      }
      await this.claims.release(localId);
    } catch (error) {
      log(`agent job ${localId}: download failed (${String(error)})`);
      await this.claims.release(localId).catch(() => undefined);
    } finally {
      this.downloading.delete(localId);
    }
  }

  /** Writes an agent job's status (as this window's poller learned it) into its state.json. */
  private async share(localId: string): Promise<void> {
    const task = this.deps.store.get(localId);
    if (!task || task.startedBy !== 'agent' || !task.remoteId || this.disposed) return;
    const state = stateOf(task, Date.now(), this.deps.workspace);
    const key = JSON.stringify({ ...state, at: 0 });
    if (this.shared.get(localId) === key) return;
    this.shared.set(localId, key);
    await writeState(this.deps.workspace, localId, state).catch((e: unknown) => this.deps.log(`agent job ${localId}: could not share its status (${String(e)})`));
  }
}
