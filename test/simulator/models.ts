// The model rules the simulator enforces, per profile, written from the contract and the vendor page
// (shared/api/CONTRACT.md 3.1-3.3, seedance-create-endpoint.txt), never from the product's catalogue: if
// the product gets a row wrong, the simulator disagrees and test/unit/catalogPinned.test.ts fails.
// Revision A is the vendor page: four models. Revision B adds doubao-seedance-2-0-mini and 1080p/4K for
// standard 2.0, and the exact WxH table. Since then (CONTRACT 16) the service serves seedance-2-5 and no
// longer serves 1.0 Pro and 1.5 Pro: both profiles answer those ids as an unknown model (E6, 503
// model_not_found) unless `serveRetired` is set (the service as the seed page described it).

import type { Profile } from './options';
import type { PriceBook } from './pricing';

/** The six aspect ratios both revisions document (CONTRACT 3.1), in the vendor page's order. */
export const ASPECT_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export type ResolutionClass = '480p' | '720p' | '1080p' | '4K';
export const RESOLUTION_CLASSES: readonly ResolutionClass[] = ['480p', '720p', '1080p', '4K'];

/** Which column of the WxH table (CONTRACT 3.3; 'v25' is CONTRACT 16's row) a model's exact sizes come from. */
type SizeFamily = 'standard' | 'mini' | 'v1' | 'v25';

export interface SimModel {
  readonly id: string;
  readonly minSeconds: number;
  readonly maxSeconds: number;
  readonly resolutions: readonly ResolutionClass[];
  /** Whether `input_reference` (image-to-video) is accepted; the 1.x models answer E4 (r2v). */
  readonly acceptsReference: boolean;
  readonly family: SizeFamily;
  /** Documented with exact WxH only (CONTRACT 16: 2.5): accepted as WxH in either profile. */
  readonly wxhOnly?: boolean;
  /** The aspect ratios with a documented size, when not all six (2.5: 16:9 only). */
  readonly ratios?: readonly AspectRatio[];
}

/** CONTRACT 16: retired ids and the day CometAPI stopped serving them. */
export const RETIRED: Readonly<Record<string, string>> = {
  'doubao-seedance-1-0-pro': '2026-07-17',
  'doubao-seedance-1-5-pro': '2026-11-11',
};

// CONTRACT 16: seedance-2-5 (no doubao- prefix), t2v and i2v via input_reference, 4-30 s, 480p and 720p
// sent as exact WxH; only 16:9 (854x480 / 1280x720) is documented. How many references: not documented
// (upstream takes up to 30); the simulator takes the same as 2.0.
const SEEDANCE_2_5: SimModel = { id: 'seedance-2-5', minSeconds: 4, maxSeconds: 30, resolutions: ['480p', '720p'], acceptsReference: true, family: 'v25', wxhOnly: true, ratios: ['16:9'] };

// Revision A, the vendor page: "480p, 720p for 2.0 models; 480p, 720p, 1080p for 1.5 Pro and 1.0 Pro";
// seconds 4-15 (2.0, 2.0 Fast), 4-12 (1.5 Pro), 2-10 (1.0 Pro); "Only the 2.0 models accept an
// input_reference file".
const REVISION_A: readonly SimModel[] = [
  { id: 'doubao-seedance-2-0', minSeconds: 4, maxSeconds: 15, resolutions: ['480p', '720p'], acceptsReference: true, family: 'standard' },
  { id: 'doubao-seedance-2-0-fast', minSeconds: 4, maxSeconds: 15, resolutions: ['480p', '720p'], acceptsReference: true, family: 'standard' },
  { id: 'doubao-seedance-1-5-pro', minSeconds: 4, maxSeconds: 12, resolutions: ['480p', '720p', '1080p'], acceptsReference: false, family: 'standard' },
  { id: 'doubao-seedance-1-0-pro', minSeconds: 2, maxSeconds: 10, resolutions: ['480p', '720p', '1080p'], acceptsReference: false, family: 'v1' },
];

// Revision B (CONTRACT 3.2): standard 2.0 adds 1080p and 4K; Mini is 2.0-family (4-15 s, reference
// images) at 480p/720p only. "Aliases such as seedance-mini are not accepted."
const REVISION_B: readonly SimModel[] = [
  ...REVISION_A.map((m) => (m.id === 'doubao-seedance-2-0' ? { ...m, resolutions: ['480p', '720p', '1080p', '4K'] as const } : m)),
  { id: 'doubao-seedance-2-0-mini', minSeconds: 4, maxSeconds: 15, resolutions: ['480p', '720p'], acceptsReference: true, family: 'mini' },
];

/** The models the service answers for: the profile's, plus 2.5, minus the retired ones (unless served). */
export function modelsFor(profile: Profile, serveRetired = false): SimModel[] {
  return [...(profile === 'revA' ? REVISION_A : REVISION_B), SEEDANCE_2_5].filter((m) => serveRetired || !(m.id in RETIRED));
}

export function findSimModel(profile: Profile, id: string, serveRetired = false): SimModel | undefined {
  return modelsFor(profile, serveRetired).find((m) => m.id === id);
}

// CONTRACT 3.3, each row in the order 16:9, 4:3, 1:1, 3:4, 9:16, 21:9.
const ROW_ORDER: readonly AspectRatio[] = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'];
const STD_480 = ['864x496', '752x560', '640x640', '560x752', '496x864', '992x432'];
const STD_720 = ['1280x720', '1112x834', '960x960', '834x1112', '720x1280', '1470x630'];
const TABLE: Record<SizeFamily, Partial<Record<ResolutionClass, string[]>>> = {
  mini: { '480p': STD_480, '720p': STD_720 },
  // CONTRACT 16: 16:9 only; the other cells are empty (no documented size).
  v25: { '480p': ['854x480', '', '', '', '', ''], '720p': ['1280x720', '', '', '', '', ''] },
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
      const i = size === '' ? -1 : row!.indexOf(size);
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

/** Whether `size` is one of the exact sizes documented for this model (any class it offers). */
export function isOwnWxH(model: SimModel, size: string): boolean {
  return size !== '' && model.resolutions.some((r) => (TABLE[model.family][r] ?? []).includes(size));
}

/** The envelope of GET /api/models (CONTRACT 8): public, unpaginated (page 0). Retired models are not listed. */
export function modelsPage(profile: Profile, prices?: PriceBook, serveRetired = false): object {
  const data = modelsFor(profile, serveRetired).map((m) => ({
    id: m.id,
    provider: 'ByteDance',
    model_type: 'video',
    features: m.acceptsReference ? ['text-to-video', 'image-to-video'] : ['text-to-video'],
    // Illustrative prices only: the simulator bills nothing.
    pricing: prices ? prices.pricingFor(m.id) : { currency: 'USD', input: 0, output: 0, per_request: 0, per_second: perSecondPrice(m) },
    api_doc_url: 'https://apidoc.cometapi.com/api/video/seedance/create',
  }));
  return { success: true, page: 0, page_size: data.length, total: data.length, data };
}

function perSecondPrice(m: SimModel): number | Record<string, number> {
  if (m.family === 'v25') return { '480p': 0.103, '720p': 0.231 };
  if (m.id.endsWith('-mini')) return 0.02;
  if (m.id.endsWith('-fast')) return 0.03;
  return m.family === 'v1' ? 0.04 : 0.06;
}

/** The r2v error names models without the "doubao-" prefix (CONTRACT E4). */
export function upstreamName(modelId: string): string {
  return modelId.replace(/^doubao-/, '');
}
