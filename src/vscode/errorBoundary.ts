// The one place errors become words and actions. Every command and every background hook runs through
// here: the error is logged (redacted) to the "Seedance" output channel and shown with the action that
// fixes it: "Set API Key" for a rejected key, "Retry" for a passing network or service problem, "Open
// Settings" for a configuration mistake. Errors from programmatic calls are logged and handed back to the
// caller instead of being shown.
import * as vscode from 'vscode';
import { isApiError } from '../core/api/errors';
import { PathGuardError } from '../core/files/pathGuard';
import { GenerationInputError } from '../core/generationArgs';
import type { Logger } from './log';
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

export interface CommandOptions<A extends unknown[]> {
  /** When true for these arguments the error is logged and rethrown to the caller, not shown. */
  readonly rethrowWhen?: (...args: A) => boolean;
}

/**
 * The client reports a failure of our own key getter as "configuration: could not be read" with the real
 * reason (no key, key not sent to a new origin) as its cause; that cause is what the person needs.
 */
function unwrap(error: unknown): unknown {
  return isApiError(error) && error.kind === 'configuration' && isApiError(error.cause) ? error.cause : error;
}

/** Cancellation (the person pressed Escape, or the work was stopped) is not an error to show. */
export function isCancellation(error: unknown): boolean {
  return error instanceof vscode.CancellationError || (isApiError(error) && error.kind === 'aborted');
}

export class ErrorBoundary {
  constructor(
    private readonly log: Logger,
    private readonly fixes: ErrorFixes,
  ) {}

  /** Wraps a command handler: failures are logged and shown (or rethrown, see CommandOptions). */
  command<A extends unknown[]>(id: string, handler: (...args: A) => unknown, options: CommandOptions<A> = {}): (...args: A) => Promise<unknown> {
    return async (...args: A) => {
      try {
        return await handler(...args);
      } catch (error) {
        if (isCancellation(error)) {
          this.log.info(`${id}: cancelled`);
          if (options.rethrowWhen?.(...args)) throw error;
          return undefined;
        }
        this.log.error(`${id} failed`, error);
        if (options.rethrowWhen?.(...args)) throw error;
        this.show(error, { retry: () => vscode.commands.executeCommand(id, ...args) });
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
    const fixable = isApiError(unwrap(error)) && (['auth', 'configuration'].includes((unwrap(error) as { kind: string }).kind) || requestShapeFix(unwrap(error)) !== undefined);
    if (fixable) void this.show(error);
    return presentation.message;
  }

  /** Words and actions for an error (exposed for tests and for the panel's replies). */
  present(error: unknown, options: ShowOptions = {}): ErrorPresentation {
    error = unwrap(error);
    const t = vscode.l10n.t;
    const setKey: ErrorAction = { title: t('Set API Key'), run: () => this.fixes.setApiKey() };
    const showLog: ErrorAction = { title: t('Show Log'), run: () => this.fixes.showLog() };
    const retry: ErrorAction[] = options.retry ? [{ title: t('Retry'), run: options.retry }] : [];
    const extra = options.actions ?? [];
    const openSettings = (query: string): ErrorAction => ({ title: t('Open Settings'), run: () => this.fixes.openSettings(query) });

    if (error instanceof GenerationInputError) {
      return { message: error.message, actions: extra, severity: 'warning' };
    }
    if (error instanceof PathGuardError) {
      return { message: error.message, actions: [...extra, openSettings('seedance.outputFolder')], severity: 'warning' };
    }
    if (!isApiError(error)) {
      const message = error instanceof Error ? error.message : String(error);
      return { message: t('Seedance: {0}', message), actions: [...extra, showLog], severity: 'error' };
    }
    const shapeFix = requestShapeFix(error);
    if (shapeFix) return { message: shapeFix.message, actions: [shapeFix.action, ...extra, showLog], severity: 'error' };
    switch (error.kind) {
      case 'auth':
        return { message: t('CometAPI did not accept the API key: {0}', error.message), actions: [setKey, ...extra], severity: 'error' };
      case 'configuration':
        return { message: error.message, actions: [...extra, openSettings('seedance.apiBaseUrl')], severity: 'error' };
      case 'invalidRequest':
        return { message: t('CometAPI refused the request: {0}', error.message), actions: [...extra, showLog], severity: 'error' };
      case 'notFound':
        return { message: error.message, actions: [...extra], severity: 'warning' };
      case 'rateLimited':
        return { message: t('CometAPI is busy right now (too many requests). Wait a moment, then retry. ({0})', error.message), actions: [...retry, ...extra], severity: 'warning' };
      case 'server':
        return { message: t('CometAPI had a problem on its side: {0} Retry in a moment.', error.message), actions: [...retry, ...extra, showLog], severity: 'warning' };
      case 'network':
        return { message: t('Could not reach CometAPI: {0} Check your connection and the http.proxy setting.', error.message), actions: [...retry, ...extra, openSettings('http.proxy')], severity: 'warning' };
      case 'timeout':
        return { message: t('CometAPI did not answer in time: {0}', error.message), actions: [...retry, ...extra], severity: 'warning' };
      case 'expired':
        return { message: error.message, actions: [...extra], severity: 'warning' };
      case 'invalidResponse':
        return { message: t('The server at seedance.apiBaseUrl did not answer like CometAPI: {0}', error.message), actions: [...extra, openSettings('seedance.apiBaseUrl'), showLog], severity: 'error' };
      case 'aborted':
        return { message: t('Cancelled.'), actions: [], severity: 'warning' };
      case 'file':
        return { message: t('Could not save the video: {0}', error.message), actions: [...extra, showLog], severity: 'error' };
      default:
        return { message: t('Seedance: {0}', error.message), actions: [...extra, showLog], severity: 'error' };
    }
  }
}
