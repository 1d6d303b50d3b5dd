// Recognises the one refusal that means "your account answers the other request shape": a 400 on create
// whose reason names the size or resolution field (CONTRACT 3.1: the two shapes disagree exactly there).
// Nothing was created by a 400, so nothing was billed; the edge offers to switch seedance.requestShape.

import { isApiError } from './api/errors';
import type { RequestShape } from './catalog';

/** Field names the service (or Ark behind it) uses when it refuses size or resolution. */
const SIZE_FIELDS = /\b(size|ratio|resolution|width|height)\b/i;

export function isSizeFieldRejection(error: unknown): boolean {
  if (!isApiError(error) || error.kind !== 'invalidRequest' || error.status !== 400) return false;
  return SIZE_FIELDS.test(error.message);
}

export function otherRequestShape(shape: RequestShape): RequestShape {
  return shape === 'ratio' ? 'wxh' : 'ratio';
}
