// How a command's error is handled: the pure half of the error boundary (errorBoundary.ts does the logging
// and the notification), so the split between cancellation and failure is tested under plain mocha.
// Cancellation is the person saying no (Escape on a question, a dismissed money dialog, "Cancel" on a
// progress notification) or work being stopped on purpose: nothing to report, the log gets one line.
// A failure is shown with the action that fixes it, unless a program called and gets the error itself.
import { isApiError } from '../../core/api/errors';

/**
 * True for a cancellation: `isHostCancellation` recognises vscode.CancellationError (what the quick input,
 * the payment gate and modal questions throw when dismissed; passed in so this file needs no VS Code);
 * the API client's 'aborted' error; an AbortError (AbortSignal, fetch, node streams).
 */
export function isCancellation(error: unknown, isHostCancellation: (error: unknown) => boolean): boolean {
  if (isHostCancellation(error)) return true;
  if (isApiError(error)) return error.kind === 'aborted';
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

export interface ErrorHandling {
  readonly cancelled: boolean;
  /** 'quiet': resolve with undefined; 'show': a notification with actions; 'rethrow': the caller gets it. */
  readonly action: 'quiet' | 'show' | 'rethrow';
}

/** What the boundary does with an error a command threw; `programmaticCaller` is the command's rethrowWhen. */
export function handlingOf(error: unknown, programmaticCaller: boolean, isHostCancellation: (error: unknown) => boolean): ErrorHandling {
  const cancelled = isCancellation(error, isHostCancellation);
  // A program learns that its call was cancelled (it may be waiting for a task id); a person already knows.
  if (programmaticCaller) return { cancelled, action: 'rethrow' };
  return { cancelled, action: cancelled ? 'quiet' : 'show' };
}
