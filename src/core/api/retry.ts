// Retrying idempotent requests (GET only: create is never retried, CONTRACT "Decisions"). The policy is
// CometAPI's own sample (CONTRACT 7): min(30 s, 1 s * 2^n) + up to 1 s of jitter, 5 attempts, and a
// Retry-After / retry-after-ms header wins when the server sends one. Sleep and randomness are injectable
// so tests can check the delays without waiting for them.

import { ApiError } from './errors';

export interface RetryPolicy {
  /** Total attempts including the first. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Up to this much random delay is added to each backoff (spreads clients that failed together). */
  readonly jitterMs: number;
  /** A Retry-After longer than this is not waited for here: the error goes to the caller with retryAfterMs. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  jitterMs: 1_000,
  maxRetryAfterMs: 60_000,
};

/** Waits ms, or rejects as soon as the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export function abortedError(): ApiError {
  return new ApiError('aborted', 'Cancelled.');
}

/** Backoff before retry number `retry` (0 = the first retry). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return exp + Math.floor(random() * policy.jitterMs);
}

type HeaderBag = Record<string, string | string[] | undefined>;

/**
 * The server's requested wait, from retry-after-ms (milliseconds, OpenAI's header) or Retry-After
 * (delta-seconds or an HTTP date, RFC 9110 10.2.3). Undefined when absent or unparseable.
 */
export function parseRetryAfter(headers: HeaderBag, nowMs: number = Date.now()): number | undefined {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.round(Number(ms));
  const value = first(headers['retry-after']);
  if (value === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export interface RetryRun {
  readonly policy: RetryPolicy;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly signal?: AbortSignal;
  /** Called before each wait, for the log. */
  readonly onRetry?: (error: ApiError, retry: number, delayMs: number) => void;
}

/**
 * Runs op until it succeeds, fails with a non-retryable error, or attempts run out. Only ApiErrors whose
 * `retryable` is true are retried (429, 5xx other than the do-not-retry codes, network, timeout).
 */
export async function withRetry<T>(op: (attempt: number) => Promise<T>, run: RetryRun): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op(attempt);
    } catch (error) {
      if (!(error instanceof ApiError) || !error.retryable || attempt >= run.policy.attempts) throw error;
      if (run.signal?.aborted) throw abortedError();
      let delay = backoffDelay(attempt - 1, run.policy, run.random);
      if (error.retryAfterMs !== undefined) {
        // The server said how long; waiting longer than our cap is the caller's decision (the poller's
        // loop waits using error.retryAfterMs), so give up here rather than block a request for minutes.
        if (error.retryAfterMs > run.policy.maxRetryAfterMs) throw error;
        delay = error.retryAfterMs;
      }
      run.onRetry?.(error, attempt, delay);
      await run.sleep(delay, run.signal);
    }
  }
}
