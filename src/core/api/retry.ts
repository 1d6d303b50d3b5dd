// Helpers for waiting: the server's Retry-After, an abortable sleep. Status checks are not retried in the
// client: the poller's loop (core/polling/poller.ts) is the one owner of retries and backoff for them.

import { ApiError } from './errors';

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
