// Where a per-second price can come from, as plain data: the live catalogue (GET /api/models, cached), the
// table shipped with the extension, and the seedance.pricing user setting. Browser-safe (no Node, no VS
// Code): the Generate panel's webview estimates with the same data and the same function as the extension.

/** USD per second of video, for one model. */
export type PerSecond = number;

/**
 * A model's price as the table or the live catalogue knows it: one figure for every resolution, or one per
 * resolution class ({"480p": 0.103, "720p": 0.231}). A class not named has no price: never another class's.
 */
export type ModelPrice = PerSecond | { readonly [resolution: string]: PerSecond };

/**
 * The seedance.pricing setting for one model: a flat USD-per-second price, or one per resolution class
 * (with an optional "default" for the classes not named), for accounts whose rates depend on resolution.
 */
export type SettingPrice = PerSecond | { readonly [resolution: string]: PerSecond };

export interface PriceSources {
  /** seedance.pricing, already cleaned (see parsePricingSetting). Wins over everything else. */
  readonly setting?: { readonly [model: string]: SettingPrice };
  /** The live catalogue for the current API origin, when one has been read. */
  readonly catalogue?: { readonly [model: string]: ModelPrice };
  /** The shipped fallback table. */
  readonly table: { readonly [model: string]: ModelPrice };
}

export interface TableRow {
  readonly model: string;
  /** The resolution classes the figure is for (a price is never carried over to a class not listed). */
  readonly resolutions: readonly string[];
  readonly perSecond: PerSecond;
  /** Where the figure was published, for the README and the spending view. */
  readonly source: string;
  /** When it was read there. */
  readonly date: string;
}

/**
 * The fallback table. Only prices someone published go here: a model (or resolution) missing from it is
 * "price unknown", never $0. CometAPI's model page lists doubao-seedance-2-0 at $0.08 per second (2026, no
 * resolution stated, so it stands for both classes 2.0 is offered in); Seedance 2.5 is priced per
 * resolution (CONTRACT 16, CometAPI's "Seedance 2.5 API Pricing Guide" and GET /api/models, read
 * 2026-08-27). No CometAPI price was found for 2.0 Fast or 2.0 Mini.
 */
export const PRICE_TABLE: readonly TableRow[] = [
  { model: 'doubao-seedance-2-0', resolutions: ['480p', '720p'], perSecond: 0.08, source: 'CometAPI model page (doubao-seedance-2-0), resolution not stated', date: '2026' },
  { model: 'seedance-2-5', resolutions: ['480p'], perSecond: 0.103, source: 'CometAPI, Seedance 2.5 API Pricing Guide and GET /api/models', date: '2026-08-27' },
  { model: 'seedance-2-5', resolutions: ['720p'], perSecond: 0.231, source: 'CometAPI, Seedance 2.5 API Pricing Guide and GET /api/models', date: '2026-08-27' },
];

/** The table by model, each with a price per resolution class it covers. */
export const TABLE_PRICES: { readonly [model: string]: ModelPrice } = (() => {
  const out: { [model: string]: { [resolution: string]: PerSecond } } = {};
  for (const row of PRICE_TABLE) for (const r of row.resolutions) (out[row.model] ??= {})[r] = row.perSecond;
  return out;
})();

/**
 * The price of one resolution class from the table or the catalogue: a plain number is the model's price at
 * every resolution; an object gives only the classes it names (a key such as "720P" is read as "720p").
 */
export function priceAt(price: ModelPrice | undefined, resolution: string): PerSecond | undefined {
  if (price === undefined) return undefined;
  if (typeof price === 'number') return isPrice(price) ? price : undefined;
  if (typeof price !== 'object' || price === null) return undefined;
  const wanted = resolution.toLowerCase();
  for (const [key, value] of Object.entries(price)) if (key.trim().toLowerCase() === wanted && isPrice(value)) return value;
  return undefined;
}

/**
 * A per_second value from the live catalogue: a number (or numeric string) for every resolution, or an object
 * keyed by resolution class. Anything else (and an object with no usable price) is undefined: unknown, never $0.
 */
export function parseModelPrice(raw: unknown): ModelPrice | undefined {
  const number = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v);
  const flat = number(raw);
  if (isPrice(flat)) return flat;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const byResolution: { [resolution: string]: PerSecond } = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const v = number(value);
    if (/^\s*(\d{3,4}p|[248]k)\s*$/i.test(key) && isPrice(v)) byResolution[key.trim().toLowerCase().replace(/k$/, 'K')] = v;
  }
  return Object.keys(byResolution).length > 0 ? byResolution : undefined;
}

/** A usable price: finite and above zero (a zero or negative figure is treated as unknown, never as free). */
export function isPrice(value: unknown): value is PerSecond {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value < 1_000;
}

/**
 * Cleans the seedance.pricing setting: keeps what is a usable price, and says what was ignored so the
 * person can fix it. Never throws.
 */
export function parsePricingSetting(raw: unknown): { prices: { [model: string]: SettingPrice }; problems: string[] } {
  const prices: { [model: string]: SettingPrice } = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { prices, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('seedance.pricing must be an object such as {"doubao-seedance-2-0": 0.08}.');
    return { prices, problems };
  }
  for (const [model, value] of Object.entries(raw as Record<string, unknown>)) {
    if (isPrice(value)) {
      prices[model] = value;
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const byResolution: { [resolution: string]: PerSecond } = {};
      for (const [resolution, price] of Object.entries(value as Record<string, unknown>)) {
        if (isPrice(price)) byResolution[resolution] = price;
        else problems.push(`seedance.pricing: "${model}" / "${resolution}" is not a price above zero (USD per second); it is ignored.`);
      }
      if (Object.keys(byResolution).length > 0) prices[model] = byResolution;
    } else {
      problems.push(`seedance.pricing: "${model}" is not a price above zero (USD per second); it is ignored.`);
    }
  }
  return { prices, problems };
}

/** The setting's price for one resolution: the class named, else "default", else nothing. */
export function settingPriceFor(price: SettingPrice | undefined, resolution: string): PerSecond | undefined {
  if (price === undefined) return undefined;
  if (typeof price === 'number') return isPrice(price) ? price : undefined;
  const exact = price[resolution];
  if (isPrice(exact)) return exact;
  const fallback = price.default;
  return isPrice(fallback) ? fallback : undefined;
}
