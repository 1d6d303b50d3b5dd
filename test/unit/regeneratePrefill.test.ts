// Issue 8 item 7: Regenerate reproduces the request, reference image included; a request without an image
// clears the form's image (an image from another request is never sent); a gone image is flagged before
// anything is sent. Against a real ReferenceImageStore on disk.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TaskRequest } from '../../src/core/tasks/task';
import { prefillFromRecord } from '../../src/vscode/panel/recordPrefill';
import { regeneratePrefill } from '../../src/vscode/panel/regeneratePrefill';
import { ReferenceImageStore, type StoredReferenceImage } from '../../src/vscode/panel/referenceImageStore';
import type { ReferenceImageView } from '../../src/shared/protocol';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const base: TaskRequest = { prompt: 'A fox trotting through snow', model: 'doubao-seedance-2-0', seconds: 6, size: '9:16', resolution: '720p' };
const describe_ = (s: StoredReferenceImage): ReferenceImageView => ({
  token: s.token, fileName: s.fileName, byteLength: s.byteLength, contentType: s.contentType, head: [...s.head], thumbnailUri: `thumb:${s.token}`,
});

describe('regenerate prefill', () => {
  let dir: string;
  let images: ReferenceImageStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regen-'));
    images = new ReferenceImageStore(path.join(dir, 'store'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('carries the prompt, the settings and the same stored reference image', async () => {
    const stored = await images.importBytes('fox.png', PNG);
    const prefill = await regeneratePrefill({ ...base, inputReference: { path: stored.path, name: 'fox.png' } }, images, describe_);
    assert.equal(prefill.source, 'regenerate');
    assert.equal(prefill.prompt, base.prompt);
    assert.deepEqual(prefill.settings, { model: 'doubao-seedance-2-0', seconds: 6, size: '9:16', resolution: '720p' });
    assert.equal(prefill.image?.token, stored.token);
    assert.equal(prefill.missingImage, undefined);
  });

  it('a request sent by command with a file of its own: a fresh copy of that file', async () => {
    const own = path.join(dir, 'mine.png');
    fs.writeFileSync(own, PNG);
    const prefill = await regeneratePrefill({ ...base, inputReference: { path: own, name: 'mine.png' } }, images, describe_);
    assert.equal(prefill.image?.fileName, 'mine.png');
    assert.ok(prefill.image && images.tokenOf((await images.find(prefill.image.token))!.path));
  });

  it('a request without an image clears the form\'s image (null), so none from another request is sent', async () => {
    const prefill = await regeneratePrefill(base, images, describe_);
    assert.equal(prefill.image, null);
  });

  it('an image that is gone is named, so the form says so before anything is sent', async () => {
    const stored = await images.importBytes('gone.png', PNG);
    await images.discard(stored.token);
    const fromStore = await regeneratePrefill({ ...base, inputReference: { path: stored.path, name: 'gone.png' } }, images, describe_);
    assert.equal(fromStore.image, undefined);
    assert.equal(fromStore.missingImage, 'gone.png');
    const fromDisk = await regeneratePrefill({ ...base, inputReference: { path: path.join(dir, 'deleted.png'), name: 'deleted.png' } }, images, describe_);
    assert.equal(fromDisk.missingImage, 'deleted.png');
  });

  it('a saved record names its image (flagged as needed) or clears the form\'s image', () => {
    const record = { schema: 'seedance-studio.video', prompt: 'p', model: 'doubao-seedance-2-0' };
    assert.equal(prefillFromRecord(JSON.stringify({ ...record, inputReference: { name: 'cat.png' } }), 'r.json').missingImage, 'cat.png');
    assert.equal(prefillFromRecord(JSON.stringify(record), 'r.json').image, null);
  });
});
