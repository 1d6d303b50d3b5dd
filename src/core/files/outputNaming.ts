// Names for downloaded videos and their metadata records: readable (date, time, words of the prompt),
// safe on every file system (ASCII, no reserved Windows names, no dots or dashes at the ends, bounded
// length), and unique in the target folder. Pure apart from the injected `exists`.

import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { fieldsOf, type GenerationRequest } from '../generationRequest';
import type { TrackedTask } from '../tasks/task';

/** Longest slug taken from the prompt. */
export const MAX_SLUG_LENGTH = 60;

/** Used when a prompt has no ASCII letters or digits at all (emoji only, CJK, punctuation). */
export const FALLBACK_SLUG = 'video';

/** Device names Windows reserves in any case and with any extension (CON, CON.txt, com1, ...). */
const WINDOWS_RESERVED = new Set([
  'con', 'prn', 'aux', 'nul', 'conin$', 'conout$',
  ...Array.from({ length: 10 }, (_, i) => `com${i}`),
  ...Array.from({ length: 10 }, (_, i) => `lpt${i}`),
]);

/**
 * Lowercase ASCII words of the prompt joined by dashes: accents folded ("café" -> "cafe"), everything else
 * (slashes, dots, emoji, control characters) becomes a separator, so the result can never name a parent
 * folder or a hidden file. Cut at a word boundary when possible. Never empty, never a reserved device name.
 */
export function slugify(prompt: string, maxLength = MAX_SLUG_LENGTH): string {
  let slug = prompt
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > maxLength) {
    const cut = slug.slice(0, maxLength);
    const lastDash = cut.lastIndexOf('-');
    // Prefer ending on a whole word, unless that would throw most of the slug away (one very long word).
    slug = (lastDash >= maxLength / 2 ? cut.slice(0, lastDash) : cut).replace(/-+$/g, '');
  }
  if (slug === '') return FALLBACK_SLUG;
  if (WINDOWS_RESERVED.has(slug)) return `${slug}-${FALLBACK_SLUG}`;
  return slug;
}

/** "2026-11-24_1530" in local time: the person's own clock is what they will look for. */
export function formatStamp(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}_${pad(at.getHours())}${pad(at.getMinutes())}`;
}

/** The base name without extension or uniqueness suffix: "2026-11-24_1530_a-slow-cinematic-camera-push". */
export function outputBaseName(prompt: string, at: Date): string {
  return `${formatStamp(at)}_${slugify(prompt)}`;
}

export interface OutputPaths {
  /** Absolute path for the video (.mp4). */
  readonly video: string;
  /** Absolute path for the sibling metadata record (.json, same base name). */
  readonly metadata: string;
  /** The base name both share (with any -2, -3 suffix). */
  readonly baseName: string;
}

/** Whether something already exists at a path (fs.promises.access or the VS Code fs, injected). */
export type ExistsFn = (absolutePath: string) => boolean | Promise<boolean>;

/**
 * Picks video + metadata paths in `folder` that do not exist yet: the base name, then base-2, base-3, ...
 * Both names must be free, so a video never ends up beside another video's record. Races with another writer
 * are the downloader's to handle (it should create the file exclusively); this only avoids the obvious clash.
 */
export async function uniqueOutputPaths(
  folder: string,
  prompt: string,
  at: Date,
  exists: ExistsFn,
  options: { videoExtension?: string; maxAttempts?: number } = {},
): Promise<OutputPaths> {
  const ext = options.videoExtension ?? '.mp4';
  const maxAttempts = options.maxAttempts ?? 999;
  const base = outputBaseName(prompt, at);
  for (let n = 1; n <= maxAttempts; n++) {
    const baseName = n === 1 ? base : `${base}-${n}`;
    const video = path.join(folder, baseName + ext);
    const metadata = path.join(folder, baseName + '.json');
    if (!(await exists(video)) && !(await exists(metadata))) return { video, metadata, baseName };
  }
  throw new Error(l10n.t('Could not find a free file name in {0} after {1} attempts.', folder, maxAttempts));
}

/** Version of the metadata record's shape; bump on any incompatible change. */
export const METADATA_SCHEMA_VERSION = 1;

/**
 * The .json record saved beside each video, so the file explains itself: what was asked, with which
 * settings, and which task produced it. Deliberately without the signed video URL (a credential) and with
 * only the reference image's file name (an absolute path would leak the person's home folder into a file
 * that is likely to be committed). Reference images after the first are in `moreReferences`, in upload order
 * (names only, like inputReference). A field added to the request is written by buildMetadataRecord and read
 * back by prefillFromRecord (src/vscode/panel/recordPrefill.ts) and the take index (storyboard/takeIndex.ts).
 */
export interface VideoMetadataRecord extends GenerationRequest<{ readonly name: string }> {
  readonly schema: 'seedance-studio.video';
  readonly schemaVersion: number;
  /** The storyboard shot this video is a take of (workspace-relative storyboard path, shot id). */
  readonly storyboard?: { readonly file: string; readonly shotId: string };
  /** The CometAPI task id. */
  readonly taskId?: string;
  /** The extension's own id for the task. */
  readonly localId: string;
  /** ISO 8601 timestamps. */
  readonly createdAt: string;
  readonly submittedAt?: string;
  readonly finishedAt?: string;
  readonly savedAt: string;
  /** The video's file name (not path: the record sits beside it). */
  readonly videoFile: string;
  readonly generator: 'Seedance Studio';
  readonly extensionVersion: string;
}

export function buildMetadataRecord(
  task: TrackedTask,
  info: { extensionVersion: string; videoFile: string; savedAt: number },
): VideoMetadataRecord {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const record: VideoMetadataRecord = {
    schema: 'seedance-studio.video',
    schemaVersion: METADATA_SCHEMA_VERSION,
    ...fieldsOf(task.request),
    inputReference: task.request.inputReference ? { name: task.request.inputReference.name } : undefined,
    moreReferences: task.request.moreReferences?.length ? task.request.moreReferences.map((r) => ({ name: r.name })) : undefined,
    storyboard: task.request.storyboard ? { file: task.request.storyboard.file, shotId: task.request.storyboard.shotId } : undefined,
    taskId: task.remoteId,
    localId: task.localId,
    createdAt: new Date(task.createdAt).toISOString(),
    submittedAt: iso(task.submittedAt),
    finishedAt: iso(task.finishedAt),
    savedAt: new Date(info.savedAt).toISOString(),
    videoFile: path.basename(info.videoFile),
    generator: 'Seedance Studio',
    extensionVersion: info.extensionVersion,
  };
  return JSON.parse(JSON.stringify(record)) as VideoMetadataRecord; // drop undefined keys
}

/** The record as file text (pretty, trailing newline, friendly to diffs). */
export function serializeMetadataRecord(record: VideoMetadataRecord): string {
  return JSON.stringify(record, null, 2) + '\n';
}
