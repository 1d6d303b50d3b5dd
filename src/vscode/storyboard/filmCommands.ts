// The film's commands: Assemble Film and Export Timeline. From the palette, the CodeLens and the preview
// (which pass 'interactive') a refusal is a notification, with "Re-generate Them" when takes differ;
// another extension or a test that names the storyboard gets the rejection itself.
import * as vscode from 'vscode';
import type { CommandSpec, CommandTable } from '../commands/commandTypes';
import { executeSeedanceCommand } from '../commands/execute';
import { FilmRefusedError, type Films } from './film';

function interactive(uri: unknown, how: unknown): boolean {
  return uri === undefined || how === 'interactive';
}

function showRefusal(error: FilmRefusedError): void {
  const regenerate = vscode.l10n.t('Re-generate Them');
  const again = error.regenerate;
  void vscode.window.showErrorMessage(error.message, ...(again ? [regenerate] : [])).then(async (answer) => {
    if (answer !== regenerate || !again) return;
    for (const shot of again.shots) await executeSeedanceCommand('seedance.storyboard.generateShot', again.uri, shot, 'interactive');
  });
}

export type FilmCommandId = 'seedance.storyboard.assembleFilm' | 'seedance.storyboard.exportTimeline';

/** Both film commands take (storyboard?, how?) and resolve to the written file. */
function command(run: (uri: unknown) => Promise<vscode.Uri | undefined>): CommandSpec<'seedance.storyboard.assembleFilm'> {
  return {
    run: async (uri, how) => {
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
    rethrowWhen: (uri, how) => !interactive(uri, how),
  };
}

export function filmCommands(films: Films): CommandTable<FilmCommandId> {
  return {
    'seedance.storyboard.assembleFilm': command((uri) => films.assemble(uri)),
    'seedance.storyboard.exportTimeline': command((uri) => films.exportTimeline(uri)),
  };
}
