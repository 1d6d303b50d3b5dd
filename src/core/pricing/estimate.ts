// The cost estimate of one generation: seconds x the per-second price, for the resolution asked for, from
// the best source that knows it (setting, then live catalogue, then shipped table). A source that prices
// the model only at other resolutions does not know it: its figure is never reused for this one. Pure and
// browser-safe: the extension, its API, the quick-input flow and the panel's webview all call this one
// function.
import type { GenerationSettings } from '../generationRequest';
import { priceAt, settingPriceFor, type PriceSources } from './prices';

export interface CostEstimate {
  usd?: number;
  perSecond?: number;
  source: 'catalogue' | 'table' | 'setting' | 'unknown';
}

/**
 * What the estimate depends on (the rest of a generation does not change the price); also what the gate
 * quotes and what the spending record keeps of each request.
 */
export type EstimateArgs = Pick<GenerationSettings, 'model' | 'seconds' | 'resolution'>;

/** Just what the price depends on, from a whole request (the spending record never keeps the prompt). */
export function estimateArgsOf(request: EstimateArgs): EstimateArgs {
  return { model: request.model, seconds: request.seconds, resolution: request.resolution };
}

/**
 * The estimate for one request. `usd` is absent when no source knows the model's price (never 0 for a
 * paid request), or when the seconds are not a positive number.
 */
export function estimateCost(args: EstimateArgs, prices: PriceSources): CostEstimate {
  const fromSetting = settingPriceFor(prices.setting?.[args.model], args.resolution);
  if (fromSetting !== undefined) return priced(fromSetting, args.seconds, 'setting');
  const fromCatalogue = priceAt(prices.catalogue?.[args.model], args.resolution);
  if (fromCatalogue !== undefined) return priced(fromCatalogue, args.seconds, 'catalogue');
  const fromTable = priceAt(prices.table[args.model], args.resolution);
  if (fromTable !== undefined) return priced(fromTable, args.seconds, 'table');
  return { source: 'unknown' };
}

function priced(perSecond: number, seconds: number, source: CostEstimate['source']): CostEstimate {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return { perSecond, source };
  return { usd: roundUsd(perSecond * seconds), perSecond, source };
}

/** Rounds away float noise (0.08 x 5 = 0.4, not 0.4000000000000001); keeps a hundredth of a cent. */
export function roundUsd(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** "$0.40", "$12.00"; amounts under a cent keep their digits ("$0.004") so nothing paid reads as $0.00. */
export function formatUsd(value: number): string {
  if (value > 0 && value < 0.01) return `$${Number(value.toPrecision(2))}`;
  return `$${value.toFixed(2)}`;
}

/** "$0.08/s"; per-second prices keep up to four decimals. */
export function formatPerSecond(value: number): string {
  return `$${Number(value.toFixed(4))}/s`;
}

/** Adds estimates that all have a price; undefined as soon as one is unknown. */
export function sumEstimates(estimates: readonly CostEstimate[]): number | undefined {
  let total = 0;
  for (const e of estimates) {
    if (e.usd === undefined) return undefined;
    total += e.usd;
  }
  return roundUsd(total);
}
