// The one place that decides what the spending view's page may do: its HTML and Content Security Policy
// (the same policy as the Generate panel: default-src 'none', scripts only by nonce, styles and fonts
// only from the extension, no inline styles; the chart's bar lengths are set through the CSSOM).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function spendingWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function renderSpendingHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  const source = webview.cspSource;
  const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${source}`, `img-src ${source}`, `font-src ${source}`].join('; ');
  return `<!DOCTYPE html>
<html lang="${vscode.env.language.startsWith('zh') ? 'zh-CN' : 'en'}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link id="vscode-codicon-stylesheet" rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
  <link rel="stylesheet" href="${asset('media', 'spending.css')}">
  <title>Seedance Spending</title>
</head>
<body>
  <main id="app" data-panel="seedance-spending"><p>Loading…</p></main>
  <script nonce="${nonce}" src="${asset('dist', 'spending.js')}"></script>
</body>
</html>`;
}
