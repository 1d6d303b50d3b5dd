// Gives the page's @vscode/l10n the extension's string bundle for VS Code's current language, which the
// extension embeds in the page (data-l10n on #app, see src/vscode/panel/panelHtml.ts). Imported first by
// main.ts, so it runs before any module builds text. Embedding rather than fetching keeps the CSP strict
// (no connect-src) and the first paint already in the right language. No attribute (English) or a broken one
// leaves the English strings the code is written in.
import * as l10n from '@vscode/l10n';

const embedded = document.getElementById('app')?.dataset.l10n;
if (embedded) {
  try {
    l10n.config({ contents: JSON.parse(embedded) as Record<string, string> });
  } catch {
    // English, which every l10n.t call falls back to.
  }
}
