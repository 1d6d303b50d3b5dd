// The estimate in words for the quick-input flow and the selection confirmation: always called an
// estimate, "price unknown" instead of $0, and the month's budget when a limit is set.
import * as vscode from 'vscode';
import { availabilityOf, type LiveList } from '../../core/availability';
import { formatPerSecond, formatUsd, type EstimateArgs } from '../../core/pricing/estimate';
import type { PricingService } from './pricingService';

export interface PriceLabels {
  /** For a whole request, e.g. "Estimated cost: $0.40 ($0.08/s) · this month $1.20 of $5.00". */
  estimate(choice: EstimateArgs): string;
  /** For a model (or a duration of it) in a picker, e.g. "≈ $0.40 (estimate)" or "price unknown". */
  short(choice: EstimateArgs): string;
  /**
   * Why a model is unavailable now (CometAPI's model list for this API host, once read, does not list it), or
   * undefined when it is offered. Without a readable list the shipped catalogue stands.
   */
  unavailable?(model: string): string | undefined;
  /** CometAPI's live model list for this API host (availability.ts), or undefined when none was read. */
  listed?(): LiveList;
}

export function priceLabels(pricing: PricingService): PriceLabels {
  return {
    estimate(choice) {
      const e = pricing.estimateRequest(choice);
      const parts = [
        e.usd !== undefined && e.perSecond !== undefined
          ? vscode.l10n.t('Estimated cost: {0} ({1})', formatUsd(e.usd), formatPerSecond(e.perSecond))
          : vscode.l10n.t('Price unknown (set it in seedance.pricing)'),
      ];
      const { monthlyLimit } = pricing.budget();
      if (monthlyLimit > 0) parts.push(vscode.l10n.t('this month {0} of {1}', formatUsd(pricing.spentThisMonth()), formatUsd(monthlyLimit)));
      return parts.join(' · ');
    },
    short(choice) {
      const e = pricing.estimateRequest(choice);
      return e.usd !== undefined ? vscode.l10n.t('≈ {0} (estimate)', formatUsd(e.usd)) : vscode.l10n.t('price unknown');
    },
    unavailable(model) {
      const a = availabilityOf(model, pricing.listedModels());
      return a.kind === 'unlisted' || a.kind === 'retired' ? a.reason : undefined;
    },
    listed: () => pricing.listedModels(),
  };
}
