// The commands behind the Seedance view's items and title bar: open, preview, reveal, download again,
// regenerate, copy, remove, the uncertain-entry choices, keep waiting and refresh.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { isInFlight, type TrackedTask } from '../../core/tasks/task';
import type { TaskStore } from '../../core/tasks/taskStore';
import type { TaskPoller } from '../../core/poller';
import type { DownloadController } from '../downloads';
import type { GenerationController } from '../generation';
import type { GeneratePanelController } from '../panel/registerGeneratePanel';
import { downloadToComputer, filesAreLocal } from '../hostKind';
import type { Logger } from '../log';
import type { CommandSpec } from './register';
import { resolveTask } from './taskArgument';

export interface TaskCommandDeps {
  readonly store: TaskStore;
  readonly poller: TaskPoller;
  readonly downloads: DownloadController;
  readonly generation: GenerationController;
  readonly log: Logger;
  readonly panel: GeneratePanelController;
}

export function taskCommands(deps: TaskCommandDeps): Record<string, CommandSpec> {
  const { store, poller, downloads, generation, panel } = deps;
  const t = vscode.l10n.t;

  /** The saved video, or an error that says how to get it back. */
  const savedFile = async (arg: unknown): Promise<vscode.Uri> => {
    const task = resolveTask(store, arg);
    if (task.download.state !== 'downloaded' || !task.file) {
      throw new Error(t('This video has not been saved yet. Use "Download Again" to save it.'));
    }
    try {
      await fs.access(task.file);
    } catch {
      throw new Error(t('{0} was moved or deleted. Use "Download Again" to save it again.', task.file));
    }
    return vscode.Uri.file(task.file);
  };

  const copy = async (text: string, what: string) => {
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(t('$(clippy) {0} copied', what), 3_000);
  };

  return {
    'seedance.openVideo': { run: async (arg: unknown) => vscode.commands.executeCommand('vscode.open', await savedFile(arg)) },
    'seedance.previewTask': { run: (arg: unknown) => panel.showPreview(resolveTask(store, arg)) },
    'seedance.revealInExplorer': { run: async (arg: unknown) => vscode.commands.executeCommand('revealInExplorer', await savedFile(arg)) },
    // The menus show this only where files are local (hostKind.ts); called elsewhere, it downloads instead
    // of failing with "command 'revealFileInOS' not found".
    'seedance.revealInOS': {
      run: async (arg: unknown) => {
        const uri = await savedFile(arg);
        return filesAreLocal() ? vscode.commands.executeCommand('revealFileInOS', uri) : downloadToComputer(uri);
      },
    },
    'seedance.downloadToComputer': { run: async (arg: unknown) => downloadToComputer(await savedFile(arg)) },
    'seedance.downloadAgain': {
      run: async (arg: unknown) => {
        const task = resolveTask(store, arg);
        if (task.status !== 'succeeded') throw new Error(t('This video is not ready yet.'));
        const saved = await downloads.download(task.localId, { interactive: true });
        return saved?.file;
      },
    },
    // Regenerating opens the form filled in with the same prompt and settings: a paid request is never
    // sent again without the person seeing what it will be.
    'seedance.regenerate': {
      run: (arg: unknown) => {
        const { prompt, model, seconds, size, resolution } = resolveTask(store, arg).request;
        panel.open({ source: 'regenerate', prompt, settings: { model, seconds, size, resolution } });
      },
    },
    'seedance.copyTaskId': {
      run: async (arg: unknown) => {
        const task = resolveTask(store, arg);
        if (!task.remoteId) throw new Error(t('CometAPI never returned an id for this request.'));
        await copy(task.remoteId, t('Task ID'));
      },
    },
    'seedance.copyPrompt': { run: async (arg: unknown) => copy(resolveTask(store, arg).request.prompt, t('Prompt')) },
    'seedance.removeTask': {
      run: async (arg: unknown) => {
        const task = resolveTask(store, arg);
        if (isInFlight(task) && !(await confirmRemoveRunning(task))) return;
        store.remove(task.localId);
        deps.log.info(`task ${task.localId}: removed from the list`);
      },
    },
    'seedance.dismissUncertain': {
      run: (arg: unknown) => {
        const task = resolveTask(store, arg);
        store.remove(task.localId);
        deps.log.info(`task ${task.localId}: uncertain entry dismissed`);
      },
    },
    'seedance.resubmitUncertain': {
      run: async (arg: unknown) => {
        const task = resolveTask(store, arg);
        if (task.status !== 'uncertain') throw new Error(t('Only an uncertain request can be resubmitted; use "Regenerate".'));
        return (await generation.resubmitUncertain(task))?.remoteId;
      },
    },
    'seedance.keepWaiting': {
      run: (arg: unknown) => {
        const task = resolveTask(store, arg);
        if (!poller.keepWaiting(task.localId)) throw new Error(t('This video is not waiting for anything.'));
      },
    },
    'seedance.refresh': {
      run: () => {
        // Also lifts a pause after a key or settings problem: the person asked to try again.
        if (poller.paused) poller.resume();
        else poller.refresh();
      },
    },
    'seedance.showLog': { run: () => deps.log.show() },
  };
}

async function confirmRemoveRunning(task: TrackedTask): Promise<boolean> {
  const remove = vscode.l10n.t('Remove');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Stop following this video?'),
    { modal: true, detail: vscode.l10n.t('CometAPI will still generate it (and bill it), but it will not be downloaded. Task ID: {0}', task.remoteId ?? '-') },
    remove,
  );
  return answer === remove;
}
