// The Generate panel's reference-image copies: what the webview sends or the person picks is checked by
// content and size before a copy exists, tokens never reach outside the store's folder, and a copy keeps
// its original file name (the upload and the metadata record use it).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_REFERENCE_IMAGE_BYTES } from '../../src/core/catalog';
import { ReferenceImageError, ReferenceImageStore } from '../../src/vscode/panel/referenceImageStore';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);

describe('panel reference-image store', () => {
  let dir: string;
  let store: ReferenceImageStore;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refimg-'));
    store = new ReferenceImageStore(path.join(dir, 'store'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stores dropped bytes under a token, keeping the original name, and finds them again', async () => {
    const stored = await store.importBytes('fox in snow.png', PNG);
    assert.match(stored.token, /^[0-9a-f-]{36}$/);
    assert.equal(path.basename(stored.path), 'fox in snow.png');
    assert.equal(path.dirname(stored.path), path.join(store.root, stored.token));
    assert.equal(stored.contentType, 'image/png');
    assert.equal(stored.byteLength, PNG.byteLength);
    assert.deepEqual([...stored.head], [...PNG]);
    const found = await store.find(stored.token);
    assert.equal(found?.path, stored.path);
    assert.equal(store.tokenOf(stored.path), stored.token);
  });

  it('refuses bytes that are not JPEG, PNG or WebP, whatever the name says, and writes nothing', async () => {
    const gif = new TextEncoder().encode('GIF89a......');
    await assert.rejects(store.importBytes('photo.png', gif), (e: unknown) =>
      e instanceof ReferenceImageError && /not a JPEG, PNG or WebP image/.test(e.message));
    await assert.rejects(store.importBytes('empty.png', new Uint8Array()), ReferenceImageError);
    assert.equal(fs.existsSync(store.root) ? fs.readdirSync(store.root).length : 0, 0);
  });

  it('refuses an image over the catalogue limit', async () => {
    const big = new Uint8Array(MAX_REFERENCE_IMAGE_BYTES + 1);
    big.set(JPEG);
    await assert.rejects(store.importBytes('big.jpg', big), /at most 30 MB/);
  });

  it('imports a picked file by content and reports a wrong one in words', async () => {
    const good = path.join(dir, 'picked.jpg');
    fs.writeFileSync(good, JPEG);
    const stored = await store.importFile(good);
    assert.equal(stored.fileName, 'picked.jpg');
    assert.equal(stored.contentType, 'image/jpeg');
    assert.notEqual(stored.path, good, 'a copy, so the thumbnail can be served from one narrow root');

    const text = path.join(dir, 'notes.png');
    fs.writeFileSync(text, 'not an image at all');
    await assert.rejects(store.importFile(text), (e: unknown) => e instanceof ReferenceImageError && /notes\.png/.test(e.message));
    await assert.rejects(store.importFile(path.join(dir, 'missing.png')), /does not exist/);
  });

  it('treats malformed tokens as unknown and never touches anything outside its folder', async () => {
    const outside = path.join(dir, 'keep.txt');
    fs.writeFileSync(outside, 'x');
    for (const token of ['..', '../keep.txt', '/etc', '', 'ABCDEF00-0000-0000-0000-000000000000']) {
      assert.equal(await store.find(token), undefined);
      await store.discard(token);
    }
    assert.ok(fs.existsSync(outside));
    assert.equal(store.tokenOf(outside), undefined);
  });

  it('discards a copy, and sweeps old ones except those still in use', async () => {
    const a = await store.importBytes('a.png', PNG);
    const b = await store.importBytes('b.png', PNG);
    const c = await store.importBytes('c.png', PNG);
    await store.discard(a.token);
    assert.equal(await store.find(a.token), undefined);
    const later = Date.now() + 10 * 24 * 60 * 60 * 1000;
    await store.sweep(7 * 24 * 60 * 60 * 1000, later, new Set([c.token]));
    assert.equal(await store.find(b.token), undefined);
    assert.ok(await store.find(c.token));
  });
});
