// What storyboards need from pricing, declared narrowly so the storyboard code does not depend on how
// prices are found (extension.ts passes the PricingService); without one, `unknownPricer` answers
// "price unknown", never $0.
import * as vscode from 'vscode';
import type { GenerationSettings } from '../../core/generationRequest';
import { formatUsd, type CostEstimate } from '../../core/pricing/estimate';
import type { ResolvedShot } from '../../core/storyboard/rules';

export type { CostEstimate };

/** The settings that decide a shot's price. */
export interface PricedRequest extends GenerationSettings {
  readonly withImage: boolean;
}

export interface ShotPricer {
  estimate(request: PricedRequest): CostEstimate;
}

export const unknownPricer: ShotPricer = { estimate: () => ({ source: 'unknown' }) };

/** One shot's estimate: its settings, and whether it sends an image (its own, or the frame it continues from). */
export function shotEstimate(pricer: ShotPricer, s: ResolvedShot): CostEstimate {
  return pricer.estimate({
    model: s.model,
    seconds: s.seconds,
    size: s.size,
    resolution: s.resolution,
    withImage: s.imagePaths.length > 0 || s.continues,
  });
}

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
