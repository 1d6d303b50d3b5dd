// The storyboard preview: one webview per storyboard file, updated live from the service. It shows every
// shot with its takes, lets the person choose a take (written into the file), re-roll a shot and play the
// chosen takes back to back; it is also where last frames are captured (the extension has no decoder).
// Every message from the page is parsed by storyboardProtocol.ts first.
import { promises as fs, existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { executeSeedanceCommand } from '../commands/execute';
import { chosenTake, isPlayable, lastFramePath } from '../../core/storyboard/takes';
import {
  parseFilmFromWebview,
  parseFromWebview,
  STORYBOARD_PREVIEW_VIEW_TYPE,
  type FilmToWebview,
  type FromWebview,
  type ToWebview,
} from '../../shared/storyboardProtocol';
import type { FilmPreviewPart } from './filmPreview';
import type { RegisterSerializer } from '../deferred';
import type { StoryboardRuns } from '../../core/storyboard/runRegistry';
import { setShotValue } from './documentEdits';
import type { ShotPricer } from './pricing';
import { previewWebviewOptions, renderPreviewHtml } from './previewHtml';
import { buildView, stringValue } from './previewView';
import { WebviewHost } from '../webviewHost';
import { HostRegistry } from '../webviewHostParts';
import type { StoryboardService, StoryboardSnapshot } from './storyboardService';

/** Long enough for a 1080p take to load and seek; short enough that a continuation never hangs. */
const CAPTURE_TIMEOUT_MS = 45_000;
/** How long a one-off message waits for a page that is still loading. */
const READY_TIMEOUT_MS = 15_000;

export interface PreviewDeps {
  readonly extensionUri: vscode.Uri;
  readonly service: StoryboardService;
  readonly pricer: ShotPricer;
  readonly outputFolder: () => string | undefined;
  readonly log: (line: string) => void;
  readonly describeError: (error: unknown) => string;
  /** Where restored previews come from (activation registered the serializer, see ../deferred.ts). */
  readonly registerSerializer: RegisterSerializer;
  /** Runs in progress: a shot waiting in one says for which shot. */
  readonly runs?: StoryboardRuns<unknown>;
  /** The film's part of the page (filmPreview.ts): its state and its requests. */
  readonly film?: FilmPreviewPart;
}

class Preview implements vscode.Disposable {
  /** The panel's lifetime, the page's `ready` and the frame requests by id (webviewHost.ts). */
  readonly host: WebviewHost<ToWebview | FilmToWebview, Uint8Array>;
  private focusShot: string | undefined;
  private roots: string | undefined;
  /** Videos whose frame was already asked for by this page (auto-capture happens once per video). */
  private readonly autoCaptured = new Set<string>();

  constructor(
    readonly uri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: PreviewDeps,
    private readonly frames: FrameCapture,
  ) {
    this.host = new WebviewHost(panel, {
      name: 'Storyboard preview',
      log: deps.log,
      receive: (raw) => this.receive(raw),
      requestPrefix: 'f',
      closedMessage: () => vscode.l10n.t('The preview was closed before the frame was captured.'),
    });
    this.setRoots();
    panel.webview.html = renderPreviewHtml(panel.webview, deps.extensionUri, path.basename(uri.fsPath));
    this.host.disposables.add(deps.service.onDidChange((changed) => {
      if (!changed || changed.toString() === uri.toString()) void this.push();
    }));
  }

  private get disposed(): boolean {
    return this.host.isDisposed;
  }

  onDidDispose(callback: () => void): void {
    this.host.onDidDispose(callback);
  }

  reveal(focusShot?: string, preserveFocus = false): void {
    this.focusShot = focusShot;
    this.panel.reveal(undefined, preserveFocus);
    if (this.host.isReady) void this.push();
  }

  /**
   * Asks the page for the last frame of a take. The page reads the video from its own webview URL (no
   * bytes are posted); the deadline covers the wait for the page too, so a preview that never becomes
   * ready (a hidden tab the editor does not load) fails with words instead of hanging. A preview hidden
   * while it captures (the person opened another tab over it) unloads its page: it is shown again, without
   * the focus, and asked again.
   */
  capture(videoFile: string): Promise<Uint8Array> {
    const videoUri = this.panel.webview.asWebviewUri(vscode.Uri.file(videoFile)).toString();
    return this.host.request(
      (requestId) => ({ type: 'captureFrame', requestId, videoUri }),
      CAPTURE_TIMEOUT_MS,
      () => new Error(vscode.l10n.t('The storyboard preview did not capture the last frame within {0} seconds. Open the preview (Seedance: Preview Storyboard) and try again.', CAPTURE_TIMEOUT_MS / 1000)),
      () => {
        if (!this.disposed && !this.panel.visible) this.panel.reveal(undefined, true);
      },
    );
  }

  /** Whether the page is on screen (a hidden tab's page may be unloaded and never answer). */
  get visible(): boolean {
    return this.panel.visible;
  }

  playAll(): void {
    // A command, not state: it waits for a page that is still loading (a preview just opened).
    void this.host.postWhenReady({ type: 'playAll' }, READY_TIMEOUT_MS);
  }

  dispose(): void {
    this.host.dispose();
  }

  private post(message: ToWebview | FilmToWebview): void {
    this.host.post(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const film = this.deps.film ? parseFilmFromWebview(raw) : undefined;
    if (film) {
      if (!film.ok) this.deps.log(`Storyboard preview: refused a film message from the webview (${film.reason}).`);
      else {
        await this.deps.film!.handle(film.value, this.uri)
          .catch((error: unknown) => void vscode.window.showErrorMessage(this.deps.describeError(error)));
      }
      return;
    }
    const parsed = parseFromWebview(raw);
    if (!parsed.ok) {
      this.deps.log(`Storyboard preview: refused a message from the webview (${parsed.reason}).`);
      return;
    }
    const message: FromWebview = parsed.value;
    try {
      switch (message.type) {
        case 'ready':
          this.host.markReady();
          await this.push();
          return;
        case 'frame':
          this.host.answered(message.requestId, message.png);
          return;
        case 'frameFailed':
          this.host.failed(message.requestId, new Error(message.message));
          return;
        case 'choose':
          await setShotValue(this.uri, message.shot, 'take', message.take, (await this.deps.service.snapshot(this.uri)).attached);
          return;
        case 'reroll':
          await executeSeedanceCommand('seedance.storyboard.generateShot', this.uri, message.shot, 'interactive');
          return;
        case 'generateAll':
          await executeSeedanceCommand('seedance.storyboard.generateAll', this.uri);
          return;
        case 'promote': {
          // Issue 19: the take's task, through seedance.promote (its picker, the gate; the result joins the shot).
          const snap = await this.deps.service.snapshot(this.uri);
          const take = snap.takes.get(message.shot)?.find((t) => t.key === message.take);
          if (take?.localId) await vscode.commands.executeCommand('seedance.promote', take.localId);
          return;
        }
        case 'openTake': {
          const snap = await this.deps.service.snapshot(this.uri);
          const take = snap.takes.get(message.shot)?.find((t) => t.key === message.take);
          if (take?.videoFile) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(take.videoFile));
          return;
        }
      }
    } catch (error) {
      void vscode.window.showErrorMessage(this.deps.describeError(error));
    }
  }

  private setRoots(): boolean {
    const output = this.deps.outputFolder();
    const key = output ?? '';
    if (key === this.roots) return false;
    const first = this.roots === undefined;
    this.roots = key;
    this.panel.webview.options = previewWebviewOptions(this.deps.extensionUri, output ? [vscode.Uri.file(output)] : []);
    if (!first) this.host.markNotReady(); // the page reloads and says `ready` again
    return !first;
  }

  private async push(): Promise<void> {
    if (this.disposed || !this.host.isReady) return;
    if (this.setRoots()) return;
    let snap: StoryboardSnapshot;
    try {
      snap = await this.deps.service.snapshot(this.uri);
    } catch (error) {
      this.deps.log(`Storyboard preview: could not read ${this.uri.fsPath}: ${error}`);
      return;
    }
    // Closed while the storyboard was read: its webview is gone (touching it throws).
    if (this.disposed) return;
    const view = buildView(
      snap,
      this.deps.pricer,
      (file) => this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString(),
      this.focusShot,
      this.deps.runs,
    );
    this.focusShot = undefined;
    this.panel.title = vscode.l10n.t('Storyboard: {0}', view.title);
    this.post({ type: 'state', view });
    if (this.deps.film) {
      const film = await this.deps.film.message(snap, (file) => this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString());
      if (!this.disposed) this.post(film);
    }
    this.captureMissingFrames(snap);
  }

  /** Continuations show the frame they will start from: capture it as soon as the previous take is there. */
  private captureMissingFrames(snap: StoryboardSnapshot): void {
    const shots = snap.resolved.shots;
    for (let i = 1; i < shots.length; i++) {
      if (!shots[i].continues) continue;
      const prev = shots[i - 1].shot;
      const take = prev.id ? chosenTake(snap.takes.get(prev.id), stringValue(prev.settings.take?.value)) : undefined;
      if (
        !take?.videoFile || !isPlayable(take) || existsSync(lastFramePath(take.videoFile)) ||
        this.autoCaptured.has(take.videoFile)
      ) continue;
      this.autoCaptured.add(take.videoFile);
      this.frames.lastFrame(this.uri, take.videoFile).catch((e) => this.deps.log(`Storyboard preview: frame capture failed: ${e}`));
    }
  }
}

/**
 * Last frames: saved beside the take as a PNG (what a continuation sends, visible to the person), captured
 * by the storyboard's preview when the PNG is not there yet.
 */
export interface FrameCapture {
  lastFrame(storyboard: vscode.Uri, videoFile: string): Promise<string>;
}

export class StoryboardPreviews implements vscode.Disposable, FrameCapture {
  /** One preview per storyboard (webviewHostParts.ts). */
  private readonly open = new HostRegistry<Preview>();
  private readonly capturing = new Map<string, Promise<string>>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly deps: PreviewDeps) {
    this.registration = deps.registerSerializer(STORYBOARD_PREVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const uriText = typeof state === 'object' && state !== null ? (state as { uri?: unknown }).uri : undefined;
        if (typeof uriText !== 'string') {
          panel.dispose();
          return;
        }
        const uri = vscode.Uri.parse(uriText);
        if (uri.scheme !== 'file') {
          panel.dispose();
          return;
        }
        this.open.restore(uri.toString(), () => this.adopt(uri, panel), () => panel.dispose());
      },
    });
  }

  show(uri: vscode.Uri, focusShot?: string, options: { preserveFocus?: boolean } = {}): void {
    const existing = this.open.get(uri.toString());
    if (existing) {
      existing.reveal(focusShot, options.preserveFocus);
      return;
    }
    this.open.open(uri.toString(), () => this.adopt(uri, vscode.window.createWebviewPanel(STORYBOARD_PREVIEW_VIEW_TYPE, vscode.l10n.t('Storyboard: {0}', path.basename(uri.fsPath)), {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: options.preserveFocus ?? false,
    }, {}))).reveal(focusShot, options.preserveFocus);
  }

  /** Plays the chosen takes of an open preview (tests; the page's own button does the same). */
  playAll(uri: vscode.Uri): void {
    this.open.get(uri.toString())?.playAll();
  }

  async lastFrame(storyboard: vscode.Uri, videoFile: string): Promise<string> {
    const target = lastFramePath(videoFile);
    if (existsSync(target)) return target;
    let running = this.capturing.get(videoFile);
    if (!running) {
      running = this.captureInto(storyboard, videoFile, target).finally(() => this.capturing.delete(videoFile));
      this.capturing.set(videoFile, running);
    }
    return running;
  }

  dispose(): void {
    this.open.dispose();
    this.registration.dispose();
  }

  private async captureInto(storyboard: vscode.Uri, videoFile: string, target: string): Promise<string> {
    // The page captures: it must be loaded, so a closed or hidden preview is shown beside the editor,
    // without taking the focus from what the person is doing.
    const open = this.open.get(storyboard.toString());
    if (!open || !open.visible) this.show(storyboard, undefined, { preserveFocus: true });
    const preview = this.open.get(storyboard.toString())!;
    const png = await preview.capture(videoFile);
    if (png.byteLength < 8 || png[0] !== 0x89 || png[1] !== 0x50) throw new Error(vscode.l10n.t('The captured frame is not a PNG image.'));
    // Written beside and renamed: a failed write never leaves half a PNG under the name a continuation sends.
    const partial = `${target}.partial-${process.pid}-${Date.now()}`;
    await fs.writeFile(partial, png, { flag: 'wx' });
    await fs.rename(partial, target);
    this.deps.log(`Storyboard: captured the last frame of ${path.basename(videoFile)} (${png.byteLength} bytes)`);
    this.deps.service.refresh(storyboard);
    return target;
  }

  private adopt(uri: vscode.Uri, panel: vscode.WebviewPanel): Preview {
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'seedance.svg');
    return new Preview(uri, panel, this.deps, this);
  }
}

