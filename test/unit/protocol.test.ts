// The panel protocol's validators: every message the webview may send is accepted in its exact shape and
// everything else (wrong types, extra or polluting keys, oversized values, unknown types) is refused, with
// enough identity kept to answer a malformed request exactly once.
import * as assert from 'node:assert/strict';
import {
  MAX_DROPPED_IMAGE_BYTES,
  MAX_PANEL_RESULTS,
  MAX_PROMPT_CHARS,
  parsePanelState,
  parseWebviewMessage,
} from '../../src/shared/protocol';

const TOKEN = '0f8fad5b-d9cb-469f-a165-70867728950e';
const TOKEN2 = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const form = { prompt: 'a red fox in snow', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' };

function accepts(raw: unknown): unknown {
  const parsed = parseWebviewMessage(raw);
  assert.ok(parsed.ok, `expected acceptance, got: ${parsed.ok ? '' : parsed.reason}`);
  return parsed.value;
}

function refuses(raw: unknown): ReturnType<typeof parseWebviewMessage> {
  const parsed = parseWebviewMessage(raw);
  // The description is built only on failure: stringifying would run getters and crawl huge arrays.
  if (parsed.ok) assert.fail(`expected refusal of ${safeJson(raw)}`);
  return parsed;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 200) ?? String(v);
  } catch {
    return String(v);
  }
}

describe('panel protocol: messages from the webview', () => {
  it('accepts every well-formed message and returns an equal, fresh object', () => {
    const good: unknown[] = [
      { type: 'ready' },
      { type: 'ready', imageTokens: [TOKEN] },
      { type: 'ready', imageTokens: [TOKEN, TOKEN2] },
      { type: 'generate', requestId: 'r1', form },
      { type: 'generate', requestId: 'r-2_x', form: { ...form, imageTokens: [TOKEN] } },
      { type: 'generate', requestId: 'r-2_y', form: { ...form, imageTokens: [TOKEN2, TOKEN] } },
      { type: 'generate', requestId: 'r3', form: { ...form, prompt: '' } }, // empty prompt is catalog.validate's call
      { type: 'pickImage', requestId: 'r4', room: 1 },
      { type: 'pickImage', requestId: 'r4b', room: 9 },
      { type: 'dropImage', requestId: 'r5', fileName: 'fox.png', bytes: new Uint8Array([0x89, 0x50]) },
      { type: 'discardImage', imageToken: TOKEN },
      { type: 'taskAction', requestId: 'r6', taskId: 'abc', action: 'openFile' },
      { type: 'taskAction', requestId: 'r7', taskId: 'abc', action: 'revealFile' },
      { type: 'taskAction', requestId: 'r8', taskId: 'abc', action: 'copyPrompt' },
      { type: 'taskAction', requestId: 'r9', taskId: 'abc', action: 'openExternally' },
      { type: 'dismissResult', taskId: 'abc' },
    ];
    for (const raw of good) {
      const value = accepts(raw);
      assert.deepEqual(value, raw);
      assert.notEqual(value, raw, 'the handler must get a copy, not the object the webview built');
    }
  });

  it('accepts dropped bytes as an ArrayBuffer too (VS Code may transfer either)', () => {
    const value = accepts({ type: 'dropImage', requestId: 'r', fileName: 'a.webp', bytes: new ArrayBuffer(4) }) as { bytes: Uint8Array };
    assert.ok(value.bytes instanceof Uint8Array);
    assert.equal(value.bytes.byteLength, 4);
  });

  it('refuses non-objects and unknown types', () => {
    for (const raw of [undefined, null, 0, 'ready', true, [], [{ type: 'ready' }], { type: 'nope' }, { type: 'READY' },
      { type: 'reply', requestId: 'r' }, { type: 'init' }, { type: 7 }, {}]) {
      refuses(raw);
    }
  });

  it('refuses wrong field types', () => {
    const bad: unknown[] = [
      { type: 'generate', requestId: 'r', form: { ...form, seconds: '5' } },
      { type: 'generate', requestId: 'r', form: { ...form, seconds: Number.NaN } },
      { type: 'generate', requestId: 'r', form: { ...form, seconds: Infinity } },
      { type: 'generate', requestId: 'r', form: { ...form, prompt: 42 } },
      { type: 'generate', requestId: 'r', form: { ...form, model: null } },
      { type: 'generate', requestId: 'r', form: { ...form, size: ['16:9'] } },
      { type: 'generate', requestId: 'r', form: 'form' },
      { type: 'generate', requestId: 'r', form: [form] },
      { type: 'generate', requestId: 'r' },
      { type: 'generate', requestId: 5, form },
      { type: 'generate', requestId: '', form },
      { type: 'generate', requestId: 'has space', form },
      { type: 'dropImage', requestId: 'r', fileName: 'a.png', bytes: [0x89, 0x50] },
      { type: 'dropImage', requestId: 'r', fileName: 'a.png', bytes: 'iVBORw0KGgo=' },
      { type: 'dropImage', requestId: 'r', fileName: 'a.png', bytes: { 0: 0x89, length: 1 } },
      { type: 'taskAction', requestId: 'r', taskId: 'abc', action: 'deleteFile' },
      { type: 'taskAction', requestId: 'r', taskId: 'abc', action: 'toString' },
      { type: 'taskAction', requestId: 'r', taskId: '', action: 'openFile' },
      { type: 'taskAction', requestId: 'r', taskId: 'a\nb', action: 'openFile' },
      { type: 'ready', imageTokens: ['not-a-token'] },
      { type: 'ready', imageTokens: ['../../etc/passwd'] },
      { type: 'ready', imageTokens: TOKEN },
      { type: 'ready', imageToken: TOKEN }, // the single-image field is only read back from saved state
      { type: 'generate', requestId: 'r', form: { ...form, imageTokens: [TOKEN, TOKEN] } }, // one image twice
      { type: 'generate', requestId: 'r', form: { ...form, imageTokens: new Array(10).fill(0).map((_, i) => TOKEN.slice(0, -2) + String(i).padStart(2, '0')) } },
      { type: 'generate', requestId: 'r', form: { ...form, imageTokens: [TOKEN], imageToken: TOKEN2 } },
      { type: 'pickImage', requestId: 'r' },
      { type: 'pickImage', requestId: 'r', room: 0 },
      { type: 'pickImage', requestId: 'r', room: 10 },
      { type: 'pickImage', requestId: 'r', room: 1.5 },
      { type: 'pickImage', requestId: 'r', room: '3' },
      { type: 'discardImage', imageToken: TOKEN.toUpperCase() },
      { type: 'discardImage' },
    ];
    for (const raw of bad) refuses(raw);
  });

  it('refuses path-like or control-character file names for dropped images', () => {
    for (const fileName of ['', '.', '..', '../x.png', 'a/b.png', 'a\\b.png', 'a\u0000.png', 'x'.repeat(256)]) {
      refuses({ type: 'dropImage', requestId: 'r', fileName, bytes: new Uint8Array(1) });
    }
  });

  it('refuses huge strings and oversized binary payloads', () => {
    refuses({ type: 'generate', requestId: 'r', form: { ...form, prompt: 'x'.repeat(MAX_PROMPT_CHARS + 1) } });
    refuses({ type: 'generate', requestId: 'r', form: { ...form, model: 'm'.repeat(10_000) } });
    refuses({ type: 'generate', requestId: 'r'.repeat(65), form });
    refuses({ type: 'taskAction', requestId: 'r', taskId: 't'.repeat(100_000), action: 'openFile' });
    refuses({ type: 'dropImage', requestId: 'r', fileName: 'big.png', bytes: new Uint8Array(MAX_DROPPED_IMAGE_BYTES + 1) });
    // The prompt limit itself is fine: the service's rules are catalog.validate's business.
    accepts({ type: 'generate', requestId: 'r', form: { ...form, prompt: 'x'.repeat(MAX_PROMPT_CHARS) } });
  });

  it('refuses extra keys, including prototype-pollution keys, at every level', () => {
    const polluted = [
      JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'),
      JSON.parse(`{"type":"generate","requestId":"r","form":${JSON.stringify(form).slice(0, -1)},"__proto__":{"isAdmin":true}}}`),
      { type: 'generate', requestId: 'r', form: { ...form, constructor: { prototype: { x: 1 } } } },
      { type: 'ready', prototype: {} },
      { type: 'pickImage', requestId: 'r', extra: 'x'.repeat(1_000_000) },
      { type: 'taskAction', requestId: 'r', taskId: 'abc', action: 'openFile', path: '/etc/passwd' },
      { type: 'dropImage', requestId: 'r', fileName: 'a.png', bytes: new Uint8Array(1), path: '/tmp/x' },
    ];
    for (const raw of polluted) refuses(raw);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  });

  it('refuses class instances, accessors and symbol keys without running them', () => {
    let getterRan = false;
    const withGetter = { type: 'pickImage', get requestId() { getterRan = true; return 'r'; } };
    refuses(withGetter);
    assert.equal(getterRan, false);
    refuses(Object.assign(new (class Message {})(), { type: 'ready' }));
    refuses(new Map([['type', 'ready']]));
    refuses({ type: 'ready', [Symbol('x')]: 1 });
    const proxyTrap = new Proxy({ type: 'ready' }, { getPrototypeOf() { throw new Error('trap'); } });
    refuses(proxyTrap);
  });

  it('accepts objects without a prototype (as some deserialisers make them)', () => {
    const bare = Object.assign(Object.create(null), { type: 'pickImage', requestId: 'r', room: 2 });
    assert.deepEqual({ ...(accepts(bare) as object) }, { type: 'pickImage', requestId: 'r', room: 2 });
  });

  it('keeps the identity of a malformed request so it can still get its one error reply', () => {
    const parsed = refuses({ type: 'generate', requestId: 'req-1', form: { ...form, seconds: 'five' } });
    assert.deepEqual(!parsed.ok && parsed.replyTo, { request: 'generate', requestId: 'req-1' });
    // Notifications and unidentifiable messages are not answered.
    assert.equal(!refuses({ type: 'dismissResult', taskId: 5 }).ok && refuses({ type: 'dismissResult', taskId: 5 }).replyTo, undefined);
    const noId = refuses({ type: 'pickImage', requestId: '../x' });
    assert.equal(!noId.ok && noId.replyTo, undefined);
    const unknown = refuses({ type: 'eval', requestId: 'r' });
    assert.equal(!unknown.ok && unknown.replyTo, undefined);
  });
});

describe('panel protocol: saved panel state (given back after a window reload)', () => {
  const state = { version: 1, form: { ...form, imageTokens: [TOKEN, TOKEN2] }, resultIds: ['a', 'b'] };

  it('accepts the shape the webview saves', () => {
    assert.deepEqual(parsePanelState(state), state);
    assert.deepEqual(parsePanelState({ ...state, form }), { ...state, form });
  });

  it('reads a state saved with one image (before several were possible) as a list of one', () => {
    assert.deepEqual(
      parsePanelState({ ...state, form: { ...form, imageToken: TOKEN } }),
      { ...state, form: { ...form, imageTokens: [TOKEN] } },
    );
  });

  it('refuses anything else instead of restoring half of it', () => {
    for (const raw of [undefined, null, 'x', { ...state, version: 2 }, { ...state, extra: 1 },
      { ...state, resultIds: 'a' }, { ...state, resultIds: [1] }, { ...state, resultIds: new Array(MAX_PANEL_RESULTS + 1).fill('a') },
      { ...state, form: { ...form, imageToken: '/etc/passwd' } }, { ...state, form: { ...form, imageTokens: ['/etc/passwd'] } }, JSON.parse('{"version":1,"__proto__":{}}')]) {
      assert.equal(parsePanelState(raw), undefined, safeJson(raw));
    }
  });
});
