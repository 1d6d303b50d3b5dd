// The storyboard preview's HTML, Content Security Policy and resource roots: the Generate panel's policy
// (src/vscode/panel/panelHtml.ts) plus two things, on this page only. The last-frame capture reads a take
// from its own webview URL; where that URL cannot seek to its end (no Range support), it fetches the same
// URL into a blob: URL, which always can: `media-src blob:` and `connect-src` of the webview's own
// resources (the folders the options below allow, nothing on the network).
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
    connectToResources: true,
  });
}
