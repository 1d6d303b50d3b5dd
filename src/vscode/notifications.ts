// What the person is told about tasks that change by themselves (the poller's hooks): a failed
// generation with the service's reason and "Regenerate", a stalled one with "Keep Waiting", and polling
// problems (bad key, network) once per episode with the action that fixes them.
import * as vscode from 'vscode';
import { executeSeedanceCommand } from './commands/execute';
import type { PollerProblem } from '../core/polling/poller';
import type { TrackedTask } from '../core/tasks/task';
import type { ErrorBoundary } from './errorBoundary';
import { failureWords } from './errorWords';
import { shortPrompt } from '../core/prompt';

export class TaskNotifier {
  constructor(private readonly boundary: ErrorBoundary, private readonly resumePolling: () => void) {}

  async failed(task: TrackedTask): Promise<void> {
    const regenerate = vscode.l10n.t('Regenerate');
    // With a task id the service may still have it: Check Again asks again without a new (billed) create.
    const checkAgain = vscode.l10n.t('Check Again');
    const reason = task.failure ? failureWords(task.failure, vscode.l10n) : vscode.l10n.t('CometAPI did not say why.');
    const picked = await vscode.window.showErrorMessage(
      vscode.l10n.t('Video generation failed: "{0}". {1}', shortPrompt(task.request.prompt, 40), reason),
      ...(task.remoteId ? [checkAgain] : []),
      regenerate,
    );
    if (picked === regenerate) await executeSeedanceCommand('seedance.regenerate', { localId: task.localId });
    if (picked === checkAgain) await executeSeedanceCommand('seedance.checkAgain', { localId: task.localId });
  }

  async stalled(task: TrackedTask): Promise<void> {
    const keepWaiting = vscode.l10n.t('Keep Waiting');
    const picked = await vscode.window.showWarningMessage(
      vscode.l10n.t('"{0}" is taking much longer than usual, so Seedance now checks it only every few minutes. CometAPI may still finish it.', shortPrompt(task.request.prompt, 40)),
      keepWaiting,
    );
    if (picked === keepWaiting) await executeSeedanceCommand('seedance.keepWaiting', { localId: task.localId });
  }

  problem(problem: PollerProblem): void {
    void this.boundary.show(problem.error ?? new Error(problem.message), { retry: this.resumePolling });
  }
}
