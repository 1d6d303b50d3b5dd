// What counts as spent, the one source of every spending figure (the gate, the status bar tooltip, the
// panel's line, the spending view, the CSV). Pure, no vscode: an MCP server counts the same way.
//
// An entry counts while it may be billed:
// - accepted / succeeded: the service took the create;
// - uncertain: the create's answer was lost, so it may have been billed; it counts until the person
//   dismisses it (Resubmit Anyway leaves it counted: the first request may have been billed too);
// - dismissed (an uncertain entry the person said was not billed) and failed (not charged upstream) do not.
// Entries another window wrote count as soon as the ledger is read again (the gate re-reads it every time),
// and a ledger written by a newer version is read and counted but never written over (ledger.ts).
import { monthKey } from '../pricing/budget';
import { roundUsd } from '../pricing/estimate';
import type { LedgerEntry, LedgerStatus } from '../pricing/ledger';
import type { SpendingState } from './policy';

/** "2026-01-31" for any moment of that day, local time (the agent cap is per calendar day). */
export function dayKey(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Whether an entry with this status counts against the budget. */
export function countsAsSpent(status: LedgerStatus): boolean {
  return status === 'accepted' || status === 'succeeded' || status === 'uncertain';
}

/** Counted spending (estimates; an unknown price counts as 0) in the calendar month of `now`. */
export function spentInMonthOf(entries: readonly LedgerEntry[], now: number): number {
  const month = monthKey(now);
  let total = 0;
  for (const e of entries) if (countsAsSpent(e.status) && monthKey(e.at) === month) total += e.estimate.usd ?? 0;
  return roundUsd(total);
}

/** Counted spending that agents started on the calendar day of `now`. */
export function agentSpentOnDayOf(entries: readonly LedgerEntry[], now: number): number {
  const day = dayKey(now);
  let total = 0;
  for (const e of entries) if (e.by === 'agent' && countsAsSpent(e.status) && dayKey(e.at) === day) total += e.estimate.usd ?? 0;
  return roundUsd(total);
}

/** A request admitted and still being sent (not in the ledger yet): counted so two cannot both slip under. */
export interface Reservation {
  readonly usd: number;
  readonly byAgent: boolean;
}

/** The spending state the policy decides on: the ledger (read just now) plus this process's reservations. */
export function spendingState(entries: readonly LedgerEntry[], now: number, reservations: Iterable<Reservation> = []): SpendingState {
  let month = spentInMonthOf(entries, now);
  let agent = agentSpentOnDayOf(entries, now);
  for (const r of reservations) {
    month += r.usd;
    if (r.byAgent) agent += r.usd;
  }
  return { spentThisMonth: roundUsd(month), agentSpentToday: roundUsd(agent) };
}

/** The ledger key of a create that never got a service id (its answer was lost): the local id, marked. */
export function uncertainKey(localId: string): string {
  return `local:${localId}`;
}
