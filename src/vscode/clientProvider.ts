// The CometAPI client, created on first use (activation loads no HTTP stack and opens no socket) and
// rebuilt when the base URL or the proxy settings change. Every request reads the key at send time, for
// the origin it is going to.
import type * as vscode from 'vscode';
import { ApiError } from '../core/api/errors';
import type { CometClient } from '../core/api/client';
import type { CreateVideoRequest, VideoTask } from '../core/api/types';
import type { DownloadOptions } from '../core/videoSaver';
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

  createVideo(request: CreateVideoRequest): Promise<VideoTask> {
    return this.get().then((c) => c.createVideo(request));
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

  private async build(): Promise<CometClient> {
    const base = this.settings.apiBase();
    if (!base.ok) throw new ApiError('configuration', base.problem);
    const { url, origin } = base;
    // Loaded here, not at the top: undici and the client stay unloaded until a request is really made.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CometClient: Client } = require('../core/api/client') as typeof import('../core/api/client');
    this.log.info(`Using CometAPI at ${url}${base.source === 'environment' ? ' (from SEEDANCE_API_BASE_URL)' : ''}.`);
    return new Client({
      baseUrl: url,
      getApiKey: () => this.keys.keyFor(origin),
      proxy: this.settings.proxy(),
      requestShape: () => this.settings.requestShape(),
      log: (line: string) => this.log.info(line),
    });
  }
}
