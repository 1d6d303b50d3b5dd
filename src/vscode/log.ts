// The "Seedance" output channel. Every line goes through redaction first: the API key (wherever it
// appears), Bearer tokens, Authorization headers and the query part of any URL (signed video links are
// credentials until they expire).
import * as vscode from 'vscode';
import { redactSecrets } from '../core/redact';

export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  /** Adds a value that must never appear in the log (the key, once known). */
  addSecret(secret: string | undefined): void;
  show(): void;
}

export class OutputChannelLogger implements Logger, vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();
  private disposed = false;

  constructor(name = 'Seedance') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  trace(message: string): void {
    this.write((c, m) => c.trace(m), message);
  }

  info(message: string): void {
    this.write((c, m) => c.info(m), message);
  }

  warn(message: string): void {
    this.write((c, m) => c.warn(m), message);
  }

  error(message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${describeError(error)}`;
    this.write((c, m) => c.error(m), message + detail);
  }

  addSecret(secret: string | undefined): void {
    if (secret && secret.length >= 6) this.secrets.add(secret);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.disposed = true;
    this.channel.dispose();
  }

  /** Late lines (a background job finishing after deactivation) are dropped, never thrown. */
  private write(send: (channel: vscode.LogOutputChannel, line: string) => void, text: string): void {
    if (this.disposed) return;
    try {
      send(this.channel, this.clean(text));
    } catch {
      // The channel is gone (window closing); nothing useful to do with the line.
    }
  }

  private clean(text: string): string {
    return redactSecrets(text, [...this.secrets]);
  }
}

/** Kind, code and message of an error, plus the stack for unexpected ones (redacted by the caller). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const extra = error as { kind?: string; reason?: string; code?: string; status?: number; host?: string; requestId?: string };
    const tags = [extra.kind, extra.reason, extra.code, extra.status, extra.host === 'video' ? 'video host' : undefined].filter((v) => v !== undefined && v !== '').join('/');
    // The vendor's request id is what CometAPI support asks for.
    const rid = extra.requestId ? ` (request id ${extra.requestId})` : '';
    const head = `${error.name}${tags ? ` [${tags}]` : ''}: ${error.message}${rid}`;
    return extra.kind === undefined && error.stack ? `${head}\n${error.stack.split('\n').slice(1, 6).join('\n')}` : head;
  }
  return String(error);
}
