// Issue 8 item 7 / issue 13: Regenerate reproduces the request, every reference image included in upload
// order; a request without images clears the form's images (an image from another request is never sent); a
// gone image is flagged before anything is sent. Against a real ReferenceImageStore on disk.
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
    assert.deepEqual(prefill.images?.map((i) => i.token), [stored.token]);
    assert.equal(prefill.missingImages, undefined);
  });

  it('restores every reference image of a request with several, in upload order', async () => {
    const a = await images.importBytes('a.png', PNG);
    const b = await images.importBytes('b.png', PNG);
    const own = path.join(dir, 'c.png');
    fs.writeFileSync(own, PNG);
    const request: TaskRequest = {
      ...base,
      inputReference: { path: a.path, name: 'a.png' },
      moreReferences: [{ path: b.path, name: 'b.png' }, { path: own, name: 'c.png' }],
    };
    const prefill = await regeneratePrefill(request, images, describe_);
    assert.deepEqual(prefill.images?.map((i) => i.fileName), ['a.png', 'b.png', 'c.png']);
    assert.deepEqual(prefill.images?.slice(0, 2).map((i) => i.token), [a.token, b.token]);
    assert.equal(prefill.missingImages, undefined);
  });

  it('a request sent by command with a file of its own: a fresh copy of that file', async () => {
    const own = path.join(dir, 'mine.png');
    fs.writeFileSync(own, PNG);
    const prefill = await regeneratePrefill({ ...base, inputReference: { path: own, name: 'mine.png' } }, images, describe_);
    const image = prefill.images?.[0];
    assert.equal(image?.fileName, 'mine.png');
    assert.ok(image && images.tokenOf((await images.find(image.token))!.path));
  });

  it('a request without an image clears the form\'s images (empty list), so none from another request is sent', async () => {
    const prefill = await regeneratePrefill(base, images, describe_);
    assert.deepEqual(prefill.images, []);
  });

  it('images that are gone are named, the others kept, so the form says so before anything is sent', async () => {
    const stored = await images.importBytes('gone.png', PNG);
    await images.discard(stored.token);
    const fromStore = await regeneratePrefill({ ...base, inputReference: { path: stored.path, name: 'gone.png' } }, images, describe_);
    assert.deepEqual(fromStore.images, []);
    assert.deepEqual(fromStore.missingImages, ['gone.png']);
    const kept = await images.importBytes('kept.png', PNG);
    const mixed = await regeneratePrefill({
      ...base,
      inputReference: { path: kept.path, name: 'kept.png' },
      moreReferences: [{ path: path.join(dir, 'deleted.png'), name: 'deleted.png' }],
    }, images, describe_);
    assert.deepEqual(mixed.images?.map((i) => i.fileName), ['kept.png']);
    assert.deepEqual(mixed.missingImages, ['deleted.png']);
  });

  it('a saved record names its images (flagged as needed) or clears the form\'s images', () => {
    const record = { schema: 'seedance-studio.video', prompt: 'p', model: 'doubao-seedance-2-0' };
    assert.deepEqual(prefillFromRecord(JSON.stringify({ ...record, inputReference: { name: 'cat.png' } }), 'r.json').missingImages, ['cat.png']);
    const several = prefillFromRecord(JSON.stringify({ ...record, inputReference: { name: 'cat.png' }, moreReferences: [{ name: 'dog.png' }, { nope: 1 }] }), 'r.json');
    assert.deepEqual(several.missingImages, ['cat.png', 'dog.png']);
    assert.deepEqual(several.images, []);
    const none = prefillFromRecord(JSON.stringify(record), 'r.json');
    assert.deepEqual(none.images, []);
    assert.equal(none.missingImages, undefined);
  });
});
