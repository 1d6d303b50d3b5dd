// The one rule for "is this path inside that folder" (issue 22): lexical, no file system access (the path
// guard adds the symlink check where a write follows). Only a first segment that IS ".." leaves the folder:
// a folder named "..videos" is inside. On Windows the comparison ignores case and another drive is outside
// (path.win32.relative does both); the folder itself counts as inside. Pure: the flavour of path is a
// parameter, so POSIX and Windows rules are tested on any machine.
import * as path from 'node:path';

/** The parts of node:path the rule needs: `path.posix`, `path.win32`, or `path` (this machine's). */
export type PathFlavour = Pick<typeof path, 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

/**
 * `target` relative to `root` with "/" separators ('' for the folder itself), or undefined when `target`
 * is not `root` or below it. Both are resolved first, so "a/../b" and trailing separators do not matter.
 */
export function relativeInside(root: string, target: string, flavour: PathFlavour = path): string | undefined {
  const relative = flavour.relative(flavour.resolve(root), flavour.resolve(target));
  // Another drive (or UNC share) on Windows: relative() answers with the absolute target.
  if (flavour.isAbsolute(relative)) return undefined;
  const segments = relative === '' ? [] : relative.split(flavour.sep);
  if (segments[0] === '..') return undefined;
  return segments.join('/');
}

/** Whether `target` is `root` or lies below it (see relativeInside). */
export function isInside(root: string, target: string, flavour: PathFlavour = path): boolean {
  return relativeInside(root, target, flavour) !== undefined;
}
