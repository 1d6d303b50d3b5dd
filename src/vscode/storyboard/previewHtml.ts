// The storyboard preview's HTML, Content Security Policy and resource roots: the Generate panel's policy
// (src/vscode/panel/panelHtml.ts) plus one thing, `media-src blob:`, on this page only. The last-frame
// capture plays a take from a blob: URL made of its bytes (the extension posts them), because a video
// served through asWebviewUri has no Range support and may not seek to its end; a blob: URL always does.
// No connect-src: the page fetches nothing.
import * as vscode from 'vscode';
import { webviewL10nAttribute } from '../l10n';
import { webviewDocument } from '../webviewDocument';

export function previewWebviewOptions(extensionUri: vscode.Uri, videoFolders: readonly vscode.Uri[]): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), ...videoFolders],
  };
}

export function renderPreviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return webviewDocument(webview, extensionUri, {
    script: 'storyboard.js',
    stylesheet: 'storyboard.css',
    title,
    panel: 'seedance-storyboard',
    // The strings bundle for VS Code's language, read by src/webview/l10nSetup.ts (imported first by the page).
    rootAttributes: webviewL10nAttribute(),
    media: { extraSources: ['blob:'] },
  });
}
