// The live price catalogue: CometAPI's public GET /api/models (CONTRACT 8: {success, page, data:[{id,
// pricing:{currency, per_second, ...}}]}), read tolerantly (anything missing, malformed or zero is simply
// not a price; per_second is a number for every resolution or an object per resolution class, CONTRACT 16),
// also telling which Seedance ids the service lists now (what is offered follows it), at most once a day per
// API origin, in the background, and cached in global state so a reload or another window does not read it
// again. Never with the API key: the fetcher is given a URL only.
import { systemClock, type Clock } from '../clock';
import { Emitter, type Event } from '../events';
import { describeModel } from '../catalog';
import { parseModelPrice, type ModelPrice } from './prices';
import type { KeyValueStorage } from './storage';

export const CATALOGUE_STORAGE_KEY = 'seedance.pricing.catalogue';
/** A successful read is reused for a day. */
export const CATALOGUE_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** A failed read is tried again after an hour (the table and the setting cover the gap). */
export const CATALOGUE_RETRY_MS = 60 * 60 * 1000;

export interface ParsedCatalogue {
  readonly prices: { [model: string]: ModelPrice };
  /** Every Seedance id the catalogue lists, priced or not. */
  readonly listed: string[];
  /** What was skipped and why (for the log); never shown as an error. */
  readonly problems: string[];
}

/** Reads the catalogue body. Only Seedance models are kept (the real catalogue lists hundreds). */
export function parseCatalogue(body: unknown): ParsedCatalogue {
  const prices: { [model: string]: ModelPrice } = {};
  const listed: string[] = [];
  const problems: string[] = [];
  let rows: unknown;
  if (Array.isArray(body)) rows = body;
  else if (typeof body === 'object' && body !== null) rows = (body as { data?: unknown }).data;
  if (!Array.isArray(rows)) {
    problems.push('the catalogue has no "data" list');
    return { prices, listed, problems };
  }
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const id = (row as { id?: unknown }).id;
    if (typeof id !== 'string' || !/seedance/i.test(id)) continue;
    if (!listed.includes(id)) listed.push(id);
    const pricing = (row as { pricing?: unknown }).pricing;
    if (typeof pricing !== 'object' || pricing === null) {
      problems.push(`${id}: no pricing`);
      continue;
    }
    const currency = (pricing as { currency?: unknown }).currency;
    if (currency !== undefined && currency !== null && currency !== '' && String(currency).toUpperCase() !== 'USD') {
      problems.push(`${id}: priced in ${String(currency).slice(0, 10)}, not USD`);
      continue;
    }
    const raw = (pricing as { per_second?: unknown }).per_second;
    const value = parseModelPrice(raw);
    if (value === undefined) {
      problems.push(`${id}: per_second ${JSON.stringify(raw)?.slice(0, 40) ?? 'missing'} is not a price`);
      continue;
    }
    prices[id] = value;
  }
  return { prices, listed, problems };
}

/** What global state keeps (versioned so a later shape can be migrated). */
export interface StoredCatalogueV1 {
  readonly version: 1;
  readonly origin: string;
  /** When the last read succeeded (epoch ms), if ever. */
  readonly fetchedAt?: number;
  /** When the last read was tried (epoch ms). */
  readonly attemptedAt: number;
  readonly prices: { [model: string]: ModelPrice };
  /** The Seedance ids the last successful read listed (absent in caches written before it was kept). */
  readonly listed?: string[];
}

export function readStoredCatalogue(storage: KeyValueStorage): StoredCatalogueV1 | undefined {
  const raw = storage.get<unknown>(CATALOGUE_STORAGE_KEY);
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Partial<StoredCatalogueV1>;
  if (r.version !== 1 || typeof r.origin !== 'string' || typeof r.attemptedAt !== 'number') return undefined;
  const prices: { [model: string]: ModelPrice } = {};
  if (typeof r.prices === 'object' && r.prices !== null) {
    for (const [id, p] of Object.entries(r.prices)) {
      const price = parseModelPrice(p);
      if (price !== undefined) prices[id] = price;
    }
  }
  const listed = Array.isArray(r.listed) ? r.listed.filter((id): id is string => typeof id === 'string') : undefined;
  return { version: 1, origin: r.origin, attemptedAt: r.attemptedAt, prices, ...(typeof r.fetchedAt === 'number' ? { fetchedAt: r.fetchedAt } : {}), ...(listed ? { listed } : {}) };
}

export interface CatalogueSourceDeps {
  readonly storage: KeyValueStorage;
  /** GETs a URL with no credentials and resolves with its parsed JSON body. */
  readonly fetchJson: (url: string) => Promise<unknown>;
  /** The API origin now (e.g. https://api.cometapi.com), or undefined when the base URL is unusable. */
  readonly origin: () => string | undefined;
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
}

export class CatalogueSource {
  private inFlight: Promise<void> | undefined;
  /** Unknown Seedance ids already logged (each once per session). */
  private readonly loggedUnknown = new Set<string>();
  private readonly changed = new Emitter<void>();
  /** Fires after a read brought different prices. */
  readonly onDidChange: Event<void> = this.changed.event;

  constructor(private readonly deps: CatalogueSourceDeps) {}

  /** The cached prices for the current origin; undefined when none were read for it. */
  prices(): { [model: string]: ModelPrice } | undefined {
    const stored = readStoredCatalogue(this.deps.storage);
    const origin = this.deps.origin();
    if (!stored || !origin || stored.origin !== origin || stored.fetchedAt === undefined) return undefined;
    return stored.prices;
  }

  /**
   * The Seedance ids the catalogue for the current origin lists, or undefined when none was read for it
   * (then the shipped table decides what is offered).
   */
  listed(): ReadonlySet<string> | undefined {
    const stored = readStoredCatalogue(this.deps.storage);
    const origin = this.deps.origin();
    if (!stored || !origin || stored.origin !== origin || stored.fetchedAt === undefined || !stored.listed) return undefined;
    return new Set(stored.listed);
  }

  /** When the cached prices were read, for the current origin. */
  fetchedAt(): number | undefined {
    const stored = readStoredCatalogue(this.deps.storage);
    return stored && stored.origin === this.deps.origin() ? stored.fetchedAt : undefined;
  }

  /** Whether a read is due: none yet for this origin, the last success over a day old, a failure over an hour. */
  isStale(): boolean {
    const origin = this.deps.origin();
    if (!origin) return false;
    const stored = readStoredCatalogue(this.deps.storage);
    if (!stored || stored.origin !== origin) return true;
    const now = (this.deps.clock ?? systemClock).now();
    if (stored.fetchedAt !== undefined && now - stored.fetchedAt < CATALOGUE_MAX_AGE_MS) return false;
    // attemptedAt is set before a read and fetchedAt after it, so a later attemptedAt means the last read failed.
    const lastFailed = stored.fetchedAt === undefined || stored.attemptedAt > stored.fetchedAt;
    return !lastFailed || now - stored.attemptedAt >= CATALOGUE_RETRY_MS;
  }

  /**
   * Starts a background read when one is due (single-flight); never throws. The returned promise settles
   * when that read is over (tests await it; the extension does not).
   */
  refreshIfStale(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (!this.isStale()) return Promise.resolve();
    const origin = this.deps.origin();
    if (!origin) return Promise.resolve();
    this.inFlight = this.read(origin).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async read(origin: string): Promise<void> {
    const clock = this.deps.clock ?? systemClock;
    const before = readStoredCatalogue(this.deps.storage);
    const previous = before?.origin === origin ? before : undefined;
    const attemptedAt = clock.now();
    // Recorded first, so a crash or a second window does not read again at once.
    await this.deps.storage.update(CATALOGUE_STORAGE_KEY, { ...(previous ?? { version: 1, origin, prices: {} }), attemptedAt });
    try {
      const body = await this.deps.fetchJson(`${origin}/api/models`);
      const parsed = parseCatalogue(body);
      if (parsed.problems.length) this.deps.log?.(`Price catalogue: skipped ${parsed.problems.slice(0, 8).join('; ')}${parsed.problems.length > 8 ? '; …' : ''}.`);
      const unknown = parsed.listed.filter((id) => !describeModel(id) && !this.loggedUnknown.has(id));
      for (const id of unknown) this.loggedUnknown.add(id);
      if (unknown.length) this.deps.log?.(`The catalogue at ${origin} lists Seedance model(s) this version does not know: ${unknown.join(', ')}. They are not offered.`);
      const next: StoredCatalogueV1 = {
        version: 1,
        origin,
        attemptedAt,
        fetchedAt: clock.now(),
        prices: parsed.prices,
        listed: parsed.listed,
      };
      await this.deps.storage.update(CATALOGUE_STORAGE_KEY, next);
      this.deps.log?.(`Price catalogue read from ${origin}: ${Object.keys(parsed.prices).length} Seedance price(s).`);
      const changed = JSON.stringify(previous?.prices ?? {}) !== JSON.stringify(parsed.prices) ||
        JSON.stringify(previous?.listed) !== JSON.stringify(parsed.listed);
      if (changed || previous?.fetchedAt === undefined) this.changed.fire();
    } catch (error) {
      this.deps.log?.(`Price catalogue could not be read (the shipped table is used): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
