// submitGeneration against the simulator with the real client: the id is stored, a lost answer leaves an
// uncertain entry (and exactly one create reached the service), a refused request is a failed entry.
import * as assert from 'node:assert/strict';
import { CometClient } from '../../src/core/api/client';
import { submitGeneration, UNCERTAIN_SUBMIT_MESSAGE } from '../../src/core/submit';
import type { TaskRequest } from '../../src/core/tasks/task';
import { TaskStore } from '../../src/core/tasks/taskStore';
import { startSimulator, type Simulator } from '../simulator/server';

const request: TaskRequest = { prompt: 'A paper boat drifting down a gutter after rain', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };

describe('submitGeneration', () => {
  let sim: Simulator;
  let client: CometClient;
  before(async () => {
    sim = await startSimulator({ timeScale: 0.01, deterministic: true });
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.reset();
    client = new CometClient({ baseUrl: sim.baseUrl, getApiKey: async () => sim.apiKey, createTimeoutMs: 2_000 });
  });
  afterEach(() => client.close());

  const creates = () => sim.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/videos'));

  it('stores the service id as soon as the create answers', async () => {
    const store = new TaskStore();
    const outcome = await submitGeneration({ store, createVideo: (r) => client.createVideo(r) }, request);
    assert.equal(outcome.ok, true);
    const task = store.get(outcome.task.localId)!;
    assert.match(task.remoteId ?? '', /^task_/);
    assert.equal(task.status, 'queued');
    assert.ok(task.submittedAt !== undefined && task.waitingSince === task.submittedAt);
    assert.equal(sim.tasks()[0].id, task.remoteId);
  });

  it('a lost answer leaves an uncertain entry and sends nothing again', async () => {
    sim.setFaults({ loseCreateResponse: {} });
    const store = new TaskStore();
    const outcome = await submitGeneration({ store, createVideo: (r) => client.createVideo(r) }, request);
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.uncertain, true);
    const task = store.get(outcome.task.localId)!;
    assert.equal(task.status, 'uncertain');
    assert.equal(task.failure?.message, UNCERTAIN_SUBMIT_MESSAGE);
    assert.equal(task.remoteId, undefined);
    assert.equal(creates().length, 1, 'exactly one create reached the simulator');
    assert.equal(sim.tasks().length, 1, 'and it did create a task there: exactly why nothing is re-sent');
  });

  it('a refused request (bad key) is a failed entry that keeps the prompt', async () => {
    const bad = new CometClient({ baseUrl: sim.baseUrl, getApiKey: async () => 'sk-wrong-key-123' });
    const store = new TaskStore();
    const outcome = await submitGeneration({ store, createVideo: (r) => bad.createVideo(r) }, request);
    await bad.close();
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.uncertain, false);
    const task = store.get(outcome.task.localId)!;
    assert.equal(task.status, 'failed');
    assert.equal(task.failure?.kind, 'auth');
    assert.equal(task.request.prompt, request.prompt);
    assert.equal(sim.tasks().length, 0);
  });
});
