// Composition root: builds the objects, registers them, pushes every disposable. No logic here.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext) {
  void context;
  return {};
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
