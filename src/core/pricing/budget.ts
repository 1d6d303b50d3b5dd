// The monthly budget rule, pure: what was spent in a calendar month (local time, as the person reads a
// calendar), and whether one more request, or a batch, fits under the limit. An unknown price counts as
// over a set limit unless the person confirmed it. Words are in the error's message (English, as core's
// other typed errors) because `seedance.generate` callers receive it as it is.
import { formatUsd, roundUsd, type CostEstimate } from './estimate';

/** "2026-01" for any moment in January 2026, local time. */
export function monthKey(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

export interface BudgetSettings {
  /** USD per calendar month; 0 (or less) means no limit. */
  readonly monthlyLimit: number;
  /** USD per request above which interactive paths ask first. */
  readonly confirmAbove: number;
}

export type BudgetDecision =
  /** Within the limit (or no limit) and below the confirmation threshold. */
  | { readonly kind: 'ok' }
  /** Within the limit, but above seedance.budget.confirmAbove: interactive paths ask. */
  | { readonly kind: 'confirm'; readonly usd: number; readonly threshold: number }
  /** The price is unknown and a limit is set: refused unless the person confirms. */
  | { readonly kind: 'unknownPrice'; readonly spent: number; readonly limit: number }
  /** Would take this month past the limit: refused. */
  | { readonly kind: 'over'; readonly usd: number; readonly spent: number; readonly limit: number };

/** The rule for one request, given what this month has spent (and reserved) so far. */
export function decide(estimate: CostEstimate, spent: number, settings: BudgetSettings): BudgetDecision {
  const limit = settings.monthlyLimit > 0 ? settings.monthlyLimit : 0;
  if (limit > 0) {
    if (estimate.usd === undefined) return { kind: 'unknownPrice', spent: roundUsd(spent), limit };
    if (roundUsd(spent + estimate.usd) > limit) return { kind: 'over', usd: estimate.usd, spent: roundUsd(spent), limit };
  }
  if (estimate.usd !== undefined && settings.confirmAbove >= 0 && estimate.usd > settings.confirmAbove) {
    return { kind: 'confirm', usd: estimate.usd, threshold: settings.confirmAbove };
  }
  return { kind: 'ok' };
}

export interface BatchCheck {
  /** How many of the estimates, from the first, fit under the limit (all of them when no limit is set). */
  readonly allowed: number;
  /** Spent (and reserved) this month before the batch. */
  readonly spent: number;
  /** The monthly limit; 0 means none. */
  readonly limit: number;
}

/**
 * Pre-checks a batch (a storyboard's Generate All, an agent's plan) in order: the first estimate that
 * would cross the limit, or whose price is unknown while a limit is set, stops the count.
 */
export function checkBatch(estimates: readonly CostEstimate[], spent: number, monthlyLimit: number): BatchCheck {
  const limit = monthlyLimit > 0 ? monthlyLimit : 0;
  if (limit === 0) return { allowed: estimates.length, spent: roundUsd(spent), limit: 0 };
  let running = spent;
  let allowed = 0;
  for (const e of estimates) {
    if (e.usd === undefined || roundUsd(running + e.usd) > limit) break;
    running += e.usd;
    allowed++;
  }
  return { allowed, spent: roundUsd(spent), limit };
}

/**
 * A request refused by the monthly budget before anything was sent. `reason` says whether it would cross
 * the limit or its price is unknown; the message names the limit and what was spent.
 */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
  readonly kind = 'budget' as const;
  constructor(
    readonly reason: 'over' | 'unknownPrice',
    readonly limit: number,
    readonly spent: number,
    readonly estimate: CostEstimate,
    readonly model?: string,
  ) {
    super(
      reason === 'over'
        ? `Not sent: this request (estimated ${formatUsd(estimate.usd ?? 0)}) would take this month's Seedance spending past your limit of ${formatUsd(limit)}; ${formatUsd(spent)} is spent so far. Raise seedance.budget.monthlyLimit or wait for next month.`
        : `Not sent: the price of ${model ?? 'this model'} is unknown and your monthly limit is ${formatUsd(limit)} (${formatUsd(spent)} spent so far). Set its price in seedance.pricing, or confirm it in the Generate panel or quick input.`,
    );
  }
}

export function isBudgetError(error: unknown): error is BudgetExceededError {
  return error instanceof BudgetExceededError;
}
