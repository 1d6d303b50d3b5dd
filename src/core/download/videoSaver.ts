// Saving a finished video next to its metadata record: a readable unique name inside the output folder (or
// the file the person picked), a path that cannot leave the workspace folder, one fresh-URL retry when the
// signed link has expired, and a store entry that always says where the download stands. The bytes go
// through CometClient.downloadVideo, which writes a temporary file and renames it, so no half file is
// ever left under the final name.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { ApiError, isApiError } from '../api/errors';
import type { VideoTask } from '../api/types';
import { systemClock, type Clock } from '../clock';
import { buildMetadataRecord, serializeMetadataRecord, uniqueOutputPaths, type ExistsFn } from '../files/outputNaming';
import { removePartialFiles } from './partialFiles';
import { assertInsideRoot } from '../files/pathGuard';
import { taskLogLine, type TrackedTask } from '../tasks/task';
import type { TaskStore } from '../tasks/taskStore';

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
  /**
   * Stores the task list and resolves when written (TaskPersistence.flush): awaited once the target is
   * recorded and before any byte is written, so a crash mid-download leaves a record of the half file.
   */
  readonly persist?: () => PromiseLike<void>;
  /** Longest a whole download may take, all attempts and the fresh-link poll included. Default 30 min. */
  readonly deadlineMs?: number;
}

/**
 * The abort reason for downloads stopped because the extension is shutting down (window closing, reload):
 * such a download is marked `interrupted` and starts again by itself on the next activation.
 */
export const SHUTDOWN_REASON = 'seedance:shutdown';

export const DEFAULT_DOWNLOAD_DEADLINE_MS = 30 * 60_000;

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
  /** Paths picked by downloads still running (their files do not exist until the end). */
  private readonly reserved = new Set<string>();
  private naming: Promise<void> = Promise.resolve();

  constructor(private readonly deps: VideoSaverDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  isSaving(localId: string): boolean {
    return this.saving.has(localId);
  }

  /**
   * Downloads the task's video to the target and writes the metadata record beside it. Resolves with the
   * task as stored afterwards (a record that could not be written is `download.recordError`, the video
   * still saved); rejects (after marking the download failed) when the video could not be saved.
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
    const deadlineMs = this.deps.deadlineMs ?? DEFAULT_DOWNLOAD_DEADLINE_MS;
    const deadline = AbortSignal.timeout(deadlineMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let paths: { video: string; metadata: string; replaceMetadata: boolean } | undefined;
    try {
      // A download cut off by a crash left its temporary file beside the target it was writing.
      if (task.download.target) await removePartialFiles(task.download.target);
      paths = await this.choosePaths(task, target);
      store.update(localId, { download: { state: 'downloading', bytes: 0, target: paths.video } });
      await this.persist(localId);
      const bytes = await this.downloadInPlace(localId, paths.video, { ...options, signal });
      // From here the video is saved under its final name, whatever happens to its record: the task says
      // so, and a record that could not be written is a warning beside it, never a failed download.
      const current = store.get(localId) ?? task;
      const recordError = await this.writeRecord(current, paths).then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      const done = store.update(localId, {
        download: { state: 'downloaded', bytes, ...(recordError !== undefined ? { recordError } : {}) },
        file: paths.video,
        metadataFile: recordError === undefined ? paths.metadata : undefined,
      });
      const recordNote = recordError !== undefined ? `; the record beside it could not be written (${recordError})` : '';
      this.deps.log?.(`${taskLogLine(done ?? current)}: saved ${bytes} bytes${recordNote}`);
      return done ?? current;
    } catch (caught) {
      let error = caught;
      if (deadline.aborted && !options.signal?.aborted) {
        const minutes = Math.round(deadlineMs / 60_000);
        error = new ApiError('timeout', `The download did not finish within ${minutes >= 1 ? `${minutes} min` : `${deadlineMs} ms`}; it was stopped. Try "Download Again".`, { cause: caught });
      }
      const shutdown = options.signal?.aborted === true && options.signal.reason === SHUTDOWN_REASON;
      const cancelled = !shutdown && options.signal?.aborted === true;
      const message = shutdown ? 'The download was interrupted when VS Code closed.'
        : cancelled ? 'The download was cancelled.'
        : error instanceof Error ? error.message : String(error);
      store.update(localId, (t) => ({
        ...t,
        download: { state: 'failed', error: message, ...(shutdown ? { interrupted: true, target: paths?.video } : {}) },
      }));
      this.deps.log?.(`task ${localId}: download ${shutdown ? 'interrupted by shutdown' : `failed (${isApiError(error) ? error.kind : 'error'})`}`);
      throw error;
    } finally {
      if (paths) {
        this.reserved.delete(paths.video);
        this.reserved.delete(paths.metadata);
      }
    }
  }

  private async persist(localId: string): Promise<void> {
    try {
      await this.deps.persist?.();
    } catch (error) {
      this.deps.log?.(`task ${localId}: could not store the download target (${String(error)})`);
    }
  }

  /**
   * Names are picked one download at a time and held until that download ends: two videos with the same
   * prompt in the same minute, downloading at once, would otherwise both pick the free name (the finished
   * file only appears at the end) and the second would fail with "already exists".
   */
  private choosePaths(task: TrackedTask, target: SaveTarget): Promise<{ video: string; metadata: string; replaceMetadata: boolean }> {
    const picked = this.naming.then(() => this.pickPaths(task, target));
    this.naming = picked.then(() => undefined, () => undefined);
    return picked;
  }

  private async pickPaths(task: TrackedTask, target: SaveTarget): Promise<{ video: string; metadata: string; replaceMetadata: boolean }> {
    const exists = this.deps.exists ?? defaultExists;
    if (target.kind === 'file') {
      const video = path.resolve(target.file);
      const metadata = await this.metadataBeside(video);
      this.reserved.add(video);
      this.reserved.add(metadata.path);
      return { video, metadata: metadata.path, replaceMetadata: metadata.replace };
    }
    // Check before creating anything, then again on the final names (the tree may change in between).
    await assertInsideRoot(target.root, target.folder, l10n.t('The output folder'));
    await fs.mkdir(target.folder, { recursive: true });
    const taken: ExistsFn = async (p) => this.reserved.has(p) || (await exists(p));
    const picked = await uniqueOutputPaths(target.folder, task.request.prompt, new Date(task.createdAt), taken);
    await assertInsideRoot(target.root, picked.video, l10n.t('The video file'));
    await assertInsideRoot(target.root, picked.metadata, l10n.t('The metadata file'));
    this.reserved.add(picked.video);
    this.reserved.add(picked.metadata);
    return { video: picked.video, metadata: picked.metadata, replaceMetadata: false };
  }

  /**
   * The record for a video the person saved with Save As: "<name>.json" beside it when that name is free or
   * holds this extension's own record of the same file name (replaced, as the video was); otherwise
   * "<name>-2.json", ... Someone else's file, a folder or a link at that name is never written through.
   */
  private async metadataBeside(video: string): Promise<{ path: string; replace: boolean }> {
    const ext = path.extname(video);
    const stem = ext ? video.slice(0, -ext.length) : video;
    for (let n = 1; n <= 999; n++) {
      const candidate = n === 1 ? `${stem}.json` : `${stem}-${n}.json`;
      if (this.reserved.has(candidate)) continue;
      let stat;
      try {
        stat = await fs.lstat(candidate);
      } catch {
        return { path: candidate, replace: false };
      }
      if (stat.isFile() && (await isOwnRecordFor(candidate, path.basename(video)))) return { path: candidate, replace: true };
    }
    throw new Error(`Could not find a free name for the metadata record beside ${video}.`);
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
        const { bytes } = await this.deps.downloadVideo(url, file, {
          signal: options.signal,
          onProgress: this.progressReporter(localId, options),
        });
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
      // Keeps the recorded target: a crash after this write must still find the half file.
      this.deps.store.update(localId, (t) => ({
        ...t,
        download: { state: 'downloading', bytes: received, ...(total !== undefined ? { total } : {}), ...(t.download.target ? { target: t.download.target } : {}) },
      }));
    };
  }

  private async writeRecord(task: TrackedTask, paths: { video: string; metadata: string; replaceMetadata: boolean }): Promise<void> {
    const record = buildMetadataRecord(task, {
      extensionVersion: this.deps.extensionVersion,
      videoFile: paths.video,
      savedAt: this.clock.now(),
    });
    const text = serializeMetadataRecord(record);
    if (!paths.replaceMetadata) {
      // 'wx': never overwrite (or write through a link at) a name that appeared since it was picked.
      await fs.writeFile(paths.metadata, text, { encoding: 'utf8', flag: 'wx' });
      return;
    }
    // Replacing our own earlier record: write beside it, then rename over it (rename replaces the entry itself,
    // so even a link swapped in meanwhile is replaced, not followed).
    const beside = path.join(path.dirname(paths.metadata), `.${path.basename(paths.metadata)}.replacing-${this.clock.now()}`);
    await fs.writeFile(beside, text, { encoding: 'utf8', flag: 'wx' });
    try {
      await fs.rename(beside, paths.metadata);
    } catch (error) {
      await fs.rm(beside, { force: true }).catch(() => undefined);
      throw error;
    }
  }
}

/** Whether the file is this extension's metadata record for a video of this file name. */
async function isOwnRecordFor(file: string, videoName: string): Promise<boolean> {
  try {
    const handle = await fs.open(file, 'r');
    try {
      const { size } = await handle.stat();
      if (size > 1_000_000) return false;
      const parsed = JSON.parse(await handle.readFile({ encoding: 'utf8' })) as { schema?: unknown; videoFile?: unknown };
      return parsed.schema === 'seedance-studio.video' && parsed.videoFile === videoName;
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}
