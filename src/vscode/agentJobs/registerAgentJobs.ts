// Wires the adoption of agents' jobs (core/agentJobs/jobAdopter.ts) into the features: a file watcher on the
// workspace's .seedance/jobs for quick pick-up (the adopter also reads it every few seconds), and the
// extension's own download path for the video.
import * as vscode from 'vscode';
import { homeWorkspaceFolder } from '../workspaceFolder';
import { JobAdopter } from '../../core/agentJobs/jobAdopter';
import type { TrackedTask } from '../../core/tasks/task';
import type { TaskStore } from '../../core/tasks/taskStore';

export interface AgentJobs extends vscode.Disposable {
  /** The poller saw an agent's job succeed. */
  onSucceeded(task: TrackedTask): Promise<void>;
  /** Reads the jobs again now (tests, after a watcher event). */
  scan(): Promise<void>;
}

export function registerAgentJobs(deps: {
  store: TaskStore;
  download: (localId: string) => Promise<TrackedTask | undefined>;
  log: (line: string) => void;
}): AgentJobs | undefined {
  const root = homeWorkspaceFolder()?.uri;
  if (!root) return undefined;
  const adopter = new JobAdopter({ workspace: root.fsPath, store: deps.store, download: deps.download, log: deps.log });
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '.seedance/jobs/**'));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void adopter.scan();
    }, 100);
  };
  watcher.onDidCreate(soon);
  watcher.onDidChange(soon);
  adopter.start();
  return {
    onSucceeded: (task) => adopter.onSucceeded(task),
    scan: () => adopter.scan(),
    dispose: () => {
      if (timer) clearTimeout(timer);
      watcher.dispose();
      void adopter.dispose();
    },
  };
}
