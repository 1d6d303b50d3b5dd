// A token bucket per API key (CONTRACT 7 and 12: Ark's RPM limits and new-api's "group saturated" 429 can
// surface through CometAPI even though its FAQ claims no per-key limit). Every API route takes one token;
// an empty bucket answers 429. Real time, not scaled: a client's request rate does not shrink with
// timeScale.

import { performance } from 'node:perf_hooks';
import type { KeyRateLimit } from './options';

interface Bucket {
  tokens: number;
  atMs: number;
}

export class KeyBuckets {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes a token for `key`; false when its bucket is empty (answer 429). Always true without a limit. */
  take(key: string, limit: KeyRateLimit | null, nowMs = performance.now()): boolean {
    if (!limit) return true;
    const b = this.buckets.get(key) ?? { tokens: limit.burst, atMs: nowMs };
    b.tokens = Math.min(limit.burst, b.tokens + ((nowMs - b.atMs) / 1000) * limit.perSecond);
    b.atMs = nowMs;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  clear(): void {
    this.buckets.clear();
  }
}
