// The language model tools' pure half: parsing their inputs and the text a model reads back.
import * as assert from 'node:assert/strict';
import {
  catalogueRules, describeEstimate, describeInvalidInput, describeSubmitted, describeTask, describeTaskList, describeTotal,
  type AgentTaskView,
} from '../../src/core/agentTools/resultText';
import { parseGenerateStoryboardInput, parseGetVideoInput, parseListVideosInput } from '../../src/core/agentTools/toolInputs';
import { MODELS } from '../../src/core/catalog';

const running: AgentTaskView = {
  id: 'task_123', status: 'running', progress: 50, prompt: 'A red fox in snow', model: 'doubao-seedance-2-0-fast',
  seconds: 5, size: '16:9', resolution: '720p',
};

describe('agent tools: inputs', () => {
  it('get_video needs a non-empty taskId and names unknown fields', () => {
    assert.deepEqual(parseGetVideoInput({ taskId: ' task_1 ' }), { ok: true, value: { taskId: 'task_1' } });
    const bad = parseGetVideoInput({ id: 'task_1' });
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok && bad.problems.some((p) => p.includes('Unknown field "id"')));
    assert.ok(!bad.ok && bad.problems.some((p) => p.includes('"taskId"')));
    assert.equal(parseGetVideoInput('task_1').ok, false);
  });

  it('list_videos: defaults, status values, limit bounds', () => {
    assert.deepEqual(parseListVideosInput(undefined), { ok: true, value: { status: undefined, storyboard: undefined, limit: 20 } });
    assert.deepEqual(parseListVideosInput({ status: 'failed', limit: 5, storyboard: 'a.storyboard.md' }), {
      ok: true, value: { status: 'failed', storyboard: 'a.storyboard.md', limit: 5 },
    });
    const bad = parseListVideosInput({ status: 'done', limit: 0 });
    assert.ok(!bad.ok && bad.problems.length === 2, JSON.stringify(bad));
    assert.ok(!bad.ok && bad.problems[0].includes('queued, running, succeeded, failed'));
  });

  it('generate_storyboard: a *.storyboard.md path and optional shot names', () => {
    assert.deepEqual(parseGenerateStoryboardInput({ path: 'film/a.storyboard.md', shots: [' Opening '] }), {
      ok: true, value: { path: 'film/a.storyboard.md', shots: ['Opening'] },
    });
    const notStoryboard = parseGenerateStoryboardInput({ path: 'notes.md' });
    assert.ok(!notStoryboard.ok && notStoryboard.problems[0].includes('.storyboard.md'));
    assert.equal(parseGenerateStoryboardInput({ path: 'a.storyboard.md', shots: [1] }).ok, false);
    assert.equal(parseGenerateStoryboardInput({ path: 'a.storyboard.md', shots: [''] }).ok, false);
  });
});

describe('agent tools: result text', () => {
  it('invalid input says nothing was sent and lists every model with its rules', () => {
    const text = describeInvalidInput(['doubao-seedance-1-0-pro makes clips of 2 to 10 seconds; you asked for 12.']);
    assert.match(text, /^Nothing was sent/);
    assert.ok(text.includes('you asked for 12'));
    for (const m of MODELS) assert.ok(text.includes(m.id) && text.includes(`${m.minSeconds}-${m.maxSeconds} s`), m.id);
    assert.ok(catalogueRules().includes('seedance-2-5 (Seedance 2.5): 4-30 s; 480p, 720p; sizes 16:9'), catalogueRules());
    for (const retired of ['doubao-seedance-1-0-pro', 'doubao-seedance-1-5-pro']) assert.equal(catalogueRules().includes(retired), false, `${retired} is retired: not offered`);
  });

  it('an unknown price is never shown as $0', () => {
    const unknown = describeEstimate({ source: 'unknown' }, 'doubao-seedance-1-0-pro', 5);
    assert.ok(!unknown.includes('$0'), unknown);
    assert.match(unknown, /unknown/);
    assert.match(describeEstimate({ usd: 0.4, perSecond: 0.08, source: 'catalogue' }, 'm', 5), /about \$0\.40 \(5 s at \$0\.08\/s\), from CometAPI's live price list/);
    assert.match(describeEstimate({ usd: 0.4, source: 'setting' }, 'm', 5), /seedance\.pricing/);
    assert.match(describeTotal(undefined), /unknown/);
    assert.match(describeTotal(1.2), /\$1\.20/);
  });

  it('a running task tells the model to check back instead of resubmitting; a finished one gives its file', () => {
    const text = describeTask(running);
    assert.match(text, /generating \(50% done\)/);
    assert.match(text, /seedance_get_video; do not submit it again/);
    const done = describeTask({ ...running, status: 'succeeded', progress: 100, file: 'videos/fox.mp4' });
    assert.match(done, /finished and downloaded/);
    assert.match(done, /File: videos\/fox\.mp4/);
    assert.doesNotMatch(done, /do not submit/);
    const failed = describeTask({ ...running, status: 'failed', error: 'Content was flagged.' });
    assert.match(failed, /Reason: Content was flagged\./);
  });

  it('lists say how many there are and show the newest ones', () => {
    assert.match(describeTaskList([], 0, 'with status failed'), /No videos with status failed/);
    const list = describeTaskList([running], 3, '');
    assert.match(list, /^3 video\(s\); the newest 1, newest first:/);
    assert.ok(list.includes('task_123'));
  });

  it('a submitted answer names the id, the estimate, the folder and says not to wait', () => {
    const text = describeSubmitted({ ...running, status: 'queued', progress: 0 }, 'Estimated cost: about $0.40.', '/w/videos');
    assert.ok(text.includes('task_123') && text.includes('$0.40') && text.includes('/w/videos'));
    assert.match(text, /Do not wait/);
  });
});
