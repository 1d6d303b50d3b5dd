// The check every paid request passes right before it is sent (GenerationController calls it): over the
// monthly limit is refused with a BudgetExceededError (nothing is sent); an unknown price while a limit is
// set is refused unless the person confirms (interactive paths only); above seedance.budget.confirmAbove an
// interactive path asks first. An admitted request counts as spent until the store has it recorded, so two
// quick requests cannot both slip under the limit.
import * as vscode from 'vscode';
import { BudgetExceededError, decide } from '../../core/pricing/budget';
import { formatUsd } from '../../core/pricing/estimate';
import { findModel } from '../../core/catalog';
import type { TrackedTask } from '../../core/tasks/task';
import type { PricingService } from './pricingService';
import { priceLabels, type PriceLabels } from './priceLabels';
import { openPricingSettings } from './pricingSettings';

export { BudgetExceededError } from '../../core/pricing/budget';

export interface BudgetRequest {
  readonly model: string;
  readonly seconds: number;
  readonly resolution: string;
}

export class BudgetGuard {
  /** The estimate in words, for the quick-input flow and the confirmation. */
  readonly labels: PriceLabels;

  constructor(private readonly pricing: PricingService) {
    this.labels = priceLabels(pricing);
  }

  /**
   * Resolves with `done` once the request may be sent: call it when the create is over, whatever happened,
   * with the task (an accepted one is recorded at once). Throws BudgetExceededError, or CancellationError
   * when the person said no.
   */
  async admit(request: BudgetRequest, options: { interactive: boolean }): Promise<(task?: TrackedTask) => void> {
    const estimate = await this.pricing.estimateBeforeSend(request);
    const budget = this.pricing.budget();
    const spent = this.pricing.spentThisMonth();
    const decision = decide(estimate, spent, budget);
    switch (decision.kind) {
      case 'over':
        throw new BudgetExceededError('over', decision.limit, decision.spent, estimate, request.model);
      case 'unknownPrice': {
        if (!options.interactive) throw new BudgetExceededError('unknownPrice', decision.limit, decision.spent, estimate, request.model);
        const send = vscode.l10n.t('Send Anyway');
        const setPrice = vscode.l10n.t('Set Price…');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('The price of {0} is unknown.', findModel(request.model)?.label ?? request.model),
          {
            modal: true,
            detail: vscode.l10n.t('Your monthly limit is {0} and {1} is spent so far, so this request cannot be checked against it. Set the price in seedance.pricing, or send it anyway (it is recorded without a price).', formatUsd(decision.limit), formatUsd(decision.spent)),
          },
          send,
          setPrice,
        );
        if (answer === setPrice) void openPricingSettings('pricing');
        if (answer !== send) throw new vscode.CancellationError();
        break;
      }
      case 'confirm': {
        if (!options.interactive) break;
        const send = vscode.l10n.t('Generate');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('This video is estimated at {0}. Generate it?', formatUsd(decision.usd)),
          {
            modal: true,
            detail: vscode.l10n.t('That is above your confirmation threshold of {0} per request (seedance.budget.confirmAbove). The figure is an estimate; CometAPI bills the actual amount.', formatUsd(decision.threshold)),
          },
          send,
        );
        if (answer !== send) throw new vscode.CancellationError();
        break;
      }
      case 'ok':
        break;
    }
    // Re-checked after any question: something else may have been sent while the dialog was open.
    if (decision.kind !== 'ok' && budget.monthlyLimit > 0 && estimate.usd !== undefined) {
      const now = decide(estimate, this.pricing.spentThisMonth(), budget);
      if (now.kind === 'over') throw new BudgetExceededError('over', now.limit, now.spent, estimate, request.model);
    }
    const release = this.pricing.reserve(estimate.usd);
    return (task) => {
      if (task?.remoteId) this.pricing.recordAccepted(task);
      release();
    };
  }
}
