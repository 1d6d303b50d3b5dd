// What the Generate panel's page may do: its resource roots, and its document through webviewDocument.ts
// (the one function that writes every Seedance webview's HTML and CSP). Nothing else writes webview.html
// or webview.options for the panel.
//
// CSP choices:
//  - default-src 'none': everything not named below is refused (no fetch/XHR, no frames, no objects).
//  - script-src only by a fresh nonce: the bundle loads, an injected <script> does not.
//  - style-src only from the extension: panel.css and codicon.css. No 'unsafe-inline' is needed: the Lit
//    components style themselves through constructable stylesheets (adoptedStyleSheets, which CSP does not
//    govern) and set dynamic styles through the CSSOM (element.style), never through style attributes.
//  - img-src/media-src/font-src only webview.cspSource: thumbnails and videos are files served through
//    asWebviewUri, so no data: or blob: URLs are allowed.
import * as vscode from 'vscode';
import { webviewL10nAttribute } from '../l10n';
import { filesAreLocal } from '../hostKind';
import { webviewDocument } from '../webviewDocument';

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
  return webviewDocument(webview, extensionUri, {
    script: 'webview.js',
    stylesheet: 'panel.css',
    title: vscode.l10n.t('Generate Video'),
    panel: 'seedance-generate',
    rootAttributes: ` data-files="${filesAreLocal() ? 'local' : 'remote'}"${webviewL10nAttribute()}`,
    media: {},
  });
}
