// Getting finished videos onto disk: automatically when a task succeeds (seedance.autoDownload), or when
// the person asks ("Download Again"). Inside a workspace the video goes to the output folder (guarded so
// it cannot escape the workspace folder); with no folder open the person is asked where to save it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { executeSeedanceCommand } from './commands/execute';
import { isApiError } from '../core/api/errors';
import { removePartialFiles } from '../core/download/partialFiles';
import { resolveOutputFolder } from '../core/files/pathGuard';
import { outputBaseName } from '../core/files/outputNaming';
import { takesFolder } from '../core/storyboard/takes';
import type { TrackedTask } from '../core/tasks/task';
import type { TaskStore } from '../core/tasks/taskStore';
import { SHUTDOWN_REASON, type SaveTarget, type VideoSaver } from '../core/download/videoSaver';
import type { ErrorBoundary } from './errorBoundary';
import type { Logger } from './log';
import type { SeedanceSettings } from './settings';
import { shortPrompt } from '../core/prompt';
import { homeWorkspaceRoot } from './workspaceFolder';

export class DownloadController implements vscode.Disposable {
  /** Every download under way, so it can be cancelled (tree action) and stopped on shutdown. */
  private readonly running = new Map<string, AbortController>();
  private disposed = false;

  constructor(
    private readonly store: TaskStore,
    private readonly saver: VideoSaver,
    private readonly settings: SeedanceSettings,
    private readonly boundary: ErrorBoundary,
    private readonly log: Logger,
  ) {}

  /** The poller's onSucceeded hook: download (if wanted and possible), then tell the person. */
  async onSucceeded(task: TrackedTask): Promise<void> {
    const label = shortPrompt(task.request.prompt, 40);
    if (this.settings.autoDownload() && this.workspaceRoot()) {
      const saved = await this.download(task.localId, { interactive: false });
      // A storyboard's takes are announced by its CodeLens and preview, not one notification each.
      if (saved?.file && !task.request.storyboard) this.announceSaved(saved, label).catch((e: unknown) => this.log.error('Showing the saved video failed', e));
      return;
    }
    const save = this.workspaceRoot() ? vscode.l10n.t('Download') : vscode.l10n.t('Save As…');
    const picked = await vscode.window.showInformationMessage(vscode.l10n.t('Video ready: "{0}"', label), save);
    if (picked === save) {
      const saved = await this.download(task.localId, { interactive: true });
      if (saved?.file) this.announceSaved(saved, label).catch((e: unknown) => this.log.error('Showing the saved video failed', e));
    }
  }

  /**
   * After a reload: videos that finished but were never saved (the window closed first) are saved now,
   * when automatic download is on. Nothing happens (no network) when there is nothing to save.
   */
  resumePending(): void {
    if (!this.workspaceRoot()) {
      // No folder to save into without asking (Save As): still delete what a cut-off download left behind.
      for (const task of this.store.listUnsettled()) {
        if (task.download.interrupted && task.download.target) void removePartialFiles(task.download.target);
      }
      return;
    }
    const auto = this.settings.autoDownload();
    // Settled tasks (saved or failed) have nothing to resume, so the ones not loaded yet stay unloaded.
    for (const task of this.store.listUnsettled()) {
      if (task.status !== 'succeeded') continue;
      // An agent's job is downloaded by whichever process holds its claim (src/core/agentJobs/jobAdopter.ts).
      if (task.startedBy === 'agent') continue;
      // Cut off by a reload or crash: downloads cost nothing, so it starts again whoever started it.
      if (task.download.state === 'failed' && task.download.interrupted) {
        this.log.info(`task ${task.localId}: download was cut off by the last reload; starting it again`);
        void this.download(task.localId, { interactive: false });
      } else if (auto && task.download.state === 'none' && task.videoUrl) {
        this.log.info(`task ${task.localId}: finished before the last reload but not saved; saving now`);
        this.download(task.localId, { interactive: false }).catch((e: unknown) => this.log.error(`Resuming the download of task ${task.localId} failed`, e));
      }
    }
  }

  /** Whether a download for this task is under way (the tree offers Cancel Download then). */
  isDownloading(localId: string): boolean {
    return this.running.has(localId);
  }

  /** Stops a download under way; the task shows the download as cancelled. False when none was running. */
  cancel(localId: string): boolean {
    const running = this.running.get(localId);
    if (!running) return false;
    running.abort();
    return true;
  }

  /** Stops every download (deactivation): each is marked interrupted and starts again next time. */
  dispose(): void {
    this.disposed = true;
    for (const running of this.running.values()) running.abort(SHUTDOWN_REASON);
    this.running.clear();
  }

  /**
   * Downloads a finished task's video. Interactive downloads show a cancellable notification with
   * progress; automatic ones show progress in the status bar. Failures are shown with "Download Again"
   * and resolve to undefined.
   */
  async download(localId: string, options: { interactive: boolean }): Promise<TrackedTask | undefined> {
    const task = this.store.get(localId);
    if (!task) return undefined;
    const title = vscode.l10n.t('Downloading "{0}"', shortPrompt(task.request.prompt, 40));
    try {
      const target = await this.targetFor(task);
      if (!target) return undefined; // the person closed the save dialog
      const saved = await vscode.window.withProgress(
        {
          location: options.interactive ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
          title,
          cancellable: options.interactive,
        },
        async (progress, token) => {
          if (this.disposed) throw new Error(vscode.l10n.t('Seedance Studio is shutting down.'));
          const abort = this.running.get(localId) ?? new AbortController();
          this.running.set(localId, abort);
          const sub = token.onCancellationRequested(() => abort.abort());
          let reported = 0;
          try {
            return await this.saver.save(localId, target, {
              signal: abort.signal,
              onProgress: (received, total) => {
                if (!total) return;
                const percent = Math.floor((received / total) * 100);
                if (percent > reported) {
                  progress.report({ increment: percent - reported, message: `${percent}%` });
                  reported = percent;
                }
              },
            });
          } finally {
            sub.dispose();
            if (this.running.get(localId) === abort) this.running.delete(localId);
          }
        },
      );
      if (saved.download.recordError !== undefined) this.warnNoRecord(saved);
      return saved;
    } catch (error) {
      if (this.disposed) return undefined; // shutting down: marked interrupted, resumed next time
      if (isApiError(error) && error.kind === 'aborted') {
        this.log.info(`task ${localId}: download cancelled`);
        return undefined;
      }
      this.log.error(`Download of task ${localId} failed`, error);
      // Failures before the saver started (an output folder outside the workspace) must show in the list too.
      const message = error instanceof Error ? error.message : String(error);
      this.store.update(localId, (t) => (t.download.state === 'downloading' || t.download.state === 'failed' ? t : { ...t, download: { state: 'failed', error: message } }));
      void this.boundary.show(error, {
        retry: () => this.download(localId, { interactive: true }),
      });
      return undefined;
    }
  }

  /** The video is saved; only the record beside it (prompt and settings, for Generate Again) is missing. */
  private warnNoRecord(task: TrackedTask): void {
    const reveal = vscode.l10n.t('Reveal');
    const message = vscode.l10n.t('The video was saved as {0}, but its generation record could not be written beside it: {1}',
      path.basename(task.file ?? ''), task.download.recordError ?? '');
    void Promise.resolve(vscode.window.showWarningMessage(message, reveal)).then(async (picked) => {
      if (picked === reveal) await vscode.commands.executeCommand('seedance.revealInExplorer', { localId: task.localId });
    }).catch((e: unknown) => this.log.error('Showing the record warning failed', e));
  }

  /** Opens the saved video, or reveals it. */
  private async announceSaved(task: TrackedTask, label: string): Promise<void> {
    const open = vscode.l10n.t('Open');
    const reveal = vscode.l10n.t('Reveal');
    const picked = await vscode.window.showInformationMessage(vscode.l10n.t('Video ready: "{0}" saved as {1}', label, path.basename(task.file ?? '')), open, reveal);
    if (picked === open) await executeSeedanceCommand('seedance.openVideo', { localId: task.localId });
    if (picked === reveal) await executeSeedanceCommand('seedance.revealInExplorer', { localId: task.localId });
  }

  /** Where videos go in this workspace (for the panel's resource roots); checked again before each write. */
  outputFolderPath(): string | undefined {
    const root = this.workspaceRoot();
    return root ? path.resolve(root, this.settings.outputFolder()) : undefined;
  }

  private workspaceRoot(): string | undefined {
    return homeWorkspaceRoot();
  }

  private async targetFor(task: TrackedTask): Promise<SaveTarget | undefined> {
    const root = this.workspaceRoot();
    if (root) {
      const folder = await resolveOutputFolder(root, this.settings.outputFolder());
      // A storyboard's takes go to a subfolder named after it (src/core/storyboard/takes.ts).
      const board = task.request.storyboard;
      return { kind: 'folder', root, folder: board ? takesFolder(folder.path, board.file) : folder.path };
    }
    const suggested = `${outputBaseName(task.request.prompt, new Date(task.createdAt))}.mp4`;
    const home = process.env.HOME ?? process.env.USERPROFILE;
    const uri = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save Video'),
      saveLabel: vscode.l10n.t('Save Video'),
      filters: { [vscode.l10n.t('MP4 video')]: ['mp4'] },
      ...(home ? { defaultUri: vscode.Uri.file(path.join(home, suggested)) } : {}),
    });
    if (!uri) return undefined;
    if (uri.scheme !== 'file') throw new Error(vscode.l10n.t('Videos can only be saved to a local file.'));
    return { kind: 'file', file: uri.fsPath };
  }
}
