// PLACEHOLDER until the one money policy (issue 17) is merged: the agents' daily cap as one pure rule.
// What counts: every create an agent made today (local calendar day) that may be billed: accepted by the
// service (not failed since), uncertain, or still being sent. An unknown price is refused while a cap is set.
import { formatUsd, roundUsd, type CostEstimate } from '../pricing/estimate';

export const DEFAULT_AGENT_DAILY_LIMIT_USD = 5;

export interface AgentCreateRecord {
  readonly createdAt: number;
  readonly status: string;
  readonly hasRemoteId: boolean;
  readonly estimate?: CostEstimate;
}

/** Whether two moments fall on the same local calendar day. */
function sameDay(a: number, b: number): boolean {
  const x = new Date(a);
  const y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
}

/** What agents' creates of the day `now` falls on may cost. */
export function agentSpentToday(records: readonly AgentCreateRecord[], now: number): number {
  let spent = 0;
  for (const r of records) {
    if (!sameDay(r.createdAt, now)) continue;
    const counts = r.status === 'uncertain' || r.status === 'submitting' || (r.hasRemoteId && r.status !== 'failed');
    if (counts) spent += r.estimate?.usd ?? 0;
  }
  return roundUsd(spent);
}

export type AgentCapDecision = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** The rule: refused when the request would take today's agent spending past the cap (0 = no cap). */
export function decideAgentCap(estimate: CostEstimate, spentToday: number, dailyLimit: number): AgentCapDecision {
  if (!(dailyLimit > 0)) return { ok: true };
  if (estimate.usd === undefined) {
    return { ok: false, message: `Not sent: the price of this request is unknown, and agents have a daily limit of ${formatUsd(dailyLimit)} (${formatUsd(spentToday)} spent today). Ask the user to set the price, or to raise the limit.` };
  }
  if (roundUsd(spentToday + estimate.usd) > dailyLimit) {
    return { ok: false, message: `Not sent: this request (estimated ${formatUsd(estimate.usd)}) would take today's agent spending past the daily limit of ${formatUsd(dailyLimit)}; ${formatUsd(spentToday)} is spent today. Tell the user; they can raise the limit (--agent-daily-limit or SEEDANCE_AGENT_DAILY_LIMIT) or wait until tomorrow.` };
  }
  return { ok: true };
}
