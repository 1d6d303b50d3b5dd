// The file side of a download: claim a temporary name beside the target, publish the finished file under
// its final name without ever replacing an existing one, and turn file-system errors into ApiError kind
// 'file' with words a person can act on.

import { randomBytes } from 'node:crypto';
import { link, lstat, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../api/errors';
import { errorCodes } from '../api/errorMapping';

/** ".<name>.part-<random>" in the target's folder: same file system, so publishing is a link or rename. */
export function tempPathFor(targetPath: string): string {
  return join(dirname(targetPath), `.${basename(targetPath)}.part-${randomBytes(6).toString('hex')}`);
}

/** Fails with kind 'file' when something (file, folder, link) already has the target's name. */
export async function assertAbsent(targetPath: string): Promise<void> {
  try {
    await lstat(targetPath);
  } catch (error) {
    if (errorCodes(error).includes('ENOENT')) return;
    throw fileError(error, targetPath);
  }
  throw existsError(targetPath);
}

/** Creates the temporary file exclusively and opens it for positional writes. */
export async function openTemp(tempPath: string, targetPath: string): Promise<FileHandle> {
  try {
    return await open(tempPath, 'wx');
  } catch (error) {
    throw fileError(error, targetPath);
  }
}

/** Publishes the complete temporary file under targetPath; never replaces an existing file. */
export async function publish(tempPath: string, targetPath: string): Promise<void> {
  try {
    // link() fails with EEXIST instead of overwriting (rename silently replaces, on every OS).
    await link(tempPath, targetPath);
  } catch (error) {
    const codes = errorCodes(error);
    if (codes.includes('EEXIST')) throw existsError(targetPath);
    if (!codes.some((c) => ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS', 'EMLINK', 'EACCES', 'EINVAL'].includes(c))) {
      throw fileError(error, targetPath);
    }
    // No hard links on this file system (FAT, some network shares): check, then rename. The gap between
    // the two is tiny and the caller picks unique names, so it is accepted.
    await assertAbsent(targetPath);
    try {
      await rename(tempPath, targetPath);
    } catch (e) {
      throw fileError(e, targetPath);
    }
    return;
  }
  await unlink(tempPath).catch(() => undefined);
}

export function existsError(targetPath: string): ApiError {
  return new ApiError('file', `"${basename(targetPath)}" already exists in ${dirname(targetPath)}; it was not overwritten. Choose another name.`);
}

export function fileError(error: unknown, targetPath: string): ApiError {
  if (error instanceof ApiError) return error;
  const code = errorCodes(error)[0];
  const dir = dirname(targetPath);
  const message =
    code === 'ENOENT' ? `The folder ${dir} does not exist.` :
    code === 'EACCES' || code === 'EPERM' ? `There is no permission to write in ${dir}.` :
    code === 'ENOSPC' ? `The disk holding ${dir} is full.` :
    `Could not write "${basename(targetPath)}" in ${dir} (${code ?? 'unknown error'}).`;
  return new ApiError('file', message, { cause: error });
}
