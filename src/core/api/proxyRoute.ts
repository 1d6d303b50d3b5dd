// How the client reaches the network inside VS Code, decided from VS Code's http.* settings (read by the
// caller and passed in, so this runs under plain mocha).
//
// Normally through VS Code: Node's http/https modules, which the extension host patches with its proxy
// resolver (see nodeHttpDispatcher.ts). That covers every http.proxySupport value, http.proxy, http.noProxy,
// http.proxyStrictSSL, the proxy environment variables, the system proxy and PAC files, Kerberos and Basic
// challenges (VS Code asks for credentials) and the system's certificates.
//
// One thing VS Code (1.100) applies to its own requests but not to extensions': http.proxyAuthorization, a
// fixed Proxy-Authorization value. When it is set, the client sends it itself: through an explicit proxy
// (http.proxy, else HTTPS_PROXY / HTTP_PROXY), with the header on the proxy's CONNECT only. A system or PAC
// proxy cannot be named from an extension, so that combination goes through VS Code without the header
// (README, "Proxies").
import type { ProxySettings } from './proxy';

export interface HttpSettings {
  readonly proxySupport?: string;
  readonly proxy?: string;
  readonly noProxy?: readonly string[];
  readonly proxyStrictSSL?: boolean;
  readonly proxyAuthorization?: string | null;
}

export type ProxyRoute =
  /** Node's http module as VS Code patched it. */
  | { readonly kind: 'vscode' }
  /** undici through this proxy, with the Proxy-Authorization header. */
  | { readonly kind: 'explicit'; readonly proxy: ProxySettings; readonly why: string };

export function proxyRoute(http: HttpSettings, env: NodeJS.ProcessEnv): ProxyRoute {
  const authorization = typeof http.proxyAuthorization === 'string' ? http.proxyAuthorization.trim() : '';
  if (http.proxySupport === 'off' || authorization === '') return { kind: 'vscode' };
  const fromSetting = http.proxy?.trim();
  const fromEnv = env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY;
  const proxyUrl = fromSetting || fromEnv?.trim();
  if (!proxyUrl) return { kind: 'vscode' };
  const noProxy = http.noProxy && http.noProxy.length > 0 ? http.noProxy : (env.no_proxy || env.NO_PROXY || '').split(',');
  return {
    kind: 'explicit',
    proxy: { proxyUrl, noProxy, strictSSL: http.proxyStrictSSL !== false, authorization },
    why: `http.proxyAuthorization is set; using the proxy from ${fromSetting ? 'http.proxy' : 'the environment'} with it`,
  };
}
