import * as assert from 'node:assert/strict';
import { shortPrompt } from '../../src/core/prompt';

describe('shortPrompt (the view\'s labels, notifications)', () => {
  it('keeps a short first line as it is, spaces folded', () => {
    assert.equal(shortPrompt('  A fox   in snow\nsecond line'), 'A fox in snow');
  });

  it('cuts a long line at a word boundary with an ellipsis, within the limit', () => {
    const cut = shortPrompt('A slow cinematic camera push through a foggy pine forest at dawn', 40);
    assert.equal(cut, 'A slow cinematic camera push through a…');
    assert.ok(cut.length <= 40);
  });

  it('cuts inside a word when no space falls in the second half; names an empty prompt', () => {
    assert.equal(shortPrompt('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
    assert.equal(shortPrompt('   \n  '), '(empty prompt)');
  });
});
