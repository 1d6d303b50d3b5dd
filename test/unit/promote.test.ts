// Promote (draft, then final): the targets a finished video can be generated again as, and how the new
// estimate compares with the draft's, from the catalogue and the shipped prices.
import * as assert from 'node:assert/strict';
import { validate } from '../../src/core/catalog';
import { estimateCost } from '../../src/core/pricing/estimate';
import { TABLE_PRICES } from '../../src/core/pricing/prices';
import { costRatio, formatRatio, promotedRequest, promotionTargets } from '../../src/core/promote';
import type { TaskRequest } from '../../src/core/tasks/task';

const draft: TaskRequest = { prompt: 'A heron lifts off a misty lake', model: 'seedance-2-5', seconds: 30, size: '16:9', resolution: '480p' };

describe('promote: draft, then final', () => {
  it('offers the same model at each higher resolution first, then the other models, each fitted and valid', () => {
    const targets = promotionTargets(draft);
    assert.deepEqual(targets[0], { model: 'seedance-2-5', seconds: 30, size: '16:9', resolution: '720p', kind: 'resolution' });
    assert.ok(targets.slice(1).every((t) => t.kind === 'model' && t.model !== 'seedance-2-5'));
    // 2.0 stops at 15 s: the seconds are fitted, in plain sight in the picker.
    assert.ok(targets.some((t) => t.model === 'doubao-seedance-2-0' && t.resolution === '720p' && t.seconds === 15));
    for (const t of targets) {
      const { prompt, model, seconds, size, resolution } = promotedRequest(draft, t);
      assert.deepEqual(validate({ prompt, model, seconds, size, resolution }), [], JSON.stringify(t));
    }
    assert.equal(targets.some((t) => t.model === draft.model && t.resolution === draft.resolution), false, 'never the draft itself');
  });

  it('never offers a lower resolution, and keeps the prompt, images and storyboard shot', () => {
    const at720: TaskRequest = { ...draft, model: 'doubao-seedance-2-0-fast', seconds: 5, size: '9:16', resolution: '720p', inputReference: { path: '/w/a.png', name: 'a.png' }, storyboard: { file: 'a.storyboard.md', shotId: 'k1' } };
    const targets = promotionTargets(at720);
    assert.ok(targets.length > 0);
    assert.ok(targets.every((t) => t.resolution === '720p'), JSON.stringify(targets));
    const promoted = promotedRequest(at720, targets[0]);
    assert.equal(promoted.prompt, at720.prompt);
    assert.deepEqual(promoted.inputReference, at720.inputReference);
    assert.deepEqual(promoted.storyboard, at720.storyboard);
  });

  it('2.5 from 480p to 720p costs 2.2x the draft with the shipped prices; unknown prices give no ratio', () => {
    const before = estimateCost(draft, { table: TABLE_PRICES });
    const after = estimateCost({ ...draft, resolution: '720p' }, { table: TABLE_PRICES });
    const ratio = costRatio(before, after)!;
    assert.equal(formatRatio(ratio), '2.2');
    assert.equal(formatRatio(3), '3');
    assert.equal(costRatio({ source: 'unknown' }, after), undefined);
    assert.equal(costRatio(before, { source: 'unknown' }), undefined);
  });
});
