// Reads a `*.storyboard.md` file into shots, keeping the offset of everything the editor may point at
// (squiggles, quick fixes, CodeLens) and never throwing: a half-typed file still yields every shot it can,
// with problems that say where and what.
//
// The format (documented in README, "Storyboards"):
//   ---                         YAML front matter: defaults for every shot
//   title: The Lighthouse       (title, model, seconds, size, resolution)
//   ---
//   ## Dusk over the sea        every `## ` heading starts a shot; the heading text is its title
//   <!-- shot                   optional settings comment (YAML), hidden when GitHub renders the file:
//   id: k3f9q2                    id (stable identity), model, seconds, size, resolution,
//   seconds: 6                    image (a path relative to the file, or a list of up to 9), continue (true),
//                                 take (chosen video)
//   -->
//   A slow aerial push ...      the prompt: the rest of the section, HTML comments removed, trimmed
import * as l10n from '@vscode/l10n';
import type { Document } from 'yaml';
import { isMap, isScalar, isSeq, parseDocument } from './yamlParser';

/** A range of the file's text, as offsets (start inclusive, end exclusive). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One `key: value` the person wrote, with where the key and the value are. */
export interface Entry {
  readonly value: unknown;
  readonly keySpan: Span;
  readonly valueSpan: Span;
  /** When the value is a list (`image: [a.png, b.png]` or one `- path` per line): each item and where it is. */
  readonly items?: readonly { readonly value: unknown; readonly span: Span }[];
}

export const FRONT_MATTER_KEYS = ['title', 'model', 'seconds', 'size', 'resolution'] as const;
export const SHOT_KEYS = ['id', 'model', 'seconds', 'size', 'resolution', 'image', 'continue', 'take'] as const;
export type FrontMatterKey = (typeof FRONT_MATTER_KEYS)[number];
export type ShotKey = (typeof SHOT_KEYS)[number];

export interface ParseProblem {
  readonly span: Span;
  readonly message: string;
  readonly severity: 'error' | 'warning';
  readonly code: 'yaml' | 'unknownKey' | 'frontMatterUnclosed' | 'commentUnclosed' | 'secondComment' | 'notAMap';
}

/** The `<!-- shot ... -->` comment of a shot: where it is and how its YAML is written. */
export interface ShotComment {
  readonly span: Span;
  /** Where the YAML text starts and ends (between `<!-- shot` and `-->`). */
  readonly contentStart: number;
  readonly contentEnd: number;
  /** Written as a flow map `{a: 1, b: 2}` (insert keys inside the braces). */
  readonly flow: boolean;
}

export interface Shot {
  /** 0-based position in the file. */
  readonly index: number;
  /** The id written in the file, when there is one (the stable identity). */
  readonly id?: string;
  readonly title: string;
  /** The whole `## ` heading line (without its line break). */
  readonly headingSpan: Span;
  readonly prompt: string;
  /** The section under the heading (to the next heading or the end). */
  readonly bodySpan: Span;
  readonly settings: Partial<Record<ShotKey, Entry>>;
  readonly comment?: ShotComment;
}

export interface Storyboard {
  readonly frontMatter?: { readonly span: Span; readonly contentStart: number; readonly contentEnd: number };
  readonly defaults: Partial<Record<FrontMatterKey, Entry>>;
  readonly shots: readonly Shot[];
  readonly problems: readonly ParseProblem[];
}

/** The key a shot is addressed by: its id, or `#N` (1-based position) while it has none. */
export function shotKey(shot: Shot): string {
  return shot.id ?? `#${shot.index + 1}`;
}

export function findShot(board: Storyboard, key: string): Shot | undefined {
  const byId = board.shots.find((s) => s.id === key);
  if (byId) return byId;
  const m = /^#(\d+)$/.exec(key);
  if (m) {
    const shot = board.shots[Number(m[1]) - 1];
    // `#N` only names a shot that has no id yet; once written, the id is the name.
    return shot && shot.id === undefined ? shot : undefined;
  }
  return undefined;
}

export function parseStoryboard(text: string): Storyboard {
  const problems: ParseProblem[] = [];
  const lines = splitLines(text);
  let lineIndex = 0;
  let frontMatter: Storyboard['frontMatter'];
  let defaults: Partial<Record<FrontMatterKey, Entry>> = {};

  const first = lines[0];
  if (first && stripBom(first.text).trimEnd() === '---') {
    const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l.text));
    if (close < 0) {
      problems.push({ span: { start: first.start, end: first.end }, message: l10n.t('The front matter starts with "---" but has no closing "---" line.'), severity: 'error', code: 'frontMatterUnclosed' });
    } else {
      const contentStart = lines[1].start;
      const contentEnd = lines[close].start;
      frontMatter = { span: { start: first.start, end: lines[close].end }, contentStart, contentEnd };
      defaults = readMap(text.slice(contentStart, contentEnd), contentStart, FRONT_MATTER_KEYS, l10n.t('front matter'), problems);
      lineIndex = close + 1;
    }
  }

  // Headings inside fenced code blocks are text, not shots.
  const headings: Array<{ line: number; title: string }> = [];
  let fence: string | undefined;
  for (let i = lineIndex; i < lines.length; i++) {
    const t = lines[i].text;
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(t);
    if (f) {
      if (!fence) fence = f[1][0];
      else if (f[1][0] === fence) fence = undefined;
      continue;
    }
    if (fence) continue;
    const h = /^ {0,3}##(?:[ \t]+(.*?))?[ \t]*$/.exec(t);
    if (h) headings.push({ line: i, title: (h[1] ?? '').replace(/[ \t]+#+$/, '').replace(/^#+$/, '').trim() });
  }

  const shots: Shot[] = headings.map((h, index) => {
    const heading = lines[h.line];
    const bodyStart = heading.next;
    const bodyEnd = index + 1 < headings.length ? lines[headings[index + 1].line].start : text.length;
    return readShot(text, index, h.title, { start: heading.start, end: heading.end }, { start: bodyStart, end: bodyEnd }, problems);
  });
  return { frontMatter, defaults, shots, problems };
}

function readShot(text: string, index: number, title: string, headingSpan: Span, bodySpan: Span, problems: ParseProblem[]): Shot {
  const body = text.slice(bodySpan.start, bodySpan.end);
  let comment: ShotComment | undefined;
  let settings: Partial<Record<ShotKey, Entry>> = {};
  const commentPattern = /<!--([\s\S]*?)(-->|$)/g;
  let prompt = '';
  let last = 0;
  for (let m = commentPattern.exec(body); m; m = commentPattern.exec(body)) {
    prompt += body.slice(last, m.index);
    last = m.index + m[0].length;
    const start = bodySpan.start + m.index;
    const span = { start, end: bodySpan.start + last };
    const inner = m[1];
    const isShot = /^\s*shot\b/i.exec(inner);
    if (!isShot) continue;
    if (m[2] !== '-->') {
      problems.push({ span: { start, end: start + 4 + isShot[0].length }, message: l10n.t('This shot comment is not closed; end it with "-->".'), severity: 'error', code: 'commentUnclosed' });
      continue;
    }
    if (comment) {
      problems.push({ span, message: l10n.t('A shot has one settings comment; merge this one into the first.'), severity: 'error', code: 'secondComment' });
      continue;
    }
    // `<!-- shot:` is forgiven: the colon is what people type after a label.
    const afterWord = start + 4 + isShot[0].length;
    const colon = text[afterWord] === ':' ? 1 : 0;
    // Spaces before the first key are skipped: "<!-- shot id: a\nseconds: 6 -->" must read as two keys.
    let contentStart = afterWord + colon;
    while (text[contentStart] === ' ' || text[contentStart] === '\t') contentStart++;
    const contentEnd = span.end - 3;
    const content = text.slice(contentStart, contentEnd);
    comment = { span, contentStart, contentEnd, flow: /^\s*\{/.test(content) };
    settings = readMap(content, contentStart, SHOT_KEYS, l10n.t('shot settings'), problems);
  }
  prompt += body.slice(last);
  const idEntry = settings.id;
  const id = idEntry && (typeof idEntry.value === 'string' || typeof idEntry.value === 'number') && String(idEntry.value).trim() !== ''
    ? String(idEntry.value).trim()
    : undefined;
  return { index, id, title, headingSpan, prompt: prompt.trim(), bodySpan, settings, comment };
}

/** Reads a YAML map, keeping spans; unknown keys and YAML errors become problems. */
function readMap<K extends string>(
  content: string,
  offset: number,
  known: readonly K[],
  where: string,
  problems: ParseProblem[],
): Partial<Record<K, Entry>> {
  const out: Partial<Record<K, Entry>> = {};
  if (content.trim() === '') return out;
  let doc: Document.Parsed;
  try {
    doc = parseDocument(content, { prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    problems.push({ span: { start: offset, end: offset + content.length }, message: l10n.t('The {0} could not be read: {1}', where, String(error)), severity: 'error', code: 'yaml' });
    return out;
  }
  for (const e of doc.errors) {
    const [a, b] = e.pos;
    problems.push({
      span: { start: offset + a, end: offset + Math.max(b, a + 1) },
      message: l10n.t('The {0} is not valid YAML: {1}.', where, e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')),
      severity: 'error',
      code: 'yaml',
    });
  }
  const root = doc.contents;
  if (root === null || root === undefined) return out;
  if (!isMap(root)) {
    const r = root.range ?? [0, content.length];
    problems.push({ span: { start: offset + r[0], end: offset + r[1] }, message: l10n.t('The {0} must be "key: value" lines, e.g. "seconds: 6".', where), severity: 'error', code: 'notAMap' });
    return out;
  }
  for (const pair of root.items) {
    const key = pair.key;
    if (!isScalar(key) || !key.range) continue;
    const name = String(key.value);
    const keySpan = { start: offset + key.range[0], end: offset + key.range[1] };
    if (!(known as readonly string[]).includes(name)) {
      problems.push({ span: keySpan, message: l10n.t('Unknown key "{0}" in the {1}; the keys are {2}.', name, where, known.join(', ')), severity: 'warning', code: 'unknownKey' });
      continue;
    }
    const valueNode = pair.value as { range?: [number, number, number]; toJSON?: () => unknown } | null;
    const range = valueNode && valueNode.range ? valueNode.range : [key.range[1], key.range[1]];
    const value = valueNode && isScalar(valueNode) ? valueNode.value : valueNode && typeof valueNode.toJSON === 'function' ? valueNode.toJSON() : null;
    const items = valueNode && isSeq(valueNode)
      ? valueNode.items.map((item) => {
        const r = (item as { range?: [number, number, number] } | null)?.range ?? range;
        const v = isScalar(item) ? item.value : item && typeof (item as { toJSON?: () => unknown }).toJSON === 'function' ? (item as { toJSON: () => unknown }).toJSON() : null;
        return { value: v, span: { start: offset + r[0], end: offset + r[1] } };
      })
      : undefined;
    out[name as K] = { value, keySpan, valueSpan: { start: offset + range[0], end: offset + range[1] }, ...(items ? { items } : {}) };
  }
  return out;
}

interface Line {
  readonly start: number;
  /** End of the text, before the line break. */
  readonly end: number;
  /** Start of the next line. */
  readonly next: number;
  readonly text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /\r\n|\n|\r/g;
  let start = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    lines.push({ start, end: m.index, next: m.index + m[0].length, text: text.slice(start, m.index) });
    start = m.index + m[0].length;
  }
  lines.push({ start, end: text.length, next: text.length, text: text.slice(start) });
  return lines;
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
