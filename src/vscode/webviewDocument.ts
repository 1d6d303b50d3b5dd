// The one function that writes a Seedance webview's document and its Content Security Policy. Every page
// (the Generate panel, Show Spending, the storyboard preview) gets the same policy:
//  - default-src 'none': everything not named below is refused (no fetch/XHR, no frames, no objects).
//  - script-src only by a fresh nonce from crypto.randomBytes: the page's bundle loads, an injected one does not.
//  - style-src, img-src, font-src (and media-src where a page plays video) only webview.cspSource: files of the
//    extension and of the folders the page's webview options allow. No 'unsafe-inline': dynamic styles go
//    through the CSSOM.
// A page may add sources to media-src (the storyboard preview adds blob:, for the last-frame capture).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  /** The page's bundle in dist/ and its stylesheet in media/. */
  readonly script: string;
  readonly stylesheet: string;
  readonly title: string;
  /** `data-panel` of the page's root element (tests and the driver find the page by it). */
  readonly panel: string;
  /** More attributes of the root element, already escaped (` data-files="local"`, the l10n bundle). */
  readonly rootAttributes?: string;
  readonly loadingText?: string;
  /** Whether the page plays media from the extension's roots, and what else media-src allows. */
  readonly media?: { readonly extraSources?: readonly string[] };
  /** Whether the page may fetch its own resources (connect-src webview.cspSource; never the network). */
  readonly connectToResources?: boolean;
}

export function webviewDocument(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  const source = webview.cspSource;
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${source}`,
    `img-src ${source}`,
    ...(page.media ? [[`media-src ${source}`, ...(page.media.extraSources ?? [])].join(' ')] : []),
    `font-src ${source}`,
    ...(page.connectToResources ? [`connect-src ${source}`] : []),
  ].join('; ');
  // The codicon stylesheet's id is what @vscode-elements' icons look for to load the same font.
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link id="vscode-codicon-stylesheet" rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
  <link rel="stylesheet" href="${asset('media', page.stylesheet)}">
  <title>${escapeHtml(page.title)}</title>
</head>
<body>
  <main id="app" data-panel="${escapeHtml(page.panel)}"${page.rootAttributes ?? ''}><p>${escapeHtml(page.loadingText ?? vscode.l10n.t('Loading…'))}</p></main>
  <script nonce="${nonce}" src="${asset('dist', page.script)}"></script>
</body>
</html>`;
}

/** Escapes text for an HTML attribute value or element content. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
