// Our own calls of our own commands (notification buttons, the preview, the film's "Re-generate Them"):
// the arguments and the result are checked against the command table's types (./commandTypes.ts). The call
// still goes through VS Code, so it takes the same path as a click: the deferred entry point, the boundary.
import * as vscode from 'vscode';
import type { SeedanceCommandId, SeedanceCommands } from './commandTypes';

export function executeSeedanceCommand<Id extends SeedanceCommandId>(
  id: Id,
  ...args: Parameters<SeedanceCommands[Id]>
): Thenable<Awaited<ReturnType<SeedanceCommands[Id]>> | undefined> {
  return vscode.commands.executeCommand(id, ...args);
}
