// What package.json says about models, derived from the one catalogue: the settings' enums and ranges
// (seedance.defaultModel, defaultSeconds, defaultSize, defaultResolution) and the language model tools' input
// schemas and per-model rules. package.json cannot import code, so `npm run manifest` writes these values
// into it (scripts/sync-manifest.mjs, which edits only these places and keeps the file's formatting), and
// test/unit/catalogManifest.test.ts fails when the file and the catalogue disagree. Words here are English
// on purpose: a model reads modelDescription, and the %key% strings are looked up by key.
import { ASPECT_RATIOS, MAX_REFERENCE_IMAGES, MODELS, RESOLUTIONS, acceptsReferenceImage, type ModelInfo } from './catalog';

/** One value at a JSON path inside package.json. */
export interface ManifestValue {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
}

/** The resolution classes some offered model makes, in the catalogue's order. */
export function offeredResolutions(): string[] {
  return RESOLUTIONS.filter((r) => MODELS.some((m) => (m.resolutions as readonly string[]).includes(r)));
}

/** The aspect ratios some offered model makes, in the catalogue's order. */
export function offeredSizes(): string[] {
  return ASPECT_RATIOS.filter((r) => MODELS.some((m) => (m.sizes as readonly string[]).includes(r)));
}

export function offeredSecondsRange(): { min: number; max: number } {
  return { min: Math.min(...MODELS.map((m) => m.minSeconds)), max: Math.max(...MODELS.map((m) => m.maxSeconds)) };
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** One clause per group of models with the same rules: "a and b make 4-15 s clips at 480p or 720p ...". */
function rulesClauses(): string[] {
  const key = (m: ModelInfo) =>
    JSON.stringify([m.minSeconds, m.maxSeconds, m.resolutions, m.sizes, m.maxReferenceImages, acceptsReferenceImage(m)]);
  const groups = new Map<string, ModelInfo[]>();
  for (const m of MODELS) groups.set(key(m), [...(groups.get(key(m)) ?? []), m]);
  return [...groups.values()].map((group) => {
    const m = group[0];
    const many = group.length > 1;
    const sizes = m.sizes.length === ASPECT_RATIOS.length ? 'in every size' : `in ${orList(m.sizes)} only`;
    const images = acceptsReferenceImage(m) ? `${many ? 'accept' : 'accepts'} up to ${m.maxReferenceImages} reference images` : 'take text only';
    return `${andList(group.map((g) => g.id))} ${many ? 'make' : 'makes'} ${m.minSeconds}-${m.maxSeconds} s clips at ${orList(m.resolutions)} ${sizes} and ${images}`;
  });
}

/** The "Per-model rules: ... Sizes (aspect ratios): ..." sentences of the tools' modelDescription. */
export function toolRulesText(): string {
  return `Per-model rules: ${rulesClauses().join('; ')}. Sizes (aspect ratios): ${offeredSizes().join(', ')}.`;
}

const RULES_START = 'Per-model rules:';
const RULES_END = ' Fields left out';

/** A tool description with its rules sentences replaced by the catalogue's (unchanged when it has none). */
export function withToolRules(description: string): string {
  const start = description.indexOf(RULES_START);
  if (start < 0) return description;
  const end = description.indexOf(RULES_END, start);
  return description.slice(0, start) + toolRulesText() + (end < 0 ? '' : description.slice(end));
}

/** The input-schema properties every generation tool shares (generate, estimate). */
function generationProperties(): Record<string, unknown> {
  const seconds = offeredSecondsRange();
  return {
    model: {
      type: 'string',
      enum: MODELS.map((m) => m.id),
      description: "The Seedance model. Leave out to use the user's default.",
    },
    seconds: {
      type: 'integer',
      minimum: seconds.min,
      maximum: seconds.max,
      description: "Clip length in whole seconds, within the model's range.",
    },
    size: { type: 'string', enum: offeredSizes(), description: 'Aspect ratio (the model decides which it makes).' },
    resolution: { type: 'string', enum: offeredResolutions(), description: 'Resolution class the model supports.' },
    inputReference: {
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: MAX_REFERENCE_IMAGES }],
      description: `Optional: path of a JPEG, PNG or WebP reference image relative to the workspace folder, or a list of up to ${MAX_REFERENCE_IMAGES} (${takers()}).`,
    },
  };
}

/** Which offered models take reference images, for the schema's words. */
function takers(): string {
  const ids = MODELS.filter(acceptsReferenceImage).map((m) => m.id);
  return ids.length === MODELS.length ? 'every model takes them' : `${orList(ids)} only`;
}

/** The tools whose schema takes a generation's arguments. */
export const GENERATION_TOOLS = ['seedance_generate_video', 'seedance_estimate_cost'] as const;

/**
 * Every catalogue-derived value of package.json, for a manifest whose tools are in `toolNames` order and
 * whose tool descriptions are `descriptions` (their rules sentences are rewritten, the rest kept).
 */
export function catalogueManifest(toolNames: readonly string[], descriptions: readonly string[]): ManifestValue[] {
  const seconds = offeredSecondsRange();
  const config = ['contributes', 'configuration', 'properties'];
  const out: ManifestValue[] = [
    { path: [...config, 'seedance.defaultModel', 'enum'], value: MODELS.map((m) => m.id) },
    { path: [...config, 'seedance.defaultModel', 'enumDescriptions'], value: MODELS.map((m) => `%config.defaultModel.enumDescriptions.${m.id}%`) },
    { path: [...config, 'seedance.defaultSeconds', 'minimum'], value: seconds.min },
    { path: [...config, 'seedance.defaultSeconds', 'maximum'], value: seconds.max },
    { path: [...config, 'seedance.defaultSize', 'enum'], value: offeredSizes() },
    { path: [...config, 'seedance.defaultResolution', 'enum'], value: offeredResolutions() },
  ];
  const props = generationProperties();
  toolNames.forEach((name, i) => {
    const tool = ['contributes', 'languageModelTools', i];
    if ((GENERATION_TOOLS as readonly string[]).includes(name)) {
      // Leaf by leaf, so the file keeps its own layout of each schema.
      for (const [key, property] of Object.entries(props)) {
        for (const [field, value] of Object.entries(property as Record<string, unknown>)) {
          if (field === 'anyOf') out.push({ path: [...tool, 'inputSchema', 'properties', key, 'anyOf', 1, 'maxItems'], value: MAX_REFERENCE_IMAGES });
          else out.push({ path: [...tool, 'inputSchema', 'properties', key, field], value });
        }
      }
    }
    const description = descriptions[i];
    if (description !== undefined && withToolRules(description) !== description) out.push({ path: [...tool, 'modelDescription'], value: withToolRules(description) });
  });
  return out;
}
