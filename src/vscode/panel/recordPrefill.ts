// Turns a saved generation record (the .json written beside each video, see core/files/outputNaming.ts)
// into a form prefill, so "generate again from this file" starts from exactly what was asked. Read
// defensively: the file is on disk and may have been edited by hand.
// @vscode/l10n (configured at activation with the same bundle) keeps this file loadable under plain mocha.
import * as l10n from '@vscode/l10n';
import type { VideoMetadataRecord } from '../../core/files/outputNaming';
import type { Prefill } from '../../shared/protocol';

const RECORD_SCHEMA: VideoMetadataRecord['schema'] = 'seedance-studio.video';

/** The prefill a record describes; throws an Error with words for the person when it is not one. */
export function prefillFromRecord(text: string, fileName: string): Prefill {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(l10n.t('{0} is not valid JSON.', fileName));
  }
  if (typeof raw !== 'object' || raw === null || (raw as { schema?: unknown }).schema !== RECORD_SCHEMA) {
    throw new Error(l10n.t('{0} is not a Seedance Studio generation record.', fileName));
  }
  const record = raw as Record<string, unknown>;
  if (typeof record.prompt !== 'string') throw new Error(l10n.t('{0} has no prompt.', fileName));
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const settings = {
    model: str(record.model),
    seconds: typeof record.seconds === 'number' ? record.seconds : undefined,
    size: str(record.size),
    resolution: str(record.resolution),
  };
  // Only the settings the record really has; the form keeps its own values for the rest.
  const known = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  // The record keeps only the images' names, never the images: say they are needed rather than send others.
  const nameOf = (ref: unknown) => (typeof ref === 'object' && ref !== null && typeof (ref as { name?: unknown }).name === 'string' ? (ref as { name: string }).name : undefined);
  const more = Array.isArray(record.moreReferences) ? record.moreReferences : [];
  const names = [record.inputReference, ...more].map(nameOf).filter((n): n is string => n !== undefined);
  return { source: 'record', prompt: record.prompt, settings: known, images: [], ...(names.length > 0 ? { missingImages: names } : {}) };
}
