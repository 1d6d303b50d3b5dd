// seedance.generate (no argument: the Generate panel, prefilled with the selection if there is one; a
// generation record's Uri: the panel filled from it; an argument object: submit with no UI and resolve to
// the service's task id), seedance.generateFromRecord (a record's menus), seedance.generateQuick (the
// quick-input flow) and seedance.generateFromSelection.
import * as vscode from 'vscode';
import { applyDefaults, GenerationInputError } from '../../core/generationArgs';
import type { GenerationController } from '../generation';
import type { GeneratePanelController } from '../panel/registerGeneratePanel';
import { confirmIfWanted, runQuickGenerate } from '../quickGenerate';
import type { SeedanceSettings } from '../settings';
import { uriArgument } from './commandArgs';
import type { CommandTable } from './commandTypes';

/** The selected text of the active editor (all selections, in order), or '' when nothing is selected. */
function selectedText(): string {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return '';
  return editor.selections
    .map((s) => editor.document.getText(s))
    .filter((t) => t.trim() !== '')
    .join('\n')
    .trim();
}

export function generateCommands(generation: GenerationController, settings: SeedanceSettings, panel: GeneratePanelController): CommandTable<'seedance.generate' | 'seedance.generateFromRecord' | 'seedance.generateQuick' | 'seedance.generateFromSelection'> {
  const quick = async (): Promise<string | undefined> => {
    const choice = await runQuickGenerate({ prompt: selectedText() }, settings.defaults(), generation.priceLabels);
    const task = await generation.generateInteractive(choice);
    return task?.remoteId;
  };

  return {
    'seedance.generate': {
      run: async (args) => {
        if (args instanceof vscode.Uri) {
          await panel.openFromRecord(args);
          return undefined;
        }
        if (args !== undefined) return generation.generateFromArgs(args);
        const prompt = selectedText();
        panel.open(prompt ? { source: 'selection', prompt } : undefined);
        return undefined;
      },
      // A caller that passed an argument object gets the rejection (and no notification).
      rethrowWhen: (args) => args !== undefined && !(args instanceof vscode.Uri),
    },
    // A saved generation record (explorer/context, editor/title; see package.json's menus): the panel filled from it.
    'seedance.generateFromRecord': {
      run: async (args) => {
        const record = uriArgument(args) ?? vscode.window.activeTextEditor?.document.uri;
        if (!record) throw new Error(vscode.l10n.t('Open a generation record (the .json beside a video) first.'));
        return panel.openFromRecord(record);
      },
    },
    'seedance.generateQuick': { run: () => quick() },
    'seedance.generateFromSelection': {
      run: async () => {
        const prompt = selectedText();
        if (!prompt) throw new GenerationInputError([vscode.l10n.t('Select the text to use as the prompt first.')]);
        const defaults = applyDefaults({ prompt }, settings.defaults());
        const choice = await confirmIfWanted(defaults, settings, generation.priceLabels);
        const task = await generation.generateInteractive(choice);
        return task?.remoteId;
      },
    },
  };
}
