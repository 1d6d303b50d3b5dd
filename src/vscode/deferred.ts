// Entry points registered at activation whose work lives in the features bundle (dist/features.js, see
// src/features.ts): every contributed command, every contributed language model tool and the serializer of
// every webview the manifest activates on. Each registration is a few bytes that loads the features on
// its first use (`load`, synchronous) and hands the call on. What to register is read from the manifest
// VS Code already parsed, so the two sides cannot drift: a contributed command the features do not handle
// fails with a clear error (and test/integration/commands-registered.test.ts fails first).
import * as vscode from 'vscode';
import type { CommandHandlers } from './commands/register';

/** What src/features.ts hands back for the entry points below. */
export interface DeferredTargets {
  /** Command id -> handler, each already wrapped by the error boundary (commands/register.ts). */
  readonly commands: CommandHandlers;
  /** Tool name -> the tool object. */
  readonly tools: ReadonlyMap<string, vscode.LanguageModelTool<object>>;
}

/** How the features register a webview panel serializer: with the deferred one below, not with VS Code. */
export type RegisterSerializer = (viewType: string, serializer: vscode.WebviewPanelSerializer) => vscode.Disposable;

interface Manifest {
  readonly activationEvents?: readonly string[];
  readonly contributes?: { readonly commands?: readonly { command: string }[]; readonly languageModelTools?: readonly { name: string }[] };
}

export class DeferredEntryPoints implements vscode.Disposable {
  private readonly registrations: vscode.Disposable[] = [];
  private readonly serializers = new Map<string, vscode.WebviewPanelSerializer>();

  constructor(manifest: Manifest, private readonly load: () => DeferredTargets) {
    for (const { command } of manifest.contributes?.commands ?? []) {
      this.registrations.push(vscode.commands.registerCommand(command, (...args: unknown[]) => this.runCommand(command, args)));
    }
    // vscode.lm is there from VS Code 1.95 (our floor is 1.100), but a host that leaves chat out may lack it.
    if (typeof vscode.lm?.registerTool === 'function') {
      for (const { name } of manifest.contributes?.languageModelTools ?? []) {
        this.registrations.push(vscode.lm.registerTool(name, this.toolProxy(name)));
      }
    }
    for (const event of manifest.activationEvents ?? []) {
      const viewType = /^onWebviewPanel:(.+)$/.exec(event)?.[1];
      if (!viewType) continue;
      this.registrations.push(vscode.window.registerWebviewPanelSerializer(viewType, {
        deserializeWebviewPanel: (panel, state: unknown) => this.restore(viewType, panel, state),
      }));
    }
  }

  /** For the features: the serializer VS Code's restored panels of `viewType` go to. */
  readonly registerSerializer: RegisterSerializer = (viewType, serializer) => {
    this.serializers.set(viewType, serializer);
    return new vscode.Disposable(() => {
      if (this.serializers.get(viewType) === serializer) this.serializers.delete(viewType);
    });
  };

  /** What VS Code calls for a panel of `viewType` left open before a reload (also the integration tests). */
  async restore(viewType: string, panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.load();
    const serializer = this.serializers.get(viewType);
    // Nothing can show it (the features chose not to restore this kind): close it rather than leave it blank.
    if (!serializer) panel.dispose();
    else await serializer.deserializeWebviewPanel(panel, state);
  }

  private runCommand(command: string, args: unknown[]): unknown {
    const handler = this.load().commands[command];
    if (!handler) throw new Error(vscode.l10n.t('The command {0} is not available in this version of Seedance Studio.', command));
    return handler(...args);
  }

  private toolProxy(name: string): vscode.LanguageModelTool<object> {
    const tool = () => {
      const found = this.load().tools.get(name);
      if (!found) throw new Error(vscode.l10n.t('The tool {0} is not available in this version of Seedance Studio.', name));
      return found;
    };
    return {
      invoke: (options, token) => tool().invoke(options, token),
      prepareInvocation: (options, token) => tool().prepareInvocation?.(options, token),
    };
  }

  dispose(): void {
    for (const r of this.registrations.splice(0)) r.dispose();
    this.serializers.clear();
  }
}
