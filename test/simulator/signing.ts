// Presigned download URLs shaped like Volcengine TOS's (CONTRACT 5.1): the same query parameters, an
// HMAC-SHA256 signature a client cannot forge, and an expiry of X-Tos-Date + X-Tos-Expires. The secret is
// per simulator instance, so URLs from one run never work against another.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SIGNATURE = 'X-Tos-Signature';

export type Verdict = 'ok' | 'missing' | 'bad-signature' | 'expired';

/** 20250805T023939Z */
export function tosDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace('.000', '');
}

export function parseTosDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, se);
}

export class UrlSigner {
  private readonly secret = randomBytes(32);

  /** Returns "<path>?X-Tos-...": a URL relative to the storage host. */
  sign(path: string, nowMs: number, expiresSeconds: number): string {
    const date = tosDate(nowMs);
    const params: [string, string][] = [
      ['X-Tos-Algorithm', 'TOS4-HMAC-SHA256'],
      ['X-Tos-Credential', `AKLTc2ltdWxhdG9y/${date.slice(0, 8)}/cn-beijing/tos/request`],
      ['X-Tos-Date', date],
      ['X-Tos-Expires', String(expiresSeconds)],
      ['X-Tos-SignedHeaders', 'host'],
    ];
    const signature = this.mac(path, params);
    const query = [...params.slice(0, 4), [SIGNATURE, signature], params[4]]
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
    return `${path}?${query}`;
  }

  /** Checks a request's path and query: signature first (a tampered expiry must not pass), then expiry. */
  verify(path: string, query: URLSearchParams, nowMs: number): Verdict {
    const given = query.get(SIGNATURE);
    const date = query.get('X-Tos-Date');
    const expires = query.get('X-Tos-Expires');
    if (!given || !date || !expires || !query.get('X-Tos-Credential')) return 'missing';
    const params = [...query.entries()].filter(([k]) => k !== SIGNATURE);
    const want = Buffer.from(this.mac(path, params), 'utf8');
    const got = Buffer.from(given, 'utf8');
    if (want.length !== got.length || !timingSafeEqual(want, got)) return 'bad-signature';
    const signedAt = parseTosDate(date);
    const seconds = Number(expires);
    if (signedAt === undefined || !Number.isInteger(seconds)) return 'bad-signature';
    return nowMs > signedAt + seconds * 1000 ? 'expired' : 'ok';
  }

  // Canonical form: method, path, then the other parameters sorted, as the real scheme does (host is
  // listed as signed but left out: the simulator has one host, and clients may say localhost or 127.0.0.1).
  private mac(path: string, params: [string, string][]): string {
    const canonical = [...params]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    return createHmac('sha256', this.secret).update(`GET\n${path}\n${canonical}`).digest('hex');
  }
}
