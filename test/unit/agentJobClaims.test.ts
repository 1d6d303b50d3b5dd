// The claim on a shared job (src/core/agentJobs/claims.ts): one winner among racing processes, a dead
// holder replaced at once, a live one never, a lost claim never renewed, and the files' merged view.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireClaim, claimIsLive, releaseClaim, renewClaim, stillHeld } from '../../src/core/agentJobs/claims';
import { jobRecordOf, readJob, taskFromJob, writeJob, writeSaved, writeState } from '../../src/core/agentJobs/jobFiles';
import { leaseIsLive, newLeaseOwner, type LeaseOwner } from '../../src/core/agentJobs/lease';
import { createSubmittingTask } from '../../src/core/tasks/task';

const request = { prompt: 'A fox', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };

describe('agent jobs: claims and files', () => {
  let workspace: string;
  beforeEach(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'seedance-claims-'));
  });
  afterEach(() => fs.rm(workspace, { recursive: true, force: true }));

  it('of many processes racing for a free job, exactly one wins', async () => {
    const owners = Array.from({ length: 12 }, () => newLeaseOwner('server'));
    const results = await Promise.all(owners.map((o) => acquireClaim(workspace, 'job1', o)));
    assert.equal(results.filter(Boolean).length, 1);
  });

  it('a live holder keeps the job; a dead one (its pid gone) is replaced at once; the loser cannot renew', async () => {
    const holder = newLeaseOwner('server');
    const claim = await acquireClaim(workspace, 'job1', holder);
    assert.ok(claim);
    assert.equal(await acquireClaim(workspace, 'job1', newLeaseOwner('editor')), undefined, 'held by this live process');
    assert.deepEqual(await acquireClaim(workspace, 'job1', holder), claim, 'the holder asking again keeps it');

    // A holder on this machine whose process is gone.
    const dead: LeaseOwner = { ...newLeaseOwner('server'), pid: 2 ** 22 + 12345 };
    const gone = await acquireClaim(workspace, 'job2', dead);
    assert.ok(gone);
    const taker = newLeaseOwner('editor');
    const taken = await acquireClaim(workspace, 'job2', taker);
    assert.equal(taken?.generation, 2);
    assert.equal(await stillHeld(workspace, gone), false);
    assert.equal(await renewClaim(workspace, gone, dead), false, 'a lost claim is never renewed');
    assert.equal(await renewClaim(workspace, taken, taker), true);
  });

  it('a released claim may be taken at once; a stale one after the TTL, whatever its pid says', async () => {
    const a = newLeaseOwner('server');
    const claim = await acquireClaim(workspace, 'job1', a);
    assert.ok(claim);
    await releaseClaim(workspace, claim, a);
    assert.equal((await acquireClaim(workspace, 'job1', newLeaseOwner('editor')))?.generation, 2);
    const alive = { owner: a, renewedAt: 1_000 };
    assert.equal(leaseIsLive(alive, { now: 1_000 + 29_000 }), true);
    assert.equal(leaseIsLive(alive, { now: 1_000 + 31_000 }), false);
    assert.equal(leaseIsLive({ owner: { ...a, host: 'elsewhere' }, renewedAt: 1_000 }, { now: 2_000, alive: () => false }), true, 'another machine: only the TTL tells');
    assert.equal(claimIsLive({ mtimeMs: 1_000 }, { now: 2_000 }), true, 'a claim file being written counts as live briefly');
    assert.equal(claimIsLive({ mtimeMs: 1_000 }, { now: 9_000 }), false);
  });

  it('the files make one task: submitting with a dead claim is uncertain; state moves it on; saved gives the file', async () => {
    const owner = newLeaseOwner('server');
    const draft = createSubmittingTask(request, Date.now(), 'job1');
    await writeJob(workspace, jobRecordOf(draft, { usd: 0.4, perSecond: 0.08, source: 'table' }, owner));
    let files = await readJob(workspace, 'job1');
    assert.equal(taskFromJob(workspace, files, true)?.status, 'submitting');
    const lost = taskFromJob(workspace, files, false);
    assert.equal(lost?.status, 'uncertain');
    assert.equal(lost?.startedBy, 'agent');

    await writeJob(workspace, jobRecordOf({ ...draft, remoteId: 'task_1', status: 'queued', videoUrl: 'https://signed.example/v.mp4?sig=secret' }, undefined, owner));
    const raw = await fs.readFile(path.join(workspace, '.seedance', 'jobs', 'job1', 'job.json'), 'utf8');
    assert.doesNotMatch(raw, /signed|secret/, 'the signed URL is never written');
    await writeState(workspace, 'job1', { status: 'running', progress: 40, at: Date.now() });
    files = await readJob(workspace, 'job1');
    assert.equal(taskFromJob(workspace, files, false)?.status, 'running');
    assert.equal(taskFromJob(workspace, files, false)?.progress, 40);

    assert.equal(await writeSaved(workspace, 'job1', { file: 'videos/a.mp4', bytes: 10, savedAt: 1, by: owner }), true);
    assert.equal(await writeSaved(workspace, 'job1', { file: 'videos/b.mp4', bytes: 10, savedAt: 2, by: owner }), false, 'the first record stands');
    const saved = taskFromJob(workspace, await readJob(workspace, 'job1'), false);
    assert.equal(saved?.status, 'succeeded');
    assert.equal(saved?.download.state, 'downloaded');
    assert.equal(saved?.file, path.join(workspace, 'videos', 'a.mp4'));
  });
});
