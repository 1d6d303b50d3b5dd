// The price catalogue the simulator serves on GET /api/models (CONTRACT 8: each model's
// pricing {currency, input, output, per_request, per_second}), and a way for tests to change it:
//   GET    /__sim/pricing   the per-second prices now (model id -> value served)
//   POST   /__sim/pricing   {"<model id>": 0.1 | null | <anything>}: a number sets per_second, null drops the
//                           model's pricing object, any other JSON value is served as per_second verbatim
//                           (to test a client against malformed prices); merged with what is set
//   DELETE /__sim/pricing   back to the default prices
// Written from the contract only: nothing here comes from src/. Prices are illustrative; nothing is billed.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a model's pricing is: a per-second value (possibly malformed on purpose) or no pricing at all. */
export type SimPrice = { readonly perSecond: unknown } | null;

/**
 * Default per-second prices by model id; an id not listed gets one by its family. CONTRACT 16: 2.5 is priced
 * per resolution (480p 0.103, 720p 0.231), served as an object keyed by resolution class (the shape in which
 * /api/models reports such a price is not documented; a number or such an object are what clients accept).
 */
const DEFAULTS: Readonly<Record<string, number | Record<string, number>>> = {
  'seedance-2-5': { '480p': 0.103, '720p': 0.231 },
  'doubao-seedance-2-0': 0.06,
  'doubao-seedance-2-0-fast': 0.03,
  'doubao-seedance-2-0-mini': 0.02,
  'doubao-seedance-1-5-pro': 0.06,
  'doubao-seedance-1-0-pro': 0.04,
};

export class PriceBook {
  private overrides = new Map<string, SimPrice>();

  /** The pricing object served for a model, or undefined to serve none. */
  pricingFor(modelId: string): { currency: string; input: number; output: number; per_request: number; per_second: unknown } | undefined {
    const override = this.overrides.get(modelId);
    if (override === null) return undefined;
    const perSecond = override ? override.perSecond : (DEFAULTS[modelId] ?? 0.05);
    return { currency: 'USD', input: 0, output: 0, per_request: 0, per_second: perSecond };
  }

  /** Model id -> per_second served (null: no pricing), for the ids given. */
  view(ids: readonly string[] = Object.keys(DEFAULTS)): Record<string, unknown> {
    const all = new Set([...ids, ...this.overrides.keys()]);
    return Object.fromEntries([...all].map((id) => [id, this.pricingFor(id)?.per_second ?? null]));
  }

  set(input: unknown): void {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('pricing: send an object {"<model id>": <per_second> | null}');
    for (const [id, value] of Object.entries(input as Record<string, unknown>)) {
      if (id === '' || id.length > 200) throw new Error('pricing: bad model id');
      this.overrides.set(id, value === null ? null : { perSecond: value });
    }
  }

  reset(): void {
    this.overrides.clear();
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length });
  res.end(bytes);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      try {
        resolve(text === '' ? {} : JSON.parse(text));
      } catch {
        reject(new Error('body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

type ControlHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** Wraps the control handler: /__sim/pricing is answered here, everything else goes on. */
export function withPricingRoutes(book: PriceBook, next: ControlHandler): ControlHandler {
  return async (req, res, url) => {
    if (url.pathname.replace(/\/+$/, '') !== '/__sim/pricing') return next(req, res, url);
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return send(res, 403, { error: 'control endpoints answer loopback clients only' });
    try {
      if (req.method === 'GET') return send(res, 200, book.view());
      if (req.method === 'POST') {
        book.set(await readJson(req));
        return send(res, 200, book.view());
      }
      if (req.method === 'DELETE') {
        book.reset();
        return send(res, 200, book.view());
      }
      return send(res, 404, { error: `no control endpoint ${req.method} /__sim/pricing` });
    } catch (err) {
      return send(res, 400, { error: (err as Error).message });
    }
  };
}
