// Keeping secrets out of messages and logs. Two kinds of secret pass through the client: the CometAPI key
// (sent as "Authorization: Bearer <key>") and signed download URLs, whose query string is a bearer
// credential until it expires (CONTRACT 5.1, 13). Everything a person or a log file sees goes through here.

const REDACTED = '[redacted]';

/**
 * Origin and path of a URL, without query, fragment or user info: enough to say which server and route
 * was involved, never enough to reuse a signed link. Text that is not a URL is returned as a placeholder
 * rather than echoed (it might be a secret pasted in the wrong field).
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return '(invalid URL)';
  }
  const path = parsed.pathname;
  // Opaque URLs (data:, mailto:) have no useful origin; say only what kind they are.
  if (parsed.origin === 'null') return `${parsed.protocol}${REDACTED}`;
  return `${parsed.origin}${path}${parsed.search ? '?' + REDACTED : ''}`;
}

// http(s) URLs inside free text (error messages, vendor bodies); stops at whitespace, quotes and brackets.
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>()[\]{}]+/gi;
// "Bearer <token>" in any case, as a header value or quoted inside a message.
const BEARER = /\bBearer\s+[^\s"',;]+/gi;
// "Authorization: <scheme> <credentials>" as it would appear in a dumped header list or JSON.
const AUTH_HEADER = /\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)(?:[A-Za-z][\w-]*\s+)?[^\s"',;}]+/gi;

/**
 * Removes every secret we know of from a string: Bearer tokens, Authorization header values, the given
 * secrets (the API key, wherever it appears) and the query part of any http(s) URL.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short strings would shred ordinary words; no real key is that short.
    if (secret && secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(AUTH_HEADER, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  out = out.replace(BEARER, `Bearer ${REDACTED}`);
  out = out.replace(URL_IN_TEXT, (u) => {
    // A sentence may end right after a URL; keep trailing punctuation outside the redaction.
    const trail = /[.,;:!?]+$/.exec(u)?.[0] ?? '';
    const core = trail ? u.slice(0, -trail.length) : u;
    return redactUrl(core) + trail;
  });
  return out;
}
