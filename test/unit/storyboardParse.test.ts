import * as assert from 'node:assert/strict';
import { MODELS } from '../../src/core/catalog';
import { applyEdits, setShotSetting } from '../../src/core/storyboard/edits';
import { findShot, parseStoryboard, shotKey } from '../../src/core/storyboard/parse';
import { resolveStoryboard } from '../../src/core/storyboard/rules';
import type { GenerationDefaults } from '../../src/core/generationArgs';

const defaults: GenerationDefaults = { model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };

const FILE = `---
title: The Lighthouse
model: doubao-seedance-2-0
seconds: 6
size: 16:9
---

Some notes before the first shot are not a shot.

## Dusk over the sea
<!-- shot id: dusk01 -->
A slow aerial push toward a lighthouse at dusk.

## The keeper climbs
<!-- shot
id: climb02
seconds: 8
resolution: 480p
continue: true
-->
The keeper climbs the spiral stairs, lantern in hand.
<!-- a note for the crew, not part of the prompt -->

## Light on
The lamp turns on.

\`\`\`
## not a shot (inside a fence)
\`\`\`
`;

/** Line and column (1-based) of an offset, to assert positions the way an editor shows them. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

describe('storyboard parser', () => {
  it('reads front matter, shots, titles, prompts (trimmed, comments removed) and overrides', () => {
    const board = parseStoryboard(FILE);
    assert.deepEqual(board.problems, []);
    assert.equal(board.defaults.title?.value, 'The Lighthouse');
    assert.equal(board.defaults.size?.value, '16:9', 'YAML 1.2: 16:9 stays a string');
    assert.deepEqual(board.shots.map((s) => s.title), ['Dusk over the sea', 'The keeper climbs', 'Light on']);
    assert.equal(board.shots[0].prompt, 'A slow aerial push toward a lighthouse at dusk.');
    assert.equal(board.shots[1].prompt, 'The keeper climbs the spiral stairs, lantern in hand.');
    assert.match(board.shots[2].prompt, /^The lamp turns on\.\n\n```\n## not a shot/);
    assert.equal(board.shots[1].settings.seconds?.value, 8);
    assert.equal(board.shots[1].settings.continue?.value, true);
    assert.deepEqual(board.shots.map(shotKey), ['dusk01', 'climb02', '#3']);
  });

  it('keeps a shot\'s identity when text above it changes and when shots are reordered', () => {
    const before = parseStoryboard(FILE);
    const edited = FILE.replace('Some notes before', 'Many more notes\n\nand paragraphs before').replace('A slow aerial push', 'A very slow aerial push');
    const after = parseStoryboard(edited);
    assert.equal(findShot(after, 'climb02')?.title, 'The keeper climbs');
    assert.notEqual(findShot(after, 'climb02')?.headingSpan.start, findShot(before, 'climb02')?.headingSpan.start);
    // Swap the first two shots.
    const a = FILE.indexOf('## Dusk'); const b = FILE.indexOf('## The keeper'); const c = FILE.indexOf('## Light on');
    const swapped = FILE.slice(0, a) + FILE.slice(b, c) + FILE.slice(a, b) + FILE.slice(c);
    const reordered = parseStoryboard(swapped);
    assert.deepEqual(reordered.shots.map((s) => s.id), ['climb02', 'dusk01', undefined]);
    assert.equal(findShot(reordered, 'dusk01')?.prompt, 'A slow aerial push toward a lighthouse at dusk.');
    // `#N` names only a shot without an id, so it can never point at another shot's takes.
    assert.equal(findShot(reordered, '#1'), undefined);
    assert.equal(findShot(reordered, '#3')?.title, 'Light on');
  });

  it('reports YAML errors and unknown keys at their positions', () => {
    const text = '---\nmodel: [a, b\n---\n## One\n<!-- shot\nsecnds: 6\n-->\nx\n';
    const board = parseStoryboard(text);
    const yaml = board.problems.find((p) => p.code === 'yaml');
    assert.ok(yaml, JSON.stringify(board.problems));
    assert.equal(lineCol(text, yaml.span.start).split(':')[0], '3', 'front matter error placed inside the front matter');
    const unknown = board.problems.find((p) => p.code === 'unknownKey');
    assert.ok(unknown);
    assert.equal(lineCol(text, unknown.span.start), '6:1');
    assert.equal(text.slice(unknown.span.start, unknown.span.end), 'secnds');
    assert.match(unknown.message, /Unknown key "secnds".*id, model, seconds/);
  });

  it('reports an unclosed shot comment and a second settings comment', () => {
    const text = '## One\n<!-- shot id: a -->\n<!-- shot seconds: 5 -->\nx\n## Two\n<!-- shot id: b\ny\n';
    const codes = parseStoryboard(text).problems.map((p) => p.code).sort();
    assert.deepEqual(codes, ['commentUnclosed', 'secondComment']);
  });

  it('checks shots against the catalogue, with positions and quick fixes', () => {
    const text = `---\nmodel: doubao-seedance-2-0\n---\n## A\n<!-- shot\nid: a\nseconds: 20\n-->\nwaves\n## B\n<!-- shot id: b\nmodel: nope -->\nx\n## C\n<!-- shot {id: c, continue: true} -->\n\n## D\n<!-- shot {id: a, resolution: 1080p, model: doubao-seedance-2-0-fast} -->\ny\n`;
    const resolved = resolveStoryboard(text, parseStoryboard(text), { defaults, baseDir: '/tmp' });
    const byCode = (code: string) => resolved.problems.filter((p) => p.code === code);
    const seconds = byCode('seconds')[0];
    assert.equal(text.slice(seconds.span.start, seconds.span.end), '20');
    assert.match(seconds.message, /4 to 15 seconds; you asked for 20/);
    assert.equal(applyEdits(text, [seconds.fixes![0].edit]).includes('seconds: 15'), true);
    const model = byCode('model')[0];
    assert.equal(text.slice(model.span.start, model.span.end), 'nope');
    assert.equal(model.fixes!.length, MODELS.length, 'one fix per model');
    assert.equal(byCode('prompt')[0].shotIndex, 2);
    // Every offered model takes reference images, so a continuation is never refused for its model.
    assert.equal(byCode('continueModel').length, 0);
    assert.equal(byCode('resolution')[0].fixes![0].title, 'Use 720p');
    assert.equal(byCode('duplicateId').length, 1);
    assert.equal(resolved.shots[0].model, 'doubao-seedance-2-0', 'front matter applies');
    assert.equal(resolved.shots[3].model, 'doubao-seedance-2-0-fast', 'shot overrides front matter');
  });

  it('flags a retired model (with the fix to its replacement) and a missing image file', () => {
    const text = '---\nmodel: doubao-seedance-1-0-pro\n---\n## A\n<!-- shot image: refs/a.png -->\nx\n';
    const resolved = resolveStoryboard(text, parseStoryboard(text), { defaults, baseDir: '/w', image: () => 'missing' });
    const codes = resolved.problems.map((p) => p.code).sort();
    assert.deepEqual(codes, ['imageMissing', 'model']);
    const model = resolved.problems.find((p) => p.code === 'model')!;
    assert.match(model.message, /retired by CometAPI on 2026-07-17/);
    assert.deepEqual(model.fixes!.map((f) => f.title), ['Use doubao-seedance-2-0 (Seedance 2.0)', 'Use doubao-seedance-2-0-fast (Seedance 2.0 Fast)']);
    assert.deepEqual(resolved.shots[0].imagePaths, ['/w/refs/a.png']);
    assert.equal(resolved.shots[0].args.inputReference, '/w/refs/a.png');
  });

  describe('"image:" as a list of paths (issue 13)', () => {
    const PNG_FACTS = (name: string) => ({
      fileName: name,
      byteLength: 100,
      head: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    });
    const lookup = (missing: string[] = [], notImage: string[] = []) => (p: string) => {
      const name = p.split('/').pop()!;
      if (missing.includes(name)) return 'missing' as const;
      if (notImage.includes(name)) return { fileName: name, byteLength: 10, head: new TextEncoder().encode('plain text!!') };
      return PNG_FACTS(name);
    };
    const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

    it('takes a flow list and a block list, in order, and sends them all', () => {
      const flow = '## A\n<!-- shot image: [refs/a.png, refs/b.png] -->\nx\n';
      const block = '## A\n<!-- shot\nimage:\n  - refs/a.png\n  - refs/b.png\n  - c.png\n-->\nx\n';
      const one = resolveStoryboard(flow, parseStoryboard(flow), { defaults, baseDir: '/w', image: lookup() });
      assert.deepEqual(one.problems, []);
      assert.deepEqual(one.shots[0].imagePaths, ['/w/refs/a.png', '/w/refs/b.png']);
      assert.deepEqual(one.shots[0].args.inputReference, ['/w/refs/a.png', '/w/refs/b.png']);
      const two = resolveStoryboard(block, parseStoryboard(block), { defaults, baseDir: '/w', image: lookup() });
      assert.deepEqual(two.problems, []);
      assert.deepEqual(two.shots[0].args.inputReference, ['/w/refs/a.png', '/w/refs/b.png', '/w/c.png']);
    });

    it('names the missing or wrong path at its own line', () => {
      const text = '## A\n<!-- shot\nimage:\n  - refs/a.png\n  - refs/gone.png\n  - notes.png\n-->\nx\n';
      const resolved = resolveStoryboard(text, parseStoryboard(text), { defaults, baseDir: '/w', image: lookup(['gone.png'], ['notes.png']) });
      const missing = resolved.problems.find((p) => p.code === 'imageMissing');
      assert.ok(missing, JSON.stringify(resolved.problems));
      assert.equal(text.slice(missing.span.start, missing.span.end), 'refs/gone.png');
      assert.equal(lineOf(text, missing.span.start), 5);
      assert.match(missing.message, /"refs\/gone\.png"/);
      const wrong = resolved.problems.find((p) => p.code === 'image');
      assert.ok(wrong);
      assert.equal(text.slice(wrong.span.start, wrong.span.end), 'notes.png');
      assert.match(wrong.message, /"notes\.png" is not a JPEG, PNG or WebP image/);
      assert.ok(resolved.shots[0].errors.length >= 2, 'the shot is not generated');
    });

    it('refuses more than the model takes, counting the continued last frame as one', () => {
      const nine = Array.from({ length: 9 }, (_, i) => `i${i}.png`);
      const ok = `## A\nfirst\n## B\n<!-- shot {image: [${nine.slice(0, 8).join(', ')}], continue: true} -->\nsecond\n`;
      const fine = resolveStoryboard(ok, parseStoryboard(ok), { defaults, baseDir: '/w', image: lookup() });
      assert.deepEqual(fine.problems, [], 'eight images plus the frame is nine');
      assert.equal(fine.shots[1].continues, true);
      const over = `## A\nfirst\n## B\n<!-- shot {image: [${nine.join(', ')}], continue: true} -->\nsecond\n`;
      const refused = resolveStoryboard(over, parseStoryboard(over), { defaults, baseDir: '/w', image: lookup() });
      const count = refused.problems.filter((p) => p.code === 'image');
      assert.equal(count.length, 1, JSON.stringify(refused.problems));
      assert.match(count[0].message, /sends 10 reference images \(the previous shot's last frame counts as one\).*at most 9\. Remove 1/);
      const ten = `## A\n<!-- shot {image: [${[...nine, 'j.png'].join(', ')}]} -->\nx\n`;
      assert.match(resolveStoryboard(ten, parseStoryboard(ten), { defaults, baseDir: '/w', image: lookup() }).problems[0].message, /names 10 reference images.*Remove 1/);
    });

    it('refuses an empty list or a list with something other than paths', () => {
      for (const value of ['[]', '[a.png, 3]', '[a.png, ""]', '{a: b}']) {
        const text = `## A\n<!-- shot\nimage: ${value}\n-->\nx\n`;
        const resolved = resolveStoryboard(text, parseStoryboard(text), { defaults, baseDir: '/w', image: lookup() });
        assert.deepEqual(resolved.problems.map((p) => p.code), ['valueType'], value);
        assert.equal(resolved.shots[0].args.inputReference, undefined);
      }
    });

    it('a retired model is refused once, at "model", with the quick fix to 2.5 (CONTRACT 16)', () => {
      const text = '## A\n<!-- shot {model: doubao-seedance-1-5-pro, image: [a.png, b.png]} -->\nx\n';
      const resolved = resolveStoryboard(text, parseStoryboard(text), { defaults, baseDir: '/w', image: lookup() });
      assert.deepEqual(resolved.problems.map((p) => p.code), ['model']);
      assert.match(resolved.problems[0].message, /Seedance 1\.5 Pro \(doubao-seedance-1-5-pro\) was retired by CometAPI on 2026-11-11; use Seedance 2\.5 \(seedance-2-5\) instead\./);
      const fixed = applyEdits(text, [resolved.problems[0].fixes![0].edit]);
      assert.equal(fixed, '## A\n<!-- shot {model: seedance-2-5, image: [a.png, b.png]} -->\nx\n');
      assert.deepEqual(resolveStoryboard(fixed, parseStoryboard(fixed), { defaults, baseDir: '/w', image: lookup() }).problems, []);
    });
  });

  it('writes an id or a take into a shot without breaking its YAML', () => {
    const cases = [
      '## A\nx\n',
      '## A\n<!-- shot seconds: 6 -->\nx\n',
      '## A\n<!-- shot\nseconds: 6\n-->\nx\n',
      '## A\n<!-- shot {seconds: 6} -->\nx\n',
      '## A\n<!-- shot -->\nx\n',
    ];
    for (const text of cases) {
      const shot = parseStoryboard(text).shots[0];
      const withId = applyEdits(text, [setShotSetting(text, shot, 'id', 'k3f9q2ab')!]);
      const again = parseStoryboard(withId);
      assert.deepEqual(again.problems, [], withId);
      assert.equal(again.shots[0].id, 'k3f9q2ab', withId);
      assert.equal(again.shots[0].prompt, 'x', withId);
      const withTake = applyEdits(withId, [setShotSetting(withId, again.shots[0], 'take', '2026-11-30_2010_a: b.mp4')!]);
      const third = parseStoryboard(withTake);
      assert.equal(third.shots[0].settings.take?.value, '2026-11-30_2010_a: b.mp4', withTake);
      if (text.includes('seconds')) assert.equal(third.shots[0].settings.seconds?.value, 6);
      // Replacing keeps one key.
      const replaced = applyEdits(withTake, [setShotSetting(withTake, third.shots[0], 'take', 'other.mp4')!]);
      assert.equal(parseStoryboard(replaced).shots[0].settings.take?.value, 'other.mp4');
    }
  });

  it('handles CRLF files and a file without front matter or shots', () => {
    const crlf = FILE.replace(/\n/g, '\r\n');
    const board = parseStoryboard(crlf);
    assert.deepEqual(board.problems, []);
    assert.equal(board.shots[1].id, 'climb02');
    assert.equal(board.shots[0].prompt, 'A slow aerial push toward a lighthouse at dusk.');
    const empty = resolveStoryboard('just text', parseStoryboard('just text'), { defaults, baseDir: '/' });
    assert.deepEqual(empty.problems.map((p) => p.code), ['noShots']);
  });
});
