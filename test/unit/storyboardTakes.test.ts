import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildMetadataRecord, serializeMetadataRecord } from '../../src/core/files/outputNaming';
import { chosenTake, hasTakeOrPending, isStale, lastFramePath, mergeTakes, storyboardFolderName, takesFolder } from '../../src/core/storyboard/takes';
import { orphansOf, readTakeIndex, reattach, withIds } from '../../src/core/storyboard/takeIndex';
import { parseStoryboard } from '../../src/core/storyboard/parse';
import { resolveStoryboard } from '../../src/core/storyboard/rules';
import { parseStoredTasks, toStoredEnvelope } from '../../src/core/tasks/persistence';
import { createSubmittingTask, type TrackedTask } from '../../src/core/tasks/task';

const request = (shotId: string, file = 'films/lighthouse.storyboard.md') => ({
  prompt: `shot ${shotId}`, model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p', storyboard: { file, shotId },
});

describe('storyboard takes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takes-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('names the takes folder after the storyboard and the frame after the take', () => {
    assert.equal(storyboardFolderName('films/The Lighthouse.storyboard.md'), 'the-lighthouse');
    assert.equal(takesFolder('/w/videos', 'a/b/x.storyboard.md'), path.join('/w/videos', 'x'));
    assert.equal(lastFramePath('/v/take.mp4'), '/v/take.last-frame.png');
  });

  it('finds takes again from their records alone (another machine), and merges them with tracked tasks', async () => {
    const saved = (task: TrackedTask, name: string) => ({ ...task, status: 'succeeded' as const, remoteId: `r-${name}`, file: path.join(dir, `${name}.mp4`), metadataFile: path.join(dir, `${name}.json`), download: { state: 'downloaded' as const } });
    const a1 = saved(createSubmittingTask(request('a'), Date.parse('2026-11-30T10:00:00Z')), 'a1');
    const a2 = saved(createSubmittingTask(request('a'), Date.parse('2026-11-30T11:00:00Z')), 'a2');
    const other = saved(createSubmittingTask(request('z', 'other.storyboard.md'), Date.parse('2026-11-30T11:00:00Z')), 'o1');
    for (const t of [a1, a2, other]) {
      await fs.writeFile(t.file, 'video');
      await fs.writeFile(t.metadataFile, serializeMetadataRecord(buildMetadataRecord(t, { extensionVersion: '0', videoFile: t.file, savedAt: 0 })));
    }
    // A record whose video was deleted, and a file that is not a record, are ignored.
    await fs.writeFile(path.join(dir, 'gone.json'), JSON.stringify({ schema: 'seedance-studio.video', storyboard: { file: 'films/lighthouse.storyboard.md', shotId: 'a' }, videoFile: 'gone.mp4' }));
    await fs.writeFile(path.join(dir, 'notes.json'), '{');

    const records = await readTakeIndex([dir]);
    assert.deepEqual(records.map((r) => r.key).sort(), ['a1.mp4', 'a2.mp4', 'o1.mp4']);
    const fromDisk = mergeTakes([], records, new Set(['a']));
    assert.deepEqual(fromDisk.get('a')?.map((t) => t.key), ['a1.mp4', 'a2.mp4'], 'oldest first');

    // A running re-roll (tracked) joins them; the saved ones are not doubled.
    const running = { ...createSubmittingTask(request('a'), Date.parse('2026-11-30T12:00:00Z')), status: 'running' as const, progress: 45 };
    const merged = mergeTakes([a1, running], records, new Set(['a']));
    assert.deepEqual(merged.get('a')?.map((t) => [t.key, t.status]), [['a1.mp4', 'saved'], ['a2.mp4', 'saved'], [running.localId, 'running']]);

    const takes = merged.get('a')!;
    assert.equal(chosenTake(takes, 'a1.mp4')?.key, 'a1.mp4', 'the chosen one');
    assert.equal(chosenTake(takes, undefined)?.key, 'a2.mp4', 'else the newest playable');
    assert.equal(chosenTake(takes, 'deleted.mp4')?.key, 'a2.mp4');
  });

  it('counts a shot with an uncertain or running take as having one (Generate All leaves it alone)', () => {
    const t = (status: TrackedTask['status']) => ({ key: status, shotId: 'a', status, progress: 0, createdAt: 0 });
    assert.equal(hasTakeOrPending([t('failed')]), false);
    assert.equal(hasTakeOrPending([t('failed'), t('uncertain')]), true);
    assert.equal(hasTakeOrPending([t('running')]), true);
    assert.equal(hasTakeOrPending(undefined), false);
  });
});

describe('storyboard identity in the task list', () => {
  it('survives a save and load of the task list, and a task list written before storyboards still loads', () => {
    const task = createSubmittingTask(request('k3f9q2ab'), 1_000);
    const loaded = parseStoredTasks(JSON.parse(JSON.stringify(toStoredEnvelope([task]))));
    assert.deepEqual(loaded.tasks[0]?.request.storyboard, { file: 'films/lighthouse.storyboard.md', shotId: 'k3f9q2ab' });
    const plain = createSubmittingTask({ prompt: 'p', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' }, 1_000);
    const old = JSON.parse(JSON.stringify(toStoredEnvelope([plain])));
    const again = parseStoredTasks(old);
    assert.equal(again.tasks.length, 1);
    assert.equal(again.tasks[0]?.request.storyboard, undefined);
  });
});

describe('takes found by what they are (issue 18)', () => {
  let out: string;
  const defaults = { model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };
  const board = (text: string) => resolveStoryboard(text, parseStoryboard(text), { defaults, baseDir: '/' });
  /** Saves a take of shot `shotId` made from `prompt` by storyboard `file` into `folder`, as the extension does. */
  async function saveTake(folder: string, name: string, shotId: string, prompt: string, file = 'films/lighthouse.storyboard.md') {
    await fs.mkdir(folder, { recursive: true });
    const task = { ...createSubmittingTask({ ...request(shotId, file), prompt }, Date.parse('2026-11-30T10:00:00Z')), status: 'succeeded' as const, file: path.join(folder, `${name}.mp4`), download: { state: 'downloaded' as const } };
    await fs.writeFile(task.file, 'video');
    await fs.writeFile(path.join(folder, `${name}.json`), serializeMetadataRecord(buildMetadataRecord(task, { extensionVersion: '0', videoFile: task.file, savedAt: 0 })));
  }
  beforeEach(async () => {
    out = await fs.mkdtemp(path.join(os.tmpdir(), 'index-'));
  });
  afterEach(async () => {
    await fs.rm(out, { recursive: true, force: true });
  });

  it('after a rename or move: found by shot id, whatever file and folder the record names', async () => {
    await saveTake(path.join(out, 'videos', 'lighthouse'), 't1', 'k3f9q2ab', 'Dusk');
    const index = await readTakeIndex([path.join(out, 'videos')]);
    // The storyboard is now elsewhere/renamed.txt: its ids are what count.
    const takes = mergeTakes([], index, new Set(['k3f9q2ab']));
    assert.deepEqual(takes.get('k3f9q2ab')?.map((t) => t.key), ['t1.mp4']);
    assert.deepEqual(orphansOf('elsewhere/renamed.storyboard.md', new Set(['k3f9q2ab']), index), []);
    // A take of another shot of the same (renamed) storyboard whose id the file lost is its orphan.
    await saveTake(path.join(out, 'videos', 'lighthouse'), 't2', 'gone0001', 'Night');
    const again = await readTakeIndex([path.join(out, 'videos')]);
    assert.deepEqual(orphansOf('elsewhere/renamed.storyboard.md', new Set(['k3f9q2ab']), again).map((o) => o.shotId), ['gone0001']);
    assert.deepEqual(orphansOf('other.storyboard.md', new Set(['zzz']), again), [], 'not another storyboard\'s');
  });

  it('after the output folder setting changes: the old folder is still searched', async () => {
    await saveTake(path.join(out, 'old-videos', 'lighthouse'), 't1', 'k3f9q2ab', 'Dusk');
    await saveTake(path.join(out, 'clips', 'lighthouse'), 't2', 'k3f9q2ab', 'Dusk');
    const index = await readTakeIndex([path.join(out, 'clips'), path.join(out, 'old-videos')]);
    assert.deepEqual(mergeTakes([], index, new Set(['k3f9q2ab'])).get('k3f9q2ab')?.map((t) => t.key).sort(), ['t1.mp4', 't2.mp4']);
    assert.deepEqual(await readTakeIndex([path.join(out, 'nowhere')]), [], 'a folder that does not exist is no error');
  });

  it('after the id line is removed: the shot whose prompt and settings match is re-attached, not re-billed', async () => {
    await saveTake(path.join(out, 'videos', 'lighthouse'), 't1', 'k3f9q2ab', 'A slow push toward the lighthouse');
    const index = await readTakeIndex([path.join(out, 'videos')]);
    const text = '## Dusk\nA slow push toward the lighthouse\n\n## Other\nSomething else\n';
    const resolved = board(text);
    const attached = reattach(resolved.shots, index);
    assert.deepEqual([...attached], [[0, 'k3f9q2ab']]);
    const patched = withIds(resolved.board, attached);
    assert.equal(patched.shots[0].id, 'k3f9q2ab');
    assert.equal(patched.shots[1].id, undefined);
    // Different settings (seconds) is another shot: not re-attached, and the takes are orphans of the file.
    const changed = board('## Dusk\n<!-- shot seconds: 8 -->\nA slow push toward the lighthouse\n');
    assert.equal(reattach(changed.shots, index).size, 0);
    const orphans = orphansOf('films/lighthouse.storyboard.md', new Set(), index);
    assert.deepEqual(orphans.map((o) => [o.shotId, o.takes.length, o.prompt]), [['k3f9q2ab', 1, 'A slow push toward the lighthouse']]);
    // An id the file has is never taken for another shot.
    const both = board('## A\n<!-- shot id: k3f9q2ab -->\nA slow push toward the lighthouse\n## B\nA slow push toward the lighthouse\n');
    assert.equal(reattach(both.shots, index).size, 0);
  });
});

describe('stale continuation takes (issue 18)', () => {
  const take = (key: string, extra: Record<string, unknown> = {}) => ({ key, shotId: 's', status: 'saved' as const, progress: 100, createdAt: 0, ...extra });
  it('a take made from the last frame of a take that is no longer chosen is stale; unknown is not', () => {
    const chosen = take('b.mp4', { videoFile: '/v/b.mp4' });
    assert.equal(isStale(take('c1.mp4', { firstReference: 'b.last-frame.png' }), chosen), false);
    assert.equal(isStale(take('c2.mp4', { firstReference: 'a.last-frame.png' }), chosen), true);
    assert.equal(isStale(take('c3.mp4'), chosen), false, 'made without a recorded frame');
    assert.equal(isStale(take('c4.mp4', { firstReference: 'hero.png' }), chosen), false, 'a plain reference image is not a frame');
    assert.equal(isStale(take('c5.mp4', { firstReference: 'a.last-frame.png' }), undefined), false);
  });
});
