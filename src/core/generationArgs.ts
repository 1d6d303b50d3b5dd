// The argument object of `seedance.generate` (other extensions, tasks, tests) turned into a validated
// request: shape first (unknown or mistyped fields are named), then settings defaults for what was left
// out (fitted to the chosen model), then the catalogue's rules. Nothing is sent unless all of it passes.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as l10n from '@vscode/l10n';
import type { ReferenceImageUpload } from './api/types';
import {
  findModel, fitToModel, MAX_REFERENCE_IMAGES, validate, type GenerationDraft, type ValidationContext, type ValidationProblem,
} from './catalog';
import { assertInsideSomeRoot, PathGuardError, readReferenceImage } from './files/pathGuard';
import { GENERATION_FIELDS, type GenerationFields, type GenerationSettings } from './generationRequest';
import { referencesOf } from './requestImages';
import type { TaskRequest } from './tasks/task';

/**
 * What a caller may pass. `inputReference` is a file path or a file: URI of a JPEG, PNG or WebP image, or an
 * array of up to 9 of them (2.0 models; sent in this order).
 */
export interface GenerateArgs extends Partial<GenerationSettings> {
  readonly prompt: string;
  readonly inputReference?: string | readonly string[];
}

/** Values used for fields the caller left out (from the seedance.default* settings). */
export type GenerationDefaults = GenerationSettings;

const KNOWN_KEYS = [...GENERATION_FIELDS, 'inputReference'] as const;

/** Refused input: every problem in words the caller can act on. Nothing was sent. */
export class GenerationInputError extends Error {
  override readonly name = 'GenerationInputError';
  constructor(readonly problems: readonly string[]) {
    super(l10n.t('Cannot generate: {0}', problems.join(' ')));
  }
}

/** Whether a value looks like the argument object (as opposed to a tree node, a URI or nothing). */
export function isGenerateArgsLike(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'prompt' in value;
}

/** Checks the shape of the argument object; throws GenerationInputError naming every wrong field. */
export function parseGenerateArgs(value: unknown): GenerateArgs {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GenerationInputError([l10n.t('Pass an object such as {0}.', '{"prompt": "a red fox running through snow"}')]);
  }
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(record)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) problems.push(l10n.t('Unknown field "{0}"; the fields are {1}.', key, KNOWN_KEYS.join(', ')));
  }
  const optionalString = (key: string) => {
    const v = record[key];
    if (v !== undefined && typeof v !== 'string') problems.push(l10n.t('"{0}" must be a string.', key));
  };
  if (typeof record.prompt !== 'string') problems.push(l10n.t('"prompt" must be a string that describes the video.'));
  optionalString('model');
  optionalString('size');
  optionalString('resolution');
  const refs = record.inputReference;
  if (refs !== undefined && typeof refs !== 'string' && !(Array.isArray(refs) && refs.every((r) => typeof r === 'string'))) {
    problems.push(l10n.t('"inputReference" must be a string (one image) or an array of strings (several images).'));
  }
  let seconds: number | undefined;
  if (record.seconds !== undefined) {
    if (typeof record.seconds === 'number') seconds = record.seconds;
    else if (typeof record.seconds === 'string' && /^\s*\d+\s*$/.test(record.seconds)) seconds = Number(record.seconds);
    else problems.push(l10n.t('"seconds" must be a whole number of seconds.'));
  }
  if (problems.length) throw new GenerationInputError(problems);
  return {
    prompt: record.prompt as string,
    model: record.model as string | undefined,
    seconds,
    size: record.size as string | undefined,
    resolution: record.resolution as string | undefined,
    inputReference: refs as string | string[] | undefined,
  };
}

/**
 * Fills left-out fields from the defaults. A default the chosen model does not accept is fitted to it
 * (e.g. 15 s with a model that stops at 10); a value the caller gave is never changed, only validated.
 */
export function applyDefaults(args: GenerateArgs, defaults: GenerationDefaults): GenerationFields {
  const model = args.model ?? defaults.model;
  const info = findModel(model);
  const fitted = info
    ? fitToModel(info, { seconds: defaults.seconds, size: defaults.size, resolution: defaults.resolution })
    : { seconds: defaults.seconds, size: defaults.size, resolution: defaults.resolution };
  return {
    prompt: args.prompt.trim(),
    model,
    seconds: args.seconds ?? fitted.seconds,
    size: args.size ?? fitted.size,
    resolution: args.resolution ?? fitted.resolution,
  };
}

/** Turns a path or file: URI into an absolute path; relative paths are taken from `baseDir`. */
export function referencePathFrom(reference: string, baseDir: string | undefined): string {
  const text = reference.trim();
  if (text === '') throw new GenerationInputError([l10n.t('"inputReference" is empty; give the path of a JPEG, PNG or WebP image.')]);
  if (/^file:/i.test(text)) {
    try {
      return fileURLToPath(text);
    } catch {
      throw new GenerationInputError([l10n.t('"inputReference" is not a valid file: URI.')]);
    }
  }
  // Two or more letters before ":" is a URI scheme (one letter is a Windows drive).
  if (/^[a-z][a-z0-9+.-]+:/i.test(text)) {
    throw new GenerationInputError([l10n.t('"inputReference" must be a local file path or a file: URI; other locations are not read.')]);
  }
  if (path.isAbsolute(text)) return path.normalize(text);
  if (!baseDir) throw new GenerationInputError([l10n.t('"inputReference" is a relative path but no folder is open; give an absolute path.')]);
  return path.resolve(baseDir, text);
}

export interface PreparedGeneration {
  readonly request: TaskRequest;
  /** The first reference image (kept for callers that know only one). */
  readonly upload?: ReferenceImageUpload;
  /** Every reference image, in upload order (empty for text-to-video). */
  readonly uploads: readonly ReferenceImageUpload[];
}

/** The request-shape and other context validation needs beyond the settings' defaults. */
export interface PrepareOptions {
  readonly baseDir?: string;
  /**
   * When set, every reference image must lie inside one of these folders (symlinks resolved): agents and
   * storyboards may only send images from the workspace. Left out for a person's own pick and for another
   * extension's `seedance.generate(args)` (trusted code).
   */
  readonly imageRoots?: readonly string[];
  readonly context?: ValidationContext;
}

/**
 * Everything before the paid request: shape, defaults, the reference image (read by real path, checked by
 * size and content) and the catalogue's rules. Throws GenerationInputError with every problem.
 */
export async function prepareGeneration(
  value: unknown,
  defaults: GenerationDefaults,
  options: PrepareOptions = {},
): Promise<PreparedGeneration> {
  const args = parseGenerateArgs(value);
  const fields = applyDefaults(args, defaults);
  const draft: GenerationDraft = { ...fields };
  const references = args.inputReference === undefined ? [] : typeof args.inputReference === 'string' ? [args.inputReference] : args.inputReference;
  if (Array.isArray(args.inputReference) && references.length === 0) {
    throw new GenerationInputError([l10n.t('"inputReference" is an empty array; leave it out for text-to-video, or give 1 to {0} image paths.', MAX_REFERENCE_IMAGES)]);
  }
  if (references.length > MAX_REFERENCE_IMAGES) {
    // Refused before any file is read: nine is the service's limit.
    throw new GenerationInputError([l10n.t('At most {0} reference images can be sent; you gave {1}.', MAX_REFERENCE_IMAGES, references.length)]);
  }
  const uploads: (ReferenceImageUpload & { realPath: string; byteLength: number })[] = [];
  for (const reference of references) {
    const file = referencePathFrom(reference, options.baseDir);
    try {
      if (options.imageRoots) await assertInsideSomeRoot(options.imageRoots, file, l10n.t('The reference image "{0}"', reference));
      uploads.push(await readReferenceImage(file));
    } catch (error) {
      if (error instanceof PathGuardError) throw new GenerationInputError([error.message]);
      throw error;
    }
  }
  const facts = uploads.map((u) => ({ fileName: u.fileName, byteLength: u.byteLength, head: u.data.subarray(0, 16) }));
  if (facts.length > 0) draft.inputReference = facts[0];
  if (facts.length > 1) draft.moreReferences = facts.slice(1);
  const problems = validate(draft, options.context);
  if (problems.length) throw new GenerationInputError(problems.map((p: ValidationProblem) => p.message));
  const stored = uploads.map((u) => ({ path: u.realPath, name: u.fileName }));
  const request: TaskRequest = { ...fields, ...referencesOf(stored) };
  const plain = uploads.map((u): ReferenceImageUpload => ({ fileName: u.fileName, contentType: u.contentType, data: u.data }));
  return { request, upload: plain[0], uploads: plain };
}
