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

  it('refuses 2.0 Mini in the ratio request shape (nothing sent), and takes it in the wxh shape', async () => {
    await rejectsWith(prepareGeneration({ prompt: 'x', model: 'doubao-seedance-2-0-mini' }, defaults, { context: { shape: 'ratio' } }), /seedance\.requestShape/);
    const ok = await prepareGeneration({ prompt: 'x', model: 'doubao-seedance-2-0-mini' }, defaults, { context: { shape: 'wxh' } });
    assert.equal(ok.request.model, 'doubao-seedance-2-0-mini');
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
    const draft = applyDefaults({ prompt: '  a fox  ', model: 'doubao-seedance-1-0-pro' }, { ...defaults, seconds: 15, resolution: '720p' });
    assert.deepEqual(draft, { prompt: 'a fox', model: 'doubao-seedance-1-0-pro', seconds: 10, size: '16:9', resolution: '720p' });
  });

  it('never changes a value the caller gave: it is validated instead', async () => {
    await rejectsWith(prepareGeneration({ prompt: 'a fox', model: 'doubao-seedance-1-0-pro', seconds: 15 }, defaults), /2 to 10 seconds; you asked for 15/);
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

  it('refuses images that are not images, missing files, remote URIs and text-only models', async () => {
    await rejectsWith(prepareGeneration({ prompt: 'a fox', inputReference: path.join(dir, 'notes.png') }, defaults), /not a JPEG, PNG or WebP/);
    await rejectsWith(prepareGeneration({ prompt: 'a fox', inputReference: path.join(dir, 'missing.png') }, defaults), /does not exist/);
    await rejectsWith(prepareGeneration({ prompt: 'a fox', inputReference: 'https://example.com/a.png' }, defaults), /local file path/);
    await rejectsWith(prepareGeneration({ prompt: 'a fox', model: 'doubao-seedance-1-5-pro', inputReference: path.join(dir, 'ref.png') }, defaults), /text only/);
    assert.throws(() => referencePathFrom('ref.png', undefined), /no folder is open/);
  });
});
