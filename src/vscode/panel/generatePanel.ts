// One Generate panel: its webview's conversation with the extension. Every message from the webview is
// parsed by the protocol's validators first; every request gets exactly one reply; nothing is posted
// until the webview's document said `ready` (it says so again each time it is shown after being hidden,
// since the panel is not kept alive while hidden).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { downloadToComputer, filesAreLocal } from '../hostKind';
import { validate, type ValidationProblem } from '../../core/catalog';
import { liveListOf } from '../../core/availability';
import { imagesOf, referencesOf } from '../../core/requestImages';
import { fieldsOf, settingsOf } from '../../core/generationRequest';
import { isInside } from '../../core/files/pathContainment';
import type { Event } from '../../core/events';
import type { GenerateArgs, GenerationDefaults } from '../../core/generationArgs';
import type { TaskRequest, TrackedTask } from '../../core/tasks/task';
import {
  MAX_PANEL_RESULTS,
  parseWebviewMessage,
  type ExtensionToWebview,
  type GenerateForm,
  type GenerationSettings,
  type PanelPricing,
  type PanelState,
  type Prefill,
  type ReferenceImageView,
  type Reply,
  type ReplyError,
  type RequestMessage,
  type RequestResults,
  type RequestType,
  type TaskAction,
} from '../../shared/protocol';
import { panelWebviewOptions, renderPanelHtml } from './panelHtml';
import { regeneratePrefill } from './regeneratePrefill';
import { ReferenceImageError, type ReferenceImageStore, type StoredReferenceImage } from './referenceImageStore';
import { toTaskView } from './taskView';
import { WebviewHost } from '../webviewHost';
import { executeSeedanceCommand } from '../commands/execute';

/** What the panel needs from the rest of the extension (extension.ts passes the real objects). */
export interface GeneratePanelDeps {
  /** The task store; the panel is a projection of it, like the tree. */
  readonly store: {
    get(localId: string): TrackedTask | undefined;
    list(): TrackedTask[];
    readonly onDidChange: Event<readonly string[]>;
  };
  /**
   * The extension's one submit path (what `seedance.generate` does with its argument object), for a
   * request the panel has already validated: it checks again, sends, and starts following the task.
   * Resolves with the task's local id whenever the store has an entry for it (accepted, or failed and
   * shown as such on its card); rejects when nothing was created (no key, invalid input, ...).
   */
  submit(args: GenerateArgs): Promise<string>;
  /** The seedance.default* settings, for a form nobody has used yet. */
  defaults(): GenerationDefaults;
  /** Absolute path of the output folder, when a workspace is open (videos play from there). */
  outputFolder(): string | undefined;
  /**
   * Words for an error (and, where it helps, the notification with the action that fixes it, e.g.
   * "Set API Key"): the extension's one error boundary.
   */
  describeError(error: unknown): string;
  log(line: string): void;
  /** How long a request like this usually takes (learned durations), in ms; undefined when nothing was learned. */
  typicalMs?(request: TaskRequest): number | undefined;
  /** Prices and budget for the estimate next to Generate (issue 11); absent: no estimate is shown. */
  readonly pricing?: {
    snapshot(): PanelPricing;
    readonly onDidChange: Event<void>;
    openPriceSettings(): void;
  };
}

/** What one panel is built with: the deps plus the panel module's own services. */
export interface PanelServices extends GeneratePanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly images: ReferenceImageStore;
  /** The remembered last-used settings (read) and where to remember new ones (write). */
  lastUsed(): GenerationSettings;
  remember(settings: GenerationSettings): void;
}

/** A refusal whose words go back to the webview as they are, with field-level problems if any. */
class PanelError extends Error {
  constructor(message: string, readonly problems?: readonly ValidationProblem[]) {
    super(message);
  }
}

export class GeneratePanel implements vscode.Disposable {
  /** The panel's lifetime and the page's `ready` (webviewHost.ts); replies to the page's requests are ours. */
  private readonly host: WebviewHost<ExtensionToWebview>;
  /** Results shown, newest first (the authority; the webview mirrors it). */
  private resultIds: string[];
  private pendingPrefill: Prefill | undefined;
  private pendingFocus: string | undefined;
  /** The video folders last given to localResourceRoots (undefined before the first assignment). */
  private roots: string | undefined;

  /** `recent`: for a new panel, the results the last one showed when it was closed (newest first). */
  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: PanelServices,
    restored?: PanelState,
    recent?: readonly string[],
  ) {
    this.host = new WebviewHost<ExtensionToWebview>(panel, {
      name: 'Generate panel',
      log: services.log,
      receive: (raw) => this.receive(raw),
      closedMessage: () => vscode.l10n.t('The Generate panel was closed.'),
    });
    this.resultIds = (restored?.resultIds ?? recent ?? []).filter((id) => services.store.get(id) !== undefined).slice(0, MAX_PANEL_RESULTS);
    this.updateResourceRoots();
    panel.webview.html = renderPanelHtml(panel.webview, services.extensionUri);
    this.host.disposables.add(services.store.onDidChange((ids) => this.onStoreChange(ids)));
    if (services.pricing) this.host.disposables.add(services.pricing.onDidChange(() => this.postPricing()));
  }

  private get ready(): boolean {
    return this.host.isReady;
  }

  private get disposed(): boolean {
    return this.host.isDisposed;
  }

  /** The results shown, newest first (remembered when the panel closes, shown again when it reopens). */
  get results(): readonly string[] {
    return this.resultIds;
  }

  onDidDispose(callback: () => void): void {
    this.host.onDidDispose(callback);
  }

  /** Shows the panel; with a prefill, fills in the form (now if the webview is live, else at `init`). */
  reveal(prefill?: Prefill): void {
    if (prefill) {
      if (this.ready) this.post({ type: 'prefill', prefill });
      else this.pendingPrefill = prefill;
    }
    this.panel.reveal(undefined, false);
  }

  /** Shows the form filled in with a task's request, its reference images included (see regeneratePrefill.ts). */
  async regenerate(task: TrackedTask): Promise<void> {
    this.reveal(await regeneratePrefill(task.request, this.services.images, (image) => this.describeImage(image)));
  }

  /** Adds a task's card (if not shown yet) and scrolls to it. */
  showTask(localId: string): void {
    const task = this.services.store.get(localId);
    if (!task) return;
    this.addResult(localId);
    if (this.ready) this.post({ type: 'task', task: this.view(task), focus: true });
    else this.pendingFocus = localId;
    this.panel.reveal(undefined, false);
  }

  dispose(): void {
    this.host.dispose();
  }

  // ---- incoming ------------------------------------------------------------------------------------------

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.services.log(`Generate panel: refused a message from the webview (${parsed.reason}).`);
      if (parsed.replyTo) {
        this.replyError(parsed.replyTo.request, parsed.replyTo.requestId, {
          message: vscode.l10n.t('The panel sent a request the extension could not read. Close and reopen the panel, then try again.'),
        });
      }
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'ready':
        return this.onReady(message.imageTokens ?? []);
      case 'discardImage':
        return this.discardImage(message.imageToken);
      case 'dismissResult':
        this.resultIds = this.resultIds.filter((id) => id !== message.taskId);
        return;
      case 'openPriceSettings':
        this.services.pricing?.openPriceSettings();
        return;
      default:
        return this.answer(message);
    }
  }

  /** Runs a request and sends its one reply, whatever happens. */
  private async answer(message: RequestMessage): Promise<void> {
    try {
      switch (message.type) {
        case 'generate':
          return this.replyOk('generate', message.requestId, await this.generate(message.form));
        case 'pickImage':
          return this.replyOk('pickImage', message.requestId, await this.pickImages(message.room));
        case 'dropImage': {
          const stored = await this.services.images.importBytes(message.fileName, message.bytes);
          return this.replyOk('dropImage', message.requestId, { image: this.describeImage(stored) });
        }
        case 'taskAction':
          await this.runTaskAction(message.taskId, message.action);
          return this.replyOk('taskAction', message.requestId, {});
      }
    } catch (error) {
      this.replyError(message.type, message.requestId, this.toReplyError(error));
    }
  }

  private async onReady(imageTokens: readonly string[]): Promise<void> {
    const stored = (await Promise.all(imageTokens.map((t) => this.services.images.find(t)))).filter((i) => i !== undefined);
    if (this.disposed) return;
    this.resultIds = this.resultIds.filter((id) => this.services.store.get(id) !== undefined);
    // A roots change reloads the page; its new document will say `ready` again.
    if (this.updateResourceRoots()) return;
    // Everything below is synchronous, so no store event can slip in between `ready` and `init`.
    this.host.markReady();
    const results = this.resultIds.map((id) => this.view(this.services.store.get(id)!));
    this.post({
      type: 'init',
      defaults: this.services.lastUsed(),
      images: stored.map((i) => this.describeImage(i)),
      results,
      ...(this.pendingPrefill ? { prefill: this.pendingPrefill } : {}),
      ...(this.pendingFocus ? { focusTaskId: this.pendingFocus } : {}),
    });
    this.pendingPrefill = undefined;
    this.pendingFocus = undefined;
    this.postPricing();
  }

  private postPricing(): void {
    if (this.services.pricing) this.post({ type: 'pricing', pricing: this.services.pricing.snapshot() });
  }

  // ---- requests ------------------------------------------------------------------------------------------

  /** Validates again (the webview's checks are a convenience, not a guarantee), then submits. */
  private async generate(form: GenerateForm): Promise<RequestResults['generate']> {
    const tokens = form.imageTokens ?? [];
    const found = await Promise.all(tokens.map((t) => this.services.images.find(t)));
    const images = found.filter((i) => i !== undefined);
    if (images.length < tokens.length) {
      const message = tokens.length === 1
        ? vscode.l10n.t('The reference image is no longer available; choose it again.')
        : vscode.l10n.t('{0} of the reference images are no longer available; remove them and choose them again.', tokens.length - images.length);
      throw new PanelError(message, [{ field: 'inputReference', message }]);
    }
    const fields = fieldsOf(form);
    const facts = images.map((i) => ({ fileName: i.fileName, byteLength: i.byteLength, head: i.head }));
    const listed = liveListOf(this.services.pricing?.snapshot().listedModels);
    const problems = validate({ ...fields, ...referencesOf(facts) }, { listed });
    if (problems.length > 0) {
      throw new PanelError(problems.length === 1 ? vscode.l10n.t('Fix the problem shown, then Generate.') : vscode.l10n.t('Fix the {0} problems shown, then Generate.', problems.length), problems);
    }
    // The copy's base name is the original file name, which is what the upload and the record show.
    const paths = images.map((i) => i.path);
    const localId = await this.services.submit({
      ...fields,
      ...(paths.length === 1 ? { inputReference: paths[0] } : paths.length > 1 ? { inputReference: paths } : {}),
    });
    // Validated above, so these are a model's accepted values.
    this.services.remember(settingsOf(fields));
    const task = this.services.store.get(localId);
    if (!task) throw new PanelError(vscode.l10n.t('The generation was sent but is no longer tracked; see the Seedance view.'));
    this.addResult(localId);
    return { task: this.view(task) };
  }

  /** The open dialog (several files when `room` allows); each file checked and copied, in the order chosen. */
  private async pickImages(room: number): Promise<RequestResults['pickImage']> {
    const picked = await vscode.window.showOpenDialog({
      title: room > 1 ? vscode.l10n.t('Choose Reference Images') : vscode.l10n.t('Choose a Reference Image'),
      openLabel: room > 1 ? vscode.l10n.t('Use as Reference Images') : vscode.l10n.t('Use as Reference Image'),
      canSelectMany: room > 1,
      canSelectFiles: true,
      canSelectFolders: false,
      filters: { [vscode.l10n.t('Images (JPEG, PNG, WebP)')]: ['jpg', 'jpeg', 'png', 'webp'] },
    });
    if (!picked || picked.length === 0) return { images: [] };
    if (picked.some((uri) => uri.scheme !== 'file')) throw new PanelError(vscode.l10n.t('Choose an image file on disk.'));
    if (picked.length > room) {
      throw new PanelError(vscode.l10n.t('You chose {0} images, but only {1} more fit in this generation; choose fewer.', picked.length, room));
    }
    const stored: StoredReferenceImage[] = [];
    try {
      for (const uri of picked) stored.push(await this.services.images.importFile(uri.fsPath));
    } catch (error) {
      // All or nothing: copies of the files before the refused one are not left behind unseen.
      await Promise.all(stored.map((i) => this.services.images.discard(i.token)));
      throw error;
    }
    return { images: stored.map((i) => this.describeImage(i)) };
  }

  private async runTaskAction(localId: string, action: TaskAction): Promise<void> {
    const task = this.services.store.get(localId);
    if (!task) throw new PanelError(vscode.l10n.t('This generation is no longer in the list.'));
    if (action === 'regenerate') return this.regenerate(task);
    if (action === 'promote') {
      // The command's picker is the rest of the conversation (estimate, then one create through the gate);
      // the reply does not wait for it, and its errors are shown by the command's error boundary.
      void vscode.commands.executeCommand('seedance.promote', task.localId);
      return;
    }
    if (action === 'checkAgain') {
      // The command says why not when it cannot (the card may be a moment behind the task).
      await executeSeedanceCommand('seedance.checkAgain', task.localId);
      return;
    }
    if (action === 'copyPrompt') {
      await vscode.env.clipboard.writeText(task.request.prompt);
      return;
    }
    const file = task.download.state === 'downloaded' ? task.file : undefined;
    if (!file) throw new PanelError(vscode.l10n.t('The video has not been downloaded yet.'));
    const uri = vscode.Uri.file(file);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      throw new PanelError(vscode.l10n.t('{0} is no longer on disk.', path.basename(file)));
    }
    switch (action) {
      case 'openFile':
        await vscode.commands.executeCommand('vscode.open', uri);
        return;
      case 'revealFile':
        await vscode.commands.executeCommand('revealInExplorer', uri);
        return;
      case 'openExternally':
        // The system player, which has the audio decoders VS Code's webviews lack; only where the file is on
        // this machine (the webview offers downloadFile elsewhere).
        if (!filesAreLocal()) return downloadToComputer(uri);
        if (!(await vscode.env.openExternal(uri))) throw new PanelError(vscode.l10n.t('No application opened {0}.', path.basename(file)));
        return;
      case 'downloadFile':
        await downloadToComputer(uri);
        return;
    }
  }

  private async discardImage(token: string): Promise<void> {
    // A task may still need its copy (an uncertain task can be resubmitted knowingly).
    const inUse = this.services.store.list()
      .some((t) => imagesOf(t.request).some((ref) => this.services.images.tokenOf(ref.path) === token));
    if (!inUse) await this.services.images.discard(token);
  }

  // ---- outgoing ------------------------------------------------------------------------------------------

  private onStoreChange(ids: readonly string[]): void {
    for (const id of ids) {
      if (!this.resultIds.includes(id)) continue;
      const task = this.services.store.get(id);
      if (!task) {
        this.resultIds = this.resultIds.filter((r) => r !== id);
        this.post({ type: 'taskRemoved', taskId: id });
        continue;
      }
      this.updateResourceRoots();
      this.post({ type: 'task', task: this.view(task) });
    }
  }

  private post(message: ExtensionToWebview): void {
    this.host.post(message);
  }

  private replyOk<K extends RequestType>(request: K, requestId: string, result: RequestResults[K]): void {
    this.post({ type: 'reply', request, requestId, ok: true, result } as Reply);
  }

  private replyError(request: RequestType, requestId: string, error: ReplyError): void {
    this.post({ type: 'reply', request, requestId, ok: false, error } as Reply);
  }

  private toReplyError(error: unknown): ReplyError {
    if (error instanceof PanelError) return { message: error.message, ...(error.problems ? { problems: error.problems } : {}) };
    if (error instanceof ReferenceImageError) {
      return { message: error.message, problems: [{ field: 'inputReference', message: error.message }] };
    }
    return { message: this.services.describeError(error) };
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private addResult(localId: string): void {
    this.resultIds = [localId, ...this.resultIds.filter((id) => id !== localId)].slice(0, MAX_PANEL_RESULTS);
    this.updateResourceRoots();
  }

  private view(task: TrackedTask) {
    return toTaskView(task, {
      videoUri: (file) => this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString(),
      ...(this.services.typicalMs ? { typicalMs: this.services.typicalMs } : {}),
    });
  }

  private describeImage(image: StoredReferenceImage): ReferenceImageView {
    return {
      token: image.token,
      fileName: image.fileName,
      byteLength: image.byteLength,
      contentType: image.contentType,
      head: Array.from(image.head),
      thumbnailUri: this.panel.webview.asWebviewUri(vscode.Uri.file(image.path)).toString(),
    };
  }

  /**
   * Keeps localResourceRoots to what the panel shows: the output folder, plus the folder of any shown
   * video that lives elsewhere (e.g. saved before the output folder setting changed). Assigning options
   * reloads the page, so it is only done when the set really changes, and the reloaded page says `ready`.
   */
  private updateResourceRoots(): boolean {
    const output = this.services.outputFolder();
    const folders = new Set<string>(output ? [output] : []);
    for (const id of this.resultIds) {
      const file = this.services.store.get(id)?.file;
      if (!file) continue;
      const dir = path.dirname(file);
      if (![...folders].some((f) => isInside(f, dir))) folders.add(dir);
    }
    const key = [...folders].sort().join('\n');
    if (key === this.roots) return false;
    const first = this.roots === undefined;
    this.roots = key;
    this.panel.webview.options = panelWebviewOptions({
      extensionUri: this.services.extensionUri,
      referenceImages: vscode.Uri.file(this.services.images.root),
      videoFolders: [...folders].map((f) => vscode.Uri.file(f)),
    });
    // VS Code reloads the page when the options change (checked in 1.100): wait for its new `ready`.
    if (!first) this.host.markNotReady();
    return !first;
  }
}
