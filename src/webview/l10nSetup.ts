// Gives the page's @vscode/l10n the extension's string bundle for VS Code's current language, which the
// extension embeds in the page (a data-l10n attribute from webviewL10nAttribute() in src/vscode/l10n.ts; the
// Generate panel puts it on #app). Imported first by a webview's entry script (main.ts), so it runs before
// any module builds text; any webview of the extension can import it the same way. Embedding rather than fetching keeps the CSP strict
// (no connect-src) and the first paint already in the right language. No attribute (English) or a broken one
// leaves the English strings the code is written in.
import * as l10n from '@vscode/l10n';

const embedded = document.querySelector<HTMLElement>('[data-l10n]')?.dataset.l10n;
if (embedded) {
  try {
    l10n.config({ contents: JSON.parse(embedded) as Record<string, string> });
  } catch {
    // English, which every l10n.t call falls back to.
  }
}
