// Keeps what was learned about durations across reloads, in a Memento (the adapter passes VS Code's
// context.globalState: durations depend on the service, not on the workspace). Versioned and bounded by
// LearnedDurations itself; a value that does not load is ignored (nothing learned is always a safe start).

import { LearnedDurations } from './durationEstimate';

/** The part of VS Code's Memento this needs (globalState satisfies it structurally). */
export interface DurationMementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const LEARNED_DURATIONS_KEY = 'seedance.learnedDurations';

export function loadLearnedDurations(memento: DurationMementoLike): LearnedDurations {
  try {
    return LearnedDurations.fromJSON(memento.get<unknown>(LEARNED_DURATIONS_KEY));
  } catch {
    return new LearnedDurations();
  }
}

/**
 * Writes the current state. Called after each finished task (a few a minute at most), so no debounce;
 * a failed write is reported and never thrown (what was learned is a hint, not data the person owns).
 */
export function saveLearnedDurations(memento: DurationMementoLike, learned: LearnedDurations, onError?: (error: unknown) => void): void {
  try {
    Promise.resolve(memento.update(LEARNED_DURATIONS_KEY, learned.toJSON())).catch((error: unknown) => onError?.(error));
  } catch (error) {
    onError?.(error);
  }
}
