// The request log tests assert against ("exactly one create was sent", "no Authorization reached the
// storage host"). Control calls (/__sim/) are not logged, so reading the log does not change it.

import type { IncomingMessage, ServerResponse } from 'node:http';

export interface LoggedRequest {
  /** 1, 2, 3... across both servers, in arrival order. */
  seq: number;
  server: 'api' | 'video';
  method: string;
  /** Path and query; signed-URL signatures and credentials are replaced by "redacted". */
  path: string;
  /** Lowercased names; an Authorization value is kept only when it carries one of the simulator's keys. */
  headers: Record<string, string>;
  /** Final HTTP status; 0 while in flight or when no response was sent (reset, lost response). */
  status: number;
  /** Arrival time, ms since the epoch. */
  at: number;
  /** The fault applied to this request, if any. */
  fault?: string;
}

const MAX_ENTRIES = 10_000;

export class RequestLog {
  /** Live array: a Simulator's `requests` is this very array, cleared in place. */
  readonly entries: LoggedRequest[] = [];
  private seq = 0;

  constructor(private readonly knownKeys: () => readonly string[]) {}

  record(server: 'api' | 'video', req: IncomingMessage, res: ServerResponse): LoggedRequest {
    const entry: LoggedRequest = {
      seq: ++this.seq,
      server,
      method: req.method ?? 'GET',
      path: redactQuery(req.url ?? '/'),
      headers: this.headers(req),
      status: 0,
      at: Date.now(),
    };
    // Status is known only once headers go out; a destroyed socket leaves 0.
    res.once('finish', () => (entry.status = res.statusCode));
    res.once('close', () => {
      if (entry.status === 0 && res.headersSent) entry.status = res.statusCode;
    });
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    return entry;
  }

  clear(): void {
    this.entries.length = 0;
  }

  private headers(req: IncomingMessage): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      out[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    // Someone may point a real key at the simulator by mistake; never echo an unknown secret back.
    if (out.authorization !== undefined) {
      const [scheme, ...rest] = out.authorization.split(/\s+/);
      if (!this.knownKeys().includes(rest.join(' '))) out.authorization = `${scheme} (redacted)`;
    }
    return out;
  }
}

function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((p) => (/^X-Tos-(Signature|Credential)=/i.test(p) ? `${p.slice(0, p.indexOf('='))}=redacted` : p));
  return `${url.slice(0, q)}?${params.join('&')}`;
}
