// Issue 8 item 6, in core, against the simulator with the real client: two videos with the same prompt in
// the same minute both land; a Save As never writes through whatever sits at the sibling .json; a download
// has an overall deadline and is cancellable; a download stopped by shutdown is marked interrupted; a
// restarted download deletes the half file a crash left beside its target.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tempPathFor } from '../../src/core/download/atomicFile';
import { outputBaseName } from '../../src/core/files/outputNaming';
import { CometClient } from '../../src/core/api/client';
import { isPartialOf, removePartialFiles } from '../../src/core/download/partialFiles';
import type { TrackedTask } from '../../src/core/tasks/task';
import { TaskStore } from '../../src/core/tasks/taskStore';
import { SHUTDOWN_REASON, VideoSaver, type VideoSaverDeps } from '../../src/core/download/videoSaver';
import { startSimulator, type Simulator } from '../simulator/server';

const CREATED = Date.UTC(2026, 10, 24, 15, 30);

describe('VideoSaver safety', () => {
  let sim: Simulator;
  let client: CometClient;
  let root: string;
  before(async () => {
    sim = await startSimulator({ timeScale: 0.01, deterministic: true });
  });
  after(() => sim.close());
  beforeEach(async () => {
    sim.reset();
    client = new CometClient({ baseUrl: sim.baseUrl, getApiKey: async () => sim.apiKey });
    root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'seedance-saver-safety-')));
  });
  afterEach(async () => {
    sim.setFaults({ slowDownload: null });
    await client.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  async function finished(prompt: string, localId: string): Promise<TrackedTask> {
    const created = await client.createVideo({ prompt, model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' });
    sim.setTaskState(created.id, { status: 'completed' });
    const done = await client.getVideo(created.id);
    return {
      localId, remoteId: created.id, status: 'succeeded', progress: 100,
      request: { prompt, model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' },
      createdAt: CREATED, submittedAt: CREATED, finishedAt: CREATED + 60_000, videoUrl: done.videoUrl, download: { state: 'none' },
    };
  }

  function saverFor(store: TaskStore, extra: Partial<VideoSaverDeps> = {}) {
    return new VideoSaver({
      store,
      downloadVideo: (url, file, o) => client.downloadVideo(url, file, o),
      getVideo: (id, s) => client.getVideo(id, s),
      extensionVersion: '9.9.9',
      ...extra,
    });
  }

  it('two videos with the same prompt in the same minute, downloading at once, both land', async () => {
    const a = await finished('Same words twice', 'a');
    const b = await finished('Same words twice', 'b');
    const store = new TaskStore({ initial: [a, b] });
    const saver = saverFor(store);
    const folder = path.join(root, 'videos');
    const [first, second] = await Promise.all([
      saver.save('a', { kind: 'folder', root, folder }),
      saver.save('b', { kind: 'folder', root, folder }),
    ]);
    assert.equal(first.download.state, 'downloaded');
    assert.equal(second.download.state, 'downloaded');
    assert.notEqual(first.file, second.file);
    const files = (await fs.readdir(folder)).sort();
    assert.equal(files.length, 4, files.join(', '));
    assert.ok(files.some((f) => /-2\.mp4$/.test(f)) && files.some((f) => /-2\.json$/.test(f)));
  });

  it('Save As never overwrites someone else\'s .json beside the video, nor writes through a link there', async () => {
    const task = await finished('Saved where I said', 'x');
    const store = new TaskStore({ initial: [task] });
    const folder = path.join(root, 'mine');
    await fs.mkdir(folder);
    const theirs = path.join(folder, 'clip.json');
    await fs.writeFile(theirs, '{"mine":true}\n');
    const saved = await saverFor(store).save('x', { kind: 'file', file: path.join(folder, 'clip.mp4') });
    assert.equal(await fs.readFile(theirs, 'utf8'), '{"mine":true}\n', 'their file is untouched');
    assert.equal(saved.metadataFile, path.join(folder, 'clip-2.json'));

    // A link at the sibling name pointing elsewhere: the target it points to is never written.
    const elsewhere = path.join(root, 'elsewhere.txt');
    await fs.writeFile(elsewhere, 'keep me');
    await fs.symlink(elsewhere, path.join(folder, 'other.json'));
    store.update('x', { download: { state: 'none' } });
    const linked = await saverFor(store).save('x', { kind: 'file', file: path.join(folder, 'other.mp4') });
    assert.equal(await fs.readFile(elsewhere, 'utf8'), 'keep me');
    assert.equal(linked.metadataFile, path.join(folder, 'other-2.json'));
    assert.ok((await fs.lstat(path.join(folder, 'other.json'))).isSymbolicLink(), 'the link itself is left alone');
  });

  it('Save As over an earlier save replaces our own record for that file (no pile of records)', async () => {
    const task = await finished('Saved twice over', 'y');
    const store = new TaskStore({ initial: [task] });
    const file = path.join(root, 'again.mp4');
    await saverFor(store).save('y', { kind: 'file', file });
    store.update('y', { download: { state: 'none' } });
    const second = await saverFor(store).save('y', { kind: 'file', file });
    assert.equal(second.metadataFile, path.join(root, 'again.json'));
    assert.deepEqual((await fs.readdir(root)).sort(), ['again.json', 'again.mp4']);
  });

  it('a record that cannot be written leaves the video saved, with a warning, never a failed download', async () => {
    const task = await finished('Record blocked', 'r');
    const store = new TaskStore({ initial: [task] });
    const folder = path.join(root, 'videos');
    await fs.mkdir(folder);
    // A folder sits at the record's name after the names were picked (exists() says it is free): 'wx' refuses.
    const blocked = path.join(folder, `${outputBaseName('Record blocked', new Date(CREATED))}.json`);
    await fs.mkdir(blocked);
    const lines: string[] = [];
    const saver = saverFor(store, { exists: async () => false, log: (l) => lines.push(l) });
    const saved = await saver.save('r', { kind: 'folder', root, folder });
    assert.equal(saved.download.state, 'downloaded', 'the video is saved');
    assert.equal(saved.file, blocked.replace(/\.json$/, '.mp4'));
    assert.ok((await fs.stat(saved.file!)).size > 0, 'the video is there under its final name');
    assert.equal(saved.metadataFile, undefined, 'no record is claimed');
    assert.match(saved.download.recordError ?? '', /EEXIST|EISDIR|exists/i);
    assert.deepEqual(store.get('r'), saved, 'the store says the same');
    assert.ok(lines.some((l) => l.includes('saved') && l.includes('record beside it could not be written')), lines.join('\n'));
  });

  it('a download has an overall deadline and leaves no half file when it passes', async () => {
    const task = await finished('Slow as a snail', 's');
    sim.setFaults({ slowDownload: { bytesPerSecond: 2_000, times: -1 } });
    const store = new TaskStore({ initial: [task] });
    const folder = path.join(root, 'videos');
    await assert.rejects(saverFor(store, { deadlineMs: 700 }).save('s', { kind: 'folder', root, folder }), (e: unknown) => {
      assert.equal((e as { kind?: string }).kind, 'timeout');
      return true;
    });
    assert.equal(store.get('s')!.download.state, 'failed');
    assert.match(store.get('s')!.download.error ?? '', /did not finish within/);
    assert.deepEqual(await fs.readdir(folder), [], 'no half file');
  });

  it('cancelling stops the download; stopping for shutdown marks it interrupted with its target', async () => {
    const task = await finished('Cancel me', 'c');
    sim.setFaults({ slowDownload: { bytesPerSecond: 5_000, times: -1 } });
    const store = new TaskStore({ initial: [task, { ...task, localId: 'd' }] });
    const saver = saverFor(store);
    const folder = path.join(root, 'videos');

    const cancel = new AbortController();
    const cancelled = saver.save('c', { kind: 'folder', root, folder }, { signal: cancel.signal });
    setTimeout(() => cancel.abort(), 300);
    await assert.rejects(cancelled);
    assert.equal(store.get('c')!.download.state, 'failed');
    assert.equal(store.get('c')!.download.interrupted, undefined);
    assert.match(store.get('c')!.download.error ?? '', /cancelled/);

    const shutdown = new AbortController();
    const stopped = saver.save('d', { kind: 'folder', root, folder }, { signal: shutdown.signal });
    setTimeout(() => shutdown.abort(SHUTDOWN_REASON), 300);
    await assert.rejects(stopped);
    const d = store.get('d')!;
    assert.equal(d.download.interrupted, true);
    assert.match(d.download.target ?? '', /cancel-me(-2)?\.mp4$/);
    assert.deepEqual(await fs.readdir(folder), [], 'no half file');
  });

  it('progress updates keep the recorded target (a crash mid-download must still find the half file)', async () => {
    const task = await finished('Keep the target', 'p');
    sim.setFaults({ slowDownload: { bytesPerSecond: 5_000, times: -1 } });
    const store = new TaskStore({ initial: [task] });
    const stop = new AbortController();
    const saving = saverFor(store, { progressIntervalMs: 20 }).save('p', { kind: 'folder', root, folder: path.join(root, 'videos') }, { signal: stop.signal });
    const seen = await new Promise<TrackedTask['download']>((resolve) => {
      const timer = setInterval(() => {
        const d = store.get('p')!.download;
        if ((d.bytes ?? 0) > 0) {
          clearInterval(timer);
          resolve(d);
        }
      }, 10);
    });
    stop.abort(SHUTDOWN_REASON);
    await assert.rejects(saving);
    assert.equal(seen.state, 'downloading');
    assert.match(seen.target ?? '', /keep-the-target\.mp4$/);
  });

  it('the target is stored before any byte is written, and a restart deletes the half file a crash left', async () => {
    const task = await finished('Crash in the middle', 'k');
    const folder = path.join(root, 'videos');
    await fs.mkdir(folder);
    const target = path.join(folder, '2026-11-24_1530_crash-in-the-middle.mp4');
    // What a killed extension host leaves: the temporary file, and a stored target.
    const half = tempPathFor(target);
    await fs.writeFile(half, 'half a video');
    const unrelated = path.join(folder, '.notes.mp4.part-abc');
    await fs.writeFile(unrelated, 'not ours');
    const store = new TaskStore({ initial: [{ ...task, download: { state: 'failed', interrupted: true, target } }] });
    let storedAtStart: TrackedTask['download'] | undefined;
    const saver = saverFor(store, { persist: async () => { storedAtStart ??= store.get('k')!.download; } });
    const saved = await saver.save('k', { kind: 'folder', root, folder });
    assert.equal(saved.download.state, 'downloaded');
    assert.equal(storedAtStart?.state, 'downloading');
    assert.ok(storedAtStart?.target, 'the target was recorded before downloading');
    await assert.rejects(fs.access(half), 'the half file is gone');
    assert.equal(await fs.readFile(unrelated, 'utf8'), 'not ours');
  });

  it('partial-file names: only the temporary files of that one target match', async () => {
    const target = '/w/videos/a.mp4';
    assert.ok(isPartialOf(target, path.basename(tempPathFor(target))));
    assert.ok(isPartialOf(target, '.a.mp4.replacing-1764540000000'));
    assert.equal(isPartialOf(target, 'a.mp4'), false);
    assert.equal(isPartialOf(target, '.a.mp4.part-zz'), false);
    assert.equal(isPartialOf(target, '.b.mp4.part-abc123'), false);
    assert.deepEqual(await removePartialFiles(path.join(root, 'missing', 'a.mp4')), []);
  });
});
