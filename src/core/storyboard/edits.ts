// The few changes the extension writes into a storyboard file: a shot's id (when it is first generated)
// and its chosen take. Returned as text edits (offset, length, text) so the editor can apply them as one
// undoable WorkspaceEdit; nothing here touches the disk.
import { randomBytes } from 'node:crypto';
import type { Shot, ShotKey } from './parse';

export interface TextEdit {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

/** A short random id (8 lowercase letters and digits): unique enough for one storyboard, easy to read in a diff. */
export function newShotId(taken: ReadonlySet<string> = new Set()): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (;;) {
    const bytes = randomBytes(8);
    let id = '';
    for (const b of bytes) id += alphabet[b % alphabet.length];
    // Starts with a letter so YAML never reads it as a number.
    if (/^[a-z]/.test(id) && !taken.has(id)) return id;
  }
}

/** YAML for a plain value: bare when safe, quoted otherwise (paths with ": " or "#", leading spaces, ...). */
export function yamlScalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  if (/^[A-Za-z0-9_./][A-Za-z0-9_./ ()-]*$/.test(value) && !/ $/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) && !/^[0-9.]+$/.test(value)) {
    return value;
  }
  return JSON.stringify(value);
}

/**
 * Sets `key: value` in a shot's settings comment: replaces the value where the key is written, adds the
 * key to the comment, or adds a comment under the heading. `lineBreak` is the file's own ("\n" or "\r\n").
 */
export function setShotSetting(text: string, shot: Shot, key: ShotKey, value: string | number | boolean, lineBreak = '\n'): TextEdit {
  const written = yamlScalar(value);
  const existing = shot.settings[key];
  if (existing && existing.valueSpan.end > existing.valueSpan.start) {
    return { offset: existing.valueSpan.start, length: existing.valueSpan.end - existing.valueSpan.start, text: written };
  }
  if (existing) {
    // `key:` with nothing after it.
    return { offset: existing.keySpan.end, length: afterColon(text, existing.keySpan.end), text: `: ${written}` };
  }
  const comment = shot.comment;
  if (!comment) {
    return { offset: shot.headingSpan.end, length: 0, text: `${lineBreak}<!-- shot ${key}: ${written} -->` };
  }
  if (comment.flow) {
    const brace = text.indexOf('{', comment.contentStart);
    const inner = text.slice(brace + 1, text.indexOf('}', brace)).trim();
    return { offset: brace + 1, length: 0, text: `${key}: ${written}${inner ? ', ' : ''}` };
  }
  const content = text.slice(comment.contentStart, comment.contentEnd);
  if (content.trim() === '') {
    let spaceBefore = comment.contentStart;
    while (text[spaceBefore - 1] === ' ' || text[spaceBefore - 1] === '\t') spaceBefore--;
    return { offset: spaceBefore, length: comment.contentEnd - spaceBefore, text: ` ${key}: ${written} ` };
  }
  // A new line after the last key: "<!-- shot id: a -->" becomes "<!-- shot id: a\ntake: b -->", and a
  // multi-line comment gets the key as its last line. Both stay valid YAML, and the id stays first.
  const lastKeyEnd = comment.contentStart + content.trimEnd().length;
  return { offset: lastKeyEnd, length: 0, text: `${lineBreak}${key}: ${written}` };
}

function afterColon(text: string, from: number): number {
  const m = /^[ \t]*:[ \t]*/.exec(text.slice(from));
  return m ? m[0].length : 0;
}

/** Applies edits (non-overlapping) to a string: for tests and for files that are not open in an editor. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + e.text + out.slice(e.offset + e.length);
  return out;
}

/** The line break the file already uses. */
export function lineBreakOf(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}
