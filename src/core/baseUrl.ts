// The rule for where the API key may be sent: https anywhere, plain http only to this machine (the
// simulator), never a URL carrying user info. Applied to the seedance.apiBaseUrl setting and to the
// SEEDANCE_API_BASE_URL environment override alike.
import * as l10n from '@vscode/l10n';

export type BaseUrlCheck =
  | { readonly ok: true; /** Normalized: no trailing slash, no query or fragment. */ readonly url: string; readonly origin: string }
  | { readonly ok: false; /** Plain words: what is wrong and what to write instead. */ readonly problem: string };

/** Whether a URL host is this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && Number(v4[1]) === 127 && v4.slice(2).every((o) => Number(o) <= 255);
}

/** Checks and normalizes a base URL. `source` names where it came from, for the message. */
export function checkBaseUrl(raw: string | undefined, source = 'seedance.apiBaseUrl'): BaseUrlCheck {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: false, problem: l10n.t('{0} is empty. Set it to {1}.', source, 'https://api.cometapi.com') };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: l10n.t('{0} is not a URL. Set it to {1}.', source, 'https://api.cometapi.com') };
  }
  if (url.username !== '' || url.password !== '') {
    // Never echo the value: the user info may itself be a credential.
    return { ok: false, problem: l10n.t('{0} contains a user name or password. Remove them; the API key is sent separately.', source) };
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      return { ok: false, problem: l10n.t('{0} uses plain http to {1}. Use https (plain http is allowed only for this machine, such as the local simulator).', source, url.host) };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, problem: l10n.t('{0} must start with https:// (it starts with {1}//).', source, url.protocol) };
  }
  if (url.search !== '' || url.hash !== '') {
    return { ok: false, problem: l10n.t('{0} must not contain a query or fragment; use only the address, e.g. {1}.', source, 'https://api.cometapi.com') };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${url.origin}${path}`, origin: url.origin };
}
