// Saving a finished video next to its metadata record: a readable unique name inside the output folder (or
// the file the person picked), a path that cannot leave the workspace folder, one fresh-URL retry when the
// signed link has expired, and a store entry that always says where the download stands. The bytes go
// through CometClient.downloadVideo, which writes a temporary file and renames it, so no half file is
// ever left under the final name.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { ApiError, isApiError } from './api/errors';
import type { VideoTask } from './api/types';
import { systemClock, type Clock } from './clock';
import { buildMetadataRecord, serializeMetadataRecord, uniqueOutputPaths, type ExistsFn } from './files/outputNaming';
import { assertInsideRoot } from './files/pathGuard';
import { taskLogLine, type TrackedTask } from './tasks/task';
import type { TaskStore } from './tasks/taskStore';

export interface DownloadOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (received: number, total?: number) => void;
}

export interface VideoSaverDeps {
  readonly store: TaskStore;
  /** CometClient.downloadVideo: streams to a temp file beside targetPath and renames it on success. */
  readonly downloadVideo: (url: string, targetPath: string, options?: DownloadOptions) => Promise<{ bytes: number }>;
  /** CometClient.getVideo: asked once for a fresh link when the stored one has expired. */
  readonly getVideo: (remoteId: string, signal?: AbortSignal) => Promise<VideoTask>;
  readonly extensionVersion: string;
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
  readonly exists?: ExistsFn;
  /** How often download progress is written to the store (the tree shows it). Default 1000 ms. */
  readonly progressIntervalMs?: number;
}

/** Where to save: inside a workspace folder (guarded) or a file the person chose in a save dialog. */
export type SaveTarget =
  | { readonly kind: 'folder'; /** Workspace folder the result must stay inside. */ readonly root: string; /** Absolute output folder. */ readonly folder: string }
  | { readonly kind: 'file'; readonly file: string };

export const EXPIRED_NO_FRESH_URL_MESSAGE =
  'The download link has expired and CometAPI did not provide a new one. Regenerate the video to get a new link.';

const defaultExists: ExistsFn = async (p) => {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
};

export class VideoSaver {
  private readonly clock: Clock;
  private readonly saving = new Map<string, Promise<TrackedTask>>();

  constructor(private readonly deps: VideoSaverDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  isSaving(localId: string): boolean {
    return this.saving.has(localId);
  }

  /**
   * Downloads the task's video to the target and writes the metadata record beside it. Resolves with the
   * task as stored afterwards; rejects (after marking the download failed) when it could not be saved.
   * A second call while one runs for the same task joins the first.
   */
  save(localId: string, target: SaveTarget, options: DownloadOptions = {}): Promise<TrackedTask> {
    const running = this.saving.get(localId);
    if (running) return running;
    const job = this.run(localId, target, options).finally(() => this.saving.delete(localId));
    this.saving.set(localId, job);
    return job;
  }

  private async run(localId: string, target: SaveTarget, options: DownloadOptions): Promise<TrackedTask> {
    const { store } = this.deps;
    const task = store.get(localId);
    if (!task) throw new Error(l10n.t('This video is no longer in the list.'));
    if (task.status !== 'succeeded' || !task.remoteId) throw new Error(l10n.t('This video is not ready to download yet.'));
    store.update(localId, { download: { state: 'downloading', bytes: 0 } });
    let paths: { video: string; metadata: string } | undefined;
    try {
      paths = await this.choosePaths(task, target);
      const bytes = await this.downloadInPlace(localId, paths.video, options);
      const current = store.get(localId) ?? task;
      await this.writeRecord(current, paths, target.kind === 'file');
      const done = store.update(localId, {
        download: { state: 'downloaded', bytes },
        file: paths.video,
        metadataFile: paths.metadata,
      });
      this.deps.log?.(`${taskLogLine(done ?? current)}: saved ${bytes} bytes`);
      return done ?? current;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      store.update(localId, (t) => ({ ...t, download: { state: 'failed', error: message } }));
      this.deps.log?.(`task ${localId}: download failed (${isApiError(error) ? error.kind : 'error'})`);
      throw error;
    }
  }

  private async choosePaths(task: TrackedTask, target: SaveTarget): Promise<{ video: string; metadata: string }> {
    if (target.kind === 'file') {
      const video = path.resolve(target.file);
      const ext = path.extname(video);
      const metadata = (ext ? video.slice(0, -ext.length) : video) + '.json';
      return { video, metadata };
    }
    // Check before creating anything, then again on the final names (the tree may change in between).
    await assertInsideRoot(target.root, target.folder, l10n.t('The output folder'));
    await fs.mkdir(target.folder, { recursive: true });
    const exists = this.deps.exists ?? defaultExists;
    const picked = await uniqueOutputPaths(target.folder, task.request.prompt, new Date(task.createdAt), exists);
    await assertInsideRoot(target.root, picked.video, l10n.t('The video file'));
    await assertInsideRoot(target.root, picked.metadata, l10n.t('The metadata file'));
    return picked;
  }

  /**
   * The downloader never replaces an existing file, but a file the person picked in a save dialog (and
   * agreed to replace) may exist: then the video is downloaded beside it and moved over it only once complete.
   */
  private async downloadInPlace(localId: string, file: string, options: DownloadOptions): Promise<number> {
    const exists = this.deps.exists ?? defaultExists;
    if (!(await exists(file))) return this.downloadWithFreshUrl(localId, file, options);
    const beside = path.join(path.dirname(file), `.${path.basename(file)}.replacing-${this.clock.now()}`);
    const bytes = await this.downloadWithFreshUrl(localId, beside, options);
    await fs.rename(beside, file);
    return bytes;
  }

  /** Downloads from the stored link; on an expired link asks the service once for a fresh one. */
  private async downloadWithFreshUrl(localId: string, file: string, options: DownloadOptions): Promise<number> {
    const { store } = this.deps;
    let task = store.get(localId);
    if (!task?.remoteId) throw new Error(l10n.t('This video is no longer in the list.'));
    let url = task.videoUrl;
    let refreshed = false;
    if (!url) {
      // No link kept (dropped after a day, or never stored): the service may still have one.
      url = await this.freshUrl(task.remoteId, options.signal);
      refreshed = true;
    }
    for (;;) {
      try {
        const { bytes } = await this.deps.downloadVideo(url, file, { signal: options.signal, onProgress: this.progressReporter(localId, options) });
        return bytes;
      } catch (error) {
        if (!isApiError(error) || error.kind !== 'expired' || refreshed) throw error;
        this.deps.log?.(`task ${localId}: download link expired; asking CometAPI for a fresh one`);
        task = store.get(localId);
        if (!task?.remoteId) throw error;
        const fresh = await this.freshUrl(task.remoteId, options.signal);
        if (fresh === url) throw new ApiError('expired', EXPIRED_NO_FRESH_URL_MESSAGE, { cause: error });
        url = fresh;
        refreshed = true;
      }
    }
  }

  private async freshUrl(remoteId: string, signal?: AbortSignal): Promise<string> {
    const remote = await this.deps.getVideo(remoteId, signal);
    const task = this.deps.store.findByRemoteId(remoteId);
    if (remote.status !== 'succeeded' || !remote.videoUrl) throw new ApiError('expired', EXPIRED_NO_FRESH_URL_MESSAGE);
    if (task) this.deps.store.update(task.localId, { videoUrl: remote.videoUrl });
    return remote.videoUrl;
  }

  private progressReporter(localId: string, options: DownloadOptions): (received: number, total?: number) => void {
    const interval = this.deps.progressIntervalMs ?? 1000;
    let last = 0;
    return (received, total) => {
      options.onProgress?.(received, total);
      const now = this.clock.now();
      if (now - last < interval) return;
      last = now;
      this.deps.store.update(localId, { download: { state: 'downloading', bytes: received, ...(total !== undefined ? { total } : {}) } });
    };
  }

  private async writeRecord(task: TrackedTask, paths: { video: string; metadata: string }, overwrite: boolean): Promise<void> {
    const record = buildMetadataRecord(task, { extensionVersion: this.deps.extensionVersion, videoFile: paths.video, savedAt: this.clock.now() });
    // 'wx' for generated names: never overwrite someone's file that appeared since the name was picked.
    await fs.writeFile(paths.metadata, serializeMetadataRecord(record), { encoding: 'utf8', flag: overwrite ? 'w' : 'wx' });
  }
}
