// Keeps file access where the person meant it: downloads stay inside the workspace folder (no "..", no
// absolute paths elsewhere, no symlink that leads out), and a reference image is exactly the file named,
// a regular file, small enough, and really an image by its bytes.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { ReferenceImageUpload } from '../api/types';
import { MAX_REFERENCE_IMAGE_BYTES, sniffImageType, type ImageContentType } from '../catalog';
import { isInside } from './pathContainment';

export type PathProblem =
  | 'empty'
  | 'outsideWorkspace'
  | 'notADirectory'
  | 'notFound'
  | 'notAFile'
  | 'tooLarge'
  | 'emptyFile'
  | 'notAnImage'
  | 'unreadable';

/** A refused path, with a message that says what to do about it. */
export class PathGuardError extends Error {
  override readonly name = 'PathGuardError';
  constructor(readonly problem: PathProblem, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface ResolvedOutputFolder {
  /** Absolute path of the folder (as written, not symlink-resolved). It may not exist yet. */
  readonly path: string;
  /** Path relative to the workspace folder ('' for the folder itself), for display. */
  readonly relative: string;
  readonly exists: boolean;
}

/**
 * Resolves the output folder setting against a workspace folder. Refuses a setting that leaves the
 * workspace folder lexically ("..", an absolute path elsewhere, "~") or through a symlink (checked with the
 * real path of the nearest existing ancestor, so a folder that does not exist yet is checked too).
 * An empty setting means the workspace folder itself. The downloader should call assertInsideRoot again on
 * the final file path just before writing, since the tree can change in between.
 */
export async function resolveOutputFolder(workspaceFolder: string, setting: string | undefined): Promise<ResolvedOutputFolder> {
  const raw = (setting ?? '').trim();
  const shown = raw === '' ? l10n.t('(workspace folder)') : `"${raw}"`;
  if (raw === '~' || raw.startsWith('~/') || raw.startsWith('~\\')) {
    throw new PathGuardError('outsideWorkspace', l10n.t('The output folder {0} starts with "~", which is not expanded. Use a folder relative to the workspace folder, for example "videos".', shown));
  }
  if (raw.includes('\0')) throw new PathGuardError('outsideWorkspace', l10n.t('The output folder setting contains a NUL character.'));
  const root = path.resolve(workspaceFolder);
  const target = path.resolve(root, raw);
  if (!isInside(root, target)) {
    throw new PathGuardError('outsideWorkspace', l10n.t('The output folder {0} is outside the workspace folder {1}. Choose a folder inside it, for example "videos".', shown, root));
  }
  await assertInsideRoot(root, target, l10n.t('The output folder {0}', shown));
  let exists = false;
  try {
    const stat = await fs.stat(target);
    if (!stat.isDirectory()) {
      throw new PathGuardError('notADirectory', l10n.t('The output folder {0} is a file, not a folder. Choose another name in the seedance.outputFolder setting.', shown));
    }
    exists = true;
  } catch (error) {
    if (error instanceof PathGuardError) throw error;
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
  return { path: target, relative: path.relative(root, target), exists };
}

/**
 * Throws a PathGuardError('outsideWorkspace') unless `target` lies inside one of `roots` once symlinks are
 * resolved (reference images of agents and storyboards). `what` starts the error message.
 */
export async function assertInsideSomeRoot(roots: readonly string[], target: string, what: string): Promise<void> {
  for (const root of roots) {
    try {
      await assertInsideRoot(root, target, what);
      return;
    } catch (error) {
      if (!(error instanceof PathGuardError)) throw error;
    }
  }
  throw new PathGuardError('outsideWorkspace', l10n.t('{0} is outside the workspace folders. Reference images for agents and storyboards must lie inside an open workspace folder: copy it there, or pick it in the Generate panel.', what));
}

/**
 * Throws unless `target` (which may not exist yet) really lies inside `root` once symlinks are resolved:
 * the nearest existing ancestor of `target` is realpath'd and the missing rest appended. A dangling symlink
 * on the way is refused (creating through it could land anywhere). `what` starts the error message.
 */
export async function assertInsideRoot(root: string, target: string, what = `"${target}"`): Promise<void> {
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch (error) {
    throw new PathGuardError('notFound', l10n.t('The workspace folder {0} does not exist or cannot be read.', root), { cause: error });
  }
  let existing = path.resolve(target);
  const missing: string[] = [];
  for (;;) {
    try {
      const real = await fs.realpath(existing);
      const resolved = path.join(real, ...missing);
      if (!isInside(realRoot, resolved)) {
        throw new PathGuardError('outsideWorkspace', l10n.t('{0} leads outside the workspace folder through a symbolic link ({1} -> {2}). Choose a folder inside the workspace.', what, existing, real));
      }
      return;
    } catch (error) {
      if (error instanceof PathGuardError) throw error;
      if (errnoCode(error) !== 'ENOENT' && errnoCode(error) !== 'ENOTDIR') throw error;
    }
    // realpath failed: either the entry is missing, or it is a symlink pointing at nothing.
    if (await lstatExists(existing)) {
      throw new PathGuardError('outsideWorkspace', l10n.t('{0} goes through {1}, a symbolic link to something that does not exist. Remove the link or choose another folder.', what, existing));
    }
    const parent = path.dirname(existing);
    if (parent === existing) throw new PathGuardError('notFound', l10n.t('{0}: no part of the path exists.', what));
    missing.unshift(path.basename(existing));
    existing = parent;
  }
}

export interface CheckedReferenceImage {
  /** The real path (symlinks resolved) that was opened. */
  readonly realPath: string;
  /** The file name as given (what the person chose), for display and upload. */
  readonly fileName: string;
  readonly byteLength: number;
  readonly contentType: ImageContentType;
}

export interface ReferenceImageOptions {
  /** Default: the catalogue's MAX_REFERENCE_IMAGE_BYTES (30 MB). */
  readonly maxBytes?: number;
  /** When given, the real path must lie inside one of these folders (e.g. for paths sent by the webview). */
  readonly allowedRoots?: readonly string[];
}

/** Checks a reference image without reading more than its first bytes. */
export async function checkReferenceImage(filePath: string, options: ReferenceImageOptions = {}): Promise<CheckedReferenceImage> {
  const { checked } = await openReferenceImage(filePath, options, false);
  return checked;
}

/** Checks and reads a reference image, ready for upload. Reads only the file named, through one handle. */
export async function readReferenceImage(
  filePath: string,
  options: ReferenceImageOptions = {},
): Promise<ReferenceImageUpload & { readonly realPath: string; readonly byteLength: number }> {
  const { checked, data } = await openReferenceImage(filePath, options, true);
  return {
    fileName: checked.fileName,
    contentType: checked.contentType,
    data: data!,
    realPath: checked.realPath,
    byteLength: checked.byteLength,
  };
}

async function openReferenceImage(
  filePath: string,
  options: ReferenceImageOptions,
  readAll: boolean,
): Promise<{ checked: CheckedReferenceImage; data?: Uint8Array }> {
  const fileName = path.basename(filePath);
  const maxBytes = options.maxBytes ?? MAX_REFERENCE_IMAGE_BYTES;
  let realPath: string;
  try {
    realPath = await fs.realpath(filePath);
  } catch (error) {
    throw fileError(error, fileName);
  }
  if (options.allowedRoots && !(await realRoots(options.allowedRoots)).some((root) => isInside(root, realPath))) {
    throw new PathGuardError('outsideWorkspace', l10n.t('"{0}" is outside the folders images may be read from. Pick an image inside the workspace.', fileName));
  }
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(realPath, 'r');
  } catch (error) {
    throw fileError(error, fileName);
  }
  try {
    // Stat the open handle, not the path, so what we check is what we read.
    const stat = await handle.stat();
    if (!stat.isFile()) throw new PathGuardError('notAFile', l10n.t('"{0}" is not a regular file. Pick a JPEG, PNG or WebP image.', fileName));
    if (stat.size === 0) throw new PathGuardError('emptyFile', l10n.t('"{0}" is empty.', fileName));
    if (stat.size > maxBytes) {
      throw new PathGuardError('tooLarge', l10n.t('"{0}" is {1}; reference images must be at most {2}.', fileName, megabytes(stat.size), megabytes(maxBytes)));
    }
    let data: Uint8Array | undefined;
    let head: Uint8Array;
    if (readAll) {
      data = new Uint8Array(await handle.readFile());
      if (data.byteLength > maxBytes) {
        throw new PathGuardError('tooLarge', l10n.t('"{0}" grew to {1} while being read; the limit is {2}.', fileName, megabytes(data.byteLength), megabytes(maxBytes)));
      }
      head = data.subarray(0, 16);
    } else {
      const buffer = Buffer.alloc(16);
      const { bytesRead } = await handle.read(buffer, 0, 16, 0);
      head = buffer.subarray(0, bytesRead);
    }
    const contentType = sniffImageType(head);
    if (!contentType) throw new PathGuardError('notAnImage', l10n.t('"{0}" is not a JPEG, PNG or WebP image (checked by its content, not its name).', fileName));
    return { checked: { realPath, fileName, byteLength: data?.byteLength ?? stat.size, contentType }, data };
  } finally {
    await handle.close();
  }
}

function fileError(error: unknown, fileName: string): PathGuardError {
  const code = errnoCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new PathGuardError('notFound', l10n.t('"{0}" does not exist.', fileName), { cause: error });
  if (code === 'EISDIR') return new PathGuardError('notAFile', l10n.t('"{0}" is a folder, not an image.', fileName), { cause: error });
  return new PathGuardError('unreadable', l10n.t('"{0}" cannot be read ({1}).', fileName, code ?? l10n.t('unknown error')), { cause: error });
}

async function lstatExists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/** Roots compared by real path too (e.g. macOS /var is /private/var); a root that does not exist is skipped. */
async function realRoots(roots: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const root of roots) {
    try {
      out.push(await fs.realpath(root));
    } catch {
      // A missing root allows nothing.
    }
  }
  return out;
}

function megabytes(bytes: number): string {
  const mb = 1024 * 1024;
  if (bytes < mb) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / mb).toFixed(bytes % mb === 0 ? 0 : 1)} MB`;
}
