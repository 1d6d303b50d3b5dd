// Where a per-second price can come from, as plain data: the live catalogue (GET /api/models, cached), the
// table shipped with the extension, and the seedance.pricing user setting. Browser-safe (no Node, no VS
// Code): the Generate panel's webview estimates with the same data and the same function as the extension.

/** USD per second of video, for one model. */
export type PerSecond = number;

/**
 * The seedance.pricing setting for one model: a flat USD-per-second price, or one per resolution class
 * (with an optional "default" for the classes not named), for accounts whose rates depend on resolution.
 */
export type SettingPrice = PerSecond | { readonly [resolution: string]: PerSecond };

export interface PriceSources {
  /** seedance.pricing, already cleaned (see parsePricingSetting). Wins over everything else. */
  readonly setting?: { readonly [model: string]: SettingPrice };
  /** The live catalogue for the current API origin, when one has been read. */
  readonly catalogue?: { readonly [model: string]: PerSecond };
  /** The shipped fallback table. */
  readonly table: { readonly [model: string]: PerSecond };
}

export interface TableRow {
  readonly model: string;
  readonly perSecond: PerSecond;
  /** Where the figure was published, for the README and the spending view. */
  readonly source: string;
  /** When it was read there. */
  readonly date: string;
}

/**
 * The fallback table. Only prices someone published go here: a model missing from it is "price unknown",
 * never $0. CometAPI's model page lists doubao-seedance-2-0 at $0.08 per second (2026, no resolution
 * stated); no CometAPI price was found for 2.0 Fast, 1.5 Pro or 1.0 Pro.
 */
export const PRICE_TABLE: readonly TableRow[] = [
  { model: 'doubao-seedance-2-0', perSecond: 0.08, source: 'CometAPI model page (doubao-seedance-2-0)', date: '2026' },
];

export const TABLE_PRICES: { readonly [model: string]: PerSecond } = Object.fromEntries(PRICE_TABLE.map((r) => [r.model, r.perSecond]));

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
