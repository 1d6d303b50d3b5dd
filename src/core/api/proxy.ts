// Dispatchers that honour proxies. VS Code patches Node's http/https modules to apply `http.proxy`, but a
// bundled undici opens its own sockets and gets none of that, so the extension passes the proxy settings
// here explicitly. Nothing in this file touches undici's global dispatcher: every request names its
// dispatcher, so other extensions and libraries in the same process are unaffected.

import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { ApiError } from './errors';

/**
 * Explicit proxy settings (VS Code's http.proxy, http.noProxy, http.proxyStrictSSL), or 'env' for the
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY environment variables (upper or lower case).
 */
export type ProxySettings =
  | {
      /** http://[user:pass@]host:port. Empty or absent: the environment variables decide, as in VS Code. */
      readonly proxyUrl?: string;
      /** Hosts (optionally :port; ".example.com" and "*.example.com" match subdomains) that go direct. */
      readonly noProxy?: readonly string[];
      /**
       * VS Code's http.proxyStrictSSL. false skips certificate checks on the TLS connection to an https
       * proxy only; the connection to CometAPI or the video host through the tunnel is always verified.
       */
      readonly strictSSL?: boolean;
      /**
       * VS Code's http.proxyAuthorization: the Proxy-Authorization header for the proxy (sent on the proxy's
       * CONNECT only, never to CometAPI or the video host through the tunnel).
       */
      readonly authorization?: string;
    }
  | 'env';

export interface DispatcherTuning {
  /** Idle keep-alive sockets are closed after this long (the server's Keep-Alive hint can shorten it). */
  readonly keepAliveTimeoutMs?: number;
  /** TCP (and TLS) connect timeout. */
  readonly connectTimeoutMs?: number;
}

/** A keep-alive dispatcher for one kind of origin (API or video host), direct or through a proxy. */
export function createDispatcher(settings: ProxySettings | undefined, tuning: DispatcherTuning = {}): Dispatcher {
  const agentOptions = {
    keepAliveTimeout: tuning.keepAliveTimeoutMs ?? 4_000,
    connect: { timeout: tuning.connectTimeoutMs ?? 10_000 },
  };
  if (settings === undefined) return new Agent(agentOptions);
  if (settings === 'env') return new EnvHttpProxyAgent(agentOptions);

  const proxyUrl = settings.proxyUrl?.trim() || undefined;
  if (proxyUrl !== undefined) checkProxyUrl(proxyUrl);
  const noProxy = settings.noProxy?.map((h) => h.trim()).filter((h) => h !== '').join(',');
  return new EnvHttpProxyAgent({
    ...agentOptions,
    // undefined falls back to the environment variables inside EnvHttpProxyAgent.
    httpProxy: proxyUrl,
    httpsProxy: proxyUrl,
    noProxy: noProxy === undefined || noProxy === '' ? undefined : noProxy,
    // Only the proxy leg; `requestTls` (the target) keeps Node's default verification.
    ...(settings.strictSSL === false ? { proxyTls: { rejectUnauthorized: false } } : {}),
    ...(settings.authorization ? { headers: { 'proxy-authorization': settings.authorization } } : {}),
  });
}

function checkProxyUrl(proxyUrl: string): void {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw new ApiError('configuration', 'The proxy setting is not a URL; it should look like http://proxy.example.com:8080.', { reason: 'badProxySetting' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ApiError('configuration', `The proxy setting uses ${url.protocol.replace(':', '')}, which is not supported; use an http:// or https:// proxy.`, { reason: 'badProxySetting' });
  }
}
