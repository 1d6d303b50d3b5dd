// Aspect ratio + resolution class -> the exact `WxH` the newer create request shape sends (CONTRACT 3.3).
// One table, read by the client's form builder (createForm.ts) and by tests; the simulator keeps its own copy
// written from the contract. Free of Node and VS Code imports (the webview may show these sizes).

import { describeModel, type AspectRatio, type Resolution } from './catalog';

/** Which column of CONTRACT 3.3 (or row of CONTRACT 16, for 2.5) a model's sizes come from. */
type SizeColumn = 'mini' | 'v1' | 'standard' | 'v25';

/** Each row in the order of ROW_ORDER. */
const ROW_ORDER: readonly AspectRatio[] = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'];
const SHARED_480 = ['864x496', '752x560', '640x640', '560x752', '496x864', '992x432'];
const SHARED_720 = ['1280x720', '1112x834', '960x960', '834x1112', '720x1280', '1470x630'];

const TABLE: Record<SizeColumn, Partial<Record<Resolution, readonly string[]>>> = {
  // 2.0 Mini: 480p and 720p only ("not 1080p or 4K").
  mini: { '480p': SHARED_480, '720p': SHARED_720 },
  v1: {
    '480p': ['864x480', '736x544', '640x640', '544x736', '480x864', '960x416'],
    '720p': ['1248x704', '1120x832', '960x960', '832x1120', '704x1248', '1504x640'],
    '1080p': ['1920x1088', '1664x1248', '1440x1440', '1248x1664', '1088x1920', '2176x928'],
  },
  // 2.5 (CONTRACT 16): only 16:9 is documented (854x480 / 1280x720); the catalogue offers no other ratio.
  v25: { '480p': ['854x480'], '720p': ['1280x720'] },
  // 1.5 Pro, 2.0 and 2.0 Fast (1080p: not 2.0 Fast, which the catalogue already keeps at 720p).
  standard: {
    '480p': SHARED_480,
    '720p': SHARED_720,
    '1080p': ['1920x1080', '1664x1248', '1440x1440', '1248x1664', '1080x1920', '2206x946'],
  },
};

function columnOf(modelId: string): SizeColumn {
  if (modelId === 'doubao-seedance-2-0-mini') return 'mini';
  const tier = describeModel(modelId)?.tier;
  return tier === '2.5' ? 'v25' : tier === '1.0 Pro' ? 'v1' : 'standard';
}

/**
 * The exact `WxH` for a model, ratio and resolution class, or undefined when the table has no such cell
 * (e.g. 1080p for Mini): callers validate with the catalogue first, so undefined means a caller's bug.
 */
export function exactSize(modelId: string, ratio: string, resolution: string): string | undefined {
  const row = TABLE[columnOf(modelId)][resolution as Resolution];
  const i = ROW_ORDER.indexOf(ratio as AspectRatio);
  return row && i >= 0 ? row[i] : undefined;
}
