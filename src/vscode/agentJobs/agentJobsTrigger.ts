// Activation's part of the shared job list: when the workspace holds jobs an agent started through the MCP
// server (dist/mcp.js), or one appears, the features load (and with them the adoption, registerAgentJobs.ts).
// Costs one stat and a file watcher; nothing is read or written here.
import * as vscode from 'vscode';
import { homeWorkspaceFolder } from '../workspaceFolder';
import { jobsFolder } from '../../core/agentJobs/paths';

export function whenAgentJobsAppear(load: (why: string) => void): vscode.Disposable {
  const root = homeWorkspaceFolder()?.uri;
  if (!root) return { dispose: () => undefined };
  vscode.workspace.fs.stat(vscode.Uri.file(jobsFolder(root.fsPath))).then(
    () => load('agents have jobs in this workspace'),
    () => undefined,
  );
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '.seedance/**'), false, true, true);
  watcher.onDidCreate(() => load('an agent uses this workspace'));
  return watcher;
}
