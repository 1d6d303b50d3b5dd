// Entry point of the panel module for extension.ts: registers the serializer that brings the panel back
// after a window reload, owns the one panel instance, and hands out the small controller the commands use
// (`seedance.generate` opens it, `seedance.previewTask` shows a task in it). Disposing the controller
// closes the panel and unregisters the serializer.
import * as vscode from 'vscode';
import type { TrackedTask } from '../../core/tasks/task';
import { GENERATE_PANEL_VIEW_TYPE, parsePanelState, type PanelState, type Prefill } from '../../shared/protocol';
import { GeneratePanel, type GeneratePanelDeps, type PanelServices } from './generatePanel';
import { readLastUsed, rememberLastUsed } from './lastUsed';
import { prefillFromRecord } from './recordPrefill';
import { ReferenceImageStore } from './referenceImageStore';
import { imagesOf } from '../../core/requestImages';
import type { RegisterSerializer } from '../deferred';
import { HostRegistry } from '../webviewHostParts';

export type { GeneratePanelDeps } from './generatePanel';

/** workspaceState: the results the panel showed when it was last closed, newest first. */
const RECENT_RESULTS_KEY = 'seedance.panel.recentResults';

/** Reference-image copies older than this are deleted when the panel first opens in a session. */
const REFERENCE_IMAGE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export interface GeneratePanelController extends vscode.Disposable {
  /** Opens the panel (or brings it forward); with a prefill, fills in the form. */
  open(prefill?: Prefill): void;
  /** Opens the panel filled in with a task's request, reference image included (or flagged when gone). */
  regenerate(task: TrackedTask): Promise<void>;
  /** Opens the panel on one task's result: the same live card, scrolled into view. */
  showPreview(task: TrackedTask | string): void;
  /** Opens the panel filled in from a saved generation record (.json beside a video). */
  openFromRecord(record: vscode.Uri): Promise<void>;
}

export function registerGeneratePanel(
  context: vscode.ExtensionContext,
  deps: GeneratePanelDeps,
  registerSerializer: RegisterSerializer,
): GeneratePanelController {
  const images = new ReferenceImageStore(vscode.Uri.joinPath(context.globalStorageUri, 'reference-images').fsPath);
  const services: PanelServices = {
    ...deps,
    extensionUri: context.extensionUri,
    images,
    lastUsed: () => readLastUsed(context.globalState, deps.defaults()),
    remember: (settings) => void Promise.resolve(rememberLastUsed(context.globalState, settings, deps.defaults()))
      .catch((e: unknown) => services.log(`Remembering the panel's settings failed (${e instanceof Error ? e.message : String(e)}).`)),
  };
  // One panel (webviewHost.ts): created once, a second restored copy closed.
  const hosts = new HostRegistry<GeneratePanel>();
  const KEY = 'panel';
  let swept = false;

  const adopt = (panel: vscode.WebviewPanel, restored?: PanelState, recent?: readonly string[]): GeneratePanel => {
    if (!swept) {
      // Housekeeping once per session, when the panel is first used: never on activation.
      swept = true;
      const keep = new Set<string>();
      for (const t of deps.store.list()) {
        for (const image of imagesOf(t.request)) {
          const token = images.tokenOf(image.path);
          if (token) keep.add(token);
        }
      }
      for (const token of restored?.form.imageTokens ?? []) keep.add(token);
      images.sweep(REFERENCE_IMAGE_MAX_AGE_MS, Date.now(), keep).catch((e) => deps.log(`Generate panel: cleanup failed: ${e}`));
    }
    const created = new GeneratePanel(panel, services, restored, recent);
    created.onDidDispose(() => {
      // Closing the panel does not forget its results: the next one opens with them (the tree keeps them too).
      void Promise.resolve(context.workspaceState.update(RECENT_RESULTS_KEY, [...created.results])).catch(() => undefined);
    });
    return created;
  };

  const create = (): GeneratePanel => hosts.open(KEY, () => {
    // Beside the editor when one is open, so the selection a prompt came from stays visible.
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(GENERATE_PANEL_VIEW_TYPE, vscode.l10n.t('Generate Video'), column, {});
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'seedance.svg');
    const recent = context.workspaceState.get<unknown>(RECENT_RESULTS_KEY);
    return adopt(panel, undefined, Array.isArray(recent) ? recent.filter((id): id is string => typeof id === 'string') : []);
  });

  // Owned by the caller (the controller's dispose), not pushed on context.subscriptions, so a composition
  // root that rebuilds itself (tests do) can register again without a duplicate serializer.
  const registrations: vscode.Disposable[] = [
    registerSerializer(GENERATE_PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        // Only one panel: a second restored one (e.g. after a split) is closed rather than left blank.
        hosts.restore(KEY, () => {
          panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'seedance.svg');
          return adopt(panel, parsePanelState(state));
        }, () => panel.dispose());
      },
    }),
  ];

  return {
    dispose() {
      hosts.dispose();
      for (const r of registrations.splice(0)) r.dispose();
    },
    open(prefill) {
      create().reveal(prefill);
    },
    regenerate(task) {
      return create().regenerate(task);
    },
    showPreview(task) {
      create().showTask(typeof task === 'string' ? task : task.localId);
    },
    async openFromRecord(record) {
      const fileName = record.path.split('/').pop() ?? vscode.l10n.t('The file');
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(record));
      create().reveal(prefillFromRecord(text, fileName));
    },
  };
}
