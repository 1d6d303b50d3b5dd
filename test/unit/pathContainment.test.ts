// The one rule for "is this path inside that folder" (src/core/files/pathContainment.ts), on POSIX and on
// Windows paths whatever machine runs the tests.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathForAgent } from '../../src/core/agentTools/taskView';
import { isInside, relativeInside } from '../../src/core/files/pathContainment';

describe('path containment (one rule, issue 22)', () => {
  describe('POSIX', () => {
    const p = path.posix;
    const root = '/home/ana/film';

    it('a folder named "..videos" (or "...") is inside; ".." and what is above are not', () => {
      assert.equal(relativeInside(root, '/home/ana/film/..videos/a.mp4', p), '..videos/a.mp4');
      assert.equal(relativeInside(root, '/home/ana/film/.../a.mp4', p), '.../a.mp4');
      assert.equal(isInside(root, '/home/ana/film/../x', p), false);
      assert.equal(isInside(root, '/home/ana/x', p), false);
      assert.equal(isInside(root, '/home/ana', p), false);
    });

    it('the folder itself is inside (as ""); a sibling with the same prefix is not', () => {
      assert.equal(relativeInside(root, root, p), '');
      assert.equal(relativeInside(root, `${root}/`, p), '');
      assert.equal(isInside(root, '/home/ana/film-evil/a.mp4', p), false);
      assert.equal(isInside(root, '/home/ana/filmography', p), false);
    });

    it('resolves before comparing and answers with "/" separators', () => {
      assert.equal(relativeInside(root, '/home/ana/film/videos/../takes/b.mp4', p), 'takes/b.mp4');
      assert.equal(relativeInside(`${root}/`, '/home/ana/film/a/b/c.png', p), 'a/b/c.png');
    });

    it('is case-sensitive, as POSIX file systems are', () => {
      assert.equal(isInside(root, '/home/ana/Film/a.mp4', p), false);
    });

    it('a backslash is part of a POSIX name, not a separator', () => {
      assert.equal(relativeInside(root, '/home/ana/film/..\\x', p), '..\\x');
    });
  });

  describe('Windows', () => {
    const w = path.win32;
    const root = 'C:\\Users\\Ana\\Film';

    it('a folder named "..videos" is inside; "..\\x" is not', () => {
      assert.equal(relativeInside(root, 'C:\\Users\\Ana\\Film\\..videos\\a.mp4', w), '..videos/a.mp4');
      assert.equal(isInside(root, 'C:\\Users\\Ana\\Film\\..\\x', w), false);
      assert.equal(isInside(root, 'C:\\Users\\Ana\\x.mp4', w), false);
    });

    it('the folder itself is inside; a sibling with the same prefix is not', () => {
      assert.equal(relativeInside(root, root, w), '');
      assert.equal(relativeInside(root, 'C:\\Users\\Ana\\Film\\', w), '');
      assert.equal(isInside(root, 'C:\\Users\\Ana\\Filmography\\a.mp4', w), false);
    });

    it('ignores case (drive letter and names), as Windows does', () => {
      assert.equal(relativeInside(root, 'c:\\users\\ana\\film\\Videos\\a.mp4', w), 'Videos/a.mp4');
      assert.equal(relativeInside('c:\\users\\ana\\film', 'C:\\Users\\Ana\\Film\\..videos\\a.mp4', w), '..videos/a.mp4');
    });

    it('another drive is outside, even with the same folder names', () => {
      assert.equal(isInside(root, 'D:\\Users\\Ana\\Film\\a.mp4', w), false);
    });

    it('accepts forward slashes and UNC shares', () => {
      assert.equal(relativeInside(root, 'C:/Users/Ana/Film/takes/a.mp4', w), 'takes/a.mp4');
      assert.equal(relativeInside('\\\\server\\share\\film', '\\\\server\\share\\film\\..videos\\a.mp4', w), '..videos/a.mp4');
      assert.equal(isInside('\\\\server\\share\\film', '\\\\server\\other\\film\\a.mp4', w), false);
    });
  });

  it('pathForAgent (language model tools and the MCP server): relative inside, absolute outside and for the folder itself', () => {
    const root = path.resolve('/work/space');
    assert.equal(pathForAgent(root, path.join(root, '..videos', 'a.mp4')), '..videos/a.mp4', 'was reported as absolute before issue 22');
    assert.equal(pathForAgent(root, path.join(root, 'videos', 'a.mp4')), 'videos/a.mp4');
    assert.equal(pathForAgent(root, path.resolve('/elsewhere/a.mp4')), path.resolve('/elsewhere/a.mp4'));
    assert.equal(pathForAgent(root, root), root);
    assert.equal(pathForAgent(undefined, '/x/a.mp4'), '/x/a.mp4');
    assert.equal(pathForAgent(root, undefined), undefined);
  });
});
