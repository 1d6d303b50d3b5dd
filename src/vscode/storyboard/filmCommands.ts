// The film's commands: Assemble Film and Export Timeline. From the palette, the CodeLens and the preview
// (which pass 'interactive') a refusal is a notification, with "Re-generate Them" when takes differ;
// another extension or a test that names the storyboard gets the rejection itself.
import * as vscode from 'vscode';
import type { CommandSpec } from '../commands/register';
import { FilmRefusedError, type Films } from './film';

function interactive(uri: unknown, how: unknown): boolean {
  return uri === undefined || how === 'interactive';
}

function showRefusal(error: FilmRefusedError): void {
  const regenerate = vscode.l10n.t('Re-generate Them');
  const again = error.regenerate;
  void vscode.window.showErrorMessage(error.message, ...(again ? [regenerate] : [])).then(async (answer) => {
    if (answer !== regenerate || !again) return;
    for (const shot of again.shots) await vscode.commands.executeCommand('seedance.storyboard.generateShot', again.uri, shot, 'interactive');
  });
}

function command(run: (uri: unknown) => Promise<vscode.Uri | undefined>): CommandSpec {
  return {
    run: async (uri?: unknown, how?: unknown) => {
      try {
        return await run(uri);
      } catch (error) {
        if (error instanceof FilmRefusedError && interactive(uri, how)) {
          showRefusal(error);
          return undefined;
        }
        throw error;
      }
    },
    options: { rethrowWhen: (uri?: unknown, how?: unknown) => !interactive(uri, how) },
  };
}

export function filmCommands(films: Films): Record<string, CommandSpec> {
  return {
    'seedance.storyboard.assembleFilm': command((uri) => films.assemble(uri)),
    'seedance.storyboard.exportTimeline': command((uri) => films.exportTimeline(uri)),
  };
}
