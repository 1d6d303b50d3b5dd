// The few changes the extension writes into a storyboard file: a shot's id (when it is first generated),
// its chosen take, and a quick fix's model. The file is the person's (STYLE.md habit 13): the shot's
// settings comment is read through the YAML library's document model, the new key goes where that model
// says the map's keys are (same indentation, after its last key and any trailing comment, inside the braces
// of a flow map), an existing value keeps its quoting, and the whole file is parsed again before anything
// is returned: an edit whose key would not read back, or that would change anything else the shot says,
// is refused with the reason instead. Edits are returned as text edits (offset, length, text) so the editor
// applies them as one undoable WorkspaceEdit; nothing here touches the disk.
import { randomBytes } from 'node:crypto';
import { isMap, isScalar, parseDocument } from './yamlParser';
import { parseStoryboard, type Shot, type ShotKey } from './parse';

export interface TextEdit {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

/** An edit of a shot comment, checked by reading the result back; or why it was not made. */
export type ShotEdit = { readonly ok: true; readonly edit: TextEdit } | { readonly ok: false; readonly reason: string };

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
export function yamlScalar(value: string | number | boolean, quote?: '"' | "'"): string {
  if (typeof value !== 'string') return String(value);
  // The person's own quoting is kept when the value can be written that way.
  if (quote === "'" && !/['\r\n]/.test(value)) return `'${value}'`;
  if (quote === '"') return JSON.stringify(value);
  if (/^[A-Za-z0-9_./][A-Za-z0-9_./ ()-]*$/.test(value) && !/ $/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) && !/^[0-9.]+$/.test(value)) {
    return value;
  }
  return JSON.stringify(value);
}

/**
 * Sets `key: value` in a shot's settings comment (replacing the value where the key is written, adding the
 * key to the comment, or adding a comment under the heading) and checks the result by parsing the whole
 * file again. `lineBreak` defaults to the file's own.
 */
export function editShotSetting(
  text: string,
  shot: Shot,
  key: ShotKey,
  value: string | number | boolean,
  lineBreak = lineBreakOf(text),
): ShotEdit {
  const planned = planEdit(text, shot, key, value, lineBreak);
  if (!planned.ok) return planned;
  const problem = readBackProblem(text, applyEdits(text, [planned.edit]), shot, key, value);
  return problem ? { ok: false, reason: problem } : planned;
}

/** The same edit for a quick fix: undefined when it would not read back (the fix is then not offered). */
export function setShotSetting(
  text: string,
  shot: Shot,
  key: ShotKey,
  value: string | number | boolean,
  lineBreak = lineBreakOf(text),
): TextEdit | undefined {
  const result = editShotSetting(text, shot, key, value, lineBreak);
  return result.ok ? result.edit : undefined;
}

function planEdit(text: string, shot: Shot, key: ShotKey, value: string | number | boolean, lineBreak: string): ShotEdit {
  const comment = shot.comment;
  if (!comment) {
    return { ok: true, edit: { offset: shot.headingSpan.end, length: 0, text: `${lineBreak}<!-- shot ${key}: ${yamlScalar(value)} -->` } };
  }
  const content = text.slice(comment.contentStart, comment.contentEnd);
  if (content.trim() === '') {
    const newline = content.indexOf('\n');
    if (newline >= 0) {
      // "<!-- shot\n-->": the key gets its own line, the comment keeps its shape.
      return { ok: true, edit: { offset: comment.contentStart + newline + 1, length: 0, text: `${key}: ${yamlScalar(value)}${lineBreak}` } };
    }
    let spaceBefore = comment.contentStart;
    while (text[spaceBefore - 1] === ' ' || text[spaceBefore - 1] === '\t') spaceBefore--;
    return { ok: true, edit: { offset: spaceBefore, length: comment.contentEnd - spaceBefore, text: ` ${key}: ${yamlScalar(value)} ` } };
  }
  const doc = parseDocument(content, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, reason: `the settings comment of shot ${shot.index + 1} is not valid YAML (${doc.errors[0].message.split('\n')[0]}); fix it first` };
  }
  const root = doc.contents;
  if (!isMap(root)) return { ok: false, reason: `the settings comment of shot ${shot.index + 1} is not "key: value" lines; fix it first` };

  const pair = root.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  if (pair) {
    const keyNode = pair.key as { range?: [number, number, number] };
    const valueNode = pair.value as { range?: [number, number, number]; type?: string } | null;
    if (valueNode && valueNode.range && valueNode.range[1] > valueNode.range[0]) {
      const quote = valueNode.type === 'QUOTE_SINGLE' ? "'" : valueNode.type === 'QUOTE_DOUBLE' ? '"' : undefined;
      const [start, end] = valueNode.range;
      return { ok: true, edit: { offset: comment.contentStart + start, length: end - start, text: yamlScalar(value, quote) } };
    }
    // `key:` with nothing after it: the value goes right after the colon, whatever follows stays.
    const colon = content.indexOf(':', keyNode.range?.[1] ?? 0);
    if (colon < 0) return { ok: false, reason: `"${key}:" in shot ${shot.index + 1} could not be found` };
    return { ok: true, edit: { offset: comment.contentStart + colon + 1, length: 0, text: ` ${yamlScalar(value)}` } };
  }

  if (root.flow) {
    const [open] = root.range ?? [0];
    const inner = content.slice(open + 1, content.lastIndexOf('}'));
    return { ok: true, edit: { offset: comment.contentStart + open + 1, length: 0, text: `${key}: ${yamlScalar(value)}${inner.trim() ? ', ' : ''}` } };
  }

  // A block map: the new line takes the indentation its keys have (YAML sees the comment's text from just
  // after "<!-- shot", so a key on that first line is at column 0), after everything the map holds.
  const firstKey = root.items[0]?.key as { range?: [number, number, number] } | undefined;
  const keyStart = firstKey?.range?.[0] ?? 0;
  const lineStart = content.lastIndexOf('\n', keyStart - 1) + 1;
  const indent = content.slice(lineStart, keyStart);
  if (/[^ ]/.test(indent)) return { ok: false, reason: `the settings comment of shot ${shot.index + 1} is indented with something other than spaces` };
  const lastContent = comment.contentStart + content.trimEnd().length;
  return { ok: true, edit: { offset: lastContent, length: 0, text: `${lineBreak}${indent}${key}: ${yamlScalar(value)}` } };
}

/** Why the edited file does not say what was meant (the key, and nothing else changed), or undefined. */
function readBackProblem(before: string, after: string, shot: Shot, key: ShotKey, value: string | number | boolean): string | undefined {
  const old = parseStoryboard(before);
  const now = parseStoryboard(after);
  const fail = (what: string) => `writing "${key}" into shot ${shot.index + 1} would ${what}; nothing was written`;
  if (now.shots.length !== old.shots.length) return fail('change the number of shots');
  const was = old.shots[shot.index];
  const is = now.shots[shot.index];
  if (!was || !is) return fail('lose the shot');
  const read = is.settings[key]?.value;
  if (read !== value && !(key === 'id' && String(read) === String(value))) return fail(`not read back (it would read as ${JSON.stringify(read ?? null)})`);
  if (is.title !== was.title || is.prompt !== was.prompt) return fail('change the shot\'s title or prompt');
  for (const k of Object.keys(was.settings) as ShotKey[]) {
    if (k === key) continue;
    if (JSON.stringify(is.settings[k]?.value) !== JSON.stringify(was.settings[k]?.value)) return fail(`change "${k}"`);
  }
  const inComment = (b: typeof now, s: Shot) => b.problems.filter((p) => p.span.start >= s.bodySpan.start && p.span.end <= s.bodySpan.end && p.severity === 'error').length;
  if (inComment(now, is) > inComment(old, was)) return fail('make the settings comment invalid');
  for (let i = 0; i < old.shots.length; i++) {
    if (i === shot.index) continue;
    if (old.shots[i].id !== now.shots[i].id || old.shots[i].prompt !== now.shots[i].prompt) return fail(`change shot ${i + 1}`);
  }
  return undefined;
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
