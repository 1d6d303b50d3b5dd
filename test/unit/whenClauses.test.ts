// Two `when` rules of package.json, read through the evaluator the menu integration test uses
// (test/integration/whenClause.ts): the welcome view waits until the API key has been read (no flash of
// "Set API Key" at someone whose key is stored), and "Generate Again from Record" is offered on the records
// the extension writes beside its videos and not on other JSON.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateWhen } from '../integration/whenClause';

interface Manifest {
  contributes: {
    viewsWelcome: { view: string; contents: string; when: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
}
const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

describe('package.json when clauses', () => {
  describe('the Seedance view welcome', () => {
    const shown = (context: { known?: boolean; hasKey?: boolean }) =>
      manifest.contributes.viewsWelcome
        .filter((w) => w.view === 'seedance.tasks')
        .filter((w) => evaluateWhen(w.when, { 'seedance.apiKeyKnown': context.known, 'seedance.hasApiKey': context.hasKey }))
        .map((w) => w.contents);

    it('before the key is read (or before activation): neither "Set API Key" nor "Generate Video"', () => {
      assert.deepEqual(shown({}), []);
      // The key context is set before the "known" one, so this state shows nothing either.
      assert.deepEqual(shown({ hasKey: false }), []);
    });

    it('known absent: Set API Key; known present: Generate Video', () => {
      assert.deepEqual(shown({ known: true, hasKey: false }), ['%viewsWelcome.tasks.noApiKey%']);
      assert.deepEqual(shown({ known: true, hasKey: true }), ['%viewsWelcome.tasks.noVideos%']);
    });
  });

  describe('Generate Again from Record', () => {
    const where = (menu: string) => manifest.contributes.menus[menu].filter((m) => m.command === 'seedance.generateFromRecord');
    const offered = (menu: string, fileName: string) =>
      where(menu).some((m) => evaluateWhen(m.when ?? 'true', { resourceFilename: fileName, resourceExtname: path.extname(fileName) }));

    it('is in the Explorer context menu and the editor title of a record', () => {
      assert.equal(where('explorer/context').length, 1);
      assert.equal(where('editor/title').length, 1);
    });

    for (const menu of ['explorer/context', 'editor/title']) {
      it(`${menu}: matches the names records get, not other JSON or the video`, () => {
        const records = ['2026-11-24_1530_a-slow-cinematic-camera-push.json', '2026-11-24_1530_a-slow-cinematic-camera-push-2.json',
          '2027-01-02_0905_video.json'];
        for (const record of records) {
          assert.ok(offered(menu, record), record);
        }
        const others = ['package.json', 'tsconfig.json', 'settings.json', '2026-11-24_1530_a-slow-cinematic-camera-push.mp4', 'launch.json',
          'seedance-2026.json', '2026-11-24.json', '2026-11-24_1530_Notes.json'];
        for (const other of others) {
          assert.ok(!offered(menu, other), other);
        }
      });
    }

    it('the command palette offers it for any open JSON (a record saved with Save As keeps the name picked)', () => {
      assert.ok(offered('commandPalette', 'clip.json'));
      assert.ok(!offered('commandPalette', 'clip.mp4'));
    });
  });
});
