// Every command the extension contributes: its id, the arguments it takes and what it resolves to, in one
// place. The handler tables (./*Commands.ts and the storyboard, pricing and agent ones) are typed against
// it, features.ts merges them into one `CommandTable` (the compiler refuses a missing or unknown id), and
// our own callers go through executeSeedanceCommand (./execute.ts), which checks their arguments against it.
// Arguments still come from menus, keybindings, other extensions and tests as anything at all: the types
// say what a caller should pass; ./commandArgs.ts checks what really came.
// Type-only imports: the module (and COMMAND_IDS) loads under plain mocha.
import type { Uri } from 'vscode';
import type { GenerateArgs } from '../../core/generationArgs';
import type { GenerateAllResult } from '../storyboard/shotGeneration';
import type { StoryboardRef, TaskRef } from './commandArgs';

/**
 * 'interactive': the caller is a person (CodeLens, preview, notification button), so a refusal is shown;
 * without it a caller that named its target gets the rejection itself.
 */
export type Interactive = 'interactive';

/** Command id -> handler signature. Add a command here, in a handler table, and in package.json. */
export interface SeedanceCommands {
  /** No argument: the Generate panel; a generation record's Uri: the panel filled from it; arguments: submit, no UI. */
  'seedance.generate': (args?: GenerateArgs | Uri) => Promise<string | undefined>;
  'seedance.generateQuick': () => Promise<string | undefined>;
  /** A saved generation record (the `.json` beside a video; default: the active editor's): the panel filled from it. */
  'seedance.generateFromRecord': (record?: Uri | string) => Promise<void>;
  'seedance.generateFromSelection': () => Promise<string | undefined>;
  /** With the key: sets it with no UI (and the caller gets any error). */
  'seedance.setApiKey': (key?: string) => Promise<void>;
  'seedance.clearApiKey': () => Promise<void>;
  'seedance.refresh': () => void;
  'seedance.showLog': () => void;

  // The Seedance view's items (and notifications, the panel, other extensions): a tree node or a task id.
  'seedance.openVideo': (task: TaskRef) => Promise<void>;
  'seedance.previewTask': (task: TaskRef) => void;
  'seedance.revealInExplorer': (task: TaskRef) => Promise<void>;
  'seedance.revealInOS': (task: TaskRef) => Promise<void>;
  'seedance.downloadToComputer': (task: TaskRef) => Promise<void>;
  /** Resolves to the saved file's path. */
  'seedance.downloadAgain': (task: TaskRef) => Promise<string | undefined>;
  'seedance.regenerate': (task: TaskRef) => Promise<void>;
  /** With a target the picker is skipped (and the caller gets any error); resolves to the new task id. */
  'seedance.promote': (task: TaskRef, target?: { readonly model?: string; readonly resolution?: string }) => Promise<string | undefined>;
  'seedance.copyTaskId': (task: TaskRef) => Promise<void>;
  'seedance.copyPrompt': (task: TaskRef) => Promise<void>;
  'seedance.removeTask': (task: TaskRef) => Promise<void>;
  'seedance.dismissUncertain': (task: TaskRef) => Promise<void>;
  'seedance.resubmitUncertain': (task: TaskRef) => Promise<string | undefined>;
  'seedance.keepWaiting': (task: TaskRef) => void;
  'seedance.checkAgain': (task: TaskRef) => void;
  'seedance.cancelDownload': (task: TaskRef) => void;

  'seedance.showSpending': () => void;
  /** To this file (a Uri or a path) or where the person chooses; resolves to the written file's URI string. */
  'seedance.exportSpending': (target?: Uri | string) => Promise<string | undefined>;

  /** Title and file name skip the questions. */
  'seedance.storyboard.new': (title?: string, fileName?: string) => Promise<Uri | undefined>;
  /** Resolves with the new take's local id. */
  'seedance.storyboard.generateShot': (storyboard?: StoryboardRef, shotId?: string, how?: Interactive) => Promise<string | undefined>;
  'seedance.storyboard.generateAll': (storyboard?: StoryboardRef) => Promise<GenerateAllResult | undefined>;
  'seedance.storyboard.preview': (storyboard?: StoryboardRef, shotId?: string) => void;
  'seedance.storyboard.assembleFilm': (storyboard?: StoryboardRef, how?: Interactive) => Promise<Uri | undefined>;
  'seedance.storyboard.exportTimeline': (storyboard?: StoryboardRef, how?: Interactive) => Promise<Uri | undefined>;

  /** The client skips the question; resolves to the configuration file written. */
  'seedance.connectAgent': (options?: { readonly client?: 'claude' | 'cursor' }) => Promise<string | undefined>;
}

export type SeedanceCommandId = keyof SeedanceCommands;

/**
 * The ids at run time, for the manifest check (test/unit/commandTable.test.ts compares them with package.json's
 * contributes.commands). `satisfies` makes the compiler refuse a list that misses or adds an id.
 */
export const COMMAND_IDS = Object.keys({
  'seedance.generate': true,
  'seedance.generateQuick': true,
  'seedance.generateFromRecord': true,
  'seedance.generateFromSelection': true,
  'seedance.setApiKey': true,
  'seedance.clearApiKey': true,
  'seedance.refresh': true,
  'seedance.showLog': true,
  'seedance.openVideo': true,
  'seedance.previewTask': true,
  'seedance.revealInExplorer': true,
  'seedance.revealInOS': true,
  'seedance.downloadToComputer': true,
  'seedance.downloadAgain': true,
  'seedance.regenerate': true,
  'seedance.promote': true,
  'seedance.copyTaskId': true,
  'seedance.copyPrompt': true,
  'seedance.removeTask': true,
  'seedance.dismissUncertain': true,
  'seedance.resubmitUncertain': true,
  'seedance.keepWaiting': true,
  'seedance.checkAgain': true,
  'seedance.cancelDownload': true,
  'seedance.showSpending': true,
  'seedance.exportSpending': true,
  'seedance.storyboard.new': true,
  'seedance.storyboard.generateShot': true,
  'seedance.storyboard.generateAll': true,
  'seedance.storyboard.preview': true,
  'seedance.storyboard.assembleFilm': true,
  'seedance.storyboard.exportTimeline': true,
  'seedance.connectAgent': true,
} satisfies Record<SeedanceCommandId, true>) as readonly SeedanceCommandId[];

/** One command's handler, and when its caller gets the error instead of a notification. */
export interface CommandSpec<Id extends SeedanceCommandId> {
  readonly run: SeedanceCommands[Id];
  /**
   * True for these arguments: a program called (another extension, a test, an agent), so a failure or a
   * cancellation is logged and handed back to it rather than shown.
   */
  readonly rethrowWhen?: (...args: Parameters<SeedanceCommands[Id]>) => boolean;
}

/** A table of handlers for some of the commands (a module's share); `CommandTable` for all of them. */
export type CommandTable<Ids extends SeedanceCommandId = SeedanceCommandId> = { readonly [Id in Ids]: CommandSpec<Id> };
