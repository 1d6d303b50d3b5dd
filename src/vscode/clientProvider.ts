// The CometAPI client, created on first use (activation loads no HTTP stack and opens no socket) and
// rebuilt when the base URL or the proxy settings change. Every request reads the key at send time, for
// the origin it is going to.
//
// Requests go through Node's http/https modules (NodeHttpDispatcher), which VS Code's extension host
// patches: CometAPI and the video host are reached exactly as VS Code reaches the network, for every value
// of http.proxySupport, with http.proxy / http.noProxy / http.proxyAuthorization / http.proxyStrictSSL, the
// proxy environment variables, the system proxy or PAC file, Kerberos and the system's certificates. No
// global dispatcher is touched.
import * as vscode from 'vscode';
import { ApiError } from '../core/api/errors';
import type { CometClient, CreateCallOptions } from '../core/api/client';
import { proxyRoute, type HttpSettings } from '../core/api/proxyRoute';
import type { CreateVideoRequest, VideoTask } from '../core/api/types';
import type { DownloadOptions } from '../core/download/videoSaver';
import type { ApiKeyStore } from './apiKey';
import type { Logger } from './log';
import type { SeedanceSettings } from './settings';

export class ClientProvider implements vscode.Disposable {
  private client: Promise<CometClient> | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly settings: SeedanceSettings,
    private readonly keys: ApiKeyStore,
    private readonly log: Logger,
  ) {
    this.subscription = settings.onDidChange((change) => {
      if (change.connection) this.reset('connection settings changed');
    });
  }

  /** True once a client exists (for the activation benchmark: nothing is created before first use). */
  get created(): boolean {
    return this.client !== undefined;
  }

  createVideo(request: CreateVideoRequest, options?: CreateCallOptions): Promise<VideoTask> {
    return this.get().then((c) => c.createVideo(request, undefined, options));
  }

  getVideo(remoteId: string, signal?: AbortSignal): Promise<VideoTask> {
    return this.get().then((c) => c.getVideo(remoteId, signal));
  }

  downloadVideo(url: string, targetPath: string, options?: DownloadOptions): Promise<{ bytes: number }> {
    return this.get().then((c) => c.downloadVideo(url, targetPath, options));
  }

  /** Drops the current client (its sockets close); the next request builds a new one. */
  reset(why: string): void {
    const old = this.client;
    this.client = undefined;
    if (old) {
      this.log.info(`HTTP client reset: ${why}.`);
      old.then((c) => c.close()).catch(() => undefined);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.reset('extension deactivated');
  }

  private get(): Promise<CometClient> {
    if (!this.client) {
      const pending = this.build();
      this.client = pending;
      // A failed build (bad base URL) is not cached: fixing the setting must work without a reload.
      pending.catch(() => {
        if (this.client === pending) this.client = undefined;
      });
    }
    return this.client;
  }

  private route(): { route: ReturnType<typeof proxyRoute>; how: string } {
    const http = vscode.workspace.getConfiguration('http');
    const settings: HttpSettings = {
      proxySupport: http.get<string>('proxySupport', 'override'),
      proxy: http.get<string>('proxy'),
      noProxy: http.get<string[]>('noProxy'),
      proxyStrictSSL: http.get<boolean>('proxyStrictSSL', true),
      proxyAuthorization: http.get<string | null>('proxyAuthorization') ?? undefined,
    };
    const route = proxyRoute(settings, process.env);
    return { route, how: route.kind === 'vscode' ? `network through VS Code (http.proxySupport: ${settings.proxySupport})` : route.why };
  }

  private async build(): Promise<CometClient> {
    const base = this.settings.apiBase();
    if (!base.ok) throw new ApiError('configuration', base.problem, { reason: 'badBaseUrl' });
    const { url, origin } = base;
    const stack = loadHttpStack();
    const { route, how } = this.route();
    this.log.info(`Using CometAPI at ${url}${base.source === 'environment' ? ' (from SEEDANCE_API_BASE_URL)' : ''}; ${how}.`);
    return new stack.CometClient({
      baseUrl: url,
      getApiKey: () => this.keys.keyFor(origin),
      // Dispatchers the client creates itself from `proxy` (the explicit route) are closed with it.
      ...(route.kind === 'vscode'
        ? { dispatcher: new stack.NodeHttpDispatcher(), videoDispatcher: new stack.NodeHttpDispatcher() }
        : { proxy: route.proxy }),
      requestShape: () => this.settings.requestShape(),
      log: (line: string) => this.log.info(line),
    });
  }
}

/**
 * The HTTP stack is a second bundle (dist/http.js) that stays unloaded until a request is really made;
 * esbuild.js maps this require to that bundle.
 */
function loadHttpStack(): typeof import('./httpStack') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./httpStack') as typeof import('./httpStack');
}
