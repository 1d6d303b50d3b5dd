// The one place errors become words and actions (the words themselves: errorWords.ts; cancellation or
// failure: commands/commandOutcome.ts; both pure functions tested under mocha). Every command and every
// background hook runs through here: the error is logged (redacted) to the "Seedance" output channel and shown
// with the action that fixes it: "Set API Key" for a rejected key, "Retry" for a passing network or service
// problem, "Open Settings" for a configuration mistake. Errors from programmatic calls are logged and handed
// back to the caller instead of being shown.
import * as vscode from 'vscode';
import { isApiError } from '../core/api/errors';
import { handlingOf, isCancellation as isCancellationOf } from './commands/commandOutcome';
import { executeSeedanceCommand } from './commands/execute';
import { errorWords, unwrapError } from './errorWords';
import type { Logger } from './log';
import { modelFix } from './modelFix';
import { requestShapeFix } from './requestShape';

export interface ErrorAction {
  readonly title: string;
  run(): unknown;
}

export interface ErrorPresentation {
  readonly message: string;
  readonly actions: readonly ErrorAction[];
  /** Warnings for things the person can fix or wait out; errors for the rest. */
  readonly severity: 'error' | 'warning';
}

/** What the boundary can offer as fixes (commands of the extension and of VS Code). */
export interface ErrorFixes {
  setApiKey(): unknown;
  openSettings(query: string): unknown;
  showLog(): void;
}

export interface ShowOptions {
  /** Offered as "Retry" for errors that may pass (network, timeout, rate limit, server). */
  readonly retry?: () => unknown;
  /** Extra actions (e.g. "Regenerate"). */
  readonly actions?: readonly ErrorAction[];
}

const isHostCancellation = (error: unknown): boolean => error instanceof vscode.CancellationError;

/** Cancellation (the person pressed Escape, or the work was stopped) is not an error to show. */
export function isCancellation(error: unknown): boolean {
  return isCancellationOf(error, isHostCancellation);
}

export class ErrorBoundary {
  constructor(
    private readonly log: Logger,
    private readonly fixes: ErrorFixes,
  ) {}

  /**
   * Wraps a command handler (every command goes through here, see commands/register.ts): a cancellation is
   * one log line and nothing shown; a failure is logged and shown with its fix and "Retry". When
   * `programmaticCaller` is true for the arguments, either is logged and rethrown to the caller instead.
   */
  command<A extends unknown[]>(
    id: string,
    handler: (...args: A) => unknown,
    programmaticCaller?: (...args: A) => boolean,
  ): (...args: A) => Promise<unknown> {
    return async (...args: A) => {
      try {
        return await handler(...args);
      } catch (error) {
        const { cancelled, action } = handlingOf(error, programmaticCaller?.(...args) ?? false, isHostCancellation);
        if (cancelled) this.log.info(`${id}: cancelled`);
        else this.log.error(`${id} failed`, error);
        if (action === 'rethrow') throw error;
        if (action === 'show') void this.show(error, { retry: () => vscode.commands.executeCommand(id, ...args) });
        return undefined;
      }
    };
  }

  /** Wraps a background callback (listener, hook): failures are logged and shown, never thrown. */
  guard<A extends unknown[]>(what: string, fn: (...args: A) => unknown): (...args: A) => void {
    return (...args: A) => {
      const report = (error: unknown) => {
        if (isCancellation(error)) return;
        this.log.error(`${what} failed`, error);
        this.show(error);
      };
      try {
        const result = fn(...args);
        if (result instanceof Promise) result.catch(report);
      } catch (error) {
        report(error);
      }
    };
  }

  /** Shows an error with the action that fixes it. Never throws; the returned promise settles after a click. */
  show(error: unknown, options: ShowOptions = {}): Promise<void> {
    if (isCancellation(error)) return Promise.resolve();
    const presentation = this.present(error, options);
    const titles = presentation.actions.map((a) => a.title);
    const shown = presentation.severity === 'warning'
      ? vscode.window.showWarningMessage(presentation.message, ...titles)
      : vscode.window.showErrorMessage(presentation.message, ...titles);
    return Promise.resolve(shown).then(
      (picked) => {
        const action = presentation.actions.find((a) => a.title === picked);
        if (action) return Promise.resolve(action.run()).then(() => undefined, (e: unknown) => this.log.error(`${action.title} failed`, e));
        return undefined;
      },
      () => undefined,
    );
  }

  /**
   * For the panel's replies: the words for an error, and a notification as well when there is an action
   * that fixes it (a key to set, a setting to correct).
   */
  describe(error: unknown): string {
    const presentation = this.present(error);
    this.log.error('Generate panel request failed', error);
    const inner = unwrapError(error);
    const fixable = (isApiError(inner) && (['auth', 'configuration'].includes(inner.kind) || requestShapeFix(inner) !== undefined)) || (modelFix(inner)?.actions.length ?? 0) > 0;
    if (fixable) void this.show(error);
    return presentation.message;
  }

  /** Words and actions for an error (exposed for tests and for the panel's replies); the words are errorWords.ts's. */
  present(error: unknown, options: ShowOptions = {}): ErrorPresentation {
    const shapeFix = requestShapeFix(unwrapError(error));
    if (shapeFix) return { message: shapeFix.message, actions: [shapeFix.action, ...(options.actions ?? []), { title: vscode.l10n.t('Show Log'), run: () => this.fixes.showLog() }], severity: 'error' };
    // A model CometAPI does not serve: the fix is another model, never a retry (the same request fails again).
    const model = modelFix(unwrapError(error));
    if (model) return { message: model.message, actions: [...model.actions, ...(options.actions ?? [])], severity: 'error' };
    const words = errorWords(error, vscode.l10n);
    const actions: ErrorAction[] = [];
    for (const fix of words.fixes) {
      switch (fix.kind) {
        case 'setApiKey':
          actions.push({ title: vscode.l10n.t('Set API Key'), run: () => this.fixes.setApiKey() });
          break;
        case 'openSettings':
          actions.push({ title: vscode.l10n.t('Open Settings'), run: () => this.fixes.openSettings(fix.query) });
          break;
        case 'showLog':
          actions.push({ title: vscode.l10n.t('Show Log'), run: () => this.fixes.showLog() });
          break;
        case 'showSpending':
          actions.push({ title: vscode.l10n.t('Show Spending'), run: () => executeSeedanceCommand('seedance.showSpending') });
          break;
        case 'retry':
          if (options.retry) actions.push({ title: vscode.l10n.t('Retry'), run: options.retry });
          break;
        case 'extra':
          actions.push(...(options.actions ?? []));
          break;
      }
    }
    return { message: words.message, actions, severity: words.severity };
  }
}
