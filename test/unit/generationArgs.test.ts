import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  applyDefaults, GenerationInputError, isGenerateArgsLike, parseGenerateArgs, prepareGeneration, referencePathFrom,
  type GenerationDefaults,
} from '../../src/core/generationArgs';

const defaults: GenerationDefaults = { model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3]);

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<GenerationInputError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GenerationInputError, `expected GenerationInputError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('generation arguments', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seedance-args-'));
    await fs.writeFile(path.join(dir, 'ref.png'), PNG);
    await fs.writeFile(path.join(dir, 'notes.png'), 'just text, not an image');
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('takes several reference images as an array, in order, and refuses an empty array, ten, or a non-string', async () => {
    await fs.writeFile(path.join(dir, 'second.png'), PNG);
    const prepared = await prepareGeneration({ prompt: '[Image 1] meets [Image 2]', inputReference: [path.join(dir, 'ref.png'), path.join(dir, 'second.png')] }, defaults);
    assert.deepEqual(prepared.uploads.map((u) => u.fileName), ['ref.png', 'second.png']);
    assert.equal(prepared.request.inputReference?.name, 'ref.png');
    assert.deepEqual(prepared.request.moreReferences?.map((r) => r.name), ['second.png']);
    await rejectsWith(prepareGeneration({ prompt: 'x', inputReference: [] }, defaults), /empty array/);
    await rejectsWith(prepareGeneration({ prompt: 'x', inputReference: Array(10).fill(path.join(dir, 'ref.png')) }, defaults), /At most 9 reference images/);
    await rejectsWith(prepareGeneration({ prompt: 'x', inputReference: [path.join(dir, 'ref.png'), 3] }, defaults), /array of strings/);
    await rejectsWith(prepareGeneration({ prompt: 'x', inputReference: [path.join(dir, 'ref.png'), path.join(dir, 'notes.png')] }, defaults), /"notes\.png" is not a JPEG, PNG or WebP image/);
  });

  it('takes 2.0 Mini and 2.5 under either request shape setting (they are always sent WxH)', async () => {
    for (const shape of ['ratio', 'wxh'] as const) {
      for (const model of ['doubao-seedance-2-0-mini', 'seedance-2-5']) {
        const ok = await prepareGeneration({ prompt: 'x', model }, defaults, { context: { shape } });
        assert.equal(ok.request.model, model);
      }
    }
  });

  it('recognizes the argument object', () => {
    assert.equal(isGenerateArgsLike({ prompt: 'x' }), true);
    assert.equal(isGenerateArgsLike(undefined), false);
    assert.equal(isGenerateArgsLike({ localId: 'x' }), false);
  });

  it('names unknown and mistyped fields', () => {
    assert.throws(() => parseGenerateArgs({ prompt: 'x', duration: 5 }), /Unknown field "duration"/);
    assert.throws(() => parseGenerateArgs({ prompt: 'x', seconds: 'five' }), /"seconds" must be a whole number/);
    assert.throws(() => parseGenerateArgs({ prompt: 42 }), /"prompt" must be a string/);
    assert.throws(() => parseGenerateArgs('a fox'), /Pass an object/);
    assert.equal(parseGenerateArgs({ prompt: 'x', seconds: '6' }).seconds, 6);
  });

  it('fills left-out fields from the defaults, fitted to the chosen model', () => {
    const draft = applyDefaults({ prompt: '  a fox  ', model: 'seedance-2-5' }, { ...defaults, seconds: 15, size: '9:16', resolution: '1080p' });
    assert.deepEqual(draft, { prompt: 'a fox', model: 'seedance-2-5', seconds: 15, size: '16:9', resolution: '720p' });
  });

  it('never changes a value the caller gave: it is validated instead', async () => {
    await rejectsWith(prepareGeneration({ prompt: 'a fox', model: 'doubao-seedance-2-0', seconds: 30 }, defaults), /4 to 15 seconds; you asked for 30/);
    await rejectsWith(prepareGeneration({ prompt: 'a fox', model: 'seedance-2-5', seconds: 31 }, defaults), /4 to 30 seconds; you asked for 31/);
    await rejectsWith(prepareGeneration({ prompt: 'a fox', resolution: '1080p' }, defaults), /supports 480p and 720p, not 1080p/);
    await rejectsWith(prepareGeneration({ prompt: '   ' }, defaults), /Write a prompt/);
    await rejectsWith(prepareGeneration({ prompt: 'a fox', model: 'sora-2' }, defaults), /not a Seedance model/);
  });

  it('reads a reference image by path or file: URI and checks it by content', async () => {
    const byPath = await prepareGeneration({ prompt: 'a fox', inputReference: path.join(dir, 'ref.png') }, defaults);
    assert.equal(byPath.upload?.contentType, 'image/png');
    assert.equal(byPath.request.inputReference?.name, 'ref.png');
    assert.equal(byPath.request.inputReference?.path, await fs.realpath(path.join(dir, 'ref.png')));
    const byUri = await prepareGeneration({ prompt: 'a fox', inputReference: pathToFileURL(path.join(dir, 'ref.png')).href }, defaults);
    assert.equal(byUri.upload?.data.byteLength, PNG.byteLength);
    const relative = await prepareGeneration({ prompt: 'a fox', inputReference: 'ref.png' }, defaults, { baseDir: dir });
    assert.equal(relative.upload?.fileName, 'ref.png');
  });

  it('refuses a retired model, from the arguments or the default, naming the date and the replacement', async () => {
    await rejectsWith(prepareGeneration({ prompt: 'a fox', model: 'doubao-seedance-1-0-pro' }, defaults), /retired by CometAPI on 2026-07-17; use Seedance 2\.0 \(doubao-seedance-2-0\) or Seedance 2\.0 Fast/);
    await rejectsWith(prepareGeneration({ prompt: 'a fox' }, { ...defaults, model: 'doubao-seedance-1-5-pro' }), /retired by CometAPI on 2026-11-11; use Seedance 2\.5 \(seedance-2-5\)/);
  });

  it('refuses images that are not images, missing files, remote URIs and retired text-only models', async () => {
    await rejectsWith(prepareGeneration({ prompt: 'a fox', inputReference: path.join(dir, 'notes.png') }, defaults), /not a JPEG, PNG or WebP/);
    await rejectsWith(prepareGeneration({ prompt: 'a fox', inputReference: path.join(dir, 'missing.png') }, defaults), /does not exist/);
    await rejectsWith(prepareGeneration({ prompt: 'a fox', inputReference: 'https://example.com/a.png' }, defaults), /local file path/);
    await rejectsWith(prepareGeneration({ prompt: 'a fox', model: 'doubao-seedance-1-5-pro', inputReference: path.join(dir, 'ref.png') }, defaults), /retired/);
    assert.throws(() => referencePathFrom('ref.png', undefined), /no folder is open/);
  });
});
