// The webview's one connection to the extension: typed posting, request/reply matching by requestId, and
// the vscode.getState/setState slot (which survives the panel being hidden and, through the serializer,
// a window reload).
import {
  parsePanelState,
  type ExtensionToWebview,
  type PanelState,
  type Reply,
  type RequestMessage,
  type RequestType,
  type WebviewToExtension,
} from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export type ReplyOf<K extends RequestType> = Extract<Reply, { request: K }>;
type RequestBody<K extends RequestType> = Omit<Extract<RequestMessage, { type: K }>, 'requestId'>;

export class Host {
  private readonly api = acquireVsCodeApi();
  private readonly pending = new Map<string, (reply: Reply) => void>();
  private seq = 0;
  /** Distinguishes this document's request ids from a previous one's (after hide/show or reload). */
  private readonly prefix = Math.random().toString(36).slice(2, 8);

  constructor(private readonly onMessage: (message: Exclude<ExtensionToWebview, Reply>) => void) {
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  post(message: WebviewToExtension): void {
    this.api.postMessage(message);
  }

  /** Sends a request and resolves with its one reply, ok or not. */
  request<K extends RequestType>(body: RequestBody<K>): Promise<ReplyOf<K>> {
    const requestId = `${this.prefix}-${++this.seq}`;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve as (reply: Reply) => void);
      this.post({ ...body, requestId } as unknown as WebviewToExtension);
    });
  }

  loadState(): PanelState | undefined {
    return parsePanelState(this.api.getState());
  }

  saveState(state: PanelState): void {
    this.api.setState(state);
  }

  private receive(data: unknown): void {
    // Only the extension posts to this window; the check keeps stray messages from throwing.
    if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string') return;
    const message = data as ExtensionToWebview;
    if (message.type === 'reply') {
      const resolve = this.pending.get(message.requestId);
      this.pending.delete(message.requestId);
      resolve?.(message);
      return;
    }
    this.onMessage(message);
  }
}
