// A minimal stand-in for the `vscode` module, for benchmarks only (never for tests: those run in real VS
// Code). It implements just what activation and the tree provider touch, records output channel lines,
// and is injected with Module._resolveFilename so `require('vscode')` finds it.
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

type Listener<T> = (e: T) => unknown;

class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  fired = 0;
  event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    this.fired++;
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  constructor(private readonly fn: () => void = () => undefined) {}
  dispose(): void {
    this.fn();
  }
}

class ThemeColor {
  constructor(readonly id: string) {}
}
class ThemeIcon {
  constructor(readonly id: string, readonly color?: ThemeColor) {}
}
class MarkdownString {
  value = '';
  constructor(value = '', readonly supportThemeIcons = false) {
    this.value = value;
  }
  appendMarkdown(s: string): this {
    this.value += s;
    return this;
  }
  appendText(s: string): this {
    this.value += s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
    return this;
  }
}
class TreeItem {
  id?: string;
  iconPath?: unknown;
  description?: string;
  tooltip?: unknown;
  contextValue?: string;
  command?: unknown;
  accessibilityInformation?: unknown;
  constructor(readonly label: string, readonly collapsibleState = 0) {}
}
class CancellationError extends Error {}
class RelativePattern {
  constructor(readonly base: unknown, readonly pattern: string) {}
}
class Range {
  constructor(readonly start: unknown, readonly end: unknown) {}
}
class Position {
  constructor(readonly line: number, readonly character: number) {}
}

const fileUri = (p: string) => ({ scheme: 'file', fsPath: p, path: p, toString: () => `file://${p}` });

const format = (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)]));

export const outputLines: string[] = [];
/** The data providers given to createTreeView (the benchmark renders the view as VS Code would). */
export const treeProviders: unknown[] = [];
export const registeredCommands = new Set<string>();

class Memento {
  private readonly data = new Map<string, unknown>();
  get<T>(key: string, fallback?: T): T | undefined {
    return (this.data.has(key) ? this.data.get(key) : fallback) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.data.set(key, value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
  keys(): string[] {
    return [...this.data.keys()];
  }
}

const configDefaults: Record<string, unknown> = {
  'seedance.apiBaseUrl': 'https://api.cometapi.com',
  'seedance.defaultModel': 'doubao-seedance-2-0-fast',
  'seedance.defaultSeconds': 5,
  'seedance.defaultSize': '16:9',
  'seedance.defaultResolution': '720p',
  'seedance.outputFolder': 'videos',
  'seedance.autoDownload': true,
  'seedance.confirmBeforeSubmit': true,
};

export const vscodeStub = {
  EventEmitter,
  Disposable,
  ThemeColor,
  ThemeIcon,
  MarkdownString,
  TreeItem,
  CancellationError,
  RelativePattern,
  Range,
  Position,
  CodeActionKind: { QuickFix: { value: 'quickfix' } },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  CompletionItemKind: { Value: 11, Property: 9 },
  UIKind: { Desktop: 1, Web: 2 },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  QuickInputButtons: { Back: {} },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  Uri: {
    file: (p: string) => fileUri(p),
    joinPath: (base: { fsPath: string }, ...parts: string[]) => fileUri(path.join(base.fsPath, ...parts)),
  },
  l10n: { t: (message: string, ...args: unknown[]) => format(message, ...args) },
  env: { uiKind: 1, remoteName: undefined, language: 'en', openExternal: async () => true, clipboard: { writeText: async () => undefined } },
  commands: {
    registerCommand: (id: string) => {
      registeredCommands.add(id);
      return new Disposable(() => registeredCommands.delete(id));
    },
    executeCommand: async () => undefined,
  },
  window: {
    createOutputChannel: () => {
      const line = (level: string) => (m: string) => outputLines.push(`${level} ${m}`);
      return { trace: line('trace'), debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error'), show: () => undefined, dispose: () => undefined };
    },
    createTreeView: (_id: string, options: { treeDataProvider: unknown }) => (treeProviders.push(options.treeDataProvider), {
      visible: false,
      badge: undefined,
      onDidChangeVisibility: new EventEmitter<unknown>().event,
      dispose: () => undefined,
    }),
    createStatusBarItem: () => ({ show: () => undefined, hide: () => undefined, dispose: () => undefined }),
    showInformationMessage: async () => undefined,
    showWarningMessage: async () => undefined,
    showErrorMessage: async () => undefined,
    setStatusBarMessage: () => new Disposable(),
    registerWebviewPanelSerializer: () => new Disposable(),
    onDidChangeWindowState: () => new Disposable(),
    onDidChangeActiveTextEditor: () => new Disposable(),
    onDidChangeVisibleTextEditors: () => new Disposable(),
    activeTextEditor: undefined,
    visibleTextEditors: [],
    state: { focused: true },
  },
  languages: {
    createDiagnosticCollection: () => ({ set: () => undefined, delete: () => undefined, clear: () => undefined, dispose: () => undefined }),
    registerCodeLensProvider: () => new Disposable(),
    registerCodeActionsProvider: () => new Disposable(),
    registerHoverProvider: () => new Disposable(),
    registerCompletionItemProvider: () => new Disposable(),
    getDiagnostics: () => [],
  },
  lm: { registerTool: () => new Disposable() },
  extensions: { getExtension: () => undefined },
  workspace: {
    isTrusted: true,
    workspaceFolders: [{ uri: { scheme: 'file', fsPath: path.join(process.cwd(), 'bench-output', 'workspace') }, name: 'bench', index: 0 }],
    onDidChangeConfiguration: () => new Disposable(),
    onDidGrantWorkspaceTrust: () => new Disposable(),
    onDidSaveTextDocument: () => new Disposable(),
    onDidOpenTextDocument: () => new Disposable(),
    onDidCloseTextDocument: () => new Disposable(),
    onDidChangeTextDocument: () => new Disposable(),
    onDidDeleteFiles: () => new Disposable(),
    createFileSystemWatcher: () => ({
      onDidChange: () => new Disposable(),
      onDidCreate: () => new Disposable(),
      onDidDelete: () => new Disposable(),
      dispose: () => undefined,
    }),
    textDocuments: [],
    getConfiguration: (section: string) => ({
      get: <T>(key: string, fallback?: T) => (configDefaults[`${section}.${key}`] as T | undefined) ?? fallback,
      inspect: (key: string) => ({ key: `${section}.${key}`, defaultValue: configDefaults[`${section}.${key}`] }),
    }),
  },
};

/** The project's package.json (from out/bench/vscodeStub.js). */
function readManifest(): unknown {
  return JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));
}

/** A fresh ExtensionContext-like object over the given workspaceState. */
export function fakeContext(workspaceState = new Memento()) {
  const secrets = new Map<string, string>();
  return {
    subscriptions: [] as { dispose(): unknown }[],
    workspaceState,
    globalState: new Memento(),
    secrets: {
      get: async (k: string) => secrets.get(k),
      store: async (k: string, v: string) => void secrets.set(k, v),
      delete: async (k: string) => void secrets.delete(k),
      onDidChange: new EventEmitter<unknown>().event,
    },
    extensionMode: 1,
    // The real manifest, as VS Code hands it over: activation registers every contributed command, tool and
    // restorable webview from it.
    extension: { packageJSON: readManifest() },
    extensionUri: fileUri(process.cwd()),
    globalStorageUri: fileUri(path.join(process.cwd(), 'bench-output', 'global-storage')),
  };
}

export { Memento };

/** Makes `require('vscode')` return the stub (benchmarks only). */
export function installVscodeStub(): void {
  const id = '\0vscode-stub';
  const anyModule = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
    _cache: Record<string, unknown>;
  };
  const original = anyModule._resolveFilename;
  anyModule._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? id : original.call(this, request, ...rest);
  };
  anyModule._cache[id] = { id, filename: id, loaded: true, exports: vscodeStub };
}
