// Every write into a shot comment reads back with the key it wrote and nothing else changed (issue 18):
// indented keys, quoted values, YAML comments, CRLF, tabs, empty comments, unknown keys, flow maps. A write
// that would not read back is refused with its reason and no edit.
import * as assert from 'node:assert/strict';
import { applyEdits, editShotSetting } from '../../src/core/storyboard/edits';
import { parseStoryboard, type ShotKey } from '../../src/core/storyboard/parse';

/** Writes key=value into shot 0, checks the read-back, and returns the new text. */
function write(text: string, key: ShotKey, value: string, shotIndex = 0): string {
  const board = parseStoryboard(text);
  const result = editShotSetting(text, board.shots[shotIndex], key, value);
  assert.ok(result.ok, `refused: ${!result.ok ? result.reason : ''}\n${text}`);
  const after = applyEdits(text, [result.edit]);
  const again = parseStoryboard(after);
  const shot = again.shots[shotIndex];
  assert.equal(String(shot.settings[key]?.value), value, after);
  assert.deepEqual(again.problems.filter((p) => p.severity === 'error'), board.problems.filter((p) => p.severity === 'error'), after);
  for (const [k, entry] of Object.entries(board.shots[shotIndex].settings)) {
    if (k !== key) assert.deepEqual(shot.settings[k as ShotKey]?.value, entry.value, `${k} unchanged in\n${after}`);
  }
  assert.equal(shot.prompt, board.shots[shotIndex].prompt);
  return after;
}

/** What the edit changed: the text with the new key's line (or value) taken out again equals the original. */
function onlyAdded(before: string, after: string, added: string): void {
  assert.equal(after.replace(added, ''), before, `only ${JSON.stringify(added)} added:\n${after}`);
}

describe('storyboard edits through the YAML document model', () => {
  it('an indented comment gets its id at the same indentation, and a second write replaces it', () => {
    const text = '## A\n<!-- shot\n  seconds: 6\n-->\nwaves\n';
    const withId = write(text, 'id', 'k3f9q2ab');
    onlyAdded(text, withId, '\n  id: k3f9q2ab');
    const withTake = write(withId, 'take', 'a.mp4');
    onlyAdded(withId, withTake, '\n  take: a.mp4');
    const replaced = write(withTake, 'take', 'b.mp4');
    assert.equal(replaced.match(/take:/g)?.length, 1, replaced);
    assert.equal(replaced, withTake.replace('a.mp4', 'b.mp4'));
  });

  it('keeps quoting: a single-quoted take stays single-quoted, a double-quoted one double', () => {
    const single = "## A\n<!-- shot\n  take: 'old.mp4'\n  model: \"doubao-seedance-2-0\"\n-->\nx\n";
    assert.equal(write(single, 'take', 'new.mp4'), single.replace("'old.mp4'", "'new.mp4'"));
    const double = '## A\n<!-- shot\ntake: "old.mp4"\n-->\nx\n';
    assert.equal(write(double, 'take', 'new.mp4'), double.replace('"old.mp4"', '"new.mp4"'));
    // A value that needs quotes gets them, whatever the comment had.
    const needs = write('## A\n<!-- shot\nseconds: 5\n-->\nx\n', 'take', '2026-11-30_2010 a: b.mp4');
    assert.match(needs, /take: "2026-11-30_2010 a: b\.mp4"/);
  });

  it('keeps YAML comments, after the last key and between keys', () => {
    const text = '## A\n<!-- shot\n  # settings for the opening\n  seconds: 6 # six is enough\n  # end\n-->\nx\n';
    const after = write(text, 'id', 'abcdefgh');
    onlyAdded(text, after, '\n  id: abcdefgh');
    assert.match(after, /seconds: 6 # six is enough\n {2}# end\n {2}id: abcdefgh\n-->/);
  });

  it('keeps CRLF line breaks', () => {
    const text = '---\r\ntitle: T\r\n---\r\n## A\r\n<!-- shot\r\n  seconds: 6\r\n-->\r\nx\r\n## B\r\ny\r\n';
    const after = write(text, 'id', 'abcdefgh');
    onlyAdded(text, after, '\r\n  id: abcdefgh');
    const second = write(after, 'id', 'bcdefghi', 1);
    onlyAdded(after, second, '\r\n<!-- shot id: bcdefghi -->');
    assert.equal(second.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF');
  });

  it('tabs: a tab after the colon is kept; a comment indented with tabs is refused, not broken', () => {
    const text = '## A\n<!-- shot\nseconds:\t6\n-->\nx\n';
    onlyAdded(text, write(text, 'id', 'abcdefgh'), '\nid: abcdefgh');
    const tabbed = '## A\n<!-- shot\n\tseconds: 6\n-->\nx\n';
    const result = editShotSetting(tabbed, parseStoryboard(tabbed).shots[0], 'id', 'abcdefgh');
    assert.equal(result.ok, false);
  });

  it('an empty comment, on one line or two, and a shot without a comment', () => {
    onlyAdded('## A\n<!-- shot\n-->\nx\n', write('## A\n<!-- shot\n-->\nx\n', 'id', 'abcdefgh'), 'id: abcdefgh\n');
    assert.equal(write('## A\n<!-- shot -->\nx\n', 'id', 'abcdefgh'), '## A\n<!-- shot id: abcdefgh -->\nx\n');
    onlyAdded('## A\nx\n', write('## A\nx\n', 'id', 'abcdefgh'), '\n<!-- shot id: abcdefgh -->');
  });

  it('a comment with an unknown key keeps it (still a warning, nothing more)', () => {
    const text = '## A\n<!-- shot\n  mood: calm\n  seconds: 6\n-->\nx\n';
    const after = write(text, 'id', 'abcdefgh');
    onlyAdded(text, after, '\n  id: abcdefgh');
    assert.deepEqual(parseStoryboard(after).problems.map((p) => p.code), ['unknownKey']);
  });

  it('first key on the "<!-- shot" line, flow maps and an empty value', () => {
    const inline = '## A\n<!-- shot id: abc\nseconds: 6 -->\nx\n';
    onlyAdded(inline, write(inline, 'take', 'a.mp4'), '\ntake: a.mp4');
    const flow = '## A\n<!-- shot {seconds: 6} -->\nx\n';
    assert.equal(write(flow, 'id', 'abcdefgh'), '## A\n<!-- shot {id: abcdefgh, seconds: 6} -->\nx\n');
    const empty = '## A\n<!-- shot\n  take:   # none yet\n-->\nx\n';
    assert.equal(write(empty, 'take', 'a.mp4'), '## A\n<!-- shot\n  take: a.mp4   # none yet\n-->\nx\n');
  });

  it('refuses, with a reason and no edit, when the comment is already broken (two ids)', () => {
    const text = '## A\n<!-- shot\n  seconds: 6\nid: a1\nid: a2\n-->\nx\n';
    const result = editShotSetting(text, parseStoryboard(text).shots[0], 'take', 'a.mp4');
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /not valid YAML/);
  });

  it('the old column-0 write (issue 18) cannot happen: every indented shape reads back', () => {
    for (const indent of ['  ', '    ', ' ']) {
      const text = `## A\n<!-- shot\n${indent}seconds: 6\n${indent}image:\n${indent}  - a.png\n-->\nx\n`;
      const after = write(text, 'id', 'abcdefgh');
      onlyAdded(text, after, `\n${indent}id: abcdefgh`);
    }
  });
});
