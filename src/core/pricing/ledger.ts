// The record of spending: one entry per create the service accepted (date, model, seconds, resolution,
// the estimate at the time, the service's task id, the workspace, the storyboard if any, who started it),
// and one per create whose answer was lost ("uncertain", keyed by the local id: it may have been billed),
// in global state so it spans workspaces and survives reloads. What counts is decided in
// src/core/gate/spending.ts (failed and dismissed entries stay in the record but do not count). Versioned
// storage: an envelope {version, entries}; a version newer than this code knows is read and counted but
// never written over, not even when it appears while this window is running.
import { Emitter, type Event } from '../events';
import { roundUsd, type CostEstimate, type EstimateArgs } from './estimate';
import { countsAsSpent, spentInMonthOf } from '../gate/spending';
import { monthKey as monthKeyOf } from './budget';
import type { Starter } from '../gate/policy';
import type { KeyValueStorage } from './storage';

export const LEDGER_STORAGE_KEY = 'seedance.spending.ledger';
export const CURRENT_LEDGER_VERSION = 1;
/** Oldest entries are dropped past this (years of normal use; keeps global state small). */
export const MAX_LEDGER_ENTRIES = 5_000;

/**
 * accepted/succeeded/failed: the service has the task. uncertain: the create's answer was lost (may have
 * been billed). dismissed: an uncertain entry the person dismissed (not counted any more).
 */
export type LedgerStatus = 'accepted' | 'succeeded' | 'failed' | 'uncertain' | 'dismissed';

/** One request as the spending record keeps it: what its price depended on (EstimateArgs), and the estimate. */
export interface LedgerEntry extends EstimateArgs {
  /** The service's task id (unique key); `local:<localId>` for an uncertain create (spending.uncertainKey). */
  readonly taskId: string;
  /** When the service accepted it (epoch ms). */
  readonly at: number;
  /** The estimate when it was sent; usd absent when the price was unknown. */
  readonly estimate: CostEstimate;
  readonly status: LedgerStatus;
  /** Name of the workspace it was generated from, if any. */
  readonly workspace?: string;
  /** The storyboard it belongs to, if any. */
  readonly storyboard?: string;
  /** What the service said it billed, if it ever reports it (kept beside the estimate, verbatim). */
  readonly usage?: unknown;
  /** Who started it (absent in entries written before issue 17: counted as a person's). */
  readonly by?: Starter;
}

interface StoredLedgerV1 {
  readonly version: 1;
  readonly entries: readonly LedgerEntry[];
}

export interface LoadedLedger {
  readonly entries: LedgerEntry[];
  /** Written by a newer version: read, but never overwritten. */
  readonly readOnly: boolean;
  readonly problems: string[];
}

const STATUSES: readonly LedgerStatus[] = ['accepted', 'succeeded', 'failed', 'uncertain', 'dismissed'];
const STARTERS: readonly Starter[] = ['person', 'agent', 'extension'];
const SOURCES: readonly CostEstimate['source'][] = ['catalogue', 'table', 'setting', 'unknown'];

/** One stored entry checked field by field; undefined when it is not usable. */
function readEntry(raw: unknown): LedgerEntry | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.taskId !== 'string' || r.taskId === '' || typeof r.at !== 'number' || !Number.isFinite(r.at)) return undefined;
  if (typeof r.model !== 'string' || typeof r.seconds !== 'number' || typeof r.resolution !== 'string') return undefined;
  const e = (typeof r.estimate === 'object' && r.estimate !== null ? r.estimate : {}) as Record<string, unknown>;
  const source = SOURCES.includes(e.source as CostEstimate['source']) ? (e.source as CostEstimate['source']) : 'unknown';
  const estimate: CostEstimate = {
    source,
    ...(typeof e.usd === 'number' && Number.isFinite(e.usd) && e.usd >= 0 ? { usd: e.usd } : {}),
    ...(typeof e.perSecond === 'number' && Number.isFinite(e.perSecond) ? { perSecond: e.perSecond } : {}),
  };
  return {
    taskId: r.taskId,
    at: r.at,
    model: r.model,
    seconds: r.seconds,
    resolution: r.resolution,
    estimate,
    status: STATUSES.includes(r.status as LedgerStatus) ? (r.status as LedgerStatus) : 'accepted',
    ...(typeof r.workspace === 'string' ? { workspace: r.workspace } : {}),
    ...(typeof r.storyboard === 'string' ? { storyboard: r.storyboard } : {}),
    ...(r.usage !== undefined ? { usage: r.usage } : {}),
    ...(STARTERS.includes(r.by as Starter) ? { by: r.by as Starter } : {}),
  };
}

/** Reads the stored ledger, migrating older shapes; never throws. */
export function loadLedger(storage: KeyValueStorage): LoadedLedger {
  const raw = storage.get<unknown>(LEDGER_STORAGE_KEY);
  if (raw === undefined || raw === null) return { entries: [], readOnly: false, problems: [] };
  // Version 0 (never shipped, kept as the migration pattern): a bare array of entries.
  const envelope = Array.isArray(raw) ? { version: 0, entries: raw } : (raw as { version?: unknown; entries?: unknown });
  const version = typeof envelope.version === 'number' ? envelope.version : NaN;
  if (!Array.isArray(envelope.entries) || Number.isNaN(version)) {
    return { entries: [], readOnly: false, problems: ['The spending record was unreadable and was started again.'] };
  }
  const readOnly = version > CURRENT_LEDGER_VERSION;
  const entries: LedgerEntry[] = [];
  let dropped = 0;
  for (const item of envelope.entries) {
    const entry = readEntry(item);
    if (entry) entries.push(entry);
    else dropped++;
  }
  const problems: string[] = [];
  if (readOnly) problems.push(`The spending record was written by a newer version of Seedance Studio (version ${version}); it is shown but not changed.`);
  if (dropped) problems.push(`${dropped} unreadable spending record entr${dropped === 1 ? 'y was' : 'ies were'} skipped.`);
  return { entries, readOnly, problems };
}

/**
 * Which of two records of the same task says more: a finished state wins over "accepted", and "dismissed"
 * over "uncertain" (the person's word is final).
 */
function later(a: LedgerEntry, b: LedgerEntry): LedgerEntry {
  const rank = (s: LedgerStatus) => (s === 'accepted' || s === 'uncertain' ? 0 : 1);
  const winner = rank(b.status) > rank(a.status) ? b : a;
  const other = winner === a ? b : a;
  return {
    ...winner,
    ...(winner.usage === undefined && other.usage !== undefined ? { usage: other.usage } : {}),
    ...(winner.storyboard === undefined && other.storyboard ? { storyboard: other.storyboard } : {}),
    // The gate records who started it; following the task list may have recorded it first without.
    ...(winner.by === undefined && other.by ? { by: other.by } : {}),
  };
}

export class Ledger {
  private entries: LedgerEntry[];
  private readOnly: boolean;
  private readonly changed = new Emitter<void>();
  private writing: Promise<void> = Promise.resolve();
  readonly onDidChange: Event<void> = this.changed.event;
  readonly problems: readonly string[];

  constructor(private readonly storage: KeyValueStorage) {
    const loaded = loadLedger(storage);
    this.entries = loaded.entries;
    this.readOnly = loaded.readOnly;
    this.problems = loaded.problems;
  }

  list(): readonly LedgerEntry[] {
    return this.entries;
  }

  has(taskId: string): boolean {
    return this.entries.some((e) => e.taskId === taskId);
  }

  /** Records an accepted create (or merges with the entry already there). */
  record(entry: LedgerEntry): Promise<void> {
    const at = this.entries.findIndex((e) => e.taskId === entry.taskId);
    if (at >= 0) {
      const merged = later(this.entries[at], entry);
      if (JSON.stringify(merged) === JSON.stringify(this.entries[at])) return this.writing;
      this.entries[at] = merged;
    } else {
      this.entries.push(entry);
    }
    return this.changedNow();
  }

  /** Marks a recorded task finished; failed ones stop counting against the budget. */
  setStatus(taskId: string, status: LedgerStatus, usage?: unknown): Promise<void> {
    const at = this.entries.findIndex((e) => e.taskId === taskId);
    if (at < 0) return this.writing;
    const current = this.entries[at];
    if (current.status === status && (usage === undefined || JSON.stringify(usage) === JSON.stringify(current.usage))) return this.writing;
    this.entries[at] = { ...current, status, ...(usage !== undefined ? { usage } : {}) };
    return this.changedNow();
  }

  /** Counted spending (src/core/gate/spending.ts) in the calendar month of `now`. */
  spentInMonth(now: number): number {
    return spentInMonthOf(this.entries, now);
  }

  /** True once a newer version's record was seen: this window never writes it again. */
  get isReadOnly(): boolean {
    return this.readOnly;
  }

  /** Picks up what another window wrote since (global state is shared by every window). */
  reload(): void {
    const loaded = loadLedger(this.storage);
    if (loaded.readOnly) this.readOnly = true;
    const byId = new Map(loaded.entries.map((e) => [e.taskId, e]));
    for (const e of this.entries) byId.set(e.taskId, byId.has(e.taskId) ? later(byId.get(e.taskId)!, e) : e);
    const next = sortAndCap([...byId.values()]);
    if (JSON.stringify(next) === JSON.stringify(this.entries)) return;
    this.entries = next;
    this.changed.fire();
  }

  /** Resolves when every write so far is in storage. */
  flush(): Promise<void> {
    return this.writing;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private changedNow(): Promise<void> {
    this.entries = sortAndCap(this.entries);
    this.changed.fire();
    if (this.readOnly) return this.writing;
    // Merged with what is stored at write time, so two windows writing close together both keep theirs.
    this.writing = this.writing.then(async () => {
      const stored = loadLedger(this.storage);
      // A newer version wrote it since this window read it: never written over (its entries are counted).
      if (stored.readOnly) {
        this.readOnly = true;
        return;
      }
      const byId = new Map(stored.entries.map((e) => [e.taskId, e]));
      for (const e of this.entries) byId.set(e.taskId, byId.has(e.taskId) ? later(byId.get(e.taskId)!, e) : e);
      const envelope: StoredLedgerV1 = { version: 1, entries: sortAndCap([...byId.values()]) };
      await this.storage.update(LEDGER_STORAGE_KEY, envelope);
    }).catch(() => undefined);
    return this.writing;
  }
}

function sortAndCap(entries: LedgerEntry[]): LedgerEntry[] {
  const sorted = [...entries].sort((a, b) => a.at - b.at || a.taskId.localeCompare(b.taskId));
  return sorted.length > MAX_LEDGER_ENTRIES ? sorted.slice(sorted.length - MAX_LEDGER_ENTRIES) : sorted;
}

/** What counts against the budget in a month ("2026-01"): see countsAsSpent. */
export function spentIn(entries: readonly LedgerEntry[], month: string): number {
  let total = 0;
  for (const e of entries) if (countsAsSpent(e.status) && monthKeyOf(e.at) === month) total += e.estimate.usd ?? 0;
  return roundUsd(total);
}
