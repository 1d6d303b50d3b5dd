// Promote: a finished video or storyboard take generated again with the same prompt and images at a
// higher resolution or on another model. The picker shows each choice's estimate and how it compares with
// the draft's ("2.2x the draft"); picking one sends one create through the same submit path as every other
// generation (validation, the budget, persistence). A take stays a take: the new video joins its shot.
// Called with a target ({ model?, resolution? }) it skips the picker (tests, other extensions) and resolves
// to the new task id.
import * as vscode from 'vscode';
import { findModel, modelLabel } from '../../core/catalog';
import { GenerationInputError } from '../../core/generationArgs';
import { formatUsd, type CostEstimate, type EstimateArgs } from '../../core/pricing/estimate';
import { costRatio, formatRatio, promotedRequest, promotionTargets, type PromotionTarget } from '../../core/promote';
import type { TaskStore } from '../../core/tasks/taskStore';
import { argsOf, type GenerationController } from '../generation';
import type { GenerationChoice } from '../quickGenerate';
import { resolveTask } from './commandArgs';
import type { CommandTable } from './commandTypes';

export interface PromoteDeps {
  readonly store: TaskStore;
  readonly generation: GenerationController;
  readonly estimate: (args: EstimateArgs) => CostEstimate;
  /** Why a model is unavailable now (CometAPI's live list does not include it), or undefined. */
  readonly unavailable?: (model: string) => string | undefined;
}

/** "≈ $6.93 (estimate) · 2.2x the draft", or what is unknown. */
export function describeAgainstDraft(draft: CostEstimate, promoted: CostEstimate): string {
  const price = promoted.usd !== undefined ? vscode.l10n.t('≈ {0} (estimate)', formatUsd(promoted.usd)) : vscode.l10n.t('price unknown');
  const ratio = costRatio(draft, promoted);
  if (ratio === undefined) return draft.usd === undefined && promoted.usd !== undefined ? vscode.l10n.t('{0} · the draft\'s price is unknown', price) : price;
  return vscode.l10n.t('{0} · {1}x the draft', price, formatRatio(ratio));
}

export function promoteCommands(deps: PromoteDeps): CommandTable<'seedance.promote'> {
  const { store, generation, estimate, unavailable } = deps;

  const pick = async (
    draftLabel: string,
    items: (vscode.QuickPickItem & { target: PromotionTarget })[],
  ): Promise<PromotionTarget | undefined> => {
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Promote: generate "{0}" again', draftLabel),
      placeHolder: vscode.l10n.t('Same prompt and images, at a higher resolution or on another model (a paid request)'),
      matchOnDescription: true,
    });
    return picked?.target;
  };

  return {
    'seedance.promote': {
      run: async (arg, wanted) => {
        const draft = resolveTask(store, arg);
        if (draft.status !== 'succeeded') throw new GenerationInputError([vscode.l10n.t('Only a finished video can be promoted; this one is {0}.', draft.status)]);
        const targets = promotionTargets(draft.request);
        const draftEstimate = estimate(draft.request);
        let target: PromotionTarget | undefined;
        if (wanted !== undefined) {
          target = targets.find((t) =>
            (wanted.model === undefined || t.model === wanted.model) &&
            (wanted.resolution === undefined || t.resolution === wanted.resolution));
          if (!target) throw new GenerationInputError([vscode.l10n.t('This video cannot be promoted to {0}.', [wanted.model, wanted.resolution].filter((v) => typeof v === 'string').join(' '))]);
        } else {
          if (targets.length === 0) {
            void vscode.window.showInformationMessage(vscode.l10n.t('This video is already at the highest resolution of every model that can make it.'));
            return undefined;
          }
          const items = targets.map((t) => {
            const label = findModel(t.model)?.label ?? t.model;
            const why = unavailable?.(t.model);
            return {
              label: why
                ? `$(circle-slash) ${vscode.l10n.t('{0} at {1}', label, t.resolution)}`
                : t.kind === 'resolution' ? vscode.l10n.t('$(arrow-up) {0} at {1}', label, t.resolution) : vscode.l10n.t('$(symbol-misc) {0} at {1}', label, t.resolution),
              description: describeAgainstDraft(draftEstimate, estimate(promotedRequest(draft.request, t))),
              detail: why ?? vscode.l10n.t('{0} s, {1}; same prompt and images as the draft ({2}, {3}).', t.seconds, t.size, modelLabel(draft.request.model), draft.request.resolution),
              target: t,
              why,
            };
          });
          // Models CometAPI's live list does not include are shown as unavailable, after the others.
          const ordered = [...items.filter((i) => !i.why), ...items.filter((i) => i.why)].map(({ why: _why, ...item }) => item);
          target = await pick(draft.request.prompt.replace(/\s+/g, ' ').trim().slice(0, 40).trim(), ordered);
          if (!target) return undefined;
        }
        const { storyboard, ...request } = promotedRequest(draft.request, target);
        const args = argsOf(request);
        if (storyboard) {
          // A take of a shot: the promoted video is another take of the same shot.
          const outcome = await generation.submitShot(args, storyboard);
          if (!outcome.ok) throw outcome.error;
          return outcome.task.remoteId;
        }
        if (wanted !== undefined) return generation.generateFromArgs(args);
        const task = await generation.generateInteractive(args as unknown as GenerationChoice);
        return task?.remoteId;
      },
      // A caller that names the target gets the rejection (and no notification), like seedance.generate.
      rethrowWhen: (_arg, wanted) => wanted !== undefined,
    },
  };
}
