import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  buildMetadataRecord,
  formatStamp,
  METADATA_SCHEMA_VERSION,
  outputBaseName,
  serializeMetadataRecord,
  slugify,
  uniqueOutputPaths,
} from '../../src/core/files/outputNaming';
import type { TrackedTask } from '../../src/core/tasks/task';

// Local time on purpose: names use the person's own clock.
const at = new Date(2026, 10, 24, 15, 30, 12);
const folder = path.resolve('/work/videos');

/** Windows refuses these as file names in any case, with or without an extension. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

function assertSafeName(name: string): void {
  assert.match(name, /^[a-z0-9][a-z0-9_.-]*[a-z0-9]$/, `ascii, no leading/trailing dot or dash: ${name}`);
  assert.ok(!name.includes('..'), name);
  assert.ok(!name.includes('/') && !name.includes('\\'), name);
  assert.ok(!RESERVED.test(name), name);
  assert.ok(name.length <= 100, `bounded length: ${name.length}`);
}

describe('output naming', () => {
  it('makes the documented readable name', () => {
    assert.equal(formatStamp(at), '2026-11-24_1530');
    assert.equal(outputBaseName('A slow, cinematic camera push!', at), '2026-11-24_1530_a-slow-cinematic-camera-push');
  });

  it('keeps hostile and odd prompts safe', () => {
    const cases: Array<[string, string]> = [
      ['../../etc/passwd', 'etc-passwd'],
      ['..\\..\\Windows\\System32', 'windows-system32'],
      ['CON', 'con-video'],
      ['lpt1', 'lpt1-video'],
      ['🎬🎥✨', 'video'],
      ['', 'video'],
      ['   ', 'video'],
      ['...', 'video'],
      ['.hidden', 'hidden'],
      ['Café crème brûlée', 'cafe-creme-brulee'],
      ['東京の夜景 night view', 'night-view'],
      ['tab\there\nnewline\u0000nul', 'tab-here-newline-nul'],
      ['UPPER case ÅNGSTRÖM', 'upper-case-angstrom'],
    ];
    for (const [prompt, slug] of cases) {
      assert.equal(slugify(prompt), slug, JSON.stringify(prompt));
      const base = outputBaseName(prompt, at);
      assertSafeName(base + '.mp4');
      assertSafeName(base + '.json');
    }
  });

  it('cuts long prompts at a word boundary within 60 characters', () => {
    const long = 'a slow cinematic camera push through a foggy pine forest at dawn with golden light and drifting mist';
    const slug = slugify(long);
    assert.ok(slug.length <= 60, `${slug.length}`);
    assert.ok(long.replace(/ /g, '-').startsWith(slug), 'a prefix of whole words');
    assert.ok(!slug.endsWith('-'));
    const oneWord = 'x'.repeat(500);
    assert.equal(slugify(oneWord), 'x'.repeat(60), 'a single huge word is cut hard');
    assertSafeName(outputBaseName('y'.repeat(10_000), at) + '.mp4');
  });

  it('finds a free name for both the video and its record, appending -2, -3', async () => {
    const taken = new Set<string>([
      path.join(folder, '2026-11-24_1530_sunset.mp4'),
      path.join(folder, '2026-11-24_1530_sunset-2.json'), // only the record exists: still taken
    ]);
    const paths = await uniqueOutputPaths(folder, 'Sunset', at, (p) => taken.has(p));
    assert.equal(paths.baseName, '2026-11-24_1530_sunset-3');
    assert.equal(paths.video, path.join(folder, '2026-11-24_1530_sunset-3.mp4'));
    assert.equal(paths.metadata, path.join(folder, '2026-11-24_1530_sunset-3.json'));
    assert.equal(path.dirname(paths.video), folder, 'always directly inside the folder');

    const free = await uniqueOutputPaths(folder, 'Sunset', at, async () => false);
    assert.equal(free.baseName, '2026-11-24_1530_sunset');
  });

  it('stays inside the folder even for a traversal prompt', async () => {
    const paths = await uniqueOutputPaths(folder, '../../../../etc/cron.d/evil', at, () => false);
    assert.equal(path.dirname(paths.video), folder);
    assert.equal(path.dirname(paths.metadata), folder);
  });

  it('gives up with an error instead of looping forever', async () => {
    await assert.rejects(uniqueOutputPaths(folder, 'x', at, () => true, { maxAttempts: 5 }), /free file name/);
  });
});

describe('metadata record', () => {
  const task: TrackedTask = {
    localId: 'L1', remoteId: 'task_abc', status: 'succeeded', progress: 100,
    request: { prompt: 'A slow push', model: 'doubao-seedance-2-0', seconds: 8, size: '9:16', resolution: '480p',
      inputReference: { path: '/home/alice/secret-project/ref.png', name: 'ref.png' } },
    createdAt: Date.UTC(2026, 10, 24, 15, 30), submittedAt: Date.UTC(2026, 10, 24, 15, 30, 1), finishedAt: Date.UTC(2026, 10, 24, 15, 32),
    videoUrl: 'https://tos.example/v.mp4?X-Tos-Signature=secret', download: { state: 'downloaded' },
  };

  it('records the prompt, every parameter, the task id, timestamps, versions', () => {
    const record = buildMetadataRecord(task, { extensionVersion: '0.1.0', videoFile: '/w/videos/2026-11-24_1530_a-slow-push.mp4', savedAt: Date.UTC(2026, 10, 24, 15, 33) });
    assert.deepEqual(record, {
      schema: 'seedance-studio.video',
      schemaVersion: METADATA_SCHEMA_VERSION,
      prompt: 'A slow push', model: 'doubao-seedance-2-0', seconds: 8, size: '9:16', resolution: '480p',
      inputReference: { name: 'ref.png' },
      taskId: 'task_abc', localId: 'L1',
      createdAt: '2026-11-24T15:30:00.000Z', submittedAt: '2026-11-24T15:30:01.000Z', finishedAt: '2026-11-24T15:32:00.000Z',
      savedAt: '2026-11-24T15:33:00.000Z',
      videoFile: '2026-11-24_1530_a-slow-push.mp4',
      generator: 'Seedance Studio',
      extensionVersion: '0.1.0',
    });
  });

  it('names every reference image of a request with several, in upload order, never their paths', () => {
    const several: TrackedTask = { ...task, request: { ...task.request, moreReferences: [{ path: '/home/alice/b.png', name: 'b.png' }, { path: '/home/alice/c.webp', name: 'c.webp' }] } };
    const record = buildMetadataRecord(several, { extensionVersion: '0.1.0', videoFile: 'a.mp4', savedAt: 0 });
    assert.deepEqual(record.inputReference, { name: 'ref.png' });
    assert.deepEqual(record.moreReferences, [{ name: 'b.png' }, { name: 'c.webp' }]);
    assert.ok(!serializeMetadataRecord(record).includes('/home/alice'));
    assert.equal('moreReferences' in buildMetadataRecord(task, { extensionVersion: '0.1.0', videoFile: 'a.mp4', savedAt: 0 }), false, 'one image: the record is as before');
  });

  it('never contains the signed URL or the reference image path', () => {
    const text = serializeMetadataRecord(buildMetadataRecord(task, { extensionVersion: '0.1.0', videoFile: 'a.mp4', savedAt: 0 }));
    assert.ok(!text.includes('X-Tos-Signature'));
    assert.ok(!text.includes('/home/alice'));
    assert.ok(text.endsWith('}\n'));
  });
});
