// The commands behind the Seedance view's items and title bar: open, preview, reveal, download again,
// regenerate, copy, remove, the uncertain-entry choices, keep waiting and refresh.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isInFlight, type TrackedTask } from '../../core/tasks/task';
import type { TaskStore } from '../../core/tasks/taskStore';
import type { TaskPoller } from '../../core/polling/poller';
import type { DownloadController } from '../downloads';
import type { GenerationController } from '../generation';
import type { GeneratePanelController } from '../panel/registerGeneratePanel';
import { downloadToComputer, filesAreLocal } from '../hostKind';
import type { Logger } from '../log';
import { ask } from '../modal';
import { announceSavedFile, describeLocation } from '../savedFileNotice';
import { shortPrompt } from '../../core/prompt';
import { resolveTask, type TaskRef } from './commandArgs';
import type { CommandTable } from './commandTypes';

export interface TaskCommandDeps {
  readonly store: TaskStore;
  readonly poller: TaskPoller;
  readonly downloads: DownloadController;
  readonly generation: GenerationController;
  readonly log: Logger;
  readonly panel: GeneratePanelController;
}

/** The commands of the Seedance view's items and title bar. */
export type TaskCommandId =
  | 'seedance.openVideo' | 'seedance.previewTask' | 'seedance.revealInExplorer' | 'seedance.revealInOS' | 'seedance.downloadToComputer'
  | 'seedance.downloadAgain' | 'seedance.regenerate' | 'seedance.copyTaskId' | 'seedance.copyPrompt' | 'seedance.removeTask'
  | 'seedance.dismissUncertain' | 'seedance.resubmitUncertain' | 'seedance.checkAgain' | 'seedance.cancelDownload'
  | 'seedance.keepWaiting' | 'seedance.refresh' | 'seedance.showLog';

export function taskCommands(deps: TaskCommandDeps): CommandTable<TaskCommandId> {
  const { store, poller, downloads, generation, panel } = deps;

  /** The saved video, or an error that says how to get it back. */
  const savedFile = async (arg: TaskRef): Promise<vscode.Uri> => {
    const task = resolveTask(store, arg);
    if (task.download.state !== 'downloaded' || !task.file) {
      throw new Error(vscode.l10n.t('This video has not been saved yet. Use "Download Again" to save it.'));
    }
    try {
      await fs.access(task.file);
    } catch {
      throw new Error(vscode.l10n.t('{0} was moved or deleted. Use "Download Again" to save it again.', task.file));
    }
    return vscode.Uri.file(task.file);
  };

  const copy = async (text: string, what: string) => {
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(vscode.l10n.t('$(clippy) {0} copied', what), 3_000);
  };

  return {
    'seedance.openVideo': { run: async (arg) => void (await vscode.commands.executeCommand('vscode.open', await savedFile(arg))) },
    'seedance.previewTask': { run: (arg) => panel.showPreview(resolveTask(store, arg)) },
    'seedance.revealInExplorer': { run: async (arg) => void (await vscode.commands.executeCommand('revealInExplorer', await savedFile(arg))) },
    // The menus show this only where files are local (hostKind.ts); called elsewhere, it downloads instead
    // of failing with "command 'revealFileInOS' not found".
    'seedance.revealInOS': {
      run: async (arg) => {
        const uri = await savedFile(arg);
        if (filesAreLocal()) await vscode.commands.executeCommand('revealFileInOS', uri);
        else await downloadToComputer(uri);
      },
    },
    'seedance.downloadToComputer': { run: async (arg) => downloadToComputer(await savedFile(arg)) },
    'seedance.downloadAgain': {
      run: async (arg) => {
        const task = resolveTask(store, arg);
        if (task.status !== 'succeeded') throw new Error(vscode.l10n.t('This video is not ready yet.'));
        // A saved copy that is still there: a second copy would be an orphan nobody asked for.
        const previous = task.download.state === 'downloaded' && task.file && (await exists(task.file))
          ? { file: task.file, metadataFile: task.metadataFile }
          : undefined;
        let replace = false;
        if (previous) {
          const choice = await askDownloadAgain(previous.file);
          if (!choice) return undefined;
          replace = choice === 'replace';
        }
        const saved = await downloads.download(task.localId, { interactive: true });
        if (saved?.file && previous && replace && saved.file !== previous.file) {
          // Only once the new copy is complete: a failed download never costs the old one.
          await fs.rm(previous.file, { force: true });
          if (previous.metadataFile && previous.metadataFile !== saved.metadataFile) await fs.rm(previous.metadataFile, { force: true });
          deps.log.info(`task ${task.localId}: downloaded again; the previous copy was replaced`);
        }
        if (saved?.file && previous && !replace && saved.file !== previous.file) {
          // Keep Both: the second copy got a new name; say which, and where, with Open and Reveal.
          const copy = vscode.Uri.file(saved.file);
          void announceSavedFile(vscode.l10n.t('Saved a second copy as {0}; the first copy is still {1}.', describeLocation(copy), path.basename(previous.file)), copy);
        }
        return saved?.file;
      },
    },
    // Regenerating opens the form filled in with the same prompt, settings and reference image: a paid
    // request is never sent again without the person seeing what it will be.
    'seedance.regenerate': {
      run: (arg) => panel.regenerate(resolveTask(store, arg)),
    },
    'seedance.copyTaskId': {
      run: async (arg) => {
        const task = resolveTask(store, arg);
        if (!task.remoteId) throw new Error(vscode.l10n.t('CometAPI never returned an id for this request.'));
        await copy(task.remoteId, vscode.l10n.t('Task ID'));
      },
    },
    'seedance.copyPrompt': { run: async (arg) => copy(resolveTask(store, arg).request.prompt, vscode.l10n.t('Prompt')) },
    'seedance.removeTask': {
      run: async (arg) => {
        const task = resolveTask(store, arg);
        // Its create request is on the way: removing it now would forget a request that may be billed.
        if (task.status === 'submitting') throw new Error(vscode.l10n.t('This request is still being sent to CometAPI; it can be removed once it has an answer.'));
        if (isInFlight(task) && !(await confirmRemoveRunning(task))) return;
        const wasDownloading = downloads.isDownloading(task.localId);
        if (wasDownloading) downloads.cancel(task.localId);
        store.remove(task.localId);
        deps.log.info(`task ${task.localId}: removed from the list`);
        void offerUndoRemove(store, task, wasDownloading, deps.log);
      },
    },
    'seedance.dismissUncertain': {
      run: async (arg) => {
        const task = resolveTask(store, arg);
        // It also stops counting against the budget (issue 17): the person says it was not billed.
        await generation.dismissUncertain(task);
        deps.log.info(`task ${task.localId}: uncertain entry dismissed`);
      },
    },
    'seedance.resubmitUncertain': {
      run: async (arg) => {
        const task = resolveTask(store, arg);
        if (task.status !== 'uncertain') throw new Error(vscode.l10n.t('Only an uncertain request can be resubmitted; use "Regenerate".'));
        return (await generation.resubmitUncertain(task))?.remoteId;
      },
    },
    // A failed task that has a service id: ask the service again (no create, nothing billed).
    'seedance.checkAgain': {
      run: (arg) => {
        const task = resolveTask(store, arg);
        if (!poller.checkAgain(task.localId)) throw new Error(vscode.l10n.t('Only a failed video that CometAPI gave a task id can be checked again; use "Regenerate".'));
        deps.log.info(`task ${task.localId}: checked again (no new request)`);
      },
    },
    'seedance.cancelDownload': {
      run: (arg) => {
        const task = resolveTask(store, arg);
        if (!downloads.cancel(task.localId)) throw new Error(vscode.l10n.t('This video is not being downloaded.'));
      },
    },
    'seedance.keepWaiting': {
      run: (arg) => {
        const task = resolveTask(store, arg);
        if (!poller.keepWaiting(task.localId)) throw new Error(vscode.l10n.t('This video is not waiting for anything.'));
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

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

async function askDownloadAgain(file: string): Promise<'replace' | 'keep' | undefined> {
  const replace = vscode.l10n.t('Replace');
  const keep = vscode.l10n.t('Keep Both');
  const answer = await ask({
    id: 'task.downloadAgain',
    message: vscode.l10n.t('This video is already saved as {0}.', path.basename(file)),
    detail: vscode.l10n.t('"Replace" downloads it again and then deletes the saved copy and its record. "Keep Both" saves a second copy beside it.'),
    choices: [replace, keep],
  });
  return answer === replace ? 'replace' : answer === keep ? 'keep' : undefined;
}

async function confirmRemoveRunning(task: TrackedTask): Promise<boolean> {
  const remove = vscode.l10n.t('Remove');
  const answer = await ask({
    id: 'task.removeRunning',
    message: vscode.l10n.t('Stop following this video?'),
    detail: vscode.l10n.t('CometAPI will still generate it (and bill it), but it will not be downloaded. Task ID: {0}', task.remoteId ?? '-'),
    choices: [remove],
  });
  return answer === remove;
}

/**
 * Says what Remove from List did (the entry is gone; the saved video and its record are not) and offers Undo,
 * which puts the entry back as it was: a generation still under way is followed again, and a download the
 * removal cut off is offered again rather than shown as running.
 */
async function offerUndoRemove(store: TaskStore, task: TrackedTask, wasDownloading: boolean, log: Logger): Promise<void> {
  const undo = vscode.l10n.t('Undo');
  const prompt = shortPrompt(task.request.prompt, 40);
  const saved = task.download.state === 'downloaded' && task.file;
  const message = saved
    ? vscode.l10n.t('Removed "{0}" from the list. The video and its record are kept in {1}.', prompt, vscode.workspace.asRelativePath(path.dirname(task.file!), false))
    : vscode.l10n.t('Removed "{0}" from the list.', prompt);
  const picked = await vscode.window.showInformationMessage(message, undo);
  if (picked !== undo || store.get(task.localId)) return;
  store.add(wasDownloading ? { ...task, download: { state: 'none' } } : task);
  log.info(`task ${task.localId}: put back in the list (undo)`);
}
