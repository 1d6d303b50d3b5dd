// Wraps a table of command handlers in the error boundary. VS Code sees them through the entry points
// activation registered for every contributed command (see ../deferred.ts).
import type { CommandOptions, ErrorBoundary } from '../errorBoundary';

export interface CommandSpec {
  // Arguments come from menus, keybindings, other extensions and tests: each handler checks its own.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly run: (...args: any[]) => unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly options?: CommandOptions<any[]>;
}

export function wrapCommands(boundary: ErrorBoundary, table: Readonly<Record<string, CommandSpec>>): Record<string, (...args: unknown[]) => unknown> {
  const wrapped: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [id, spec] of Object.entries(table)) wrapped[id] = boundary.command(id, spec.run, spec.options);
  return wrapped;
}
