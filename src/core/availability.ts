// What is offered now: the shipped catalogue (catalog.ts) read against CometAPI's live model list for the
// person's API host (GET /api/models, read by pricing/catalogue.ts), when one was read. CONTRACT 16:
// - a known model the live list does not list is not offered as if it worked: shown unavailable, and a
//   request for it is refused before sending (the service answers model_not_found, 503, not billed);
// - a model announced as retired that the live list still lists is offered, with the announced date as a
//   warning (the live answer wins over an announcement);
// - without a live list (none read, or one that lists no Seedance model at all) the shipped table stands.
// One module so the quick input, the panel (bundled into the webview), storyboards, Promote and validation
// say the same. Free of Node and VS Code imports.
import * as l10n from '@vscode/l10n';
import { findModel, MODELS, replacementsOf, retiredModel, retirementMessage, RETIRED_MODELS, unlistedMessage, type ModelInfo, type Retirement } from './catalog';

/** The Seedance ids CometAPI's live list names for this API host; undefined when none was read. */
export type LiveList = ReadonlySet<string> | undefined;

export type Availability =
  /** Offered: in the shipped table and, when a live list was read, listed by it. */
  | { readonly kind: 'offered'; readonly model: ModelInfo }
  /** Announced as retired, yet the live list lists it: offered, with the announcement as a warning. */
  | { readonly kind: 'retiredButListed'; readonly model: ModelInfo; readonly retired: Retirement; readonly warning: string }
  /** In the shipped table, but the live list does not list it: shown, not offered. */
  | { readonly kind: 'unlisted'; readonly model: ModelInfo; readonly reason: string }
  /** Retired and not listed (or no live list): refused with its date and replacement. */
  | { readonly kind: 'retired'; readonly model: ModelInfo; readonly retired: Retirement; readonly reason: string }
  /** Not a model this version knows. */
  | { readonly kind: 'unknown' };

/** A live list that names no Seedance model at all says nothing about Seedance: the shipped table stands. */
export function liveListOf(ids: Iterable<string> | undefined): LiveList {
  if (!ids) return undefined;
  const set = new Set(ids);
  return set.size > 0 ? set : undefined;
}

export function availabilityOf(id: string, listed: LiveList): Availability {
  const retired = retiredModel(id);
  if (retired) {
    if (listed?.has(id)) return { kind: 'retiredButListed', model: retired, retired: retired.retired, warning: retiredButListedWarning(retired) };
    return { kind: 'retired', model: retired, retired: retired.retired, reason: retirementMessage(id) ?? '' };
  }
  const model = findModel(id);
  if (!model) return { kind: 'unknown' };
  if (listed && !listed.has(id)) return { kind: 'unlisted', model, reason: unlistedMessage(model) };
  return { kind: 'offered', model };
}

/** Whether a request for this availability may be sent. */
export function isUsable(a: Availability): a is Extract<Availability, { kind: 'offered' | 'retiredButListed' }> {
  return a.kind === 'offered' || a.kind === 'retiredButListed';
}

/** The model whose rules a request follows, when it may be sent (an offered one, or a retired one still listed). */
export function usableModel(id: string, listed: LiveList): ModelInfo | undefined {
  const a = availabilityOf(id, listed);
  return isUsable(a) ? a.model : undefined;
}

/**
 * Every model a picker shows, in order: offered ones (table order), then retired ones the live list still
 * lists (with their warning), then known ones it does not list (unavailable, with the reason).
 */
export function modelChoices(listed: LiveList): Availability[] {
  const all = [...MODELS, ...RETIRED_MODELS].map((m) => availabilityOf(m.id, listed));
  return [
    ...all.filter((a) => a.kind === 'offered'),
    ...all.filter((a) => a.kind === 'retiredButListed'),
    ...all.filter((a) => a.kind === 'unlisted'),
  ];
}

/** The models a request can be sent to now (offered, then retired-but-listed). */
export function usableModels(listed: LiveList): ModelInfo[] {
  return modelChoices(listed).filter(isUsable).map((a) => a.model);
}

function retiredButListedWarning(model: ModelInfo & { readonly retired: Retirement }): string {
  const replacements = replacementsOf(model.id).map((r) => r.label).join(l10n.t(' or '));
  return l10n.t('CometAPI announced {0} as retired on {1} (use {2} instead), but its model list for this API host still lists it: it is offered while it is listed and may stop working at any time.', model.label, model.retired.date, replacements);
}
