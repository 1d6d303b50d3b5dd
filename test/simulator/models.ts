// The model rules the simulator enforces, per profile. Revision A is exactly the product's catalogue
// (src/core/catalog.ts, itself taken from the vendor page), so ids, second ranges and resolutions have one
// source. Revision B adds what only revision B documents (CONTRACT 3.2/3.3): doubao-seedance-2-0-mini,
// 1080p and 4K for standard 2.0, and the exact WxH table.

import { ASPECT_RATIOS, MODELS, type AspectRatio, acceptsReferenceImage } from '../../src/core/catalog';
import type { Profile } from './options';

export type ResolutionClass = '480p' | '720p' | '1080p' | '4K';
export const RESOLUTION_CLASSES: readonly ResolutionClass[] = ['480p', '720p', '1080p', '4K'];

/** Which column of the WxH table (CONTRACT 3.3) a model's exact sizes come from. */
type SizeFamily = 'standard' | 'mini' | 'v1';

export interface SimModel {
  readonly id: string;
  readonly minSeconds: number;
  readonly maxSeconds: number;
  readonly resolutions: readonly ResolutionClass[];
  readonly acceptsReference: boolean;
  readonly family: SizeFamily;
}

function fromCatalogue(): SimModel[] {
  // Only the models the catalogue offers in revision A's (ratio) shape; revision B adds Mini below.
  return MODELS.filter((m) => m.requestShapes.includes('ratio')).map((m) => ({
    id: m.id,
    minSeconds: m.minSeconds,
    maxSeconds: m.maxSeconds,
    resolutions: m.resolutions,
    acceptsReference: acceptsReferenceImage(m),
    family: m.tier === '1.0 Pro' ? 'v1' : 'standard',
  }));
}

export function modelsFor(profile: Profile): SimModel[] {
  const models = fromCatalogue();
  if (profile === 'revA') return models;
  // Revision B: "standard 2.0 supports 1080p and 4K"; Mini is 2.0-family (4-15 s, reference images) at
  // 480p/720p only.
  const revB = models.map((m) =>
    m.id === 'doubao-seedance-2-0' ? { ...m, resolutions: ['480p', '720p', '1080p', '4K'] as ResolutionClass[] } : m,
  );
  revB.push({
    id: 'doubao-seedance-2-0-mini',
    minSeconds: 4,
    maxSeconds: 15,
    resolutions: ['480p', '720p'],
    acceptsReference: true,
    family: 'mini',
  });
  return revB;
}

export function findSimModel(profile: Profile, id: string): SimModel | undefined {
  return modelsFor(profile).find((m) => m.id === id);
}

// CONTRACT 3.3, each row in the order 16:9, 4:3, 1:1, 3:4, 9:16, 21:9.
const ROW_ORDER: readonly AspectRatio[] = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'];
const STD_480 = ['864x496', '752x560', '640x640', '560x752', '496x864', '992x432'];
const STD_720 = ['1280x720', '1112x834', '960x960', '834x1112', '720x1280', '1470x630'];
const TABLE: Record<SizeFamily, Partial<Record<ResolutionClass, string[]>>> = {
  mini: { '480p': STD_480, '720p': STD_720 },
  v1: {
    '480p': ['864x480', '736x544', '640x640', '544x736', '480x864', '960x416'],
    '720p': ['1248x704', '1120x832', '960x960', '832x1120', '704x1248', '1504x640'],
    '1080p': ['1920x1088', '1664x1248', '1440x1440', '1248x1664', '1088x1920', '2176x928'],
  },
  standard: {
    '480p': STD_480,
    '720p': STD_720,
    '1080p': ['1920x1080', '1664x1248', '1440x1440', '1248x1664', '1080x1920', '2206x946'],
    '4K': ['3840x2160', '3326x2494', '2880x2880', '2494x3326', '2160x3840', '4398x1886'],
  },
};

export interface OutputShape {
  ratio: AspectRatio;
  resolution: ResolutionClass;
  width: number;
  height: number;
}

/** The exact size a model renders for a ratio and class (falls back to the standard column). */
export function shapeFor(model: SimModel, ratio: AspectRatio, resolution: ResolutionClass): OutputShape {
  const row = TABLE[model.family][resolution] ?? TABLE.standard[resolution] ?? STD_720;
  const [w, h] = row[ROW_ORDER.indexOf(ratio)].split('x').map(Number);
  return { ratio, resolution, width: w, height: h };
}

/** Finds a documented WxH in any column, so "1920x1080 sent to Mini" is recognised as 1080p 16:9. */
export function lookupWxH(size: string): { ratio: AspectRatio; resolution: ResolutionClass } | undefined {
  for (const family of Object.values(TABLE)) {
    for (const [resolution, row] of Object.entries(family)) {
      const i = row!.indexOf(size);
      if (i >= 0) return { ratio: ROW_ORDER[i], resolution: resolution as ResolutionClass };
    }
  }
  return undefined;
}

/** For an undocumented but well-formed WxH: the nearest ratio by shape and the class by the short side. */
export function nearestWxH(width: number, height: number): { ratio: AspectRatio; resolution: ResolutionClass } {
  const target = Math.log(width / height);
  let ratio: AspectRatio = '16:9';
  let best = Infinity;
  for (const r of ASPECT_RATIOS) {
    const [a, b] = r.split(':').map(Number);
    const d = Math.abs(Math.log(a / b) - target);
    if (d < best) {
      best = d;
      ratio = r;
    }
  }
  const short = Math.min(width, height);
  const resolution: ResolutionClass = short >= 1800 ? '4K' : short >= 1000 ? '1080p' : short >= 600 ? '720p' : '480p';
  return { ratio, resolution };
}

/** The highest class the model offers that is not above the one asked for (revision B's silent downgrade). */
export function downgrade(model: SimModel, wanted: ResolutionClass): ResolutionClass {
  const rank = RESOLUTION_CLASSES.indexOf(wanted);
  const offered = model.resolutions.filter((r) => RESOLUTION_CLASSES.indexOf(r) <= rank);
  return offered.length > 0 ? offered[offered.length - 1] : model.resolutions[0];
}

/** The envelope of GET /api/models (CONTRACT 8): public, unpaginated (page 0). */
export function modelsPage(profile: Profile): object {
  const data = modelsFor(profile).map((m) => ({
    id: m.id,
    provider: 'ByteDance',
    model_type: 'video',
    features: m.acceptsReference ? ['text-to-video', 'image-to-video'] : ['text-to-video'],
    // Illustrative prices only: the simulator bills nothing.
    pricing: { currency: 'USD', input: 0, output: 0, per_request: 0, per_second: perSecondPrice(m) },
    api_doc_url: 'https://apidoc.cometapi.com/api/video/seedance/create',
  }));
  return { success: true, page: 0, page_size: data.length, total: data.length, data };
}

function perSecondPrice(m: SimModel): number {
  if (m.id.endsWith('-mini')) return 0.02;
  if (m.id.endsWith('-fast')) return 0.03;
  return m.family === 'v1' ? 0.04 : 0.06;
}

/** The r2v error names models without the "doubao-" prefix (CONTRACT E4). */
export function upstreamName(modelId: string): string {
  return modelId.replace(/^doubao-/, '');
}
