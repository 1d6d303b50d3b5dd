// The command table becomes what VS Code calls: each handler wrapped once in the error boundary (cancellation
// quiet, failure shown with its fix, see ../errorBoundary.ts). VS Code itself sees them through the entry
// points activation registered for every contributed command id (../deferred.ts), which load the features
// bundle on first use and hand the call here.
import type { ErrorBoundary } from '../errorBoundary';
import type { CommandTable, SeedanceCommandId } from './commandTypes';

/** What the deferred entry points dispatch to: command id -> wrapped handler. */
export type CommandHandlers = Readonly<Record<string, (...args: unknown[]) => Promise<unknown>>>;

export function wrapCommands(boundary: ErrorBoundary, table: CommandTable): CommandHandlers {
  const wrapped: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const id of Object.keys(table) as SeedanceCommandId[]) {
    // The arguments are whatever VS Code was given; the handlers check them (./commandArgs.ts).
    const spec = table[id] as { run: (...args: unknown[]) => unknown; rethrowWhen?: (...args: unknown[]) => boolean };
    wrapped[id] = boundary.command(id, spec.run, spec.rethrowWhen);
  }
  return wrapped;
}
