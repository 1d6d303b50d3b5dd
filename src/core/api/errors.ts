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
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly mayHaveReachedServer: boolean;
  readonly retryAfterMs?: number;

  constructor(readonly kind: ApiErrorKind, message: string, options: ApiErrorOptions = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.status = options.status;
    this.code = options.code;
    this.requestId = options.requestId;
    this.mayHaveReachedServer = options.mayHaveReachedServer ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether the same GET may succeed if tried again later. */
  get retryable(): boolean {
    return this.kind === 'rateLimited' || this.kind === 'server' || this.kind === 'network' || this.kind === 'timeout';
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
