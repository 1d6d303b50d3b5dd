// The settings last used to generate from the panel, remembered in globalState so the next form starts
// where the person left off (in any workspace). Read back defensively: a stored value may name a model
// that no longer exists or a value a model no longer accepts.
//
// Last used vs the seedance.default* settings: the last-used value of a field counts only while that field's
// setting still says what it said when the value was remembered. Changing a setting is a deliberate act, so
// it wins the next time the form opens (for that field only); until then the form keeps what was last used.
import { DEFAULT_MODEL, findModel, fitToModel } from '../../core/catalog';
import type { GenerationDefaults } from '../../core/generationArgs';
import type { MementoLike } from '../../core/tasks/persistence';
import type { GenerationSettings } from '../../shared/protocol';

const LAST_USED_KEY = 'seedanceStudio.panel.lastUsed';

const FIELDS = ['model', 'seconds', 'size', 'resolution'] as const;

/**
 * The settings a fresh form starts with: per field, the last used value while its setting is unchanged since
 * it was remembered, else the setting; either way fitted to the model (a default of 1080p with a 2.0 model
 * becomes 720p, in plain sight on the form). A value remembered by an older build (no settings beside it)
 * gives way to the settings.
 */
export function readLastUsed(memento: MementoLike, defaults: GenerationDefaults): GenerationSettings {
  const stored = memento.get<unknown>(LAST_USED_KEY);
  const last = isRecord(stored) ? stored : {};
  const then = isRecord(last.defaults) ? last.defaults : {};
  const lastModel = typeof last.model === 'string' ? findModel(last.model) : undefined;
  // A model that no longer exists takes its settings with it.
  const source = lastModel ? last : {};
  const pick = <K extends (typeof FIELDS)[number]>(field: K): GenerationDefaults[K] => {
    const value = source[field];
    const unchanged = then[field] === defaults[field];
    return unchanged && typeof value === typeof defaults[field] ? (value as GenerationDefaults[K]) : defaults[field];
  };
  const model = findModel(pick('model')) ?? findModel(defaults.model) ?? findModel(DEFAULT_MODEL)!;
  const fitted = fitToModel(model, { seconds: pick('seconds'), size: pick('size'), resolution: pick('resolution') });
  return { model: model.id, ...fitted };
}

/** Remembers the settings used, with the seedance.default* values they were chosen against. */
export function rememberLastUsed(memento: MementoLike, settings: GenerationSettings, defaults: GenerationDefaults): PromiseLike<void> {
  const { model, seconds, size, resolution } = settings;
  const against = Object.fromEntries(FIELDS.map((f) => [f, defaults[f]]));
  return memento.update(LAST_USED_KEY, { model, seconds, size, resolution, defaults: against });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
