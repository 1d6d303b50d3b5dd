// Draft, then final: what a finished video (or storyboard take) can be generated again as, with the same
// prompt and images, at a higher resolution or on another model, and how the new estimate compares with
// the draft's. Pure: the command (src/vscode/commands/promoteCommands.ts) prices and words it.
import { acceptsReferenceImage, fitToModel, MODELS, RESOLUTIONS, type ModelInfo } from './catalog';
import { settingsOf, type GenerationSettings } from './generationRequest';
import type { CostEstimate } from './pricing/estimate';
import { imagesOf } from './requestImages';
import type { TaskRequest } from './tasks/task';

export interface PromotionTarget extends GenerationSettings {
  /** 'resolution': the same model, higher; 'model': another model. */
  readonly kind: 'resolution' | 'model';
}

const rank = (resolution: string) => RESOLUTIONS.indexOf(resolution as (typeof RESOLUTIONS)[number]);

/**
 * Every offered (model, resolution) the draft can be promoted to: first the same model at each higher
 * resolution, then each other model that takes the draft's images at the draft's resolution or higher. The
 * seconds and size are the draft's, fitted to the model (2.0 stops at 15 s; 2.5 makes 16:9 only).
 */
export function promotionTargets(draft: TaskRequest): PromotionTarget[] {
  const images = imagesOf(draft).length;
  const from = rank(draft.resolution);
  const targets: PromotionTarget[] = [];
  const add = (model: ModelInfo, resolution: string, kind: PromotionTarget['kind']) => {
    const fitted = fitToModel(model, { seconds: draft.seconds, size: draft.size, resolution });
    if (fitted.resolution !== resolution) return;
    if (model.id === draft.model && resolution === draft.resolution) return;
    targets.push({ model: model.id, seconds: fitted.seconds, size: fitted.size, resolution, kind });
  };
  const same = MODELS.find((m) => m.id === draft.model);
  if (same) for (const r of same.resolutions) if (rank(r) > from) add(same, r, 'resolution');
  for (const model of MODELS) {
    if (model.id === draft.model) continue;
    if (images > 0 && (!acceptsReferenceImage(model) || images > model.maxReferenceImages)) continue;
    for (const r of model.resolutions) if (rank(r) >= from) add(model, r, 'model');
  }
  return targets;
}

/** The draft's request changed to a target: same prompt and reference images. */
export function promotedRequest(draft: TaskRequest, target: PromotionTarget): TaskRequest {
  return { ...draft, ...settingsOf(target) };
}

/**
 * How many times the draft's estimate the promoted one is (2.24 for 720p over 480p on 2.5), or undefined
 * when either price is unknown. A draft from a retired model is compared by its own price when one is known.
 */
export function costRatio(draft: CostEstimate, promoted: CostEstimate): number | undefined {
  if (draft.usd === undefined || promoted.usd === undefined || draft.usd <= 0) return undefined;
  return promoted.usd / draft.usd;
}

/** "2.2" for 2.24: one decimal, trailing ".0" dropped ("3x"). */
export function formatRatio(ratio: number): string {
  return String(Number(ratio.toFixed(1)));
}

