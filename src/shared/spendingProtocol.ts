// The messages between the spending view's webview and the extension. Like protocol.ts for the Generate
// panel: one file both sides compile against (bundled into both; free of Node and VS Code), and every
// message from the webview is parsed into a fresh object of known shape before anything acts on it.
import type { SpendingSummary } from '../core/pricing/summary';

export const SPENDING_VIEW_TYPE = 'seedance.spendingView';

/** Where a price shown in the view came from, per model (for the "prices used" note). */
export interface PriceNote {
  readonly model: string;
  readonly label: string;
  /** USD per second, absent when unknown. */
  readonly perSecond?: number;
  readonly source: 'catalogue' | 'table' | 'setting' | 'unknown';
  /**
   * The price at each resolution the model offers, lowest first (issue 19: prices depend on resolution, and
   * one figure per model hid that). `perSecond`/`source` above are its highest resolution's.
   */
  readonly resolutions?: readonly ResolutionPrice[];
}

/** One model's price at one resolution class. */
export interface ResolutionPrice {
  readonly resolution: string;
  /** USD per second, absent when unknown (never borrowed from another resolution). */
  readonly perSecond?: number;
  readonly source: 'catalogue' | 'table' | 'setting' | 'unknown';
}

export interface SpendingData {
  readonly summary: SpendingSummary;
  /** Model id -> human label, for the tables. */
  readonly modelLabels: { readonly [id: string]: string };
  readonly prices: readonly PriceNote[];
  /** When the live catalogue was read (epoch ms), if it was. */
  readonly catalogueReadAt?: number;
  /** The settings the view can open, e.g. to set a limit. */
  readonly confirmAbove: number;
}

export type SpendingSettingKey = 'budget.monthlyLimit' | 'pricing';
const SETTING_KEYS: readonly SpendingSettingKey[] = ['budget.monthlyLimit', 'pricing'];

export type SpendingWebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'exportCsv' }
  | { readonly type: 'openSetting'; readonly key: SpendingSettingKey };

export type SpendingExtensionMessage =
  | { readonly type: 'data'; readonly data: SpendingData }
  /** The outcome of an export, for the status line under the button. */
  | { readonly type: 'exported'; readonly ok: boolean; readonly message: string };

/** Parses one message from the webview; undefined for anything not exactly one of the known shapes. */
export function parseSpendingMessage(raw: unknown): SpendingWebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const proto = Object.getPrototypeOf(raw);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Object.keys(raw);
  const type = Object.getOwnPropertyDescriptor(raw, 'type')?.value;
  if ((type === 'ready' || type === 'exportCsv') && keys.length === 1) return { type };
  if (type === 'openSetting' && keys.length === 2) {
    const key = Object.getOwnPropertyDescriptor(raw, 'key')?.value;
    if (typeof key === 'string' && (SETTING_KEYS as readonly string[]).includes(key)) return { type, key: key as SpendingSettingKey };
  }
  return undefined;
}
