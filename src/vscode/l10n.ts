// Strings outside the extension API's reach: src/core (which never imports 'vscode') and Node-only modules
// format their words with @vscode/l10n. This hands that library the bundle VS Code loaded for its current
// language (l10n/bundle.l10n.<language>.json), so those words follow VS Code's language like every
// vscode.l10n.t string. Called first thing in activate(), before anything formats a message.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

export function configureSharedStrings(): void {
  // English (no bundle) resets to the source strings, so a reactivation in another language is clean too.
  l10n.config({ contents: vscode.l10n.bundle ?? {} });
}

/**
 * For a webview's HTML: ` data-l10n="..."` carrying the bundle VS Code loaded for its current language (nothing
 * in English), to put on the page's root element; src/webview/l10nSetup.ts, imported first by the page's
 * script, hands it to the page's @vscode/l10n. Data in an attribute, not a script, so the page's CSP needs
 * nothing more (no inline script, no connect-src to fetch the bundle).
 */
export function webviewL10nAttribute(): string {
  const bundle = vscode.l10n.bundle;
  if (!bundle) return '';
  const escaped = JSON.stringify(bundle).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return ` data-l10n="${escaped}"`;
}
