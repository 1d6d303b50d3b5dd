// The model catalogue: one table that every part of the product reads (validation in the extension,
// the quick-input flow, the webview form, the simulator's rules). A new model is one row.
//
// Source: the vendor's create page (revision A, see shared/api/seedance-create-endpoint.txt), which is
// the authority for what we send, and what CometAPI changed since (CONTRACT 16): Seedance 2.5 added, 1.0 Pro
// and 1.5 Pro retired. Retired models keep their row (RETIRED_MODELS) so old tasks, records and takes still
// read with their names, but nothing offers them and validation refuses them with the date and the replacement.
// This file must stay free of Node and VS Code imports: it is bundled into the webview too. Words go through
// @vscode/l10n (a plain library that works in Node and browsers), configured with the extension's bundle by the
// extension and by the webview, so they follow VS Code's language.
import * as l10n from '@vscode/l10n';
import type { Editable, GenerationField, GenerationSettings, ReferenceImages, UncheckedFields } from './generationRequest';
import { imagesOf } from './requestImages';

export const ASPECT_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const RESOLUTIONS = ['480p', '720p', '1080p'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export type GenerationMode = 'text-to-video' | 'image-to-video';

/**
 * The two documented shapes of the create request (CONTRACT 3.1): `ratio` is the vendor page's (size as an
 * aspect ratio plus resolution), `wxh` the newer one (size as exact WxH from exactSizes.ts, no resolution).
 * The seedance.requestShape setting chooses between them only for models documented both ways; a model
 * documented with exact sizes only (2.0 Mini, 2.5) is always sent WxH (requestShapeFor).
 */
export const REQUEST_SHAPES = ['ratio', 'wxh'] as const;
export type RequestShape = (typeof REQUEST_SHAPES)[number];
export const DEFAULT_REQUEST_SHAPE: RequestShape = 'ratio';

export interface ModelInfo {
  readonly id: string;
  /** Short human name, e.g. "Seedance 2.0 Fast". */
  readonly label: string;
  readonly tier: '2.5' | '2.0' | '1.5 Pro' | '1.0 Pro';
  /** One line for pickers: what this model is good for. */
  readonly note: string;
  readonly modes: readonly GenerationMode[];
  readonly minSeconds: number;
  readonly maxSeconds: number;
  readonly sizes: readonly AspectRatio[];
  readonly resolutions: readonly Resolution[];
  /** The request shapes in which the service documents this model (2.0 Mini: the WxH shape only). */
  readonly requestShapes: readonly RequestShape[];
  /** How many reference images one request may carry: 0 for text-only models, 9 for the 2.0 models (Ark: 1-9). */
  readonly maxReferenceImages: number;
  /** Set when CometAPI no longer serves the model (CONTRACT 16): never offered, refused before sending. */
  readonly retired?: Retirement;
}

export interface Retirement {
  /** The day CometAPI stopped serving it (YYYY-MM-DD), as announced. */
  readonly date: string;
  /** The models CometAPI names as its replacement, best first (all offered). */
  readonly replacements: readonly string[];
  /** Where the retirement was announced. */
  readonly source: string;
}

/** The upstream limit on reference images per request (Ark: 1-9); each model's own limit is maxReferenceImages. */
export const MAX_REFERENCE_IMAGES = 9;

export const MODELS: readonly ModelInfo[] = [
  {
    id: 'doubao-seedance-2-0',
    label: 'Seedance 2.0',
    tier: '2.0',
    get note() { return l10n.t('Highest quality; accepts up to 9 reference images'); },
    modes: ['text-to-video', 'image-to-video'],
    minSeconds: 4,
    maxSeconds: 15,
    sizes: ASPECT_RATIOS,
    resolutions: ['480p', '720p'],
    requestShapes: REQUEST_SHAPES,
    maxReferenceImages: MAX_REFERENCE_IMAGES,
  },
  {
    id: 'doubao-seedance-2-0-fast',
    label: 'Seedance 2.0 Fast',
    tier: '2.0',
    get note() { return l10n.t('Fast, for quick iteration and previews; accepts up to 9 reference images'); },
    modes: ['text-to-video', 'image-to-video'],
    minSeconds: 4,
    maxSeconds: 15,
    sizes: ASPECT_RATIOS,
    resolutions: ['480p', '720p'],
    requestShapes: REQUEST_SHAPES,
    maxReferenceImages: MAX_REFERENCE_IMAGES,
  },
  {
    id: 'doubao-seedance-2-0-mini',
    label: 'Seedance 2.0 Mini',
    tier: '2.0',
    get note() { return l10n.t('Cheapest 2.0; 480p/720p; accepts up to 9 reference images'); },
    modes: ['text-to-video', 'image-to-video'],
    minSeconds: 4,
    maxSeconds: 15,
    sizes: ASPECT_RATIOS,
    resolutions: ['480p', '720p'],
    // Only the newer revision of the create page lists Mini; the vendor page's (ratio) enum does not.
    requestShapes: ['wxh'],
    maxReferenceImages: MAX_REFERENCE_IMAGES,
  },
  {
    id: 'seedance-2-5',
    label: 'Seedance 2.5',
    tier: '2.5',
    get note() { return l10n.t('Newest; clips up to 30 s; 16:9 at 480p/720p; accepts up to 9 reference images'); },
    modes: ['text-to-video', 'image-to-video'],
    minSeconds: 4,
    maxSeconds: 30,
    // CONTRACT 16 documents 16:9 only (854x480, 1280x720); other ratios' sizes are not published, and the
    // service refuses an unknown size, so they are not offered until CometAPI documents them.
    sizes: ['16:9'],
    resolutions: ['480p', '720p'],
    requestShapes: ['wxh'],
    // "reference images as for 2.0 until CometAPI documents otherwise" (upstream takes up to 30).
    maxReferenceImages: MAX_REFERENCE_IMAGES,
  },
];

/**
 * Models CometAPI no longer serves (CONTRACT 16). 1.5 Pro: #121 announced 2026-09-21, #140 (which names 2.5
 * as its replacement) 2026-11-11 for the dated id; the later, more specific date is the one shown.
 */
export const RETIRED_MODELS: readonly ModelInfo[] = [
  {
    id: 'doubao-seedance-1-5-pro',
    label: 'Seedance 1.5 Pro',
    tier: '1.5 Pro',
    get note() { return l10n.t('1080p; text only'); },
    modes: ['text-to-video'],
    minSeconds: 4,
    maxSeconds: 12,
    sizes: ASPECT_RATIOS,
    resolutions: ['480p', '720p', '1080p'],
    requestShapes: REQUEST_SHAPES,
    maxReferenceImages: 0,
    retired: { date: '2026-11-11', replacements: ['seedance-2-5'], source: 'CometAPI announcement (cometapi-dev discussions #140)' },
  },
  {
    id: 'doubao-seedance-1-0-pro',
    label: 'Seedance 1.0 Pro',
    tier: '1.0 Pro',
    get note() { return l10n.t('1080p and short clips from 2 s; text only'); },
    modes: ['text-to-video'],
    minSeconds: 2,
    maxSeconds: 10,
    sizes: ASPECT_RATIOS,
    resolutions: ['480p', '720p', '1080p'],
    requestShapes: REQUEST_SHAPES,
    maxReferenceImages: 0,
    retired: { date: '2026-07-17', replacements: ['doubao-seedance-2-0', 'doubao-seedance-2-0-fast'], source: 'CometAPI announcement (cometapi-dev discussions #121)' },
  },
];

/** Every model the product knows, offered or retired (for reading old tasks, records and takes). */
export const ALL_MODELS: readonly ModelInfo[] = [...MODELS, ...RETIRED_MODELS];

export const DEFAULT_MODEL = 'doubao-seedance-2-0-fast';
export const DEFAULT_SECONDS = 5;
export const DEFAULT_SIZE: AspectRatio = '16:9';
export const DEFAULT_RESOLUTION: Resolution = '720p';

/** The upstream limit for one reference image (Ark: each image under 30 MB). */
export const MAX_REFERENCE_IMAGE_BYTES = 30 * 1024 * 1024;

export type ImageContentType = 'image/jpeg' | 'image/png' | 'image/webp';

/** An offered model (never a retired one: see describeModel and retiredModel). */
export function findModel(id: string): ModelInfo | undefined {
  return MODELS.find((m) => m.id === id);
}

/** Any model the product knows, retired ones included: for showing old tasks, records and takes. */
export function describeModel(id: string): ModelInfo | undefined {
  return ALL_MODELS.find((m) => m.id === id);
}

/** The model's name for display ("Seedance 1.0 Pro"), or the id itself when unknown. */
export function modelLabel(id: string): string {
  return describeModel(id)?.label ?? id;
}

/** The retired model with this id (with its date and replacements), or undefined. */
export function retiredModel(id: string): (ModelInfo & { readonly retired: Retirement }) | undefined {
  const m = RETIRED_MODELS.find((r) => r.id === id);
  return m?.retired ? (m as ModelInfo & { readonly retired: Retirement }) : undefined;
}

/** The offered models that replace a retired one, best first. */
export function replacementsOf(id: string): ModelInfo[] {
  return (retiredModel(id)?.retired.replacements ?? []).flatMap((r) => findModel(r) ?? []);
}

/**
 * The words for a retired model: when it stopped and what to use instead. Used by validation, storyboards
 * and the error for CometAPI's model_not_found, so every place says the same.
 */
export function retirementMessage(id: string): string | undefined {
  const model = retiredModel(id);
  if (!model) return undefined;
  return l10n.t('{0} ({1}) was retired by CometAPI on {2}; use {3} instead.', model.label, model.id, model.retired.date, joinOr(replacementsOf(id).map((r) => `${r.label} (${r.id})`)));
}

/**
 * The words for a known model CometAPI's live model list for this API host does not list (CONTRACT 16):
 * the service would refuse it (model_not_found), so it is shown unavailable and refused before sending.
 */
export function unlistedMessage(model: ModelInfo): string {
  return l10n.t("{0} is unavailable: CometAPI's model list for this API host does not include it now, so a request would be refused.", model.label);
}

/**
 * The request shape a model is sent in: the setting's, when the model is documented in it; otherwise the
 * one shape the model is documented in (2.0 Mini and 2.5: exact WxH, whatever the setting says).
 */
export function requestShapeFor(modelId: string, setting: RequestShape): RequestShape {
  const model = describeModel(modelId);
  if (!model || model.requestShapes.includes(setting)) return setting;
  return model.requestShapes[0];
}

export function acceptsReferenceImage(model: ModelInfo): boolean {
  return model.modes.includes('image-to-video') && model.maxReferenceImages > 0;
}

/** How many reference images `model` takes (the upstream limit when the model is unknown). */
export function referenceImageLimit(model: ModelInfo | undefined): number {
  return model ? model.maxReferenceImages : MAX_REFERENCE_IMAGES;
}

/** Every whole number of seconds the model accepts, in order. */
export function secondsFor(model: ModelInfo): number[] {
  const out: number[] = [];
  for (let s = model.minSeconds; s <= model.maxSeconds; s++) out.push(s);
  return out;
}

/**
 * Identifies an image by its first bytes, never by its name: a PNG renamed to .jpg is still a PNG,
 * and a text file named .png is not an image at all.
 */
export function sniffImageType(head: Uint8Array): ImageContentType | undefined {
  const at = (i: number) => head[i];
  if (head.length >= 3 && at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (
    head.length >= 8 &&
    at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47 &&
    at(4) === 0x0d && at(5) === 0x0a && at(6) === 0x1a && at(7) === 0x0a
  ) {
    return 'image/png';
  }
  if (
    head.length >= 12 &&
    at(0) === 0x52 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x46 && // RIFF
    at(8) === 0x57 && at(9) === 0x45 && at(10) === 0x42 && at(11) === 0x50 // WEBP
  ) {
    return 'image/webp';
  }
  return undefined;
}

/** What validation needs to know about a reference image: its name, its size and its first bytes. */
export interface ReferenceImageFacts {
  readonly fileName: string;
  readonly byteLength: number;
  /** At least the first 12 bytes of the file (more is fine). */
  readonly head: Uint8Array;
}

/**
 * A generation as a person asks for it, before validation. Fields may be missing or wrong. Reference images
 * after the first are in `moreReferences` (2.0 models take up to MAX_REFERENCE_IMAGES in all).
 */
export type GenerationDraft = Editable<UncheckedFields & ReferenceImages<ReferenceImageFacts>>;

/** What validation needs to know beyond the draft. */
export interface ValidationContext {
  /**
   * The request shape setting in use (seedance.requestShape). It no longer restricts models: one documented
   * in a single shape is sent in that shape (requestShapeFor).
   */
  readonly shape?: RequestShape;
  /**
   * The Seedance ids CometAPI's live model list for this API host names (see availability.ts), when one
   * was read: a known model it does not list is refused (the service would answer model_not_found), and a
   * retired model it still lists is accepted with that model's rules (the live answer wins, CONTRACT 16).
   * Undefined: the shipped table decides.
   */
  readonly listed?: ReadonlySet<string>;
}

export type DraftField = GenerationField | 'inputReference';

export interface ValidationProblem {
  readonly field: DraftField;
  readonly message: string;
}

/**
 * Applies every rule the service applies to a create request, so no paid request is sent that the
 * service would reject. Returns every problem (an empty array means valid), each in words a person
 * understands and can act on.
 */
export function validate(draft: GenerationDraft, context: ValidationContext = {}): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (field: DraftField, message: string) => problems.push({ field, message });

  if (typeof draft.prompt !== 'string' || draft.prompt.trim() === '') {
    add('prompt', l10n.t('Write a prompt that describes the video.'));
  }

  let model: ModelInfo | undefined;
  if (typeof draft.model !== 'string' || draft.model === '') {
    add('model', l10n.t('Choose a model: {0}.', MODELS.map((m) => m.id).join(', ')));
  } else {
    const listed = context.listed;
    const stillListed = listed?.has(draft.model) === true;
    model = findModel(draft.model) ?? (stillListed ? retiredModel(draft.model) : undefined);
    const retired = stillListed ? undefined : retirementMessage(draft.model);
    if (retired) {
      add('model', retired);
    } else if (!model) {
      add('model', l10n.t('"{0}" is not a Seedance model. Choose one of: {1}.', draft.model, MODELS.map((m) => m.id).join(', ')));
    } else if (listed && !stillListed) {
      add('model', unlistedMessage(model));
    }
  }

  const seconds = draft.seconds;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds)) {
    add('seconds', l10n.t('Duration must be a whole number of seconds; you gave {0}.', describe(seconds)));
  } else if (model && (seconds < model.minSeconds || seconds > model.maxSeconds)) {
    add('seconds', l10n.t('{0} makes clips of {1} to {2} seconds; you asked for {3}.', model.label, model.minSeconds, model.maxSeconds, seconds));
  }

  if (typeof draft.size !== 'string' || !(ASPECT_RATIOS as readonly string[]).includes(draft.size)) {
    add('size', l10n.t('Aspect ratio must be one of {0}; you gave {1}.', ASPECT_RATIOS.join(', '), describe(draft.size)));
  } else if (model && !(model.sizes as readonly string[]).includes(draft.size)) {
    add('size', l10n.t('{0} does not make {1} videos; choose one of {2}.', model.label, draft.size, model.sizes.join(', ')));
  }

  if (typeof draft.resolution !== 'string' || !(RESOLUTIONS as readonly string[]).includes(draft.resolution)) {
    add('resolution', l10n.t('Resolution must be one of {0}; you gave {1}.', RESOLUTIONS.join(', '), describe(draft.resolution)));
  } else if (model && !(model.resolutions as readonly string[]).includes(draft.resolution)) {
    add('resolution', l10n.t('{0} supports {1}, not {2}.', model.label, model.resolutions.join(l10n.t(' and ')), draft.resolution));
  }

  const images = imagesOf(draft);
  if (images.length > 0 && model && !acceptsReferenceImage(model)) {
    const takers = joinOr(MODELS.filter(acceptsReferenceImage).map((m) => m.label));
    add('inputReference', images.length > 1
      ? l10n.t('{0} makes videos from text only; remove the reference images or choose {1}.', model.label, takers)
      : l10n.t('{0} makes videos from text only; remove the reference image or choose {1}.', model.label, takers));
  }
  if (model && acceptsReferenceImage(model) && images.length > model.maxReferenceImages) {
    add('inputReference', l10n.t('{0} takes at most {1} reference images; you gave {2}. Remove {3}.', model.label, model.maxReferenceImages, images.length, images.length - model.maxReferenceImages));
  } else if (!model && images.length > MAX_REFERENCE_IMAGES) {
    add('inputReference', l10n.t('At most {0} reference images can be sent; you gave {1}.', MAX_REFERENCE_IMAGES, images.length));
  }
  for (const image of images) {
    if (!sniffImageType(image.head)) {
      add('inputReference', l10n.t('"{0}" is not a JPEG, PNG or WebP image.', image.fileName));
    }
    if (image.byteLength > MAX_REFERENCE_IMAGE_BYTES) {
      add('inputReference', l10n.t('"{0}" is {1}; reference images must be at most {2}.', image.fileName, formatMegabytes(image.byteLength), formatMegabytes(MAX_REFERENCE_IMAGE_BYTES)));
    } else if (image.byteLength === 0) {
      add('inputReference', l10n.t('"{0}" is empty.', image.fileName));
    }
  }
  return problems;
}

/**
 * The closest settings a model accepts to the ones given: used when a person switches model, so a value
 * the new model refuses is adjusted in plain sight instead of being sent and rejected.
 */
export function fitToModel(
  model: ModelInfo,
  values: Omit<GenerationSettings, 'model'>,
): { seconds: number; size: AspectRatio; resolution: Resolution } {
  const seconds = Math.min(model.maxSeconds, Math.max(model.minSeconds, Math.round(values.seconds || DEFAULT_SECONDS)));
  const size = (model.sizes as readonly string[]).includes(values.size) ? (values.size as AspectRatio) : DEFAULT_SIZE;
  let resolution: Resolution;
  if ((model.resolutions as readonly string[]).includes(values.resolution)) {
    resolution = values.resolution as Resolution;
  } else {
    // The highest the model offers, which is what someone who asked for more most likely wants.
    resolution = model.resolutions[model.resolutions.length - 1];
  }
  return { seconds, size, resolution };
}

/** "A, B or C": model names in messages read as a sentence. */
function joinOr(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')}${l10n.t(' or ')}${names[names.length - 1]}`;
}

function describe(value: unknown): string {
  if (value === undefined) return l10n.t('nothing');
  if (typeof value === 'string') return `"${value}"`;
  return String(value);
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
}
