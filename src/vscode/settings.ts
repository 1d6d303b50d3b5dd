// The seedance.* settings as the rest of the extension needs them, with the security rules applied:
// - apiBaseUrl only from user/machine settings (a cloned repository must never redirect the key), with
//   SEEDANCE_API_BASE_URL overriding it under the same https/loopback rules;
// - outputFolder from an untrusted workspace is ignored;
import * as vscode from 'vscode';
import { checkBaseUrl, type BaseUrlCheck } from '../core/baseUrl';
import type { GenerationDefaults } from '../core/generationArgs';
import { DEFAULT_REQUEST_SHAPE, REQUEST_SHAPES, type RequestShape } from '../core/catalog';
import type { Logger } from './log';

export const SECTION = 'seedance';
export const DEFAULT_API_BASE_URL = 'https://api.cometapi.com';
const WARNED_KEY = 'seedance.warnedWorkspaceApiBaseUrl';

export type ApiBase = BaseUrlCheck & { readonly source: 'environment' | 'settings' };

/** Which parts of the configuration changed, so listeners only redo what matters. */
export interface SettingsChange {
  readonly connection: boolean;
  readonly output: boolean;
  readonly defaults: boolean;
}

export class SeedanceSettings implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SettingsChange>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires after a seedance.* or http.* proxy setting changed, or workspace trust was granted. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly log: Logger,
    private readonly workspaceState: vscode.Memento,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        const connection = e.affectsConfiguration(`${SECTION}.apiBaseUrl`) || e.affectsConfiguration('http');
        const output = e.affectsConfiguration(`${SECTION}.outputFolder`) || e.affectsConfiguration(`${SECTION}.autoDownload`);
        const defaults = e.affectsConfiguration(SECTION);
        if (connection || output || defaults) this.emitter.fire({ connection, output, defaults });
        if (e.affectsConfiguration(`${SECTION}.apiBaseUrl`)) this.warnAboutWorkspaceApiBaseUrl();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.emitter.fire({ connection: false, output: true, defaults: false })),
    );
  }

  /** Where requests go, or why they cannot go anywhere. Never reads a workspace value. */
  apiBase(): ApiBase {
    const fromEnv = this.env.SEEDANCE_API_BASE_URL;
    if (fromEnv !== undefined && fromEnv.trim() !== '') {
      return { ...checkBaseUrl(fromEnv, vscode.l10n.t('The SEEDANCE_API_BASE_URL environment variable')), source: 'environment' };
    }
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect<string>('apiBaseUrl');
    // globalValue is the user (and remote machine) value; workspace and folder values are ignored on purpose.
    const value = inspected?.globalValue ?? inspected?.defaultValue ?? DEFAULT_API_BASE_URL;
    return { ...checkBaseUrl(value, vscode.l10n.t('The seedance.apiBaseUrl setting')), source: 'settings' };
  }

  /** Warns once per distinct value when a workspace tries to set apiBaseUrl (it is ignored). */
  warnAboutWorkspaceApiBaseUrl(): void {
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect<string>('apiBaseUrl');
    const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
    if (value === undefined) return;
    const seen = this.workspaceState.get<string>(WARNED_KEY);
    if (seen === String(value)) return;
    Promise.resolve(this.workspaceState.update(WARNED_KEY, String(value))).catch((e: unknown) => this.log.error('Remembering the apiBaseUrl warning failed', e));
    this.log.warn('This workspace sets seedance.apiBaseUrl; the value is ignored (only user settings may choose where the API key is sent).');
    Promise.resolve(vscode.window.showWarningMessage(
      vscode.l10n.t('This workspace sets "seedance.apiBaseUrl". Seedance Studio ignores it: only your user settings decide where your API key is sent.'),
    )).catch(() => undefined); // the notification could not be shown (window closing): nothing to do
  }

  defaults(): GenerationDefaults {
    const c = vscode.workspace.getConfiguration(SECTION);
    return {
      model: c.get<string>('defaultModel', 'doubao-seedance-2-0-fast'),
      seconds: c.get<number>('defaultSeconds', 5),
      size: c.get<string>('defaultSize', '16:9'),
      resolution: c.get<string>('defaultResolution', '720p'),
    };
  }

  /** The output folder setting; a value from an untrusted workspace is not used. */
  outputFolder(): string {
    const c = vscode.workspace.getConfiguration(SECTION);
    if (vscode.workspace.isTrusted) return c.get<string>('outputFolder', 'videos');
    const inspected = c.inspect<string>('outputFolder');
    return inspected?.globalValue ?? inspected?.defaultValue ?? 'videos';
  }

  autoDownload(): boolean {
    return vscode.workspace.getConfiguration(SECTION).get<boolean>('autoDownload', true);
  }

  /** At most this many storyboard generations at once (Generate All). */
  storyboardConcurrency(): number {
    const n = vscode.workspace.getConfiguration(SECTION).get<number>('storyboard.concurrency', 2);
    return Number.isFinite(n) ? Math.max(1, Math.min(8, Math.floor(n))) : 2;
  }

  /** Which documented create request shape to send (seedance.requestShape); an unknown value means the default. */
  requestShape(): RequestShape {
    const value = vscode.workspace.getConfiguration(SECTION).get<string>('requestShape', DEFAULT_REQUEST_SHAPE);
    return (REQUEST_SHAPES as readonly string[]).includes(value) ? (value as RequestShape) : DEFAULT_REQUEST_SHAPE;
  }

  /**
   * Application-scoped like the budget: only user settings count, so a repository's .vscode/settings.json
   * cannot turn the confirmation off for everyone who opens it.
   */
  confirmBeforeSubmit(): boolean {
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect<boolean>('confirmBeforeSubmit');
    const value = inspected?.globalValue ?? inspected?.defaultValue;
    return typeof value === 'boolean' ? value : true;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}
