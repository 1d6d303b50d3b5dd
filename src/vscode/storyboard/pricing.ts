// What storyboards need from pricing, declared narrowly so the storyboard code does not depend on how
// prices are found (extension.ts passes the PricingService); without one, `unknownPricer` answers
// "price unknown", never $0.
import * as vscode from 'vscode';
import type { GenerationSettings } from '../../core/generationRequest';
import { formatUsd, type CostEstimate } from '../../core/pricing/estimate';

export type { CostEstimate };

/** The settings that decide a shot's price. */
export interface PricedRequest extends GenerationSettings {
  readonly withImage: boolean;
}

export interface ShotPricer {
  estimate(request: PricedRequest): CostEstimate;
}

export const unknownPricer: ShotPricer = { estimate: () => ({ source: 'unknown' }) };

export { formatUsd };

/** One shot: "$0.40" or "price unknown". */
export function formatCost(estimate: CostEstimate): string {
  return estimate.usd !== undefined ? formatUsd(estimate.usd) : vscode.l10n.t('price unknown');
}

/** Several shots: "$1.20", "$0.80 + 1 unpriced", or "price unknown". */
export function formatTotal(estimates: readonly CostEstimate[]): string {
  const known = estimates.filter((e) => e.usd !== undefined);
  if (known.length === 0) return vscode.l10n.t('price unknown');
  const sum = known.reduce((s, e) => s + (e.usd ?? 0), 0);
  const unknown = estimates.length - known.length;
  return unknown === 0 ? formatUsd(sum) : vscode.l10n.t('{0} + {1} unpriced', formatUsd(sum), unknown);
}
