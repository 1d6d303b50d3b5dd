// The one rule for "which workspace folder" (src/core/workspaceFolder.ts), with POSIX and Windows paths.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { folderHolding, homeFolder, localFolders, type FolderLike } from '../../src/core/workspaceFolder';

const folder = (name: string, fsPath: string, scheme = 'file') => ({ name, uri: { scheme, fsPath } }) satisfies FolderLike & { name: string };

describe('which workspace folder (one rule, issue 22)', () => {
  it('home: the first folder on the local disk, in VS Code\'s order; none without one', () => {
    const remote = folder('remote', '/r', 'vscode-vfs');
    const a = folder('a', '/home/ana/a');
    const b = folder('b', '/home/ana/b');
    assert.equal(homeFolder([remote, a, b]), a);
    assert.equal(homeFolder([b, a]), b);
    assert.equal(homeFolder([remote]), undefined);
    assert.equal(homeFolder(undefined), undefined);
    assert.deepEqual(localFolders([remote, a, b]), [a, b]);
  });

  it('the folder holding a file: the innermost local one; "..videos" inside; none outside (POSIX)', () => {
    const outer = folder('outer', '/home/ana/film');
    const inner = folder('inner', '/home/ana/film/shorts');
    const virtual = folder('virtual', '/home/ana/film/shorts/x', 'vscode-vfs');
    const folders = [outer, inner, virtual];
    assert.equal(folderHolding(folders, '/home/ana/film/..videos/a.mp4', path.posix), outer);
    assert.equal(folderHolding(folders, '/home/ana/film/shorts/x/a.mp4', path.posix), inner, 'innermost local; a virtual folder holds no disk file');
    assert.equal(folderHolding(folders, '/home/ana/film', path.posix), outer, 'the folder itself');
    assert.equal(folderHolding(folders, '/home/ana/film/../a.mp4', path.posix), undefined);
    assert.equal(folderHolding(folders, '/home/ana/filmography/a.mp4', path.posix), undefined);
  });

  it('the folder holding a file on Windows: case-insensitive, another drive is outside', () => {
    const w = path.win32;
    const film = folder('film', 'C:\\Users\\Ana\\Film');
    const shorts = folder('shorts', 'C:\\Users\\Ana\\Film\\Shorts');
    assert.equal(folderHolding([shorts, film], 'c:\\users\\ana\\film\\..videos\\a.mp4', w), film);
    assert.equal(folderHolding([film, shorts], 'C:\\USERS\\ANA\\FILM\\SHORTS\\a.mp4', w), shorts);
    assert.equal(folderHolding([film, shorts], 'D:\\Users\\Ana\\Film\\a.mp4', w), undefined);
    assert.equal(folderHolding([film], 'C:\\Users\\Ana\\Film\\..\\a.mp4', w), undefined);
  });
});
