// The one place that decides what the Generate panel's page may do: its HTML, its Content Security Policy
// and its resource roots. Nothing else writes webview.html or webview.options.
//
// CSP choices:
//  - default-src 'none': everything not named below is refused (no fetch/XHR, no frames, no objects).
//  - script-src only by a fresh nonce: the bundle loads, an injected <script> does not.
//  - style-src only from the extension: panel.css and codicon.css. No 'unsafe-inline' is needed: the Lit
//    components style themselves through constructable stylesheets (adoptedStyleSheets, which CSP does not
//    govern) and set dynamic styles through the CSSOM (element.style), never through style attributes.
//  - img-src/media-src/font-src only webview.cspSource: thumbnails and videos are files served through
//    asWebviewUri, so no data: or blob: URLs are allowed.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { webviewL10nAttribute } from '../l10n';
import { filesAreLocal } from '../hostKind';

/** A nonce for one rendering of the page. */
function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface PanelResourceRoots {
  readonly extensionUri: vscode.Uri;
  /** Where reference-image copies live (thumbnails). */
  readonly referenceImages: vscode.Uri;
  /** Folders videos are played from: the output folder, plus the folder of any video shown from elsewhere. */
  readonly videoFolders: readonly vscode.Uri[];
}

export function panelWebviewOptions(roots: PanelResourceRoots): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [
      vscode.Uri.joinPath(roots.extensionUri, 'dist'),
      vscode.Uri.joinPath(roots.extensionUri, 'media'),
      roots.referenceImages,
      ...roots.videoFolders,
    ],
  };
}

export function renderPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = makeNonce();
  const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  const source = webview.cspSource;
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${source}`,
    `img-src ${source}`,
    `media-src ${source}`,
    `font-src ${source}`,
  ].join('; ');
  // The codicon stylesheet's id is what @vscode-elements' icons look for to load the same font.
  return `<!DOCTYPE html>
<html lang="${attribute(vscode.env.language)}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link id="vscode-codicon-stylesheet" rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
  <link rel="stylesheet" href="${asset('media', 'panel.css')}">
  <title>${attribute(vscode.l10n.t('Generate Video'))}</title>
</head>
<body>
  <main id="app" data-panel="seedance-generate" data-files="${filesAreLocal() ? 'local' : 'remote'}"${webviewL10nAttribute()}><p>${attribute(vscode.l10n.t('Loading…'))}</p></main>
  <script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
}

/** Escapes text for an HTML attribute value or element content. */
function attribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
