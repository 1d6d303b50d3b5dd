// The two error body shapes of CONTRACT 6, plus the ids that live services put inside messages. The
// exact texts are in one place so the tests and README can point at them.

import { randomBytes } from 'node:crypto';

/** A response the API is about to send: status, JSON (or raw) body, extra headers. */
export interface ApiReply {
  status: number;
  body: unknown;
  /** Set when body is not JSON (HTML pages, plain text). */
  contentType?: string;
  headers?: Record<string, string>;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlnum(n: number, alphabet = ALNUM): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 36 or 62).
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < limit && out.length < n) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

/** new-api's request id: local time to the second, nanoseconds, 8 random characters. */
export function newRequestId(now = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  const nanos = 100_000_000 + Math.floor(Math.random() * 900_000_000);
  return `${stamp}${nanos}${randomAlnum(8, '0123456789abcdef')}`;
}

/** Ark's request id, as it appears at the end of upstream failure messages ("Request id: 0217..."). */
export function newArkRequestId(): string {
  return `0217${Date.now()}${randomAlnum(32, '0123456789abcdef')}`;
}

/** Shape 2: the OpenAI-style envelope, optionally decorated with a request id (live CometAPI does). */
export function envelope(status: number, code: string, message: string, requestId: string | undefined): ApiReply {
  const text = requestId ? `${message} (request id: ${requestId})` : message;
  return { status, body: { error: { code, message: text, type: 'comet_api_error' } } };
}

/** Shape 1: the flat task error. Never decorated with a request id (new-api does not). */
export function flat(status: number, code: string, message: string, withData: boolean): ApiReply {
  return { status, body: withData ? { code, message, data: null } : { code, message } };
}

// Texts from CONTRACT 6 / 15. Kept verbatim: clients and tests compare them.
export const TEXT = {
  invalidToken: 'invalid token',
  modelRequired: 'model name is required',
  promptRequired: 'prompt is required',
  badDuration: 'the parameter duration specified in the request is not valid',
  notMultipart: "request Content-Type isn't multipart/form-data",
  bodyTooLarge: 'http: request body too large',
  taskNotExist: 'task_not_exist',
  saturated: '当前分组上游负载已饱和，请稍后再试',
  unknownModel: (m: string) => `no available channel for group default and model ${m} (distributor)`,
  r2v: (m: string) =>
    `The parameter task_type specified in the request is not valid: the specified task_type r2v does not support model ${m}`,
  badParameter: (name: string) => `the parameter ${name} specified in the request is not valid`,
  sensitiveText: 'The request failed because the input text may contain sensitive information.',
  internalError: 'The service encountered an unexpected internal error.',
} as const;

/** new-api's answer for a path no route matches (RelayNotFound). No request id, no auth needed. */
export function invalidUrl(method: string, path: string): ApiReply {
  return {
    status: 404,
    body: { error: { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: '', code: '' } },
  };
}

/** The storage host's error body (XML, as S3-compatible stores answer); CONTRACT 5.2 expects a 403. */
export function storageErrorXml(code: string, message: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId>` +
    `<HostId>tos-sim.local</HostId></Error>\n`
  );
}
