// Registers a table of commands, each wrapped by the error boundary, owned by the given store.
import * as vscode from 'vscode';
import type { DisposableStore } from '../disposables';
import type { CommandOptions, ErrorBoundary } from '../errorBoundary';

export interface CommandSpec {
  // Arguments come from menus, keybindings, other extensions and tests: each handler checks its own.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly run: (...args: any[]) => unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly options?: CommandOptions<any[]>;
}

export function registerCommands(owner: DisposableStore, boundary: ErrorBoundary, table: Readonly<Record<string, CommandSpec>>): void {
  for (const [id, spec] of Object.entries(table)) {
    owner.add(vscode.commands.registerCommand(id, boundary.command(id, spec.run, spec.options)));
  }
}
