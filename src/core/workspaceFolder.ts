// The one rule for "which workspace folder" (issue 22). Everything Seedance Studio writes into a workspace
// (videos and their records, storyboard takes, new storyboards, agents' jobs and configuration) and every
// path it shows relative to "the workspace" belongs to ONE folder: the first workspace folder on the local
// disk (scheme `file`), in VS Code's order, which the person controls. Not the folder of the active editor:
// where a video lands would then change with focus, and a task resumed after a reload could land somewhere
// other than where it was asked for. A file's own folder is asked only about a file that exists ("is this
// saved video inside the workspace, and which folder holds it"): folderHolding. Pure: VS Code's
// WorkspaceFolder satisfies FolderLike, and tests pass plain objects (POSIX and Windows paths).
import * as path from 'node:path';
import { isInside, type PathFlavour } from './files/pathContainment';

/** What the rule reads of a workspace folder (vscode.WorkspaceFolder has it). */
export interface FolderLike {
  readonly uri: { readonly scheme: string; readonly fsPath: string };
}

/** The folders on the local disk, in VS Code's order (others cannot hold files we write with Node's fs). */
export function localFolders<F extends FolderLike>(folders: readonly F[] | undefined): F[] {
  return (folders ?? []).filter((f) => f.uri.scheme === 'file');
}

/** The workspace's folder for everything we write and show: the first local one (undefined: none open). */
export function homeFolder<F extends FolderLike>(folders: readonly F[] | undefined): F | undefined {
  return localFolders(folders)[0];
}

/**
 * The local folder that holds `file` (the innermost one when folders nest, as VS Code's getWorkspaceFolder
 * answers), or undefined when none does.
 */
export function folderHolding<F extends FolderLike>(
  folders: readonly F[] | undefined,
  file: string,
  flavour: PathFlavour = path,
): F | undefined {
  let best: F | undefined;
  for (const folder of localFolders(folders)) {
    if (!isInside(folder.uri.fsPath, file, flavour)) continue;
    if (!best || flavour.resolve(folder.uri.fsPath).length > flavour.resolve(best.uri.fsPath).length) best = folder;
  }
  return best;
}
