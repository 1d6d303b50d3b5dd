// seedance.setApiKey (password input, or a string argument to set it with no UI) and seedance.clearApiKey.
import * as vscode from 'vscode';
import { keyProblem, type ApiKeyStore } from '../apiKey';
import type { SeedanceSettings } from '../settings';
import type { CommandTable } from './commandTypes';

export function apiKeyCommands(keys: ApiKeyStore, settings: SeedanceSettings): CommandTable<'seedance.setApiKey' | 'seedance.clearApiKey'> {
  const currentOrigin = (): string | undefined => {
    const base = settings.apiBase();
    return base.ok ? base.origin : undefined;
  };
  return {
    'seedance.setApiKey': {
      run: async (key) => {
        if (key !== undefined) {
          if (typeof key !== 'string') throw new Error(vscode.l10n.t('seedance.setApiKey takes the key as a string.'));
          await keys.set(key, currentOrigin());
          return;
        }
        const origin = currentOrigin();
        const entered = await vscode.window.showInputBox({
          title: vscode.l10n.t('Seedance: Set API Key'),
          prompt: origin
            ? vscode.l10n.t('Your CometAPI key, for {0}. It is kept in VS Code\'s secret storage, never in settings or files.', origin)
            : vscode.l10n.t('Your CometAPI key. It is kept in VS Code\'s secret storage, never in settings or files.'),
          placeHolder: 'sk-…',
          password: true,
          ignoreFocusOut: true,
          validateInput: (value) => keyProblem(value),
        });
        if (entered === undefined) return;
        await keys.set(entered, origin);
        Promise.resolve(vscode.window.showInformationMessage(vscode.l10n.t('CometAPI key saved in VS Code\'s secret storage.'))).catch(() => undefined);
      },
      rethrowWhen: (key) => key !== undefined,
    },
    'seedance.clearApiKey': {
      run: async () => {
        await keys.clear();
        const fallback = (await keys.source()) === 'environment';
        Promise.resolve(vscode.window.showInformationMessage(
          fallback
            ? vscode.l10n.t('Stored CometAPI key removed. The COMETAPI_KEY environment variable is still used.')
            : vscode.l10n.t('Stored CometAPI key removed.'),
        )).catch(() => undefined); // a notification that cannot show (window closing) needs no handling
      },
    },
  };
}
