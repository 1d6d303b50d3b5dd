// The one place that decides what the spending view's page may do: its HTML and Content Security Policy
// (the same policy as the Generate panel: default-src 'none', scripts only by nonce, styles and fonts
// only from the extension, no inline styles; the chart's bar lengths are set through the CSSOM).
import * as vscode from 'vscode';
import { webviewL10nAttribute } from '../l10n';
import { webviewDocument } from '../webviewDocument';

export function spendingWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function renderSpendingHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewDocument(webview, extensionUri, {
    script: 'spending.js',
    stylesheet: 'spending.css',
    title: vscode.l10n.t('Seedance Spending'),
    panel: 'seedance-spending',
    // The strings bundle for VS Code's language, read by src/webview/l10nSetup.ts (imported first by the page).
    rootAttributes: webviewL10nAttribute(),
  });
}
