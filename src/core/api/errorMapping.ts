// HTTP answers and transport failures -> ApiError with a kind and a message a person can act on.
//
// Classification uses the HTTP status and the vendor's error code only, never the wording of the message:
// messages may be Chinese (new-api's 429 text) or change at any time (CONTRACT 13). The vendor's message is
// quoted in ours (minus its request id, which is kept in `requestId` for logs). Every message passes
// through redactSecrets, so neither the key nor a signed URL can leak through an echoed body.

import { ApiError, type ApiErrorKind, type ApiErrorReason } from './errors';
import { redactSecrets, redactUrl } from '../redact';
import { parseErrorBody, type WireErrorBody } from './wire';

export type Operation = 'create' | 'poll';

/** A complete HTTP answer that was not a success (or was a success with an unreadable body). */
export interface ResponseFacts {
  readonly operation: Operation;
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** At most the first part of the body (see transport.ts). */
  readonly bodyText: string;
  /** The URL that was requested (redacted before use). */
  readonly url: string;
  readonly retryAfterMs?: number;
  /** The model a create named (kept on the error, so model_not_found can say which model). */
  readonly model?: string;
  /** Secrets to scrub from any echoed text (the API key). */
  readonly secrets: readonly (string | undefined)[];
}

const BASE_URL_HINT = 'The API base URL is probably wrong; it should look like https://api.cometapi.com.';

/** Builds the ApiError for a non-2xx answer (or a 2xx whose body is not the JSON we expect). */
export function errorFromResponse(facts: ResponseFacts): ApiError {
  const { status, operation } = facts;
  const where = redactUrl(facts.url);
  const contentType = headerValue(facts.headers['content-type'])?.toLowerCase() ?? '';
  const json = tryJson(facts.bodyText);
  const body: WireErrorBody | undefined = json === undefined ? undefined : parseErrorBody(json);
  const requestId = body?.requestId ?? headerValue(facts.headers['x-oneapi-request-id']) ?? headerValue(facts.headers['x-request-id']);
  const code = body?.code;
  const said = body?.message ? ` CometAPI said: "${clip(body.message)}".` : '';
  const isHtml = contentType.includes('html') || /^\s*<(!doctype|html|head|body)/i.test(facts.bodyText);
  // A create answered with a definite refusal (4xx), a redirect or a web page made no task; 5xx and
  // unreadable JSON-ish successes may have (the gateway may have reached the provider before failing).
  // model_not_found is the router's answer before any provider is called (CONTRACT 3.5 step 2, E6): no task.
  const reached = operation === 'create' && code !== 'model_not_found' && (status >= 500 || (status >= 200 && status < 300 && !isHtml));

  const vendorMessage = body?.message ? redactSecrets(clip(body.message), facts.secrets) : undefined;
  const origin = redactUrl(new URL(facts.url).origin);
  const make = (kind: ApiErrorKind, message: string, extra: { retryAfterMs?: number; reason?: ApiErrorReason } = {}) =>
    new ApiError(kind, redactSecrets(message, facts.secrets), {
      status,
      code,
      requestId,
      mayHaveReachedServer: reached,
      vendorMessage,
      origin,
      ...(facts.model !== undefined ? { model: facts.model } : {}),
      ...extra,
    });
  const wrongService = { reason: 'wrongService' as const };

  if (status >= 300 && status < 400) {
    const location = headerValue(facts.headers.location);
    const to = location ? ` to ${redactUrl(resolve(location, facts.url))}` : '';
    return make('invalidResponse', `The server at ${where} redirected${to} (HTTP ${status}) instead of answering as CometAPI does. ${BASE_URL_HINT}`, wrongService);
  }

  if (status >= 200 && status < 300) {
    if (isHtml) return make('invalidResponse', `The server at ${where} answered with a web page instead of CometAPI's JSON (HTTP ${status}). ${BASE_URL_HINT}`, wrongService);
    if (json === undefined) return make('invalidResponse', `The server at ${where} answered with something that is not JSON (HTTP ${status}${contentType ? `, ${contentType.split(';')[0]}` : ''}). ${BASE_URL_HINT}`, wrongService);
    return make('invalidResponse', `The answer from ${where} is JSON but not a video task (it has no task id). ${BASE_URL_HINT}`, wrongService);
  }

  if (code !== undefined && QUOTA_CODE.test(code) && (status === 401 || status === 403 || status === 429)) {
    return make('auth', `CometAPI refused the request for lack of balance or quota (${status} ${code}).${said}`, { reason: 'quota' });
  }
  if (status === 401) {
    return make('auth', `CometAPI rejected the API key (401).${said}`, { reason: 'keyRejected' });
  }
  if (status === 403) {
    if (isHtml) return make('auth', `Access to ${where} was blocked (403, a web page: a firewall in front of the service).`, { reason: 'blocked' });
    return make('auth', `CometAPI refused the request (403). The key may not be allowed to do this, or the account may be out of balance or quota.${said}`, { reason: 'forbidden' });
  }
  if (status === 429) {
    return make('rateLimited', `CometAPI is limiting requests right now (429). Wait a moment and try again.${said}`, { retryAfterMs: facts.retryAfterMs });
  }

  if (status >= 500) {
    // CONTRACT 6, 13: these two are 5xx by status but will fail the same way every time.
    if (code === 'model_not_found') {
      const which = facts.model !== undefined ? facts.model : 'this model';
      return make('invalidRequest', `CometAPI does not serve ${which} now: no available channel (${status} model_not_found). Nothing was created; choose another model.${said}`, { reason: 'modelUnavailable' });
    }
    if (code === 'invalid_request') {
      return make('invalidRequest', `CometAPI rejected the request as invalid (${status} invalid_request); retrying will not help.${said}`);
    }
    const what = status === 524 || status === 504 ? 'timed out waiting for the video provider' : 'had a server error';
    const createNote = operation === 'create' ? ' The video may still have been created; check your tasks before submitting again.' : '';
    return make('server', `CometAPI ${what} (${status}).${said}${createNote}`, { retryAfterMs: facts.retryAfterMs });
  }

  // 4xx other than the above.
  if (code === 'task_not_exist' || (code === undefined && body?.message === 'task_not_exist')) {
    return make('notFound', `CometAPI does not know this task (task_not_exist). It may have been made with another key, or it is too old.`);
  }
  if (status === 404 || isHtml || (json === undefined && facts.bodyText.trim() !== '')) {
    return make('invalidResponse', `The server at ${where} does not offer CometAPI's video API (HTTP ${status}${isHtml ? ', a web page' : ''}). ${BASE_URL_HINT}`, wrongService);
  }
  if (status === 408) {
    return make('timeout', `CometAPI gave up waiting for the request (408). Try again.${said}`);
  }
  if (status === 413) {
    return make('invalidRequest', `CometAPI refused the request because it is too large (413). Use a smaller reference image.${said}`, { reason: 'tooLarge' });
  }
  const codeNote = code ? `, ${code}` : '';
  return make('invalidRequest', `CometAPI rejected the request (${status}${codeNote}).${said || ' No reason was given.'}`);
}

/** What the transport knew when a request failed without an HTTP answer. */
export interface ExceptionFacts {
  readonly operation: Operation | 'download';
  readonly url: string;
  /** Our per-request timer fired. */
  readonly timedOut: boolean;
  readonly timeoutMs: number;
  /** The caller's AbortSignal fired. */
  readonly callerAborted: boolean;
  /** The request body was not completely handed to the socket (so a create cannot have made a task). */
  readonly bodyIncomplete?: boolean;
  readonly secrets: readonly (string | undefined)[];
}

// Failures that happen before a single byte of the request can have left this machine.
const BEFORE_SENDING = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
]);

const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET_ISSUER_CERT|VERIFY_LEAF_SIGNATURE)|HOSTNAME_MISMATCH)/;

/** Builds the ApiError for a request that got no HTTP answer: aborted, timed out, or a network failure. */
export function errorFromException(error: unknown, facts: ExceptionFacts): ApiError {
  if (error instanceof ApiError) return error;
  const origin = redactUrl(new URL(facts.url).origin);
  const codes = errorCodes(error);
  const beforeSending = codes.some((c) => BEFORE_SENDING.has(c) || TLS_CODE.test(c)) || isProxyRefusal(error);
  const reached = facts.operation === 'create' && !beforeSending && facts.bodyIncomplete !== true;
  const createNote = reached ? ' The video may still have been created; check your tasks before submitting again.' : '';
  const host = facts.operation === 'download' ? ('video' as const) : ('api' as const);
  const code = codes.find((c) => c !== 'UND_ERR_SOCKET' && !c.startsWith('UND_ERR_')) ?? codes[0];
  const base = { cause: error, mayHaveReachedServer: reached, host, origin, code };
  const opts = (reason?: ApiErrorReason, detail?: Record<string, number>) => ({ ...base, reason, detail });
  const clean = (m: string) => redactSecrets(m, facts.secrets);

  if (facts.callerAborted) return new ApiError('aborted', clean(`Cancelled.${createNote}`), opts());
  if (facts.timedOut || codes.includes('UND_ERR_HEADERS_TIMEOUT') || codes.includes('UND_ERR_BODY_TIMEOUT')) {
    const seconds = Math.round(facts.timeoutMs / 1000);
    return new ApiError('timeout', clean(`No answer from ${origin} within ${seconds} s.${createNote}`), opts('noAnswer', { seconds }));
  }
  if (code && TLS_CODE.test(code)) {
    return new ApiError('network', clean(`Could not make a secure connection to ${origin} (${code}). A proxy or firewall may be intercepting HTTPS; check the proxy settings.`), opts('tls'));
  }
  if (isProxyRefusal(error)) {
    return new ApiError('network', clean(`The proxy refused to connect to ${origin} (${messageOf(error)}). Check the proxy settings.`), opts('proxy'));
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ApiError('network', clean(`Could not connect to ${origin} (connection timed out). Check the network and proxy settings.`), opts('connect'));
  }
  if (code && BEFORE_SENDING.has(code)) {
    return new ApiError('network', clean(`Could not connect to ${origin} (${code}). Check the network, the proxy settings and the API base URL.`), opts('connect'));
  }
  const detail = code ?? messageOf(error);
  return new ApiError('network', clean(`The connection to ${origin} failed (${detail}).${createNote}`), opts('connectionLost'));
}

/** Every `code` on the error, its causes and (for happy-eyeballs AggregateErrors) its inner errors. */
export function errorCodes(error: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown) => {
    if (typeof e !== 'object' || e === null || seen.has(e)) return;
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !out.includes(code)) out.push(code);
    visit((e as { cause?: unknown }).cause);
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner)) inner.forEach(visit);
  };
  visit(error);
  return out;
}

function isProxyRefusal(error: unknown): boolean {
  // undici: "Proxy response (407) !== 200 when HTTP Tunneling"; VS Code's proxy agent (Node's http):
  // "Proxy error: 407 ...". The status is what matters; the text is the library's own fixed wording, not a
  // server message.
  return /Proxy response \(\d+\)|^Proxy error/i.test(messageOf(error)) || errorCodes(error).includes('ERR_PROXY_TUNNEL');
}

/** Vendor codes that name balance or quota (new-api: insufficient_user_quota, pre_consume_token_quota_failed, ...). */
const QUOTA_CODE = /quota|balance|insufficient|overdue|arrear/i;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function tryJson(text: string): unknown {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function resolve(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

/** Vendor messages are quoted, not trusted: keep them to one readable line. */
function clip(message: string): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;
}
