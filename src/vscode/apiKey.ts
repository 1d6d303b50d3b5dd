// The CometAPI key: kept only in VS Code's SecretStorage, together with the origin it was entered for; the
// COMETAPI_KEY environment variable is the fallback when none is stored. Before a stored key is sent to a
// different origin (the base URL changed), the person is asked. The key never reaches settings, logs,
// files or the webview.
import * as vscode from 'vscode';
import { ask } from './modal';
import { ApiError } from '../core/api/errors';
import type { Logger } from './log';

/** The SecretStorage entry: JSON {v, key, origin}. */
export const API_KEY_SECRET_ID = 'seedance.apiKey';
export const HAS_KEY_CONTEXT = 'seedance.hasApiKey';
/** True once the key has been read (the welcome view waits for it). */
export const KEY_KNOWN_CONTEXT = 'seedance.apiKeyKnown';
export const HAS_STORED_KEY_CONTEXT = 'seedance.hasStoredApiKey';

/** What is stored under one secret, so key and origin change together. */
interface StoredKey {
  readonly v: 1;
  readonly key: string;
  /** The origin (scheme://host:port) the key was entered for; not secret, but kept with the key. */
  readonly origin?: string;
}

export type KeySource = 'stored' | 'environment' | 'none';

/** Checks a pasted key; returns a problem in plain words, or undefined when it looks usable. */
export function keyProblem(key: string): string | undefined {
  if (key.trim() === '') return vscode.l10n.t('Enter your CometAPI key (it starts with "sk-").');
  if (/\s/.test(key.trim())) return vscode.l10n.t('The key must not contain spaces or line breaks.');
  if (key.trim().length < 8) return vscode.l10n.t('That is too short to be a CometAPI key.');
  return undefined;
}

export class ApiKeyStore implements vscode.Disposable {
  private cache: Promise<StoredKey | undefined> | undefined;
  /** One question at a time per origin, and a "no" is remembered for the session. */
  private readonly questions = new Map<string, Promise<boolean>>();
  private readonly declined = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  /** Fires when the stored key changes (here or in another window). */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.log.addSecret(env.COMETAPI_KEY);
    this.subscription = secrets.onDidChange((e) => {
      if (e.key !== API_KEY_SECRET_ID) return;
      this.cache = undefined;
      this.declined.clear();
      this.updateContext().catch((e: unknown) => this.log.error('Updating the API key context failed', e));
      this.emitter.fire();
    });
  }

  async set(key: string, origin: string | undefined): Promise<void> {
    const problem = keyProblem(key);
    if (problem) throw new Error(problem);
    const value: StoredKey = { v: 1, key: key.trim(), ...(origin ? { origin } : {}) };
    this.log.addSecret(value.key);
    this.cache = Promise.resolve(value);
    this.declined.clear();
    await this.secrets.store(API_KEY_SECRET_ID, JSON.stringify(value));
    this.log.info(`API key stored in secret storage${origin ? ` for ${origin}` : ''}.`);
    await this.updateContext();
    this.emitter.fire();
  }

  async clear(): Promise<void> {
    this.cache = Promise.resolve(undefined);
    await this.secrets.delete(API_KEY_SECRET_ID);
    this.log.info('Stored API key removed.');
    await this.updateContext();
    this.emitter.fire();
  }

  /** Where the key would come from right now. */
  async source(): Promise<KeySource> {
    if (await this.stored()) return 'stored';
    return this.envKey() ? 'environment' : 'none';
  }

  /**
   * The key to send to `origin`. A stored key entered for another origin is sent only after the person
   * agrees (then remembered for that origin). Throws an auth ApiError when there is no key to send.
   */
  async keyFor(origin: string): Promise<string> {
    const stored = await this.stored();
    if (!stored) {
      const fromEnv = this.envKey();
      if (fromEnv) return fromEnv;
      throw new ApiError('configuration', 'No CometAPI key is set.', { reason: 'noKey' });
    }
    if (stored.origin === undefined || stored.origin === origin) return stored.key;
    if (this.declined.has(origin) || !(await this.confirmOrigin(stored.origin, origin))) {
      throw new ApiError('configuration', `The API key was entered for ${stored.origin}; the person chose not to send it to ${origin}.`, { reason: 'keyOtherOrigin', origin });
    }
    await this.set(stored.key, origin);
    return stored.key;
  }

  /**
   * Sets the seedance.hasApiKey / seedance.hasStoredApiKey context keys (welcome view, menus), then
   * seedance.apiKeyKnown: until the key has been read once the welcome view offers nothing (neither "Set API
   * Key" nor "Generate Video"), so it never flashes "Set API Key" at someone whose key is stored.
   */
  async updateContext(): Promise<void> {
    const stored = (await this.stored()) !== undefined;
    await vscode.commands.executeCommand('setContext', HAS_STORED_KEY_CONTEXT, stored);
    await vscode.commands.executeCommand('setContext', HAS_KEY_CONTEXT, stored || this.envKey() !== undefined);
    await vscode.commands.executeCommand('setContext', KEY_KNOWN_CONTEXT, true);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }

  private envKey(): string | undefined {
    const key = this.env.COMETAPI_KEY?.trim();
    return key ? key : undefined;
  }

  private stored(): Promise<StoredKey | undefined> {
    this.cache ??= this.read();
    return this.cache;
  }

  private async read(): Promise<StoredKey | undefined> {
    let raw: string | undefined;
    try {
      raw = await this.secrets.get(API_KEY_SECRET_ID);
    } catch (error) {
      this.log.error('Could not read the API key from secret storage', error);
      return undefined;
    }
    if (!raw) return undefined;
    let value: StoredKey | undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<StoredKey>;
      if (typeof parsed.key === 'string' && parsed.key !== '') {
        value = { v: 1, key: parsed.key, ...(typeof parsed.origin === 'string' ? { origin: parsed.origin } : {}) };
      }
    } catch {
      // A bare key string (stored by hand or by an older build): usable, origin unknown.
      value = { v: 1, key: raw.trim() };
    }
    this.log.addSecret(value?.key);
    return value;
  }

  private confirmOrigin(from: string, to: string): Promise<boolean> {
    let question = this.questions.get(to);
    if (!question) {
      question = this.ask(from, to).finally(() => this.questions.delete(to));
      this.questions.set(to, question);
    }
    return question;
  }

  private async ask(from: string, to: string): Promise<boolean> {
    this.log.warn(`The API base URL changed from ${from} to ${to}; asking before sending the key there.`);
    const send = vscode.l10n.t('Send Key to {0}', to);
    const answer = await ask({
      id: 'apiKey.newOrigin',
      message: vscode.l10n.t('Send your CometAPI key to a different server?'),
      detail: vscode.l10n.t('Your key was entered for {0}, but seedance.apiBaseUrl now points at {1}. Only continue if you trust {1}.', from, to),
      choices: [send],
    });
    if (answer === send) return true;
    this.declined.add(to);
    return false;
  }
}
