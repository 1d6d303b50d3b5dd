// Numbers, dates and money in a webview follow VS Code's display language, like its words. The page's
// browser may run in another language (navigator.language is the browser's or the OS's, not VS Code's), so
// the language comes from the document: webviewDocument() (src/vscode/webviewDocument.ts) writes
// vscode.env.language as <html lang>. A tag Intl does not accept falls back to the browser's default.

/** VS Code's display language as an Intl locale ("zh-cn" -> "zh-CN"), or undefined for the browser default. */
export function displayLocale(): string | undefined {
  const lang = document.documentElement.lang;
  if (!lang) return undefined;
  try {
    return Intl.getCanonicalLocales(lang)[0];
  } catch {
    return undefined;
  }
}

/** A whole count (generations, shots), grouped the way the language writes numbers. */
export function formatCount(n: number): string {
  return new Intl.NumberFormat(displayLocale(), { maximumFractionDigits: 0 }).format(n);
}

/**
 * US dollars with two decimals (CometAPI bills in USD). The narrow "$" symbol in every language, as the
 * rest of the extension writes it (the Generate panel, notifications, CodeLens), with the language's
 * grouping and decimal separators.
 */
export function formatMoney(usd: number, maxDecimals = 2): string {
  return new Intl.NumberFormat(displayLocale(), {
    style: 'currency',
    currency: 'USD',
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: 2,
    maximumFractionDigits: Math.max(2, maxDecimals),
  }).format(usd);
}

/** "2026-11" -> "November 2026" / "2026年11月". */
export function formatMonth(key: string): string {
  const [y, m] = key.split('-').map(Number);
  return new Intl.DateTimeFormat(displayLocale(), { year: 'numeric', month: 'long' }).format(new Date(y, m - 1, 1));
}

/** A moment (epoch ms) with date and time, in the language's usual short form. */
export function formatDateTime(epochMs: number): string {
  return new Intl.DateTimeFormat(displayLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(epochMs));
}
