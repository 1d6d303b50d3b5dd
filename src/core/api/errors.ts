// Typed errors of the CometAPI client. Core code throws these with a `kind`; the VS Code layer turns a
// kind into words and an action ("Set API Key", "Retry", ...). Messages never contain the key, the
// Authorization header or a full signed URL.

export type ApiErrorKind =
  | 'auth' // 401, or 403 that means the key is not allowed
  | 'invalidRequest' // 400 and other do-not-retry client errors (including 500 invalid_request)
  | 'notFound' // task_not_exist
  | 'rateLimited' // 429
  | 'server' // 5xx
  | 'network' // connection refused/reset, DNS, TLS
  | 'timeout' // no answer within the per-request timeout
  | 'expired' // signed video URL no longer valid (403 from the storage host)
  | 'aborted' // cancelled by the caller's AbortSignal
  | 'invalidResponse' // not the JSON we expect: HTML page, redirect (wrong base URL), broken body
  | 'configuration' // the client cannot be used as configured (bad base URL, no key)
  | 'file'; // the local file could not be written (target already exists, folder missing, disk full)

/**
 * What exactly went wrong, where the kind alone does not say enough for the words at the edge. Decided
 * from the status, the vendor code and what the transport saw, never from the wording of a message.
 */
export type ApiErrorReason =
  | 'noKey' // no key stored or in COMETAPI_KEY: nothing was sent
  | 'keyUnreadable' // the secret storage failed
  | 'keyUnsendable' // the key has characters a header cannot carry
  | 'keyOtherOrigin' // the key was entered for another base URL and the person chose not to send it
  | 'keyRejected' // 401
  | 'forbidden' // 403 with a JSON answer: the key is not allowed, or balance/quota (the service does not say which)
  | 'quota' // 403 (or 401/429) whose vendor code names balance or quota
  | 'blocked' // 403 as a web page: a firewall (WAF) in front of the service
  | 'badBaseUrl' // the base URL setting is not usable
  | 'wrongService' // the base URL answers, but not as CometAPI (web page, redirect, 404, not JSON)
  | 'modelUnavailable' // model_not_found
  | 'tooLarge' // 413
  | 'uploadStalled' // no byte of the request body taken for the idle timeout
  | 'noAnswer' // the whole request was sent, no answer within the deadline
  | 'tls' // certificate or TLS failure (often an intercepting proxy)
  | 'proxy' // the proxy refused the tunnel (407, 403, 502 from the proxy)
  | 'connect' // could not connect (refused, DNS, unreachable, connect timeout)
  | 'connectionLost' // the connection broke after the request left
  | 'badProxySetting'; // http.proxy is not a usable URL

/** Which server the failure came from: CometAPI (the base URL) or the host a video is downloaded from. */
export type ApiErrorHost = 'api' | 'video';

export interface ApiErrorOptions {
  readonly status?: number;
  /** The vendor's error code, e.g. "InvalidParameter", "task_not_exist", "model_not_found". */
  readonly code?: string;
  /** The vendor's request id, e.g. from "(request id: ...)", for logs. */
  readonly requestId?: string;
  /** True when a create request may have reached the service (so it may have been billed). */
  readonly mayHaveReachedServer?: boolean;
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
  readonly reason?: ApiErrorReason;
  /** The service's own message, redacted and cut to one line; quoted at the edge, never trusted. */
  readonly vendorMessage?: string;
  /** Default 'api'. */
  readonly host?: ApiErrorHost;
  /** The origin that failed, redacted (no credentials, no query). */
  readonly origin?: string;
  /** Numbers the words may need (seconds waited, bytes sent). */
  readonly detail?: Readonly<Record<string, number>>;
  /** The model the refused create named (for model_not_found: "CometAPI does not serve <model> now"). */
  readonly model?: string;
}

// Marks ApiErrors so `instanceof` also holds for one made by another copy of this module: the HTTP stack is a
// separate bundle loaded on first use (esbuild.js), and both bundles contain this file.
const BRAND = Symbol.for('seedance-studio.ApiError');

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly mayHaveReachedServer: boolean;
  readonly retryAfterMs?: number;
  readonly reason?: ApiErrorReason;
  readonly vendorMessage?: string;
  readonly host: ApiErrorHost;
  readonly origin?: string;
  readonly detail?: Readonly<Record<string, number>>;
  readonly model?: string;

  /** `message` is for the log (English, redacted); the words a person sees are chosen at the edge from the fields. */
  constructor(readonly kind: ApiErrorKind, message: string, options: ApiErrorOptions = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.status = options.status;
    this.code = options.code;
    this.requestId = options.requestId;
    this.mayHaveReachedServer = options.mayHaveReachedServer ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.reason = options.reason;
    this.vendorMessage = options.vendorMessage;
    this.host = options.host ?? 'api';
    this.origin = options.origin;
    this.detail = options.detail;
    this.model = options.model;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** The same error attributed to another host (the client marks every download failure 'video'). */
  withHost(host: ApiErrorHost): ApiError {
    if (this.host === host) return this;
    return new ApiError(this.kind, this.message, { ...this.options(), host });
  }

  private options(): ApiErrorOptions {
    return {
      status: this.status,
      code: this.code,
      requestId: this.requestId,
      mayHaveReachedServer: this.mayHaveReachedServer,
      retryAfterMs: this.retryAfterMs,
      cause: this.cause,
      reason: this.reason,
      vendorMessage: this.vendorMessage,
      host: this.host,
      origin: this.origin,
      detail: this.detail,
      model: this.model,
    };
  }

  /** Whether the same GET may succeed if tried again later. */
  get retryable(): boolean {
    return this.kind === 'rateLimited' || this.kind === 'server' || this.kind === 'network' || this.kind === 'timeout';
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
