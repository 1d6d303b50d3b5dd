// Where a create request goes, in the terms a confirmation needs: CometAPI itself (billed), this machine
// (the local simulator or another loopback server: nothing is billed by CometAPI), or another https host
// configured in seedance.apiBaseUrl (a proxy or gateway in front of CometAPI, which may bill).
import { isLoopbackHost } from './baseUrl';

export type Destination =
  | { readonly kind: 'cometapi'; readonly host: string }
  | { readonly kind: 'thisMachine'; readonly host: string }
  | { readonly kind: 'otherHost'; readonly host: string };

const COMETAPI_HOSTS = /(^|\.)cometapi\.com$/i;

export function destinationOf(baseUrl: string): Destination {
  const url = new URL(baseUrl);
  if (isLoopbackHost(url.hostname)) return { kind: 'thisMachine', host: url.host };
  if (COMETAPI_HOSTS.test(url.hostname)) return { kind: 'cometapi', host: url.host };
  return { kind: 'otherHost', host: url.host };
}
