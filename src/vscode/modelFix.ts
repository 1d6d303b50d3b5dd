// The words and the button for a model CometAPI does not serve: its model_not_found answer (never retried:
// the same request fails the same way) and our own refusal of a retired model named by seedance.defaultModel.
// In one place, like requestShape.ts, so the error boundary only asks whether it applies.
import * as vscode from 'vscode';
import { isApiError } from '../core/api/errors';
import { DEFAULT_MODEL, findModel, MODELS, modelLabel, replacementsOf, retiredModel, retirementMessage, type ModelInfo } from '../core/catalog';
import { GenerationInputError } from '../core/generationArgs';

export interface ModelFix {
  readonly message: string;
  readonly actions: readonly { readonly title: string; run(): unknown }[];
}

function defaultModel(): string {
  return vscode.workspace.getConfiguration('seedance').get<string>('defaultModel', DEFAULT_MODEL);
}

/** What to use instead of `id`: CometAPI's named replacement for a retired model, else another offered model. */
export function alternativeTo(id: string): ModelInfo | undefined {
  return replacementsOf(id)[0] ?? findModel(DEFAULT_MODEL === id ? MODELS.find((m) => m.id !== id)?.id ?? DEFAULT_MODEL : DEFAULT_MODEL);
}

/** The button that points seedance.defaultModel at `to` (only offered when the default is the model refused). */
function switchDefault(to: ModelInfo): ModelFix['actions'][number] {
  return {
    title: vscode.l10n.t('Use {0} as Default Model', to.label),
    run: async () => {
      await vscode.workspace.getConfiguration('seedance').update('defaultModel', to.id, vscode.ConfigurationTarget.Global);
      void vscode.window.showInformationMessage(vscode.l10n.t('Seedance now uses {0} when a generation names no model. Generate again to use it.', to.label));
    },
  };
}

/** For CometAPI's model_not_found, or a refusal of the retired default model: the words and the fix. */
export function modelFix(error: unknown): ModelFix | undefined {
  if (isApiError(error) && error.reason === 'modelUnavailable') {
    const id = error.model;
    const to = id ? alternativeTo(id) : undefined;
    const retired = id ? retirementMessage(id) : undefined;
    const what = id ? `${modelLabel(id)} (${id})` : vscode.l10n.t('this model');
    const message = [
      vscode.l10n.t('CometAPI does not serve {0} now ({1} model_not_found). Nothing was created or billed.', what, error.status ?? ''),
      retired ?? (to ? vscode.l10n.t('Choose another model, such as {0}.', to.label) : vscode.l10n.t('Choose another model.')),
    ].join(' ');
    return { message, actions: to && id === defaultModel() ? [switchDefault(to)] : [] };
  }
  if (error instanceof GenerationInputError) {
    const current = defaultModel();
    const retired = retiredModel(current);
    const to = replacementsOf(current)[0];
    if (!retired || !to || !error.problems.some((p) => p === retirementMessage(current))) return undefined;
    return { message: error.message, actions: [switchDefault(to)] };
  }
  return undefined;
}
