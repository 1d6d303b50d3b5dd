// The one base for the extension's webview panels (the Generate panel, Show Spending, the storyboard
// preview): it owns the panel's lifetime and the page's handshake, and leaves each page its own typed
// protocol (src/shared/*Protocol.ts), which the view parses and answers itself.
//  - Ready handshake: nothing is posted until the page said `ready` (the view calls markReady()); a panel
//    that is hidden (not kept alive) or reloaded (new webview options) is not ready until it says so again.
//    Updates posted meanwhile are dropped on purpose: every page's `ready` is answered with its whole state.
//  - One-off messages wait for `ready` with a deadline (postWhenReady()); requests to the page wait for
//    `ready` and for their answer by id, under one deadline (request()).
//  - Disposal in one place: closing the panel, or dispose(), releases the listeners, fails what still waits
//    and tells onDidDispose's callbacks, once. HostRegistry (webviewHostParts.ts) keeps one host per key.
// Smaller cousins of vscode-codeql's AbstractWebview and vscode-pull-request-github's WebviewBase.
// Type-only: the host runs under plain mocha with a stand-in panel (test/unit/webviewHost.test.ts).
import type * as vscode from 'vscode';
import { DisposableStore } from './disposables';
import { PendingReplies, ReadyGate, type DisposableHost } from './webviewHostParts';

export interface WebviewHostOptions {
  /** What the logs call the page ("Generate panel"). */
  readonly name: string;
  /** Every raw message from the page, in order; the view parses it with its protocol's validators. */
  readonly receive: (raw: unknown) => void | Promise<void>;
  readonly log: (line: string) => void;
  /** Prefix of the ids of requests to the page (captureFrame's `f1`, `f2`, ...). */
  readonly requestPrefix?: string;
  /** Why a request still waiting fails when the panel closes (the view's own words, translated). */
  readonly closedMessage: () => string;
}

export class WebviewHost<ToPage, Answer = unknown> implements vscode.Disposable, DisposableHost {
  /** Listeners and anything else that lives as long as the panel: released when it goes. */
  readonly disposables = new DisposableStore();
  private readonly gate = new ReadyGate();
  private readonly replies: PendingReplies<Answer>;
  private readonly callbacks: Array<() => void> = [];
  private disposed = false;

  constructor(readonly panel: vscode.WebviewPanel, private readonly options: WebviewHostOptions) {
    this.replies = new PendingReplies<Answer>(options.requestPrefix);
    this.disposables.add(panel.webview.onDidReceiveMessage((raw: unknown) => {
      // A failing handler is logged, never left as an unhandled rejection in the extension host.
      Promise.resolve()
        .then(() => options.receive(raw))
        .catch((e: unknown) => options.log(`${options.name}: handling a message failed (${e instanceof Error ? e.message : String(e)}).`));
    }));
    // Hidden means the document is gone (panels are not kept alive); the next one says `ready` again.
    this.disposables.add(panel.onDidChangeViewState(() => {
      if (!panel.visible) this.gate.markNotReady();
    }));
    this.disposables.add(panel.onDidDispose(() => this.dispose()));
  }

  get webview(): vscode.Webview {
    return this.panel.webview;
  }

  /** Whether the page listens now. */
  get isReady(): boolean {
    return this.gate.isReady && !this.disposed;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** The page said `ready`: posts go through from now on. */
  markReady(): void {
    if (!this.disposed) this.gate.markReady();
  }

  /** The page is about to reload (its webview options change): wait for its next `ready`. */
  markNotReady(): void {
    this.gate.markNotReady();
  }

  /** Resolves once the page is ready; fails after `timeoutMs` with `onTimeout()`, or when the panel closes. */
  whenReady(timeoutMs: number, onTimeout: () => Error): Promise<void> {
    return this.gate.wait(timeoutMs, onTimeout);
  }

  /**
   * Posts an update when the page listens; otherwise drops it (the page's next `ready` is answered with the
   * whole state, so nothing is lost). Returns whether it was posted.
   */
  post(message: ToPage): boolean {
    if (!this.isReady) return false;
    // Rejects only when the panel went away meanwhile, and then there is no one to tell.
    Promise.resolve(this.panel.webview.postMessage(message)).catch(() => undefined);
    return true;
  }

  /**
   * Posts a one-off message (an answer, a command; not state the page is sent again at `ready`) once the page
   * is ready, waiting at most `timeoutMs` for it; false, logged, when it did not become ready in time.
   */
  async postWhenReady(message: ToPage, timeoutMs: number): Promise<boolean> {
    try {
      await this.gate.wait(timeoutMs, () => new Error('not ready'));
    } catch {
      this.options.log(`${this.options.name}: the page was not ready within ${Math.round(timeoutMs / 1000)} s; a message to it was not sent.`);
      return false;
    }
    return this.post(message);
  }

  /**
   * Asks the page something and waits for its answer by id. One deadline covers waiting for `ready` and for
   * the answer, so a page that never loads fails with `onTimeout()`'s words instead of hanging. A page that
   * goes away before it answers (its tab hidden, a reload) is asked again once it is back, under the same
   * deadline; `onGone` may bring it back (the preview shows itself again for a frame). The view passes the
   * page's answers to answered()/failed().
   */
  async request(build: (requestId: string) => ToPage, timeoutMs: number, onTimeout: () => Error, onGone?: () => void): Promise<Answer> {
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(0, deadline - Date.now());
    for (;;) {
      await this.gate.wait(left(), onTimeout);
      // Closed between `ready` and here (the wait resolves a tick later): nobody would ever answer.
      if (this.disposed) throw new Error(this.options.closedMessage());
      const id = this.replies.nextId();
      const answer = this.replies.expect(id, left(), onTimeout);
      const gone = new PageGone();
      const stop = this.gate.onceGone(() => this.replies.reject(id, gone));
      this.post(build(id));
      try {
        return await answer;
      } catch (error) {
        if (error !== gone) throw error;
        this.options.log(`${this.options.name}: the page went away before it answered ${id}; asking again once it is back.`);
        onGone?.();
      } finally {
        stop();
      }
    }
  }

  /** The page answered request `id` (false: nobody waits for it any more). */
  answered(id: string, value: Answer): boolean {
    return this.replies.resolve(id, value);
  }

  /** The page said request `id` failed. */
  failed(id: string, error: Error): boolean {
    return this.replies.reject(id, error);
  }

  /** Called once, when the panel closes or the host is disposed. */
  onDidDispose(callback: () => void): void {
    if (this.disposed) callback();
    else this.callbacks.push(callback);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const gone = new Error(this.options.closedMessage());
    this.gate.close(gone);
    this.replies.rejectAll(gone);
    this.disposables.dispose();
    this.panel.dispose();
    for (const callback of this.callbacks.splice(0)) {
      try {
        callback();
      } catch (e) {
        this.options.log(`${this.options.name}: a close handler failed (${e instanceof Error ? e.message : String(e)}).`);
      }
    }
  }
}

/** Why a request is asked again: its page was unloaded before it answered. */
class PageGone extends Error {
  constructor() {
    super('The page went away before it answered.');
  }
}
