// VideoSaver against the simulator with the real client: a readable unique name inside the output folder
// with its JSON record, the expired-link path (one fresh poll, then retry or a clear failure), and the
// workspace guard (a symlinked output folder that leads outside is refused before anything is written).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CometClient } from '../../src/core/api/client';
import { ApiError } from '../../src/core/api/errors';
import { PathGuardError } from '../../src/core/files/pathGuard';
import type { TrackedTask } from '../../src/core/tasks/task';
import { TaskStore } from '../../src/core/tasks/taskStore';
import { EXPIRED_NO_FRESH_URL_MESSAGE, VideoSaver } from '../../src/core/download/videoSaver';
import { startSimulator, type Simulator } from '../simulator/server';

async function finishedTask(client: CometClient, sim: Simulator, prompt: string): Promise<TrackedTask> {
  const created = await client.createVideo({ prompt, model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' });
  sim.setTaskState(created.id, { status: 'completed' });
  const done = await client.getVideo(created.id);
  assert.ok(done.videoUrl);
  return {
    localId: `local-${created.id}`,
    remoteId: created.id,
    status: 'succeeded',
    progress: 100,
    request: { prompt, model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' },
    createdAt: Date.UTC(2026, 10, 24, 15, 30),
    submittedAt: Date.UTC(2026, 10, 24, 15, 30),
    finishedAt: Date.UTC(2026, 10, 24, 15, 32),
    videoUrl: done.videoUrl,
    download: { state: 'none' },
  };
}

describe('VideoSaver', () => {
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
    root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'seedance-saver-')));
  });
  afterEach(async () => {
    await client.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  function saverFor(store: TaskStore) {
    return new VideoSaver({
      store,
      downloadVideo: (url, file, o) => client.downloadVideo(url, file, o),
      getVideo: (id, s) => client.getVideo(id, s),
      extensionVersion: '9.9.9',
    });
  }

  it('saves the video and its record under a readable unique name in the output folder', async () => {
    const task = await finishedTask(client, sim, 'A lighthouse at dusk, waves crashing');
    const store = new TaskStore({ initial: [task, { ...task, localId: 'second' }] });
    const saver = saverFor(store);
    const folder = path.join(root, 'videos');
    const first = await saver.save(task.localId, { kind: 'folder', root, folder });
    const second = await saver.save('second', { kind: 'folder', root, folder });
    assert.equal(first.download.state, 'downloaded');
    assert.match(path.basename(first.file!), /^\d{4}-\d\d-\d\d_\d{4}_a-lighthouse-at-dusk-waves-crashing\.mp4$/);
    assert.match(path.basename(second.file!), /-2\.mp4$/);
    assert.equal(path.dirname(first.file!), folder);
    const record = JSON.parse(await fs.readFile(first.metadataFile!, 'utf8')) as Record<string, unknown>;
    assert.equal(record.prompt, task.request.prompt);
    assert.equal(record.taskId, task.remoteId);
    assert.equal(record.videoFile, path.basename(first.file!));
    assert.equal(JSON.stringify(record).includes('X-Tos'), false, 'the signed URL is not in the record');
    const files = (await fs.readdir(folder)).sort();
    assert.equal(files.length, 4, `only videos and records, no leftovers: ${files.join(', ')}`);
  });

  it('an expired link is replaced by one fresh poll when the service re-signs (ark mode)', async () => {
    sim.setConfig({ urlMode: 'ark' });
    const task = await finishedTask(client, sim, 'Expired then fresh');
    sim.setConfig({ clockOffsetSeconds: 2 * 86400 });
    const store = new TaskStore({ initial: [task] });
    const saved = await saverFor(store).save(task.localId, { kind: 'folder', root, folder: path.join(root, 'videos') });
    assert.equal(saved.download.state, 'downloaded');
    assert.notEqual(store.get(task.localId)!.videoUrl, task.videoUrl, 'the fresh link was stored');
  });

  it('an expired link the service cannot renew fails clearly and leaves no file (newapi mode)', async () => {
    const task = await finishedTask(client, sim, 'Expired for good');
    sim.setConfig({ clockOffsetSeconds: 2 * 86400 });
    const store = new TaskStore({ initial: [task] });
    const folder = path.join(root, 'videos');
    const polls = () => sim.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/videos/')).length;
    const before = polls();
    await assert.rejects(saverFor(store).save(task.localId, { kind: 'folder', root, folder }), (e: unknown) => e instanceof ApiError && e.message === EXPIRED_NO_FRESH_URL_MESSAGE);
    assert.equal(polls() - before, 1, 'exactly one poll for a fresh link');
    assert.equal(store.get(task.localId)!.download.state, 'failed');
    assert.deepEqual(await fs.readdir(folder), [], 'no half file and no record');
  });

  it('refuses an output folder that leads outside the workspace through a symlink', async () => {
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'seedance-outside-'));
    try {
      await fs.symlink(outside, path.join(root, 'videos'));
      const task = await finishedTask(client, sim, 'Escape attempt');
      const store = new TaskStore({ initial: [task] });
      const downloadsBefore = sim.requests.filter((r) => r.server === 'video').length;
      await assert.rejects(saverFor(store).save(task.localId, { kind: 'folder', root, folder: path.join(root, 'videos') }), PathGuardError);
      assert.deepEqual(await fs.readdir(outside), []);
      assert.equal(sim.requests.filter((r) => r.server === 'video').length, downloadsBefore, 'nothing was downloaded');
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });
});
