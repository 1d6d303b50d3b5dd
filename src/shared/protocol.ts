// The messages between the Generate panel's webview and the extension, in both directions, plus the
// runtime validators for everything the webview sends. One file so both sides compile against the same
// types (it is bundled into the webview and into the extension; it must stay free of Node and VS Code).
//
// Trust: the webview runs page content and could be made to send anything, so every message from it is
// parsed here into a fresh object of known shape before any handler sees it. Unknown types, unknown keys
// (which also covers `__proto__`/`constructor` pollution attempts), wrong types and oversized values are
// refused. Domain rules (which seconds a model accepts, ...) are NOT checked here: that is
// catalog.validate's job, whose messages a person can act on.
//
// Conversation: the webview sends `ready` each time its document starts (first open, shown again after
// being hidden, window reload); the extension posts nothing before that and answers with `init`. Every
// message with a `requestId` gets exactly one `reply` (ok or error).

import { MAX_REFERENCE_IMAGES, type ImageContentType, type ValidationProblem } from '../core/catalog';
import type { GenerationFields, GenerationSettings } from '../core/generationRequest';
import type { PriceSources } from '../core/pricing/prices';

/** The panel's view type: the serializer and the `onWebviewPanel:` activation event use this string. */
export const GENERATE_PANEL_VIEW_TYPE = 'seedance.generatePanel';

// ---- Limits (transport sanity, not product rules) --------------------------------------------------------

/** Far above any real prompt (the service's own limit is about 1000 words), low enough to refuse junk. */
export const MAX_PROMPT_CHARS = 20_000;
/** Request ids are short tokens the webview makes up. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Image tokens are UUIDs the extension made (the name of the folder it stored the image in). */
export const IMAGE_TOKEN_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_ID_CHARS = 200;
const MAX_FILE_NAME_CHARS = 255;
const MAX_SHORT_CHARS = 100;
/** At most this many reference images in one form (the catalogue's MAX_REFERENCE_IMAGES; models may take fewer). */
export const MAX_FORM_IMAGES = MAX_REFERENCE_IMAGES;
/** How many results the panel keeps (newest first); older ones drop off the end. */
export const MAX_PANEL_RESULTS = 50;
/**
 * Largest dropped image the webview may send. The catalogue's limit plus one byte, so an image just over
 * the limit still arrives and is refused with catalog.validate's clear words instead of as "malformed".
 */
export const MAX_DROPPED_IMAGE_BYTES = 30 * 1024 * 1024 + 1;

// ---- Shared shapes ----------------------------------------------------------------------------------------
// The generation fields are core's (src/core/generationRequest.ts); each shape here adds what the panel needs,
// and the validators below check every field of what the webview sends.

/** Everything about a generation except the prompt and images. */
export type { GenerationSettings };

/**
 * What the Generate button sends. `imageTokens` name the reference images the extension stored earlier, in
 * upload order (absent or empty: text-to-video).
 */
export interface GenerateForm extends GenerationFields {
  readonly imageTokens?: readonly string[];
}

/** A reference image the extension has checked and stored; the webview only ever sees this. */
export interface ReferenceImageView {
  readonly token: string;
  readonly fileName: string;
  readonly byteLength: number;
  readonly contentType: ImageContentType;
  /** The first bytes of the file, so the webview can apply catalog.validate's image rules as they are. */
  readonly head: readonly number[];
  /** webview.asWebviewUri of the stored copy. */
  readonly thumbnailUri: string;
}

/** Why the form is being filled in from outside: shown to the person as a one-line note. */
export type PrefillSource = 'selection' | 'regenerate' | 'record';

export interface Prefill {
  readonly source: PrefillSource;
  readonly prompt: string;
  /**
   * Only the settings the source knows; the rest of the form keeps its values. Plain strings: a record or
   * an old task may name values the model no longer accepts, which the form then flags.
   */
  readonly settings?: Partial<GenerationSettings>;
  /**
   * The reference images of the request being repeated, in upload order: their stored copies, put in the
   * form; empty when that request had none, so the form's images are cleared and an image from another
   * request is never sent. Absent: the form keeps its images (a prompt taken from the selection).
   */
  readonly images?: readonly ReferenceImageView[];
  /** Reference images of that request that are gone (their file names): the form says so before anything is sent. */
  readonly missingImages?: readonly string[];
}

/** The status words the panel shows; a projection of the extension's TrackedStatus. */
export type TaskViewStatus = 'submitting' | 'queued' | 'running' | 'stalled' | 'uncertain' | 'succeeded' | 'failed';

/** One result card in the preview list. */
export interface TaskView extends GenerationFields {
  readonly id: string;
  readonly status: TaskViewStatus;
  /** 0-100, a hint only. */
  readonly progress: number;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /**
   * How long it has been under way (since CometAPI accepted it) when this view was made; fixed once it finished.
   * A duration, not a timestamp: the webview adds its own clock's ticks, so a browser clock that differs from
   * the extension host's (remote windows) does not matter.
   */
  readonly elapsedMs?: number;
  /** While it is under way: how long this setting usually takes, when durations were learned. */
  readonly typicalMs?: number;
  readonly download: {
    readonly state: 'none' | 'downloading' | 'downloaded' | 'failed';
    readonly bytes?: number;
    readonly total?: number;
  };
  /** Why it failed (or why its download failed), in plain words. */
  readonly error?: string;
  /** Present once downloaded: what the <video> plays. */
  readonly video?: { readonly uri: string; readonly fileName: string };
  /** A failed video CometAPI gave a task id: Check Again asks the service again (no new create, nothing billed). */
  readonly canCheckAgain?: boolean;
}

/**
 * `downloadFile`: to the person's computer, where the file is not local (browser, remote); see hostKind.ts.
 * `promote`: a finished video generated again at a higher resolution or on another model (seedance.promote's
 * picker, with the estimate against the draft's; issue 19). `checkAgain`: seedance.checkAgain (no new create).
 */
export type TaskAction = 'openFile' | 'revealFile' | 'copyPrompt' | 'openExternally' | 'regenerate' | 'downloadFile' | 'promote' | 'checkAgain';
export const TASK_ACTIONS: readonly TaskAction[] = [
  'openFile', 'revealFile', 'copyPrompt', 'openExternally', 'regenerate', 'downloadFile', 'promote', 'checkAgain',
];

/** What the webview keeps with vscode.setState, which the serializer gets back after a window reload. */
export interface PanelState {
  readonly version: 1;
  readonly form: GenerateForm;
  /** Result cards shown, newest first. */
  readonly resultIds: readonly string[];
}

/**
 * What the form needs to show the cost estimate next to Generate (issue 11): the price sources (the
 * webview runs the extension's own estimateCost on them as values change) and this month's budget.
 */
export interface PanelPricing {
  readonly sources: PriceSources;
  /** USD; 0 means no monthly limit. */
  readonly limit: number;
  /** Estimated USD spent this month so far. */
  readonly spent: number;
  /** USD per request above which the extension asks before sending. */
  readonly confirmAbove: number;
  /**
   * The Seedance ids CometAPI's live model list for this API host names, when one was read (issue 19): the
   * model dropdown marks known models it does not list as unavailable and offers retired ones it still
   * lists with a warning (core/availability.ts). Absent: the shipped catalogue stands.
   */
  readonly listedModels?: readonly string[];
}

// ---- Webview -> extension ---------------------------------------------------------------------------------

export type WebviewToExtension =
  | { readonly type: 'ready'; readonly imageTokens?: readonly string[] }
  | { readonly type: 'generate'; readonly requestId: string; readonly form: GenerateForm }
  /** `room`: how many more images the form can take (the dialog's choice is refused beyond it). */
  | { readonly type: 'pickImage'; readonly requestId: string; readonly room: number }
  | { readonly type: 'dropImage'; readonly requestId: string; readonly fileName: string; readonly bytes: Uint8Array }
  | { readonly type: 'discardImage'; readonly imageToken: string }
  | { readonly type: 'taskAction'; readonly requestId: string; readonly taskId: string; readonly action: TaskAction }
  | { readonly type: 'dismissResult'; readonly taskId: string }
  /** "Set price…" next to an unknown price: opens the seedance.pricing setting. */
  | { readonly type: 'openPriceSettings' };

/** The messages that expect a reply, and what an ok reply carries. */
export interface RequestResults {
  generate: { readonly task: TaskView };
  /** `images` is empty when the person cancelled the dialog; in the order chosen. */
  pickImage: { readonly images: readonly ReferenceImageView[] };
  dropImage: { readonly image: ReferenceImageView };
  taskAction: Record<string, never>;
}
export type RequestType = keyof RequestResults;
export type RequestMessage = Extract<WebviewToExtension, { requestId: string }>;

// ---- Extension -> webview ---------------------------------------------------------------------------------

export interface ReplyError {
  readonly message: string;
  /** Field-level problems from catalog.validate, shown next to their fields. */
  readonly problems?: readonly ValidationProblem[];
}

export type Reply = {
  [K in RequestType]:
    | { readonly type: 'reply'; readonly request: K; readonly requestId: string; readonly ok: true; readonly result: RequestResults[K] }
    | { readonly type: 'reply'; readonly request: K; readonly requestId: string; readonly ok: false; readonly error: ReplyError };
}[RequestType];

export type ExtensionToWebview =
  | {
      readonly type: 'init';
      /** The values a fresh form starts with: last used, else the settings' defaults. */
      readonly defaults: GenerationSettings;
      readonly prefill?: Prefill;
      /** The images named in `ready` that are still there, re-checked, in their order. */
      readonly images: readonly ReferenceImageView[];
      /** Every result the panel shows, newest first. */
      readonly results: readonly TaskView[];
      /** When opened for one task (preview command): scroll to it. */
      readonly focusTaskId?: string;
    }
  | { readonly type: 'prefill'; readonly prefill: Prefill }
  /** Add (at the top) or update a result card; `focus` scrolls it into view. */
  | { readonly type: 'task'; readonly task: TaskView; readonly focus?: boolean }
  | { readonly type: 'taskRemoved'; readonly taskId: string }
  /** Prices and budget for the estimate next to Generate; sent after `init` and whenever they change. */
  | { readonly type: 'pricing'; readonly pricing: PanelPricing }
  | Reply;

// ---- Validation -------------------------------------------------------------------------------------------

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

class Invalid extends Error {}

/**
 * Parses one message from the webview. On failure `reason` says why (for the log) and, when the message
 * was recognisably a request, `reply` names what to answer so the request still gets its one reply.
 */
export function parseWebviewMessage(
  raw: unknown,
): Parsed<WebviewToExtension> & { readonly replyTo?: { readonly request: RequestType; readonly requestId: string } } {
  try {
    return { ok: true, value: parseMessage(raw) };
  } catch (e) {
    const reason = e instanceof Invalid ? e.message : 'unreadable message';
    return { ok: false, reason, replyTo: requestIdentity(raw) };
  }
}

function parseMessage(raw: unknown): WebviewToExtension {
  const obj = record(raw, 'message');
  const type = obj.type;
  switch (type) {
    case 'ready': {
      exactKeys(obj, ['type'], ['imageTokens']);
      return obj.imageTokens === undefined ? { type } : { type, imageTokens: imageTokens(obj.imageTokens) };
    }
    case 'generate': {
      exactKeys(obj, ['type', 'requestId', 'form']);
      return { type, requestId: requestId(obj.requestId), form: generateForm(obj.form) };
    }
    case 'pickImage': {
      exactKeys(obj, ['type', 'requestId', 'room']);
      const room = obj.room;
      if (typeof room !== 'number' || !Number.isInteger(room) || room < 1 || room > MAX_FORM_IMAGES) throw new Invalid('bad room');
      return { type, requestId: requestId(obj.requestId), room };
    }
    case 'dropImage': {
      exactKeys(obj, ['type', 'requestId', 'fileName', 'bytes']);
      return { type, requestId: requestId(obj.requestId), fileName: fileName(obj.fileName), bytes: imageBytes(obj.bytes) };
    }
    case 'discardImage': {
      exactKeys(obj, ['type', 'imageToken']);
      return { type, imageToken: imageToken(obj.imageToken) };
    }
    case 'taskAction': {
      exactKeys(obj, ['type', 'requestId', 'taskId', 'action']);
      const action = obj.action;
      if (typeof action !== 'string' || !(TASK_ACTIONS as readonly string[]).includes(action)) throw new Invalid('unknown action');
      return { type, requestId: requestId(obj.requestId), taskId: taskId(obj.taskId), action: action as TaskAction };
    }
    case 'dismissResult': {
      exactKeys(obj, ['type', 'taskId']);
      return { type, taskId: taskId(obj.taskId) };
    }
    case 'openPriceSettings': {
      exactKeys(obj, ['type']);
      return { type };
    }
    default:
      throw new Invalid('unknown message type');
  }
}

/** Enough of a malformed message to answer it: a known request type and a well-formed request id. */
function requestIdentity(raw: unknown): { request: RequestType; requestId: string } | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  let type: unknown;
  let id: unknown;
  try {
    // Own data properties only: a getter or a prototype must not run or answer for the message.
    type = ownData(raw, 'type');
    id = ownData(raw, 'requestId');
  } catch {
    return undefined;
  }
  const requests: readonly string[] = ['generate', 'pickImage', 'dropImage', 'taskAction'] satisfies RequestType[];
  if (typeof type !== 'string' || !requests.includes(type)) return undefined;
  if (typeof id !== 'string' || !REQUEST_ID_PATTERN.test(id)) return undefined;
  return { request: type as RequestType, requestId: id };
}

/** Parses the state the webview saved (given back to the serializer after a reload); undefined if unusable. */
export function parsePanelState(raw: unknown): PanelState | undefined {
  try {
    const obj = record(raw, 'state');
    exactKeys(obj, ['version', 'form', 'resultIds']);
    if (obj.version !== 1) return undefined;
    const form = generateForm(obj.form);
    const ids = obj.resultIds;
    if (!Array.isArray(ids) || ids.length > MAX_PANEL_RESULTS) throw new Invalid('resultIds');
    return { version: 1, form, resultIds: ids.map(taskId) };
  } catch {
    return undefined;
  }
}

function generateForm(raw: unknown): GenerateForm {
  const obj = record(raw, 'form');
  // `imageToken` (one image) is what a panel saved before several images were possible: read as a list of one.
  exactKeys(obj, ['prompt', 'model', 'seconds', 'size', 'resolution'], ['imageTokens', 'imageToken']);
  const seconds = obj.seconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) throw new Invalid('seconds must be a number');
  const form: GenerateForm = {
    prompt: string(obj.prompt, 'prompt', MAX_PROMPT_CHARS, true),
    model: string(obj.model, 'model', MAX_SHORT_CHARS, true),
    seconds,
    size: string(obj.size, 'size', MAX_SHORT_CHARS, true),
    resolution: string(obj.resolution, 'resolution', MAX_SHORT_CHARS, true),
  };
  if (obj.imageTokens !== undefined && obj.imageToken !== undefined) throw new Invalid('both imageToken and imageTokens');
  const tokens = obj.imageTokens !== undefined
    ? imageTokens(obj.imageTokens)
    : obj.imageToken !== undefined ? [imageToken(obj.imageToken)] : [];
  return tokens.length === 0 ? form : { ...form, imageTokens: tokens };
}

/** A list of distinct image tokens, at most MAX_FORM_IMAGES (the same image twice is refused: it is one image). */
function imageTokens(raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.length > MAX_FORM_IMAGES) throw new Invalid('imageTokens must be a short array');
  const tokens = Array.from(raw, (t: unknown) => imageToken(t));
  if (new Set(tokens).size !== tokens.length) throw new Invalid('repeated imageToken');
  return tokens;
}

function requestId(raw: unknown): string {
  if (typeof raw !== 'string' || !REQUEST_ID_PATTERN.test(raw)) throw new Invalid('bad requestId');
  return raw;
}

function imageToken(raw: unknown): string {
  if (typeof raw !== 'string' || !IMAGE_TOKEN_PATTERN.test(raw)) throw new Invalid('bad imageToken');
  return raw;
}

function taskId(raw: unknown): string {
  const id = string(raw, 'taskId', MAX_ID_CHARS, false);
  if (/[\u0000-\u001f\u007f]/.test(id)) throw new Invalid('bad taskId');
  return id;
}

function fileName(raw: unknown): string {
  const name = string(raw, 'fileName', MAX_FILE_NAME_CHARS, false);
  // Only ever shown and used as the upload's name, never as a path; still refuse anything path-like.
  if (/[\u0000-\u001f\u007f/\\]/.test(name) || name === '.' || name === '..') throw new Invalid('bad fileName');
  return name;
}

/** Accepts the bytes as a Uint8Array or an ArrayBuffer (VS Code transfers either) and copies them out. */
function imageBytes(raw: unknown): Uint8Array {
  let view: Uint8Array;
  if (raw instanceof Uint8Array) view = raw;
  else if (raw instanceof ArrayBuffer) view = new Uint8Array(raw);
  else throw new Invalid('bytes must be binary');
  if (view.byteLength > MAX_DROPPED_IMAGE_BYTES) throw new Invalid('image too large to transfer');
  return view;
}

function string(raw: unknown, name: string, max: number, allowEmpty: boolean): string {
  if (typeof raw !== 'string') throw new Invalid(`${name} must be a string`);
  if (raw.length > max) throw new Invalid(`${name} is too long`);
  if (!allowEmpty && raw.length === 0) throw new Invalid(`${name} is empty`);
  return raw;
}

/** A plain object (not an array, not a class instance), read through own data properties only. */
function record(raw: unknown, name: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Invalid(`${name} must be an object`);
  const proto = Object.getPrototypeOf(raw);
  if (proto !== Object.prototype && proto !== null) throw new Invalid(`${name} must be a plain object`);
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Reflect.ownKeys(raw)) {
    if (typeof key !== 'string') throw new Invalid(`${name} has a symbol key`);
    out[key] = ownData(raw, key);
  }
  return out;
}

function ownData(obj: object, key: string): unknown {
  const desc = Object.getOwnPropertyDescriptor(obj, key);
  if (!desc) return undefined;
  if (!('value' in desc)) throw new Invalid(`${key} is an accessor`);
  return desc.value;
}

/** Refuses missing required keys and any key not named (so `__proto__`, `constructor`, extras all fail). */
function exactKeys(obj: Record<string, unknown>, required: readonly string[], optional: readonly string[] = []): void {
  for (const key of Object.keys(obj)) {
    if (!required.includes(key) && !optional.includes(key)) throw new Invalid(`unexpected key "${key.slice(0, 40)}"`);
  }
  for (const key of required) if (!(key in obj)) throw new Invalid(`missing ${key}`);
}
