// The create checks, in CONTRACT 3.5's order, each answering with its documented body (CONTRACT 6, E1-E7):
//   1 auth (done by the router before the body is read)
//   2 model missing (E2, envelope) / unknown for this profile (E6, envelope, 503 or 400)
//   3 body not multipart or broken (E7, flat invalid_multipart_form; 413 when over 64 MB)
//   4 prompt missing or blank (E1, flat)
//   6 upstream rejections, flat InvalidParameter: seconds (E3), r2v on 1.x (E4), then size/resolution and
//     reference images (undocumented texts, Ark-style), then the [sim:reject] moderation tag
//   7 accepted
// Section 12's checklist lists r2v before seconds; section 3.5 (which the brief names) puts seconds first.

import { type ApiReply, envelope, flat, newArkRequestId, TEXT } from './errors';
import { acceptableImage, MAX_REFERENCE_IMAGES } from './images';
import {
  ASPECT_RATIOS,
  type AspectRatio,
  downgrade,
  findSimModel,
  isOwnWxH,
  lookupWxH,
  nearestWxH,
  type OutputShape,
  RESOLUTION_CLASSES,
  type ResolutionClass,
  shapeFor,
  type SimModel,
  upstreamName,
} from './models';
import { firstField, type ParsedBody } from './multipart';
import type { SimulatorConfig } from './options';

export const MAX_BODY_BYTES = 64 * 1024 * 1024;
const WXH = /^[1-9]\d{2,3}x[1-9]\d{2,3}$/;

export interface AcceptedCreate {
  model: SimModel;
  prompt: string;
  seconds: number;
  shape: OutputShape;
  referenceImages: number;
}

export type CreateCheck = { ok: true; value: AcceptedCreate } | { ok: false; reply: ApiReply };

export function checkCreate(body: ParsedBody, cfg: SimulatorConfig, requestId: () => string | undefined): CreateCheck {
  const fail = (reply: ApiReply): CreateCheck => ({ ok: false, reply });
  const flatError = (status: number, code: string, message: string) => fail(flat(status, code, message, cfg.flatErrorData));
  const invalid = (name: string) => flatError(400, 'InvalidParameter', TEXT.badParameter(name));

  // 2. Model presence and routing.
  const modelId = firstField(body, 'model')?.trim() ?? '';
  if (modelId === '') return fail(envelope(400, '', TEXT.modelRequired, requestId()));
  // Retired ids (CONTRACT 16) are unknown to the router now, like any id it has no channel for.
  const model = findSimModel(cfg.profile, modelId, cfg.serveRetired);
  if (!model) return fail(envelope(cfg.unknownModelStatus, 'model_not_found', TEXT.unknownModel(modelId), requestId()));

  // 3. The body itself.
  if (body.tooLarge) return flatError(413, 'invalid_multipart_form', TEXT.bodyTooLarge);
  if (body.kind !== 'multipart') return flatError(400, 'invalid_multipart_form', TEXT.notMultipart);
  if (body.error) return flatError(400, 'invalid_multipart_form', body.error);

  // 4. Prompt (new-api: strings.TrimSpace(prompt) == "").
  const prompt = firstField(body, 'prompt') ?? '';
  if (prompt.trim() === '') return flatError(400, 'invalid_request', TEXT.promptRequired);

  // 6. Upstream rules.
  const references = body.files.filter((f) => f.field === 'input_reference');
  const seconds = parseSeconds(firstField(body, 'seconds'), cfg.strict);
  if (seconds === undefined || seconds < model.minSeconds || seconds > model.maxSeconds) {
    const message =
      cfg.durationMessage === 'ark'
        ? `${TEXT.badDuration} for model ${model.id} in ${references.length > 0 ? 'r2v' : 't2v'} Request id: ${newArkRequestId()}`
        : TEXT.badDuration;
    return flatError(400, 'InvalidParameter', message);
  }
  if (references.length > 0 && !model.acceptsReference) {
    return flatError(400, 'InvalidParameter', TEXT.r2v(upstreamName(model.id)));
  }

  const shape = resolveShape(model, firstField(body, 'size'), firstField(body, 'resolution'), cfg);
  if (typeof shape === 'string') return invalid(shape);

  if (references.length > MAX_REFERENCE_IMAGES) return invalid('image_url');
  if (!references.every(acceptableImage)) return invalid('image_url');

  if (prompt.toLowerCase().includes('[sim:reject]')) {
    return flatError(400, 'InputTextSensitiveContentDetected', `${TEXT.sensitiveText} Request id: ${newArkRequestId()}`);
  }
  return { ok: true, value: { model, prompt, seconds, shape, referenceImages: references.length } };
}

/** Absent or empty: 5. Not an integer: 5 (new-api ignores the parse error) or, in strict mode, invalid. */
function parseSeconds(raw: string | undefined, strict: boolean): number | undefined {
  if (raw === undefined || raw.trim() === '') return 5;
  if (/^[+-]?\d+$/.test(raw)) return Number(raw);
  return strict ? undefined : 5;
}

/**
 * size (+ resolution) to the exact output. Revision A: ratio + resolution. Revision B: documented WxH,
 * and (leniently) revision A's form, since both reach the same upstream. Returns the name of the parameter
 * to complain about when the request cannot be honoured.
 */
function resolveShape(
  model: SimModel,
  size: string | undefined,
  resolution: string | undefined,
  cfg: SimulatorConfig,
): OutputShape | string {
  let ratio: AspectRatio;
  let wanted: ResolutionClass;
  const sizeText = size?.trim() || '16:9';
  if (model.wxhOnly && WXH.test(sizeText)) {
    // Documented with exact sizes only (2.5): its own sizes in either profile; anything else is refused
    // (CONTRACT 16: "the service refuses an unknown size with 400").
    const known = isOwnWxH(model, sizeText) ? lookupWxH(sizeText) : undefined;
    if (!known) return 'size';
    ({ ratio, resolution: wanted } = known);
  } else if (model.wxhOnly && cfg.strict) {
    // Strict: the ratio form is not documented for this model.
    return 'size';
  } else if ((ASPECT_RATIOS as readonly string[]).includes(sizeText)) {
    ratio = sizeText as AspectRatio;
    const res = resolution?.trim() || '720p';
    if (!(RESOLUTION_CLASSES as readonly string[]).includes(res)) return 'resolution';
    wanted = res as ResolutionClass;
  } else if (cfg.profile === 'revB' && WXH.test(sizeText)) {
    const known = lookupWxH(sizeText);
    if (!known && cfg.strict) return 'size';
    const [w, h] = sizeText.split('x').map(Number);
    ({ ratio, resolution: wanted } = known ?? nearestWxH(w, h));
  } else {
    return cfg.profile === 'revB' ? 'size' : 'ratio';
  }
  if (!model.resolutions.includes(wanted)) {
    if (cfg.strict) return 'resolution';
    wanted = downgrade(model, wanted);
  }
  if (model.ratios && !model.ratios.includes(ratio)) return 'size';
  return shapeFor(model, ratio, wanted);
}
