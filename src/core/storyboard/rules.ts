// A parsed storyboard checked against the one model catalogue: every shot's effective settings (shot, then
// front matter, then the seedance.default* settings), every problem at the place the person must change,
// and the quick fix where one value fixes it. The same result drives the squiggles, the CodeLens, the
// cost estimate and what Generate sends, so what the editor flags is exactly what would be refused.
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import {
  acceptsReferenceImage,
  ASPECT_RATIOS,
  DEFAULT_SIZE,
  findModel,
  fitToModel,
  MAX_REFERENCE_IMAGES,
  MODELS,
  replacementsOf,
  validate,
  type DraftField,
  type GenerationDraft,
  type ReferenceImageFacts,
} from '../catalog';
import { availabilityOf, usableModel, usableModels, type LiveList } from '../availability';
import type { GenerateArgs, GenerationDefaults } from '../generationArgs';
import type { GenerationSettings } from '../generationRequest';
import { referencesOf } from '../requestImages';
import { setShotSetting, type TextEdit } from './edits';
import type { Entry, Shot, Span, Storyboard } from './parse';

/** The model a continuation falls back to in quick fixes: the fast 2.0 model, for iteration. */
export const CONTINUATION_MODEL = 'doubao-seedance-2-0-fast';

export interface QuickFix {
  readonly title: string;
  readonly edit: TextEdit;
}

export type ProblemCode =
  | 'yaml' | 'unknownKey' | 'frontMatterUnclosed' | 'commentUnclosed' | 'secondComment' | 'notAMap'
  | 'prompt' | 'model' | 'seconds' | 'size' | 'resolution' | 'image' | 'imageMissing'
  | 'continueFirst' | 'continueModel' | 'valueType' | 'duplicateId' | 'noShots';

export interface StoryboardProblem {
  readonly span: Span;
  readonly message: string;
  readonly severity: 'error' | 'warning';
  readonly code: ProblemCode;
  /** The shot it belongs to (undefined for the front matter or the file). */
  readonly shotIndex?: number;
  readonly fixes?: readonly QuickFix[];
}

/** What the checks know about a reference image: its facts, 'missing', or undefined when not looked at yet. */
export type ImageLookup = (absolutePath: string) => ReferenceImageFacts | 'missing' | undefined;

/** A shot with its effective settings (what would be sent). */
export interface ResolvedShot extends GenerationSettings {
  readonly shot: Shot;
  /** Absolute paths of the reference images the shot names (`image:` one path or a list), in upload order. */
  readonly imagePaths: readonly string[];
  readonly continues: boolean;
  /** The argument object for the submit path (validated again there). */
  readonly args: GenerateArgs;
  /** Errors only (warnings do not stop a generation). */
  readonly errors: readonly StoryboardProblem[];
}

export interface ResolvedStoryboard {
  readonly board: Storyboard;
  readonly title?: string;
  readonly shots: readonly ResolvedShot[];
  /** Every problem in the file, parse problems included, in file order. */
  readonly problems: readonly StoryboardProblem[];
}

export interface ResolveOptions {
  readonly defaults: GenerationDefaults;
  /** The storyboard file's folder: image paths are relative to it. */
  readonly baseDir: string;
  readonly image?: ImageLookup;
  /** CometAPI's live model list for this API host, when read (availability.ts): it decides what is offered. */
  readonly listed?: LiveList;
}

const FIELD_OF: Record<Exclude<DraftField, 'inputReference'>, ProblemCode> = {
  prompt: 'prompt', model: 'model', seconds: 'seconds', size: 'size', resolution: 'resolution',
};

export function resolveStoryboard(text: string, board: Storyboard, options: ResolveOptions): ResolvedStoryboard {
  const problems: StoryboardProblem[] = board.problems.map((p) => ({ ...p }));
  const fm = board.defaults;
  const titleValue = fm.title?.value;
  const shots: ResolvedShot[] = [];
  const seenIds = new Map<string, number>();

  for (const shot of board.shots) {
    const local: StoryboardProblem[] = [];
    const add = (p: Omit<StoryboardProblem, 'shotIndex' | 'severity'> & { severity?: 'error' | 'warning' }) =>
      local.push({ severity: 'error', ...p, shotIndex: shot.index });
    const heading = shot.headingSpan;
    const pick = (key: keyof GenerationSettings): Entry | undefined => shot.settings[key] ?? fm[key];

    // Types first: a wrong type is named at the value, and the setting's default is used for the rest.
    const stringOf = (key: 'model' | 'size' | 'resolution'): string | undefined => {
      const e = pick(key);
      if (!e) return undefined;
      if (typeof e.value === 'string' && e.value.trim() !== '') return e.value.trim();
      add({ span: spanOf(e), code: 'valueType', message: l10n.t('"{0}" must be a word such as {1}; you gave {2}.', key, key === 'model' ? CONTINUATION_MODEL : key === 'size' ? '16:9' : '720p', describe(e.value)) });
      return undefined;
    };
    const model = stringOf('model') ?? options.defaults.model;
    // An offered model's rules, or those of a retired one the live list still lists (CONTRACT 16).
    const info = findModel(model) ?? usableModel(model, options.listed);
    const availability = availabilityOf(model, options.listed);
    if (availability.kind === 'retiredButListed') {
      const entry = pick('model');
      add({ span: entry ? spanOf(entry) : heading, code: 'model', severity: 'warning', message: availability.warning, ...(entry ? { fixes: fixesFor('model', entry, info, options.listed) } : {}) });
    }
    const fitted = info
      ? fitToModel(info, { seconds: options.defaults.seconds, size: options.defaults.size, resolution: options.defaults.resolution })
      : { seconds: options.defaults.seconds, size: options.defaults.size, resolution: options.defaults.resolution };
    let seconds: number = fitted.seconds;
    const secondsEntry = pick('seconds');
    if (secondsEntry) {
      const v = secondsEntry.value;
      if (typeof v === 'number' && Number.isInteger(v)) seconds = v;
      else if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) seconds = Number(v);
      else add({ span: spanOf(secondsEntry), code: 'valueType', message: l10n.t('"seconds" must be a whole number of seconds; you gave {0}.', describe(v)) });
    }
    const size = stringOf('size') ?? fitted.size;
    const resolution = stringOf('resolution') ?? fitted.resolution;

    // `image:` is one path or a list of paths; each keeps where it is written, so a problem names its line.
    const images: { path: string; written: string; span: Span }[] = [];
    const imageEntry = shot.settings.image;
    if (imageEntry) {
      const usable = (imageEntry.items ?? []).every((w) => typeof w.value === 'string' && w.value.trim() !== '');
      if (typeof imageEntry.value === 'string' && imageEntry.value.trim() !== '') {
        images.push({
          path: path.resolve(options.baseDir, imageEntry.value.trim()),
          written: imageEntry.value.trim(),
          span: spanOf(imageEntry),
        });
      } else if (imageEntry.items && imageEntry.items.length > 0 && usable) {
        for (const w of imageEntry.items) {
          images.push({ path: path.resolve(options.baseDir, String(w.value).trim()), written: String(w.value).trim(), span: w.span });
        }
      } else {
        add({ span: spanOf(imageEntry), code: 'valueType', message: l10n.t('"image" must be the path of a JPEG, PNG or WebP file relative to this storyboard, or a list of such paths (up to {0}).', MAX_REFERENCE_IMAGES) });
      }
    }
    const imagePaths = images.map((i) => i.path);
    const continueEntry = shot.settings.continue;
    let continues = false;
    if (continueEntry) {
      if (typeof continueEntry.value === 'boolean') continues = continueEntry.value;
      else add({ span: spanOf(continueEntry), code: 'valueType', message: l10n.t('"continue" is true (start from the previous shot\'s last frame) or false.') });
    }

    // The catalogue's rules, each placed where the value is written: a file's own problems (missing, not an
    // image, too large) at its path; the model's rules (text only, how many) at `image`.
    const looked = images.map((i) => ({ ...i, facts: options.image?.(i.path) }));
    const known = looked.flatMap((i) => (i.facts && i.facts !== 'missing' ? [i.facts] : []));
    const draft: GenerationDraft = { prompt: shot.prompt, model, seconds, size, resolution, ...referencesOf(known) };
    for (const image of looked) {
      if (image.facts === 'missing') {
        add({ span: image.span, code: 'imageMissing', message: l10n.t('No readable image at "{0}" (paths are relative to this storyboard\'s folder).', image.written) });
      } else if (image.facts) {
        for (const p of validate({ inputReference: image.facts }).filter((q) => q.field === 'inputReference')) add({ span: image.span, code: 'image', message: p.message });
      }
    }
    // The previous shot's last frame is sent first and counts as one of the images.
    const sent = images.length + (continues ? 1 : 0);
    const overLimit = info !== undefined && acceptsReferenceImage(info) && imageEntry !== undefined && sent > info.maxReferenceImages;
    if (overLimit) {
      add({
        span: spanOf(imageEntry), code: 'image',
        message: continues
          ? l10n.t('This shot sends {0} reference images (the previous shot\'s last frame counts as one); {1} takes at most {2}. Remove {3} from "image".', sent, info.id, info.maxReferenceImages, sent - info.maxReferenceImages)
          : l10n.t('This shot names {0} reference images; {1} takes at most {2}. Remove {3} from "image".', sent, info.id, info.maxReferenceImages, sent - info.maxReferenceImages),
      });
    }
    for (const p of validate(draft, { listed: options.listed })) {
      if (p.field === 'inputReference') {
        // File problems are placed at their paths above, the count just now; what is left is the model's rule.
        if (overLimit || images.length === 0 || known.length === 0) continue;
        if (!info || acceptsReferenceImage(info)) continue;
        add({ span: spanOf(imageEntry ?? pick('model')) ?? heading, code: 'image', message: p.message, fixes: modelFixes(text, shot, pick('model')) });
        continue;
      }
      const entry = p.field === 'prompt' ? undefined : pick(p.field);
      if (local.some((l) => l.code === 'valueType' && entry && l.span.start === spanOf(entry).start)) continue;
      add({ span: entry ? spanOf(entry) : p.field === 'prompt' ? heading : heading, code: FIELD_OF[p.field], message: p.field === 'prompt' ? l10n.t('This shot has no prompt: write what the shot shows under its heading.') : p.message, fixes: entry ? fixesFor(p.field, entry, info, options.listed) : undefined });
    }
    if (images.length > 0 && known.length === 0 && info && !acceptsReferenceImage(info) && imageEntry) {
      // Not looked at yet: the model rule still applies.
      add({ span: spanOf(imageEntry), code: 'image', message: l10n.t('{0} makes videos from text only; remove the reference image or choose {1}.', info.id, MODELS.filter(acceptsReferenceImage).map((m) => m.id).join(' / ')), fixes: modelFixes(text, shot, pick('model')) });
    }
    if (continues && continueEntry) {
      if (shot.index === 0) {
        add({ span: spanOf(continueEntry), code: 'continueFirst', message: l10n.t('The first shot has no previous shot to continue from; remove "continue".') });
      }
      if (info && !acceptsReferenceImage(info)) {
        add({ span: spanOf(continueEntry), code: 'continueModel', message: l10n.t('Continuing sends the previous shot\'s last frame as a reference image, which {0} does not accept.', info.id), fixes: modelFixes(text, shot, pick('model')) });
      }
    }
    if (shot.id) {
      const before = seenIds.get(shot.id);
      if (before !== undefined && shot.settings.id) {
        add({ span: spanOf(shot.settings.id), code: 'duplicateId', message: l10n.t('Shot {0} already has the id "{1}"; each shot needs its own (copied shots would share their takes).', before + 1, shot.id) });
      } else {
        seenIds.set(shot.id, shot.index);
      }
    }

    const args: GenerateArgs = {
      prompt: shot.prompt,
      model,
      seconds,
      size,
      resolution,
      // A continuation's frame goes in front of these when the shot is sent (shotGeneration.ts).
      ...(imagePaths.length === 1 ? { inputReference: imagePaths[0] } : imagePaths.length > 1 ? { inputReference: imagePaths } : {}),
    };
    problems.push(...local);
    shots.push({ shot, model, seconds, size, resolution, imagePaths, continues, args, errors: local.filter((p) => p.severity === 'error') });
  }
  if (board.shots.length === 0) {
    const at = board.frontMatter ? board.frontMatter.span.end : 0;
    problems.push({ span: { start: at, end: at }, severity: 'warning', code: 'noShots', message: l10n.t('This storyboard has no shots yet: start one with a "## " heading.') });
  }
  problems.sort((a, b) => a.span.start - b.span.start);
  return { board, title: typeof titleValue === 'string' ? titleValue : undefined, shots, problems };
}

/** The span to underline for an entry: its value, or its key when the value is empty. */
function spanOf(entry: Entry): Span;
function spanOf(entry: Entry | undefined): Span | undefined;
function spanOf(entry: Entry | undefined): Span | undefined {
  if (!entry) return undefined;
  return entry.valueSpan.end > entry.valueSpan.start ? entry.valueSpan : entry.keySpan;
}

function fixesFor(field: DraftField, entry: Entry, info: ReturnType<typeof findModel>, listed?: LiveList): QuickFix[] | undefined {
  const replace = (value: string | number, title: string): QuickFix => ({
    title,
    edit: { offset: entry.valueSpan.start, length: entry.valueSpan.end - entry.valueSpan.start, text: String(value) },
  });
  if (entry.valueSpan.end <= entry.valueSpan.start) return undefined;
  switch (field) {
    case 'model': {
      // A retired model gets its replacements only (CONTRACT 16); anything else every model the live list
      // (when read) offers.
      const usable = usableModels(listed);
      const written = typeof entry.value === 'string' ? entry.value.trim() : '';
      const replacements = replacementsOf(written).filter((r) => usable.includes(r));
      return (replacements.length > 0 ? replacements : usable.filter((m) => m.id !== written)).map((m) => replace(m.id, l10n.t('Use {0} ({1})', m.id, m.label)));
    }
    case 'seconds': {
      if (!info || typeof entry.value !== 'number') return undefined;
      const v = Math.min(info.maxSeconds, Math.max(info.minSeconds, entry.value));
      return [replace(v, l10n.t('Use {0} seconds', v))];
    }
    case 'resolution': {
      if (!info) return undefined;
      const best = info.resolutions[info.resolutions.length - 1];
      return [replace(best, l10n.t('Use {0}', best))];
    }
    case 'size': {
      const target = info && !(info.sizes as readonly string[]).includes(DEFAULT_SIZE) ? info.sizes[0] : DEFAULT_SIZE;
      return ASPECT_RATIOS.length ? [replace(target, `Use ${target}`)] : undefined;
    }
    default:
      return undefined;
  }
}

/** "Use a 2.0 model for this shot": replaces the shot's own model value, or adds one to the shot. */
function modelFixes(text: string, shot: Shot, modelEntry: Entry | undefined): QuickFix[] {
  const title = l10n.t('Use {0} for this shot', CONTINUATION_MODEL);
  const own = shot.settings.model;
  if (own && own === modelEntry) {
    return [{ title, edit: { offset: own.valueSpan.start, length: own.valueSpan.end - own.valueSpan.start, text: CONTINUATION_MODEL } }];
  }
  // No fix is offered when the comment cannot take the key without breaking (its own squiggle says why).
  const edit = setShotSetting(text, shot, 'model', CONTINUATION_MODEL);
  return edit ? [{ title, edit }] : [];
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return `"${value}"`;
  return JSON.stringify(value);
}
