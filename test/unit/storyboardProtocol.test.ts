import * as assert from 'node:assert/strict';
import { MAX_FRAME_BYTES, parseFromWebview } from '../../src/shared/storyboardProtocol';

describe('storyboard preview protocol', () => {
  it('accepts the messages the preview sends, as fresh objects', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const parsed = parseFromWebview({ type: 'frame', requestId: 'f1', png });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, { type: 'frame', requestId: 'f1', png });
    assert.notEqual((parsed.value as { png: Uint8Array }).png, png, 'bytes are copied out');
    assert.deepEqual(parseFromWebview({ type: 'choose', shot: 'k3f9q2ab', take: '2026-11-30_2016_a-b.mp4' }), { ok: true, value: { type: 'choose', shot: 'k3f9q2ab', take: '2026-11-30_2016_a-b.mp4' } });
    assert.ok(parseFromWebview({ type: 'reroll', shot: '#2' }).ok);
    assert.ok(parseFromWebview({ type: 'ready' }).ok);
    // Promote a take (issue 19): the same shape as choose.
    assert.deepEqual(parseFromWebview({ type: 'promote', shot: 'k3f9q2ab', take: '2026-11-30_2016_a-b.mp4' }), { ok: true, value: { type: 'promote', shot: 'k3f9q2ab', take: '2026-11-30_2016_a-b.mp4' } });
  });

  it('refuses unknown types, unknown keys, path-like names and oversized or non-binary frames', () => {
    const refused: unknown[] = [
      null, [], 'ready', { type: 'eval' }, { type: 'ready', extra: 1 },
      { type: 'choose', shot: 'a', take: '../../etc/passwd' },
      { type: 'choose', shot: 'a', take: 'a/b.mp4' },
      { type: 'promote', shot: 'a', take: '../x.mp4' },
      { type: 'promote', shot: 'a' },
      { type: 'choose', shot: 'a', take: 'x', __proto__: { polluted: true }, constructor: 1 },
      { type: 'frame', requestId: 'f1', png: 'iVBOR' },
      { type: 'frame', requestId: 'f1', png: new Uint8Array(0) },
      { type: 'frame', requestId: 'f1', png: new Uint8Array(MAX_FRAME_BYTES + 1) },
      { type: 'frame', requestId: 'bad id!', png: new Uint8Array(4) },
    ];
    refused.forEach((message, i) => assert.equal(parseFromWebview(message).ok, false, `message ${i} was accepted`));
  });
});
