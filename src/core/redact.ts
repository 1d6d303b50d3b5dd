// Keeping secrets out of messages and logs. Two kinds of secret pass through the client: the CometAPI key
// (sent as "Authorization: Bearer <key>") and signed download URLs, whose query string is a bearer
// credential until it expires (CONTRACT 5.1, 13). Everything a person or a log file sees goes through here.

const REDACTED = '[redacted]';

/**
 * Origin and file name of a URL, without the path leading to it, query, fragment or user info: enough to say
 * which server and which file were involved, never enough to find or reuse a signed link (a signed URL's path
 * names the bucket and object, and some services sign in the path). Folders are shown as "…"; a last segment
 * that does not look like a file name (an id, a token) is dropped too. Text that is not a URL is returned as
 * a placeholder rather than echoed (it might be a secret pasted in the wrong field).
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return '(invalid URL)';
  }
  // Opaque URLs (data:, mailto:) have no useful origin; say only what kind they are.
  if (parsed.origin === 'null') return `${parsed.protocol}${REDACTED}`;
  const segments = parsed.pathname.split('/').filter((s) => s !== '');
  const last = segments.at(-1);
  const fileName = last !== undefined && FILE_NAME.test(last) ? last : undefined;
  const folders = fileName ? segments.length - 1 : segments.length;
  const path = `${folders > 0 ? '/…' : ''}${fileName ? `/${fileName}` : ''}`;
  return `${parsed.origin}${path}${parsed.search ? '?' + REDACTED : ''}`;
}

// A file name worth keeping: a short name with an extension of letters and digits ("0217abc.mp4").
const FILE_NAME = /^[\w%.-]{1,100}\.[A-Za-z0-9]{1,5}$/;

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
