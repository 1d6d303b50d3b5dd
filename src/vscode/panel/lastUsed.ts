// The settings last used to generate from the panel, remembered in globalState so the next form starts
// where the person left off (in any workspace). Read back defensively: a stored value may name a model
// that no longer exists or a value a model no longer accepts.
import { DEFAULT_MODEL, findModel, fitToModel } from '../../core/catalog';
import type { GenerationDefaults } from '../../core/generationArgs';
import type { MementoLike } from '../../core/tasks/persistence';
import type { GenerationSettings } from '../../shared/protocol';

const LAST_USED_KEY = 'seedanceStudio.panel.lastUsed';

/**
 * The settings a fresh form starts with: the last used ones, else the seedance.default* settings; either
 * way fitted to the model (a default of 1080p with a 2.0 model becomes 720p, in plain sight on the form).
 */
export function readLastUsed(memento: MementoLike, defaults: GenerationDefaults): GenerationSettings {
  const stored = memento.get<unknown>(LAST_USED_KEY);
  const last = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const pick = <T>(value: unknown, type: 'string' | 'number', fallback: T): T => (typeof value === type ? (value as T) : fallback);
  const lastModel = typeof last.model === 'string' ? findModel(last.model) : undefined;
  const source = lastModel ? last : {};
  const model = lastModel ?? findModel(defaults.model) ?? findModel(DEFAULT_MODEL)!;
  const fitted = fitToModel(model, {
    seconds: pick(source.seconds, 'number', defaults.seconds),
    size: pick(source.size, 'string', defaults.size),
    resolution: pick(source.resolution, 'string', defaults.resolution),
  });
  return { model: model.id, ...fitted };
}

export function rememberLastUsed(memento: MementoLike, settings: GenerationSettings): PromiseLike<void> {
  const { model, seconds, size, resolution } = settings;
  return memento.update(LAST_USED_KEY, { model, seconds, size, resolution });
}
