// Takes: every generation of a shot. A take's video and record land in a subfolder of the output folder
// named after the storyboard file, and the record names the storyboard (workspace-relative path) and the
// shot id, so the takes are found again from the files alone: after a reload, on another machine, by a
// teammate. They are found by shot id (takeIndex.ts), so a renamed or moved storyboard keeps them. The
// tracked task (while it runs) and the record on disk (once saved) are merged into one list.
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import { slugify } from '../files/outputNaming';
import type { TrackedStatus, TrackedTask } from '../tasks/task';

export const STORYBOARD_SUFFIX = '.storyboard.md';

/** Which storyboard and shot a generation belongs to (in the task request and the saved record). */
export interface StoryboardRef {
  /** The storyboard's path relative to the workspace folder, with "/" separators. */
  readonly file: string;
  readonly shotId: string;
}

export function isStoryboardFile(fileName: string): boolean {
  return fileName.toLowerCase().endsWith(STORYBOARD_SUFFIX);
}

/** "The Lighthouse.storyboard.md" -> "the-lighthouse": the name of its takes folder. */
export function storyboardFolderName(file: string): string {
  const base = path.basename(file.replace(/\\/g, '/'));
  const name = isStoryboardFile(base) ? base.slice(0, -STORYBOARD_SUFFIX.length) : base;
  return slugify(name);
}

/** The folder a storyboard's takes are saved in. */
export function takesFolder(outputFolder: string, storyboardFile: string): string {
  return path.join(outputFolder, storyboardFolderName(storyboardFile));
}

/** The storyboard's path as records name it: relative to the workspace folder, "/" separators. */
export function relativeStoryboardPath(workspaceRoot: string, absoluteFile: string): string {
  return path.relative(workspaceRoot, absoluteFile).split(path.sep).join('/');
}

/** The last frame captured from a take, saved beside its video: what a continuation sends. */
export function lastFramePath(videoFile: string): string {
  const ext = path.extname(videoFile);
  return `${ext ? videoFile.slice(0, -ext.length) : videoFile}.last-frame.png`;
}

export type TakeStatus = TrackedStatus | 'saved';

export interface Take {
  /** Stable while the take exists: the video's file name once saved, else the task's local id. */
  readonly key: string;
  readonly shotId: string;
  readonly status: TakeStatus;
  readonly progress: number;
  readonly createdAt: number;
  readonly localId?: string;
  /** Absolute path of the video, once it is on disk. */
  readonly videoFile?: string;
  readonly recordFile?: string;
  readonly failure?: string;
  /** True while the video is being downloaded. */
  readonly downloading?: boolean;
  /** The file name of the first reference image it was made from (a continuation's frame), when known. */
  readonly firstReference?: string;
  /** How long the take is (what was asked for), when known. */
  readonly seconds?: number;
}

/** Whether a take has a video on disk that can be played, chosen and continued from. */
export function isPlayable(take: Take): boolean {
  return take.videoFile !== undefined && (take.status === 'saved' || take.status === 'succeeded');
}

/** The file name a `take:` value refers to. */
export function takeName(take: Take): string | undefined {
  return take.videoFile ? path.basename(take.videoFile) : undefined;
}

/** A tracked task of this storyboard as a take. */
export function takeFromTask(task: TrackedTask): Take | undefined {
  const ref = task.request.storyboard;
  if (!ref) return undefined;
  const saved = task.download.state === 'downloaded' && task.file ? task.file : undefined;
  return {
    key: saved ? path.basename(saved) : task.localId,
    shotId: ref.shotId,
    status: task.status,
    progress: task.progress,
    createdAt: task.createdAt,
    localId: task.localId,
    ...(saved ? { videoFile: saved } : {}),
    ...(task.metadataFile && saved ? { recordFile: task.metadataFile } : {}),
    ...(task.failure ? { failure: task.failure.message } : task.download.state === 'failed' ? { failure: task.download.error ?? l10n.t('The download failed.') } : {}),
    ...(task.download.state === 'downloading' ? { downloading: true } : {}),
    ...(task.request.inputReference ? { firstReference: task.request.inputReference.name } : {}),
    seconds: task.request.seconds,
  };
}

/**
 * The takes of every shot of a storyboard (its shot ids), oldest first: tracked tasks plus records on disk,
 * whatever storyboard path they name; a task and the record of its saved video are one take.
 */
export function mergeTakes(tasks: readonly TrackedTask[], records: readonly Take[], shotIds: ReadonlySet<string>): Map<string, Take[]> {
  const byKey = new Map<string, Take>();
  for (const r of records) if (shotIds.has(r.shotId)) byKey.set(r.key, r);
  for (const t of tasks) {
    const ref = t.request.storyboard;
    if (!ref || !shotIds.has(ref.shotId)) continue;
    const take = takeFromTask(t);
    if (!take) continue;
    const known = byKey.get(take.key);
    // The record on disk is the truth about a saved video; the task adds what only it knows.
    byKey.set(take.key, known ? { ...known, localId: take.localId } : take);
  }
  const byShot = new Map<string, Take[]>();
  for (const take of byKey.values()) {
    const list = byShot.get(take.shotId) ?? [];
    list.push(take);
    byShot.set(take.shotId, list);
  }
  for (const list of byShot.values()) list.sort((a, b) => a.createdAt - b.createdAt || a.key.localeCompare(b.key));
  return byShot;
}

/** The take that goes into the film: the one named by `take:`, else the newest playable one. */
export function chosenTake(takes: readonly Take[] | undefined, chosenName: string | undefined): Take | undefined {
  if (!takes) return undefined;
  if (chosenName) {
    const named = takes.find((t) => takeName(t) === chosenName);
    if (named) return named;
  }
  return [...takes].reverse().find(isPlayable);
}

/**
 * Whether a continuation's take was made from a frame that is no longer the previous shot's chosen take's
 * last frame (that shot was re-rolled or another take chosen): the cut no longer matches. Unknown (a take
 * made without a recorded frame) is not stale.
 */
export function isStale(take: Take, previousChosen: Take | undefined): boolean {
  if (!take.firstReference || !previousChosen?.videoFile || !take.firstReference.endsWith('.last-frame.png')) return false;
  return take.firstReference !== path.basename(lastFramePath(previousChosen.videoFile));
}

/** Whether Generate All should leave the shot alone: it has a playable take or one on its way (or uncertain). */
export function hasTakeOrPending(takes: readonly Take[] | undefined): boolean {
  return (takes ?? []).some((t) => t.status !== 'failed');
}
