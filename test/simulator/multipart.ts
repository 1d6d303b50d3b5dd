// Reads a create request's body into fields and file facts, whatever it is. The check order (CONTRACT 3.5)
// needs the model BEFORE deciding the body is not multipart (new-api's distributor finds the model in JSON
// and form bodies too), so this never throws: it reports what it found and what went wrong.
// File parts are not kept: only their size and first bytes (enough to sniff the image type).

import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';

export interface FilePart {
  field: string;
  filename?: string;
  mimeType: string;
  size: number;
  head: Buffer;
}

export interface ParsedBody {
  kind: 'multipart' | 'json' | 'urlencoded' | 'other';
  /** Text values by field name, in order. */
  fields: Map<string, string[]>;
  files: FilePart[];
  /** Why the multipart body could not be read (wording close to Go's mime/multipart). */
  error?: string;
  /** The body went over the size limit; reading stopped there. */
  tooLarge?: boolean;
}

const HEAD_BYTES = 16;

export function firstField(body: ParsedBody, name: string): string | undefined {
  return body.fields.get(name)?.[0];
}

export function readCreateBody(req: IncomingMessage, limitBytes: number): Promise<ParsedBody> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return readMultipart(req, limitBytes);
  return readWhole(req, limitBytes).then(({ text, tooLarge }) => {
    const body: ParsedBody = { kind: 'other', fields: new Map(), files: [], tooLarge };
    if (type.startsWith('application/x-www-form-urlencoded')) {
      body.kind = 'urlencoded';
      for (const [k, v] of new URLSearchParams(text)) add(body.fields, k, v);
      return body;
    }
    if (type.startsWith('application/json')) body.kind = 'json';
    try {
      const json: unknown = JSON.parse(text);
      if (json && typeof json === 'object' && !Array.isArray(json)) {
        for (const [k, v] of Object.entries(json)) {
          if (typeof v === 'string' || typeof v === 'number') add(body.fields, k, String(v));
        }
      }
    } catch {
      // Not JSON either: no fields, so the check order reports the missing model first.
    }
    return body;
  });
}

function add(fields: Map<string, string[]>, name: string, value: string): void {
  const list = fields.get(name);
  if (list) list.push(value);
  else fields.set(name, [value]);
}

function readWhole(req: IncomingMessage, limit: number): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge }));
    req.on('error', () => resolve({ text: '', tooLarge }));
  });
}

function goWording(message: string): string {
  if (/boundary not found/i.test(message)) return 'no multipart boundary param in Content-Type';
  if (/unexpected end of form/i.test(message)) return 'multipart: NextPart: EOF';
  return `multipart: ${message}`;
}

function readMultipart(req: IncomingMessage, limit: number): Promise<ParsedBody> {
  const body: ParsedBody = { kind: 'multipart', fields: new Map(), files: [] };
  return new Promise((resolve) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      // Whatever is left of the body is read and dropped, so the connection stays usable.
      req.unpipe();
      req.resume();
      resolve(body);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fieldSize: 1024 * 1024, fileSize: limit } });
    } catch (err) {
      body.error = goWording((err as Error).message);
      finish();
      return;
    }
    let received = 0;
    req.on('data', (c: Buffer) => {
      received += c.length;
      if (received > limit && !body.tooLarge) {
        body.tooLarge = true;
        finish();
      }
    });
    parser.on('field', (name, value) => add(body.fields, name, value));
    parser.on('file', (name, stream, info) => {
      const part: FilePart = { field: name, filename: info.filename, mimeType: info.mimeType, size: 0, head: Buffer.alloc(0) };
      body.files.push(part);
      stream.on('data', (c: Buffer) => {
        if (part.head.length < HEAD_BYTES) part.head = Buffer.concat([part.head, c.subarray(0, HEAD_BYTES - part.head.length)]);
        part.size += c.length;
      });
    });
    parser.on('error', (err: Error) => {
      body.error = goWording(err.message);
      finish();
    });
    parser.on('close', finish);
    req.on('error', finish);
    req.pipe(parser);
  });
}
