// What the spending view shows, computed from the ledger: each month's total against the limit, and one
// month's split by model and by storyboard; plus the CSV export. Pure, so it is tested without VS Code.
import { monthKey } from './budget';
import { roundUsd } from './estimate';
import type { LedgerEntry } from './ledger';
import { countsAsSpent } from '../gate/spending';

export interface SpendingGroup {
  /** A model id, a storyboard name, or '' for "no storyboard". */
  readonly key: string;
  /** Estimated USD of the entries that did not fail. */
  readonly spent: number;
  readonly count: number;
  /** Entries whose price was unknown (counted, not priced). */
  readonly unpriced: number;
}

export interface MonthSpending {
  /** "2026-01". */
  readonly month: string;
  readonly spent: number;
  readonly count: number;
  readonly unpriced: number;
  /** Failed generations and dismissed uncertain ones, shown apart: not counted against the budget. */
  readonly failed: { readonly count: number; readonly estimated: number };
  readonly byModel: readonly SpendingGroup[];
  readonly byStoryboard: readonly SpendingGroup[];
}

export interface SpendingSummary {
  /** The month of `now`. */
  readonly currentMonth: string;
  /** Newest first; the current month is always present (possibly empty). */
  readonly months: readonly MonthSpending[];
  /** 0 means no limit. */
  readonly limit: number;
}

function group(entries: readonly LedgerEntry[], keyOf: (e: LedgerEntry) => string): SpendingGroup[] {
  const groups = new Map<string, { spent: number; count: number; unpriced: number }>();
  for (const e of entries) {
    const key = keyOf(e);
    const g = groups.get(key) ?? { spent: 0, count: 0, unpriced: 0 };
    g.count++;
    if (e.estimate.usd === undefined) g.unpriced++;
    else g.spent += e.estimate.usd;
    groups.set(key, g);
  }
  return [...groups.entries()]
    .map(([key, g]) => ({ key, spent: roundUsd(g.spent), count: g.count, unpriced: g.unpriced }))
    .sort((a, b) => b.spent - a.spent || a.key.localeCompare(b.key));
}

export function summarize(entries: readonly LedgerEntry[], now: number, limit: number): SpendingSummary {
  const currentMonth = monthKey(now);
  const byMonth = new Map<string, LedgerEntry[]>([[currentMonth, []]]);
  for (const e of entries) {
    const key = monthKey(e.at);
    byMonth.set(key, [...(byMonth.get(key) ?? []), e]);
  }
  const months = [...byMonth.entries()]
    .sort(([a], [b]) => b.localeCompare(a))
    .map(([month, list]): MonthSpending => {
      // The gate's own rule (uncertain counts until dismissed), so the view and the budget never disagree.
      const counted = list.filter((e) => countsAsSpent(e.status));
      const failed = list.filter((e) => !countsAsSpent(e.status));
      return {
        month,
        spent: roundUsd(counted.reduce((s, e) => s + (e.estimate.usd ?? 0), 0)),
        count: counted.length,
        unpriced: counted.filter((e) => e.estimate.usd === undefined).length,
        failed: { count: failed.length, estimated: roundUsd(failed.reduce((s, e) => s + (e.estimate.usd ?? 0), 0)) },
        byModel: group(counted, (e) => e.model),
        byStoryboard: group(counted, (e) => e.storyboard ?? ''),
      };
    });
  return { currentMonth, months, limit: limit > 0 ? limit : 0 };
}

const CSV_COLUMNS = ['date', 'task_id', 'model', 'seconds', 'resolution', 'estimated_usd', 'usd_per_second', 'price_source', 'status', 'workspace', 'storyboard', 'usage'] as const;

/** One field, quoted when it must be; a leading = + - @ is defused so a spreadsheet never runs it as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The whole record as CSV (RFC 4180, CRLF), oldest first, failed generations included with their status. */
export function toCsv(entries: readonly LedgerEntry[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of [...entries].sort((a, b) => a.at - b.at)) {
    lines.push([
      new Date(e.at).toISOString(),
      e.taskId,
      e.model,
      String(e.seconds),
      e.resolution,
      e.estimate.usd === undefined ? '' : e.estimate.usd.toFixed(4),
      e.estimate.perSecond === undefined ? '' : String(e.estimate.perSecond),
      e.estimate.source,
      e.status,
      e.workspace ?? '',
      e.storyboard ?? '',
      e.usage === undefined ? '' : JSON.stringify(e.usage),
    ].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
