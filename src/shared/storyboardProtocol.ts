// The messages between the storyboard preview's webview and the extension, both directions, plus the
// validators for everything the webview sends (it runs page content: every message is parsed into a fresh
// object of known shape before a handler sees it). Bundled into the webview and the extension: no Node,
// no VS Code.

export const STORYBOARD_PREVIEW_VIEW_TYPE = 'seedance.storyboardPreview';

/** A PNG of one 1080p frame is a few MB at most; anything far larger is not a frame. */
export const MAX_FRAME_BYTES = 20 * 1024 * 1024;
const KEY_PATTERN = /^[A-Za-z0-9#._ ()-]{1,255}$/;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface TakeView {
  /** The take's key (video file name once saved, else the task's local id). */
  readonly key: string;
  readonly label: string;
  /** Words for its state ("queued", "45%", "ready", "failed: ..."). */
  readonly state: string;
  readonly busy: boolean;
  readonly progress: number;
  readonly playable: boolean;
  readonly chosen: boolean;
  /** asWebviewUri of the video (playable takes). */
  readonly videoUri?: string;
  /** asWebviewUri of its captured last frame, when there is one. */
  readonly frameUri?: string;
  /**
   * A continuation's take made from a frame that is no longer the previous shot's chosen take's: the words
   * that say so (the page offers Re-roll beside them).
   */
  readonly stale?: string;
  /** A finished take still in the list: Promote (issue 19) can generate it again at a higher resolution or on another model. */
  readonly promotable?: boolean;
}

export interface ShotView {
  readonly key: string;
  readonly number: number;
  readonly title: string;
  readonly prompt: string;
  /** "5 s · 16:9 · 720p · Seedance 2.0 Fast" */
  readonly summary: string;
  readonly cost: string;
  readonly problems: readonly string[];
  readonly continues: boolean;
  /** For a continuation: the frame it will start from (the previous shot's chosen take's last frame). */
  readonly startFrameUri?: string;
  readonly takes: readonly TakeView[];
  /** Part of a running Generate All and waiting for another shot's take: "Waiting for shot 1". */
  readonly waiting?: string;
}

export interface StoryboardView {
  /** The storyboard file's URI: the page keeps it in its state so the preview comes back after a reload. */
  readonly documentUri: string;
  readonly title: string;
  readonly fileName: string;
  readonly total: string;
  readonly shots: readonly ShotView[];
  /** The shot to scroll to once (Preview from a shot's CodeLens). */
  readonly focusShot?: string;
}

export type ToWebview =
  | { readonly type: 'state'; readonly view: StoryboardView }
  /**
   * Capture the last frame of this video, read from its own webview URL (the page falls back to a blob:
   * URL of the same bytes only when that URL cannot seek to the end).
   */
  | { readonly type: 'captureFrame'; readonly requestId: string; readonly videoUri: string }
  /** Test and keyboard hook: start Play All. */
  | { readonly type: 'playAll' };

export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'choose'; readonly shot: string; readonly take: string }
  | { readonly type: 'reroll'; readonly shot: string }
  | { readonly type: 'generateAll' }
  | { readonly type: 'openTake'; readonly shot: string; readonly take: string }
  /** Promote a finished take (seedance.promote's picker; the new video is another take of the shot). */
  | { readonly type: 'promote'; readonly shot: string; readonly take: string }
  | { readonly type: 'frame'; readonly requestId: string; readonly png: Uint8Array }
  | { readonly type: 'frameFailed'; readonly requestId: string; readonly message: string };

export type Parsed = { ok: true; value: FromWebview } | { ok: false; reason: string };

export function parseFromWebview(raw: unknown): Parsed {
  try {
    return { ok: true, value: parse(raw) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function parse(raw: unknown): FromWebview {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('not an object');
  const o = raw as Record<string, unknown>;
  const exact = (keys: string[]) => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) throw new Error(`unknown key ${k.slice(0, 40)}`);
  };
  const key = (v: unknown, what: string) => {
    if (typeof v !== 'string' || !KEY_PATTERN.test(v)) throw new Error(`bad ${what}`);
    return v;
  };
  const requestId = (v: unknown) => {
    if (typeof v !== 'string' || !REQUEST_ID_PATTERN.test(v)) throw new Error('bad requestId');
    return v;
  };
  switch (o.type) {
    case 'ready':
    case 'generateAll':
      exact(['type']);
      return { type: o.type };
    case 'choose':
    case 'openTake':
    case 'promote':
      exact(['type', 'shot', 'take']);
      return { type: o.type, shot: key(o.shot, 'shot'), take: key(o.take, 'take') };
    case 'reroll':
      exact(['type', 'shot']);
      return { type: 'reroll', shot: key(o.shot, 'shot') };
    case 'frame': {
      exact(['type', 'requestId', 'png']);
      const bytes = o.png instanceof Uint8Array ? o.png : o.png instanceof ArrayBuffer ? new Uint8Array(o.png) : undefined;
      if (!bytes) throw new Error('png must be binary');
      if (bytes.byteLength === 0 || bytes.byteLength > MAX_FRAME_BYTES) throw new Error('png size out of range');
      return { type: 'frame', requestId: requestId(o.requestId), png: new Uint8Array(bytes) };
    }
    case 'frameFailed': {
      exact(['type', 'requestId', 'message']);
      if (typeof o.message !== 'string') throw new Error('bad message');
      return { type: 'frameFailed', requestId: requestId(o.requestId), message: o.message.slice(0, 500) };
    }
    default:
      throw new Error('unknown message type');
  }
}

// ---- The film (issue 20): appended, so the preview's own messages above stay as they are. ----------------

/** Whether a video has sound and in what codec (read from the file by the extension). */
export interface SoundView {
  readonly hasAudio: boolean;
  /** "AAC", "MP3", ... */
  readonly codec?: string;
}

export interface FilmView {
  /** asWebviewUri of the film, with its modification time as a query (a new film is loaded afresh). */
  readonly videoUri: string;
  readonly fileName: string;
  /** "3 shots · 15.0 s · 1280×720" */
  readonly summary: string;
  /** Titles of the shots whose chosen take changed since the film was assembled (empty: up to date). */
  readonly staleShots: readonly string[];
  readonly sound: SoundView;
}

export type FilmToWebview =
  /** The assembled film (undefined: none yet) and the sound of every video shown, by video URI. */
  | {
    readonly type: 'film'; readonly film?: FilmView; readonly sounds: Readonly<Record<string, SoundView>>; readonly canAssemble: boolean;
    /**
     * Play with Sound downloads the video to the person's computer (a browser or remote window: the system's player
     * is not on the files' machine).
     */
    readonly playDownloads?: boolean;
  };

export type FilmFromWebview =
  | { readonly type: 'assembleFilm' }
  | { readonly type: 'exportTimeline' }
  /** Open the film (no shot) or a take in the system's player, which plays its sound. */
  | { readonly type: 'playWithSound'; readonly shot?: string; readonly take?: string };

export type FilmParsed = { ok: true; value: FilmFromWebview } | { ok: false; reason: string };

/** The film's messages from the page (anything else: not one of them, see parseFromWebview). */
export function parseFilmFromWebview(raw: unknown): FilmParsed | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  if (o.type !== 'assembleFilm' && o.type !== 'exportTimeline' && o.type !== 'playWithSound') return undefined;
  const extra = Object.keys(o).filter((k) => !['type', ...(o.type === 'playWithSound' ? ['shot', 'take'] : [])].includes(k));
  if (extra.length > 0) return { ok: false, reason: `unknown key ${extra[0].slice(0, 40)}` };
  if (o.type !== 'playWithSound') return { ok: true, value: { type: o.type } };
  if ((o.shot === undefined) !== (o.take === undefined)) return { ok: false, reason: 'shot and take go together' };
  if (o.shot === undefined) return { ok: true, value: { type: 'playWithSound' } };
  if (typeof o.shot !== 'string' || !KEY_PATTERN.test(o.shot) || typeof o.take !== 'string' || !KEY_PATTERN.test(o.take)) return { ok: false, reason: 'bad shot or take' };
  return { ok: true, value: { type: 'playWithSound', shot: o.shot, take: o.take } };
}
