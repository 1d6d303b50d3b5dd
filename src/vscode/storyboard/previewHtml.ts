// The storyboard preview's HTML, Content Security Policy and resource roots: the Generate panel's policy
// (src/vscode/panel/panelHtml.ts) plus one thing, `media-src blob:`, on this page only. The last-frame
// capture plays a take from a blob: URL made of its bytes (the extension posts them), because a video
// served through asWebviewUri has no Range support and may not seek to its end; a blob: URL always does.
// No connect-src: the page fetches nothing.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function previewWebviewOptions(extensionUri: vscode.Uri, videoFolders: readonly vscode.Uri[]): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), ...videoFolders],
  };
}

export function renderPreviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  const source = webview.cspSource;
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${source}`,
    `img-src ${source}`,
    `media-src ${source} blob:`,
    `font-src ${source}`,
  ].join('; ');
  const escaped = title.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
  <link rel="stylesheet" href="${asset('media', 'storyboard.css')}">
  <title>${escaped}</title>
</head>
<body>
  <main id="app" data-panel="seedance-storyboard"><p>Loading…</p></main>
  <script nonce="${nonce}" src="${asset('dist', 'storyboard.js')}"></script>
</body>
</html>`;
}
