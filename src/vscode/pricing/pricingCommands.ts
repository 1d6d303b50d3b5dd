// seedance.showSpending opens the spending view; seedance.exportSpending writes the record as CSV (to the
// file: URI given as argument, e.g. by a task or a test, or where the person chooses).
import * as vscode from 'vscode';
import { uriArgument } from '../commands/commandArgs';
import type { CommandTable } from '../commands/commandTypes';
import { announceSavedFile, describeLocation } from '../savedFileNotice';
import type { SpendingViewController } from './spendingView';

export function pricingCommands(spending: SpendingViewController): CommandTable<'seedance.showSpending' | 'seedance.exportSpending'> {
  return {
    'seedance.showSpending': { run: () => spending.open() },
    'seedance.exportSpending': {
      run: async (target) => {
        const written = await spending.exportCsv(uriArgument(target));
        // Say where it went and offer the next step (not awaited: the command's result does not wait on a click).
        if (written) void announceSavedFile(vscode.l10n.t('Spending exported to {0}.', describeLocation(written)), written);
        return written?.toString();
      },
    },
  };
}
