// Finding and deleting what a download cut off by a crash left beside its target. The downloader writes
// ".<name>.part-<random>" (atomicFile.ts tempPathFor) and the saver ".<name>.replacing-<time>" when a
// Save As replaces a file; a killed extension host cannot delete them, so the next activation does.
// Only names derived from the recorded target are touched, never anything else in the folder.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Whether `name` is a temporary file that a download to `target` makes. */
export function isPartialOf(target: string, name: string): boolean {
  const base = `.${path.basename(target)}.`;
  if (!name.startsWith(base)) return false;
  return /^(part-[0-9a-f]+|replacing-\d+)$/.test(name.slice(base.length));
}

/** Deletes the temporary files of downloads to `target`; returns the paths removed. Never throws. */
export async function removePartialFiles(target: string): Promise<string[]> {
  const folder = path.dirname(target);
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!isPartialOf(target, name)) continue;
    const file = path.join(folder, name);
    try {
      // Only plain files: a folder or link with such a name is not ours.
      if (!(await fs.lstat(file)).isFile()) continue;
      await fs.rm(file, { force: true });
      removed.push(file);
    } catch {
      // Gone already or not ours to delete: nothing to do.
    }
  }
  return removed;
}
