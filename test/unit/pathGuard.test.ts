import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isInside as lexicallyInside } from '../../src/core/files/pathContainment';
import { GenerationInputError, prepareGeneration } from '../../src/core/generationArgs';
import {
  assertInsideRoot,
  checkReferenceImage,
  PathGuardError,
  readReferenceImage,
  resolveOutputFolder,
} from '../../src/core/files/pathGuard';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 4]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);

function rejectsWith(problem: string, pattern?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof PathGuardError, `expected PathGuardError, got ${String(error)}`);
    assert.equal(error.problem, problem, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

describe('path guard: output folder', () => {
  let root: string;
  let workspace: string;
  let outside: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'seedance-guard-'));
    workspace = path.join(root, 'workspace');
    outside = path.join(root, 'outside');
    await fs.mkdir(path.join(workspace, 'existing', 'deeper'), { recursive: true });
    await fs.mkdir(outside);
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('resolves relative folders inside the workspace, existing or not', async () => {
    const videos = await resolveOutputFolder(workspace, 'videos');
    assert.equal(videos.path, path.join(workspace, 'videos'));
    assert.equal(videos.relative, 'videos');
    assert.equal(videos.exists, false);
    const deeper = await resolveOutputFolder(workspace, ' existing/deeper/../deeper ');
    assert.equal(deeper.path, path.join(workspace, 'existing', 'deeper'));
    assert.equal(deeper.exists, true);
    const self = await resolveOutputFolder(workspace, '');
    assert.equal(self.path, path.resolve(workspace));
    assert.equal(self.relative, '');
    const absoluteInside = await resolveOutputFolder(workspace, path.join(workspace, 'clips'));
    assert.equal(absoluteInside.relative, 'clips');
  });

  it('refuses "..", absolute paths elsewhere and "~", saying what to do', async () => {
    await assert.rejects(resolveOutputFolder(workspace, '../outside'), rejectsWith('outsideWorkspace', /outside the workspace folder.*videos/));
    await assert.rejects(resolveOutputFolder(workspace, 'videos/../../outside'), rejectsWith('outsideWorkspace'));
    await assert.rejects(resolveOutputFolder(workspace, outside), rejectsWith('outsideWorkspace'));
    await assert.rejects(resolveOutputFolder(workspace, '/etc'), rejectsWith('outsideWorkspace'));
    await assert.rejects(resolveOutputFolder(workspace, '~/Videos'), rejectsWith('outsideWorkspace', /not expanded/));
    // A sibling whose name starts like the workspace is still outside.
    await fs.mkdir(workspace + '-evil');
    await assert.rejects(resolveOutputFolder(workspace, '../workspace-evil'), rejectsWith('outsideWorkspace'));
  });

  it('refuses a symlink inside the workspace that points outside, even for a folder not created yet', async () => {
    await fs.symlink(outside, path.join(workspace, 'link-out'), 'dir');
    await assert.rejects(resolveOutputFolder(workspace, 'link-out'), rejectsWith('outsideWorkspace', /symbolic link/));
    await assert.rejects(resolveOutputFolder(workspace, 'link-out/new/videos'), rejectsWith('outsideWorkspace', /symbolic link/));
  });

  it('accepts a symlink that stays inside the workspace', async () => {
    await fs.symlink(path.join(workspace, 'existing'), path.join(workspace, 'link-in'), 'dir');
    const resolved = await resolveOutputFolder(workspace, 'link-in/videos');
    assert.equal(resolved.path, path.join(workspace, 'link-in', 'videos'));
  });

  it('works when the workspace itself is reached through a symlink', async () => {
    const alias = path.join(root, 'alias');
    await fs.symlink(workspace, alias, 'dir');
    const resolved = await resolveOutputFolder(alias, 'videos');
    assert.equal(resolved.path, path.join(alias, 'videos'));
  });

  it('refuses a dangling symlink on the way', async () => {
    await fs.symlink(path.join(outside, 'not-yet'), path.join(workspace, 'dangling'), 'dir');
    await assert.rejects(resolveOutputFolder(workspace, 'dangling/videos'), rejectsWith('outsideWorkspace', /does not exist/));
  });

  it('refuses a file where the folder should be', async () => {
    await fs.writeFile(path.join(workspace, 'videos'), 'not a folder');
    await assert.rejects(resolveOutputFolder(workspace, 'videos'), rejectsWith('notADirectory', /is a file/));
  });

  it('checks final file paths too (for the downloader, just before writing)', async () => {
    await fs.symlink(outside, path.join(workspace, 'link-out'), 'dir');
    await assertInsideRoot(workspace, path.join(workspace, 'videos', 'a.mp4'));
    await assert.rejects(assertInsideRoot(workspace, path.join(workspace, 'link-out', 'a.mp4')), rejectsWith('outsideWorkspace'));
    assert.equal(lexicallyInside(workspace, path.join(workspace, 'a')), true);
    assert.equal(lexicallyInside(workspace, workspace + '-evil'), false);
  });
});

describe('path guard: reference image', () => {
  let root: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'seedance-image-'));
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('accepts a real image by its bytes, whatever its name, and reads exactly that file', async () => {
    const file = path.join(root, 'photo.jpg'); // a PNG named .jpg is still a PNG
    await fs.writeFile(file, PNG);
    const checked = await checkReferenceImage(file);
    assert.equal(checked.contentType, 'image/png');
    assert.equal(checked.byteLength, PNG.byteLength);
    assert.equal(checked.fileName, 'photo.jpg');
    assert.equal(checked.realPath, await fs.realpath(file));
    const read = await readReferenceImage(file);
    assert.deepEqual([...read.data], [...PNG]);
    assert.equal(read.contentType, 'image/png');
  });

  it('follows a symlink to its real path', async () => {
    const file = path.join(root, 'real.jpeg');
    await fs.writeFile(file, JPEG);
    const link = path.join(root, 'link.jpeg');
    await fs.symlink(file, link);
    const checked = await checkReferenceImage(link);
    assert.equal(checked.realPath, await fs.realpath(file));
    assert.equal(checked.fileName, 'link.jpeg');
    assert.equal(checked.contentType, 'image/jpeg');
  });

  it('refuses what is not a usable image, with clear words', async () => {
    const text = path.join(root, 'fake.png');
    await fs.writeFile(text, 'this is not an image at all');
    await assert.rejects(checkReferenceImage(text), rejectsWith('notAnImage', /not a JPEG, PNG or WebP/));
    const empty = path.join(root, 'empty.png');
    await fs.writeFile(empty, '');
    await assert.rejects(checkReferenceImage(empty), rejectsWith('emptyFile'));
    await assert.rejects(checkReferenceImage(path.join(root, 'missing.png')), rejectsWith('notFound', /does not exist/));
    await assert.rejects(checkReferenceImage(root), rejectsWith('notAFile'));
    const big = path.join(root, 'big.png');
    await fs.writeFile(big, Buffer.concat([Buffer.from(PNG), Buffer.alloc(2048)]));
    await assert.rejects(checkReferenceImage(big, { maxBytes: 1024 }), rejectsWith('tooLarge', /is 3 KB; reference images must be at most 1 KB/));
    await assert.rejects(readReferenceImage(big, { maxBytes: 1024 }), rejectsWith('tooLarge'));
  });

  it('can restrict images to given folders (for paths that came from the webview)', async () => {
    const inside = path.join(root, 'in');
    const other = path.join(root, 'other');
    await fs.mkdir(inside);
    await fs.mkdir(other);
    await fs.writeFile(path.join(other, 'x.png'), PNG);
    await fs.symlink(path.join(other, 'x.png'), path.join(inside, 'sneaky.png'));
    await assert.rejects(checkReferenceImage(path.join(inside, 'sneaky.png'), { allowedRoots: [inside] }), rejectsWith('outsideWorkspace'));
    await fs.writeFile(path.join(inside, 'ok.png'), PNG);
    const ok = await checkReferenceImage(path.join(inside, 'ok.png'), { allowedRoots: [inside] });
    assert.equal(ok.contentType, 'image/png');
  });
});


describe('containment of reference images for agents and storyboards (issue 17)', () => {
  it('a folder whose name starts with ".." is inside; ".." itself and what is above are not', async () => {
    const root = path.resolve('/work/space');
    assert.equal(lexicallyInside(root, path.join(root, '..videos', 'a.png')), true);
    assert.equal(lexicallyInside(root, path.join(root, '...', 'a.png')), true);
    assert.equal(lexicallyInside(root, path.join(root, '..', 'a.png')), false);
    assert.equal(lexicallyInside(root, path.resolve('/elsewhere/a.png')), false);
  });

  it('prepareGeneration with imageRoots refuses an image outside every root (symlinks resolved) and reads one inside', async () => {
    const base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'seedance-roots-')));
    const inside = path.join(base, 'ws');
    const outside = path.join(base, 'outside');
    await fs.mkdir(path.join(inside, '..videos'), { recursive: true });
    await fs.mkdir(outside, { recursive: true });
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    await fs.writeFile(path.join(inside, '..videos', 'in.png'), png);
    await fs.writeFile(path.join(outside, 'out.png'), png);
    await fs.symlink(path.join(outside, 'out.png'), path.join(inside, 'link.png'));
    const defaults = { model: 'doubao-seedance-2-0', seconds: 5, size: '16:9', resolution: '720p' };
    const options = { baseDir: inside, imageRoots: [inside] };
    const ok = await prepareGeneration({ prompt: 'p', inputReference: '..videos/in.png' }, defaults, options);
    assert.equal(ok.uploads.length, 1);
    for (const ref of [path.join(outside, 'out.png'), '../outside/out.png', 'link.png']) {
      await assert.rejects(prepareGeneration({ prompt: 'p', inputReference: ref }, defaults, options), (e: Error) => {
        assert.ok(e instanceof GenerationInputError, String(e));
        assert.match(e.message, /outside the workspace folders/);
        return true;
      });
    }
    // Without imageRoots (a person's pick, another extension) any readable image is accepted.
    assert.equal((await prepareGeneration({ prompt: 'p', inputReference: path.join(outside, 'out.png') }, defaults, { baseDir: inside })).uploads.length, 1);
    await fs.rm(base, { recursive: true, force: true });
  });
});
