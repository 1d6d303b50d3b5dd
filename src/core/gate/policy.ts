// The one rule for "may this paid request be sent, and who is asked first", pure and as data: every
// create (panel, quick input, selection, storyboard shot, Generate All, the language model tools,
// `seedance.generate` with arguments, an MCP server) is authorized here from its quote, the spending so
// far and who is asking. No vscode: the MCP server (a separate Node process) uses it as it is.
//
// Who is asking (CallerKind):
// - person: someone at the keyboard who can be asked (panel, quick input, selection, a single shot);
// - batch: one request inside a total a person (or an agent's confirmed call) already approved, so it is
//   never asked again (shots of Generate All, of the agent storyboard tool); `by` says who started it;
// - agent: a language model tool call (or any later agent entry point); VS Code's tool approval may have
//   been "Always Allow"ed, so the agent cap applies whatever it said; it is never asked, only refused;
// - extension: another extension's `seedance.generate(args)`: trusted code, never asked, only refused.
import { formatUsd, roundUsd } from '../pricing/estimate';

export type CallerKind = 'person' | 'batch' | 'agent' | 'extension';

/** Who started a request (what the spending record keeps; a batch is attributed to whoever started it). */
export type Starter = 'person' | 'agent' | 'extension';

export type Caller =
  | { readonly kind: 'person' }
  | { readonly kind: 'batch'; readonly by: 'person' | 'agent' }
  | { readonly kind: 'agent' }
  | { readonly kind: 'extension' };

export interface GateSettings {
  /** USD per calendar month for everyone; 0 means no limit. */
  readonly monthlyLimit: number;
  /** USD per request above which a person is asked. */
  readonly confirmAbove: number;
  /** USD per calendar day that agents may start; 0 means agents may only estimate and list. */
  readonly agentDailyLimit: number;
  /** seedance.confirmBeforeSubmit (application scope): a person reviews the request before it is sent. */
  readonly confirmBeforeSubmit: boolean;
}

export const DEFAULT_AGENT_DAILY_LIMIT = 5;

/** What the request (or, for a batch's own authorization, the whole batch) is estimated to cost. */
export interface Quote {
  /** USD; undefined when any part's price is unknown. */
  readonly usd: number | undefined;
  /** How many creates the quote covers (1 for a single request). */
  readonly count?: number;
}

/** The spending so far, counted by spending.ts from a freshly read ledger plus requests being sent. */
export interface SpendingState {
  /** Counted spending in the current calendar month, every starter. */
  readonly spentThisMonth: number;
  /** Counted spending started by agents on the current calendar day. */
  readonly agentSpentToday: number;
}

/**
 * What a person can be asked. `review`: seedance.confirmBeforeSubmit (the person sees the request before it
 * goes); `aboveThreshold`: the estimate is above seedance.budget.confirmAbove; `unknownPrice`: no price is
 * known, so neither the limit nor the threshold can be checked.
 */
export type Question = 'review' | 'aboveThreshold' | 'unknownPrice';

export type RefusalReason =
  /** Would take this month past seedance.budget.monthlyLimit. */
  | 'monthlyLimit'
  /** The price is unknown and the caller cannot be asked. */
  | 'unknownPrice'
  /** seedance.budget.agentDailyLimit is 0: agents may only estimate and list. */
  | 'agentDisabled'
  /** Would take today's agent spending past seedance.budget.agentDailyLimit. */
  | 'agentDailyLimit';

export interface Refusal {
  readonly kind: 'refuse';
  readonly reason: RefusalReason;
  readonly usd: number | undefined;
  /** The limit that refused (monthly or daily), 0 for unknownPrice without a limit and agentDisabled. */
  readonly limit: number;
  /** What that limit has counted so far. */
  readonly spent: number;
}

export type Verdict =
  | { readonly kind: 'allow' }
  /** Ask the person these (in this order, or all in one dialog); on yes, authorize again with them answered. */
  | { readonly kind: 'ask'; readonly questions: readonly Question[]; readonly usd: number | undefined; readonly threshold: number }
  | Refusal;

export interface AuthorizeInput {
  readonly caller: Caller;
  readonly quote: Quote;
  readonly spending: SpendingState;
  readonly settings: GateSettings;
  /**
   * Questions the person already said yes to for this request: after a dialog, or because the entry point
   * is itself the review (the Generate panel's button, the quick-input flow's Generate step).
   */
  readonly answered?: readonly Question[];
}

function isAgent(caller: Caller): boolean {
  return caller.kind === 'agent' || (caller.kind === 'batch' && caller.by === 'agent');
}

/** The starter a caller's requests are recorded under (for the agent daily count). */
export function starterOf(caller: Caller): Starter {
  if (caller.kind === 'batch') return caller.by;
  return caller.kind;
}

/**
 * The verdict, in this order:
 * 1. agents (and batches an agent started): refused when the agent cap is 0, when the price is unknown, or
 *    when today's agent spending plus this would pass the cap;
 * 2. the monthly limit, for everyone: over it is refused; an unknown price while a limit is set asks a
 *    person, is covered by a batch's confirmation, and refuses an extension;
 * 3. an extension with an unknown price is refused even without a limit (it cannot be asked);
 * 4. a person is asked: the price is unknown; above confirmAbove; confirmBeforeSubmit is on. A batch,
 *    an agent and an extension are never asked.
 */
export function authorize(input: AuthorizeInput): Verdict {
  const { caller, quote, spending, settings } = input;
  const answered = new Set(input.answered ?? []);
  const usd = quote.usd === undefined || !Number.isFinite(quote.usd) ? undefined : roundUsd(Math.max(0, quote.usd));
  const monthly = settings.monthlyLimit > 0 ? settings.monthlyLimit : 0;
  const daily = settings.agentDailyLimit > 0 ? settings.agentDailyLimit : 0;
  const refuse = (reason: RefusalReason, limit: number, spent: number): Refusal => ({ kind: 'refuse', reason, usd, limit, spent: roundUsd(spent) });

  if (isAgent(caller)) {
    if (daily === 0) return refuse('agentDisabled', 0, spending.agentSpentToday);
    if (usd === undefined) return refuse('unknownPrice', daily, spending.agentSpentToday);
    if (roundUsd(spending.agentSpentToday + usd) > daily) return refuse('agentDailyLimit', daily, spending.agentSpentToday);
  }
  if (monthly > 0) {
    if (usd !== undefined && roundUsd(spending.spentThisMonth + usd) > monthly) return refuse('monthlyLimit', monthly, spending.spentThisMonth);
    if (usd === undefined && caller.kind === 'extension') return refuse('unknownPrice', monthly, spending.spentThisMonth);
  }
  if (usd === undefined && caller.kind === 'extension') return refuse('unknownPrice', 0, spending.spentThisMonth);
  if (caller.kind !== 'person') return { kind: 'allow' };

  const questions: Question[] = [];
  if (usd === undefined) questions.push('unknownPrice');
  else if (settings.confirmAbove >= 0 && usd > settings.confirmAbove) questions.push('aboveThreshold');
  if (settings.confirmBeforeSubmit) questions.push('review');
  const open = questions.filter((q) => !answered.has(q));
  if (open.length === 0) return { kind: 'allow' };
  return { kind: 'ask', questions: open, usd, threshold: settings.confirmAbove };
}

/**
 * The refusal in words a person reads and an agent can relay (English, like core's other typed errors:
 * `seedance.generate` callers and agents receive it as it is; the extension words dialogs itself).
 */
export function refusalText(refusal: Refusal): string {
  const cost = refusal.usd === undefined ? 'of unknown price' : `estimated at ${formatUsd(refusal.usd)}`;
  switch (refusal.reason) {
    case 'monthlyLimit':
      return `Not sent: this request (${cost}) would take this month's Seedance spending past the limit of ${formatUsd(refusal.limit)}; ${formatUsd(refusal.spent)} is counted so far (requests that may have been billed included). The user can raise seedance.budget.monthlyLimit or wait for next month.`;
    case 'unknownPrice':
      return `Not sent: the price of this request is unknown, so it cannot be checked against the ${refusal.limit > 0 ? `limit of ${formatUsd(refusal.limit)}` : 'budget'}, and this caller cannot be asked to confirm it. The user can set the model's price in seedance.pricing, or send it from the Generate panel.`;
    case 'agentDisabled':
      return 'Not sent: the user allows agents only to estimate costs and list videos (seedance.budget.agentDailyLimit is 0). Tell the user; they can generate it themselves from the Generate panel, or raise that setting.';
    case 'agentDailyLimit':
      return `Not sent: this request (${cost}) would take what agents started today past the user's daily agent limit of ${formatUsd(refusal.limit)}; ${formatUsd(refusal.spent)} is counted today. Do not retry today; tell the user, who can generate it from the Generate panel or raise seedance.budget.agentDailyLimit.`;
  }
}

/** A request the gate refused before anything was sent; `refusal` holds the figures. */
export class GateRefusedError extends Error {
  override readonly name = 'GateRefusedError';
  readonly kind = 'budget' as const;
  constructor(readonly refusal: Refusal, message = refusalText(refusal)) {
    super(message);
  }
  get reason(): RefusalReason {
    return this.refusal.reason;
  }
}
