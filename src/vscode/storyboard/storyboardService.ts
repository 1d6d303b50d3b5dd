// The one place that knows a storyboard's current state: its text (the open editor's, else the file's),
// parsed and checked against the catalogue, the facts of the images it names, and its takes (tracked
// tasks plus records on disk). Diagnostics, CodeLens, commands and the preview all read from here and
// listen to `onDidChange`, so they always agree.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { homeWorkspaceRoot, workspaceFolderHolding } from '../workspaceFolder';
import type { LiveList } from '../../core/availability';
import type { ReferenceImageFacts } from '../../core/catalog';
import type { GenerationDefaults } from '../../core/generationArgs';
import { relativeInside } from '../../core/files/pathContainment';
import { parseStoryboard } from '../../core/storyboard/parse';
import { resolveStoryboard, type ResolvedStoryboard } from '../../core/storyboard/rules';
import { orphansOf, readTakeIndex, reattach, withIds, type IndexedTake, type Orphan } from '../../core/storyboard/takeIndex';
import {
  isStoryboardFile,
  mergeTakes,
  relativeStoryboardPath,
  takesFolder,
  type Take,
} from '../../core/storyboard/takes';
import type { TrackedTask } from '../../core/tasks/task';
import type { Event } from '../../core/events';

export const STORYBOARD_SELECTOR: vscode.DocumentSelector = { scheme: 'file', pattern: '**/*.storyboard.md' };

export interface StoryboardServiceDeps {
  readonly store: { list(): TrackedTask[]; get(localId: string): TrackedTask | undefined; readonly onDidChange: Event<readonly string[]> };
  readonly defaults: () => GenerationDefaults;
  /** Absolute output folder (undefined without a workspace folder). */
  readonly outputFolder: () => string | undefined;
  readonly onSettingsChange: Event<unknown>;
  /** Where the output folders used before are remembered (workspaceState): their takes are still found. */
  readonly history?: { get<T>(key: string): T | undefined; update(key: string, value: unknown): Thenable<void> };
  /** CometAPI's live model list for this API host, when read (issue 19): it decides what shots may name. */
  readonly listed?: () => LiveList;
}

const HISTORY_KEY = 'seedance.storyboard.outputFolders';

/** A storyboard as everything else sees it. */
export interface StoryboardSnapshot {
  readonly uri: vscode.Uri;
  readonly text: string;
  readonly resolved: ResolvedStoryboard;
  /** The path records use (workspace-relative, "/" separators). */
  readonly file: string;
  /** Where its takes are saved (undefined without a workspace folder). */
  readonly folder?: string;
  /** Takes per shot id, oldest first. */
  readonly takes: ReadonlyMap<string, readonly Take[]>;
  /** Shots without an id in the file whose takes were found by their prompt and settings: index -> id. */
  readonly attached: ReadonlyMap<number, string>;
  /** Takes naming this file and an id it no longer has, matching no shot. */
  readonly orphans: readonly Orphan[];
}

export function isStoryboardUri(uri: vscode.Uri | undefined): uri is vscode.Uri {
  return !!uri && uri.scheme === 'file' && isStoryboardFile(uri.fsPath);
}

export class StoryboardService implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** Fires with the storyboard that changed (its text, images or takes), or undefined for all of them. */
  readonly onDidChange = this.emitter.event;
  private readonly images = new Map<string, ReferenceImageFacts | 'missing'>();
  private readonly imageLookups = new Map<string, Promise<void>>();
  /** Every take record in the output folders (all storyboards): found by shot id. */
  // Kept while it is read again (stale beats empty: an empty index would offer to pay for every take).
  private index: IndexedTake[] | undefined;
  private indexFresh = false;
  private indexRead: Promise<void> | undefined;
  private indexGeneration = 0;
  private readonly subscriptions: vscode.Disposable[] = [];
  private watcher: vscode.FileSystemWatcher | undefined;
  private pendingFire: ReturnType<typeof setTimeout> | undefined;
  private pendingAll = false;
  private readonly pendingUris = new Map<string, vscode.Uri>();

  constructor(private readonly deps: StoryboardServiceDeps) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => isStoryboardUri(e.document.uri) && this.fire(e.document.uri)),
      vscode.workspace.onDidSaveTextDocument((d) => isStoryboardUri(d.uri) && this.fire(d.uri)),
      deps.store.onDidChange((ids) => this.onTasksChanged(ids)),
      deps.onSettingsChange(() => {
        this.watchOutput();
        this.invalidateRecords();
      }),
    );
    this.watchOutput();
  }

  /** The storyboard's state now: the open document's text, or the file's. */
  async snapshot(uri: vscode.Uri): Promise<StoryboardSnapshot> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const base = this.build(uri, text);
    await Promise.all([this.lookImages(base), this.readRecords()]);
    // Changed while it was read (a take saved that moment): read once more.
    if (!this.indexFresh) await this.readRecords();
    return this.build(uri, text);
  }

  /** The same, synchronously, from what is known now (CodeLens); anything missing is looked up and fired. */
  snapshotNow(document: vscode.TextDocument): StoryboardSnapshot {
    const snap = this.build(document.uri, document.getText());
    void this.lookImages(snap).then((changed) => changed && this.fire(document.uri));
    if (!this.indexFresh) void this.readRecords().then(() => this.fire(document.uri));
    return snap;
  }

  /** Reads images and takes again (after the person replaced a file, or a teammate's pull). */
  refresh(uri?: vscode.Uri): void {
    this.images.clear();
    this.invalidateRecords(uri);
  }

  /** The live model list, when read (completions and hover follow it as the checks do). */
  listed(): LiveList {
    return this.deps.listed?.();
  }

  /** What is offered changed (a new live model list): every storyboard is checked and drawn again. */
  redrawAll(): void {
    this.fire(undefined);
  }

  /** Something outside the file changed what the storyboard shows (a run started, a shot waits): redraw. */
  changed(uriText: string): void {
    this.fire(vscode.Uri.parse(uriText));
  }

  /**
   * The workspace folder a storyboard's takes belong to: the one rule (src/vscode/workspaceFolder.ts), the
   * home folder every video follows, whose output folder holds the takes, whichever folder of a multi-root
   * workspace holds the storyboard. Messages name this folder.
   */
  workspaceRoot(_uri?: vscode.Uri): string | undefined {
    return homeWorkspaceRoot();
  }

  dispose(): void {
    if (this.pendingFire) clearTimeout(this.pendingFire);
    this.watcher?.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }

  private build(uri: vscode.Uri, text: string): StoryboardSnapshot {
    const root = this.workspaceRoot(uri);
    const file = root ? relativeStoryboardPath(root, uri.fsPath) : path.basename(uri.fsPath);
    const output = this.deps.outputFolder();
    const folder = output ? takesFolder(output, file) : undefined;
    const resolved = resolveStoryboard(text, parseStoryboard(text), {
      defaults: this.deps.defaults(),
      baseDir: path.dirname(uri.fsPath),
      image: (p) => this.images.get(p),
      listed: this.deps.listed?.(),
    });
    const index = this.index ?? [];
    // A shot that lost its id but asks for what existing takes were made from gets them back, not re-billed.
    const attached = reattach(resolved.shots, index);
    const final = attached.size > 0
      ? resolveStoryboard(text, withIds(resolved.board, attached), {
        defaults: this.deps.defaults(),
        baseDir: path.dirname(uri.fsPath),
        image: (p) => this.images.get(p),
        listed: this.deps.listed?.(),
      })
      : resolved;
    const ids = new Set(final.shots.map((s) => s.shot.id).filter((id): id is string => !!id));
    const takes = mergeTakes(this.deps.store.list(), index, ids);
    return { uri, text, resolved: final, file, folder, takes, attached, orphans: orphansOf(file, ids, index) };
  }

  /** The output folder now, the ones used before (remembered), and those tracked takes were saved in. */
  outputFolders(): string[] {
    const now = this.deps.outputFolder();
    const remembered = this.deps.history?.get<string[]>(HISTORY_KEY) ?? [];
    if (now && !remembered.includes(now)) void this.deps.history?.update(HISTORY_KEY, [...remembered, now].slice(-20));
    const fromTasks = this.deps.store.list()
      .filter((t) => t.request.storyboard && t.file)
      .map((t) => path.dirname(path.dirname(t.file!)));
    return [...new Set([...(now ? [now] : []), ...remembered, ...fromTasks])];
  }

  /** Looks up images not known yet; resolves true when something new was learned. */
  private async lookImages(snap: StoryboardSnapshot): Promise<boolean> {
    const wanted = [...new Set(snap.resolved.shots.flatMap((s) => s.imagePaths))].filter((p) => !this.images.has(p));
    if (wanted.length === 0) return false;
    await Promise.all(wanted.map((p) => {
      let lookup = this.imageLookups.get(p);
      if (!lookup) {
        lookup = readImageFacts(p).then((facts) => {
          this.images.set(p, facts);
        }).finally(() => this.imageLookups.delete(p));
        this.imageLookups.set(p, lookup);
      }
      return lookup;
    }));
    return true;
  }

  /** Reads the take index once per change of the output folders (single flight). */
  private readRecords(): Promise<void> {
    if (this.indexFresh) return Promise.resolve();
    if (!this.indexRead) {
      const generation = this.indexGeneration;
      this.indexRead = readTakeIndex(this.outputFolders())
        .then((takes) => {
          this.index = takes;
          // Invalidated while reading: kept, but read again next time.
          this.indexFresh = generation === this.indexGeneration;
        })
        .finally(() => {
          this.indexRead = undefined;
        });
    }
    return this.indexRead;
  }

  private onTasksChanged(ids: readonly string[]): void {
    const touched = ids.map((id) => this.deps.store.get(id)).filter((t) => t?.request.storyboard);
    if (touched.length === 0 && ids.every((id) => this.deps.store.get(id))) return;
    // A saved take writes a record: read the folder again.
    if (touched.some((t) => t!.download.state === 'downloaded')) this.invalidateRecords();
    else this.fire(undefined);
  }

  private invalidateRecords(uri?: vscode.Uri): void {
    this.indexFresh = false;
    this.indexGeneration++;
    this.fire(uri);
  }

  private watchOutput(): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    const output = this.deps.outputFolder();
    if (!output) return;
    // Records and frames that arrive from elsewhere (a teammate's pull, another window) count too. Watched from
    // the workspace folder: a watch rooted at an output folder that does not exist yet would never fire.
    const folder = workspaceFolderHolding(output);
    const inside = folder ? relativeInside(folder.uri.fsPath, output) : undefined;
    const pattern = folder && inside
      ? new vscode.RelativePattern(folder, `${inside}/**/*.{json,png,mp4}`)
      : new vscode.RelativePattern(vscode.Uri.file(output), '**/*.{json,png,mp4}');
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const changed = () => this.invalidateRecords();
    this.watcher.onDidCreate(changed);
    this.watcher.onDidDelete(changed);
    this.watcher.onDidChange(changed);
  }

  /** Changes arriving together become one event per storyboard (typing fires on every key). */
  private fire(uri: vscode.Uri | undefined): void {
    if (uri) this.pendingUris.set(uri.toString(), uri);
    else this.pendingAll = true;
    if (this.pendingFire) return;
    this.pendingFire = setTimeout(() => {
      this.pendingFire = undefined;
      if (this.pendingAll) this.emitter.fire(undefined);
      else for (const u of this.pendingUris.values()) this.emitter.fire(u);
      this.pendingAll = false;
      this.pendingUris.clear();
    }, 150);
  }
}

async function readImageFacts(file: string): Promise<ReferenceImageFacts | 'missing'> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) return 'missing';
    const head = new Uint8Array(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    return { fileName: path.basename(file), byteLength: stat.size, head: head.subarray(0, bytesRead) };
  } catch {
    return 'missing';
  } finally {
    await handle?.close();
  }
}
