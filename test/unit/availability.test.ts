// What is offered now (src/core/availability.ts, CONTRACT 16): the shipped catalogue read against CometAPI's
// live model list. Without a list (or with one naming no Seedance model) the shipped table stands; a known
// model the list does not name is unavailable and refused before sending; a retired model it still names is
// offered with the announced date as a warning and validated by its own rules. Also the storyboard checks,
// which follow the same list.
import * as assert from 'node:assert/strict';
import { availabilityOf, isUsable, liveListOf, modelChoices, usableModel, usableModels } from '../../src/core/availability';
import { MODELS, validate } from '../../src/core/catalog';
import { parseStoryboard } from '../../src/core/storyboard/parse';
import { resolveStoryboard } from '../../src/core/storyboard/rules';

const REV_A = liveListOf(['doubao-seedance-2-0', 'doubao-seedance-2-0-fast', 'seedance-2-5']);
const WITH_RETIRED = liveListOf(['doubao-seedance-2-0', 'doubao-seedance-2-0-fast', 'seedance-2-5', 'doubao-seedance-1-5-pro']);
const draft = { prompt: 'a heron', seconds: 5, size: '16:9', resolution: '720p' };

describe('Availability: the live model list decides what is offered (CONTRACT 16)', () => {
  it('without a live list, or with one naming no Seedance model, the shipped table stands', () => {
    assert.equal(liveListOf(undefined), undefined);
    assert.equal(liveListOf([]), undefined, 'an empty list says nothing about Seedance');
    assert.deepEqual(usableModels(undefined).map((m) => m.id), MODELS.map((m) => m.id));
    assert.equal(availabilityOf('doubao-seedance-2-0-mini', undefined).kind, 'offered');
    assert.equal(availabilityOf('doubao-seedance-1-5-pro', undefined).kind, 'retired');
    assert.equal(availabilityOf('doubao-seedance-9-9', undefined).kind, 'unknown');
  });

  it('a known model the live list does not name is unavailable, with the reason, and listed after the offered ones', () => {
    const mini = availabilityOf('doubao-seedance-2-0-mini', REV_A);
    assert.equal(mini.kind, 'unlisted');
    assert.equal(isUsable(mini), false);
    assert.match((mini as { reason: string }).reason, /Seedance 2\.0 Mini is unavailable: CometAPI's model list for this API host does not include it now/);
    const order = modelChoices(REV_A).map((a) => (a.kind === 'unknown' ? '' : `${a.kind}:${a.model.id}`));
    assert.deepEqual(order, ['offered:doubao-seedance-2-0', 'offered:doubao-seedance-2-0-fast', 'offered:seedance-2-5', 'unlisted:doubao-seedance-2-0-mini']);
    assert.equal(usableModel('doubao-seedance-2-0-mini', REV_A), undefined);
  });

  it('a retired model the live list still names is offered, after the others, with the announced date as a warning', () => {
    const pro = availabilityOf('doubao-seedance-1-5-pro', WITH_RETIRED);
    assert.equal(pro.kind, 'retiredButListed');
    assert.ok(isUsable(pro));
    assert.match((pro as { warning: string }).warning, /announced Seedance 1\.5 Pro as retired on 2026-11-11 \(use Seedance 2\.5 instead\), but its model list for this API host still lists it/);
    assert.deepEqual(usableModels(WITH_RETIRED).map((m) => m.id), ['doubao-seedance-2-0', 'doubao-seedance-2-0-fast', 'seedance-2-5', 'doubao-seedance-1-5-pro']);
    // 1.0 Pro is not listed: its retirement stands.
    assert.equal(availabilityOf('doubao-seedance-1-0-pro', WITH_RETIRED).kind, 'retired');
  });

  it('validation refuses a model the live list does not name before sending, and accepts one it names', () => {
    const refused = validate({ ...draft, model: 'doubao-seedance-2-0-mini' }, { listed: REV_A });
    assert.deepEqual(refused.map((p) => p.field), ['model']);
    assert.match(refused[0].message, /does not include it now, so a request would be refused/);
    assert.deepEqual(validate({ ...draft, model: 'doubao-seedance-2-0-mini' }), [], 'no list: the table decides');
    assert.deepEqual(validate({ ...draft, model: 'seedance-2-5' }, { listed: REV_A }), []);
  });

  it('validation accepts a retired model the live list names, by that model\'s own rules', () => {
    assert.deepEqual(validate({ ...draft, model: 'doubao-seedance-1-5-pro', resolution: '1080p', seconds: 12 }, { listed: WITH_RETIRED }), []);
    const tooLong = validate({ ...draft, model: 'doubao-seedance-1-5-pro', seconds: 13 }, { listed: WITH_RETIRED });
    assert.deepEqual(tooLong.map((p) => p.field), ['seconds']);
    assert.match(tooLong[0].message, /Seedance 1\.5 Pro makes clips of 4 to 12 seconds/);
    // Without the list naming it the retirement stands, with the date and the replacement.
    const retired = validate({ ...draft, model: 'doubao-seedance-1-5-pro' }, { listed: REV_A });
    assert.match(retired[0].message, /was retired by CometAPI on 2026-11-11; use Seedance 2\.5/);
  });

  it('storyboards follow the list: an unlisted model is an error whose fixes are the listed models; a retired, still listed one a warning', () => {
    const text = `## A\n<!-- shot {id: a, model: doubao-seedance-2-0-mini} -->\nwaves\n## B\n<!-- shot {id: b, model: doubao-seedance-1-5-pro} -->\nsand\n`;
    const defaults = { model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };
    const resolved = resolveStoryboard(text, parseStoryboard(text), { defaults, baseDir: '/tmp', listed: WITH_RETIRED });
    const models = resolved.problems.filter((p) => p.code === 'model');
    const mini = models.find((p) => p.shotIndex === 0)!;
    assert.equal(mini.severity, 'error');
    assert.match(mini.message, /Seedance 2\.0 Mini is unavailable/);
    assert.deepEqual(mini.fixes!.map((f) => f.edit.text), ['doubao-seedance-2-0', 'doubao-seedance-2-0-fast', 'seedance-2-5', 'doubao-seedance-1-5-pro']);
    const pro = models.find((p) => p.shotIndex === 1)!;
    assert.equal(pro.severity, 'warning');
    assert.match(pro.message, /still lists it/);
    assert.deepEqual(pro.fixes!.map((f) => f.edit.text), ['seedance-2-5'], 'the replacement, one click');
    assert.equal(resolved.shots[1].errors.length, 0, 'a warning does not stop the shot');
    // Without a list: Mini is fine, 1.5 Pro refused.
    const shipped = resolveStoryboard(text, parseStoryboard(text), { defaults, baseDir: '/tmp' });
    assert.deepEqual(shipped.problems.filter((p) => p.code === 'model').map((p) => [p.shotIndex, p.severity]), [[1, 'error']]);
  });
});
