// seedance.showSpending opens the spending view; seedance.exportSpending writes the record as CSV (to the
// file: URI given as argument, e.g. by a task or a test, or where the person chooses).
import * as vscode from 'vscode';
import type { CommandSpec } from '../commands/register';
import { announceSavedFile, describeLocation } from '../savedFileNotice';
import type { SpendingViewController } from './spendingView';

export function pricingCommands(spending: SpendingViewController): Record<string, CommandSpec> {
  return {
    'seedance.showSpending': { run: () => spending.open() },
    'seedance.exportSpending': {
      run: async (target?: unknown) => {
        const uri = target instanceof vscode.Uri ? target : typeof target === 'string' && target ? vscode.Uri.file(target) : undefined;
        const written = await spending.exportCsv(uri);
        // Say where it went and offer the next step (not awaited: the command's result does not wait on a click).
        if (written) void announceSavedFile(vscode.l10n.t('Spending exported to {0}.', describeLocation(written)), written);
        return written?.toString();
      },
    },
  };
}
