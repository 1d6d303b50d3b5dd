// Where the workspace's shared job list lives (see jobFiles.ts). Its own small file so activation can look
// for it without loading the rest.
import * as path from 'node:path';

/** `<workspace>/.seedance`: the folder both processes share (ignored by git through its own .gitignore). */
export function sharedFolder(workspace: string): string {
  return path.join(workspace, '.seedance');
}
export function jobsFolder(workspace: string): string {
  return path.join(sharedFolder(workspace), 'jobs');
}
export function jobFolder(workspace: string, localId: string): string {
  return path.join(jobsFolder(workspace), localId);
}
export function editorPresenceFile(workspace: string): string {
  return path.join(sharedFolder(workspace), 'editor.json');
}
