// One generation request, declared once. Every other form of it is derived from these types and, where its
// shape really differs, mapped at the edge by one function (as vscode-codeql maps its DTOs):
// - what callers pass (GenerateArgs, generationArgs.ts), the settings' defaults, the quick input's choice;
// - the task's request (TaskRequest) and its stored form (StoredTaskV1: toStoredTask / parseTask);
// - the wire form (CreateVideoRequest -> multipart in api/createForm.ts);
// - the saved .json record (outputNaming.ts), the public snapshot, the agents' view;
// - the panel's form, saved state and result card (shared/protocol.ts, validated there);
// - what a price depends on (EstimateArgs: the estimate, the gate, the ledger entry).
// Adding a field: one edit here, then its mappings (see ARCHITECTURE.md, "A new request field").
// Pure and browser-safe: the webviews compile against it (no Node, no vscode).

/** How the video is made, besides its prompt and images: what the catalogue's rules check. */
export interface GenerationSettings {
  readonly model: string;
  readonly seconds: number;
  /** Aspect ratio (e.g. 16:9); sent as an exact WxH in the newer request shape. */
  readonly size: string;
  readonly resolution: string;
}

/** The fields every form of a request carries: the prompt and the settings. */
export interface GenerationFields extends GenerationSettings {
  readonly prompt: string;
}

export type GenerationField = keyof GenerationFields;

/**
 * The reference images of a request, however a form holds one (a path on the task, bytes on the wire, a name in
 * the saved record, facts for validation): the first in `inputReference` (the shape older stored tasks have),
 * the rest in `moreReferences`, in upload order (requestImages.ts: imagesOf and its inverse referencesOf).
 */
export interface ReferenceImages<Image> {
  readonly inputReference?: Image;
  readonly moreReferences?: readonly Image[];
}

/** A request with its reference images. */
export type GenerationRequest<Image> = GenerationFields & ReferenceImages<Image>;

/** The fields as read from outside (an argument object, a record on disk) before they are checked. */
export type UncheckedFields = { [K in GenerationField]?: unknown };

/** A form filled in step by step (the quick input's choice), so its fields can be set one at a time. */
export type Editable<T> = { -readonly [K in keyof T]: T[K] };

/** A map naming every field, so one added to GenerationFields fails to compile here until it is named. */
const EVERY_FIELD: { readonly [K in GenerationField]-?: true } = { prompt: true, model: true, seconds: true, size: true, resolution: true };
/** Every field name, in the order forms and records list them. */
export const GENERATION_FIELDS = Object.keys(EVERY_FIELD) as readonly GenerationField[];

/** Just the settings of anything that has them (a task's request, a form, a resolved shot). */
export function settingsOf(source: GenerationSettings): GenerationSettings {
  return { model: source.model, seconds: source.seconds, size: source.size, resolution: source.resolution };
}

/** Just the generation fields of anything that has them, without its images or anything else it carries. */
export function fieldsOf(source: GenerationFields): GenerationFields {
  return { prompt: source.prompt, ...settingsOf(source) };
}
