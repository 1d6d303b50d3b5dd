// The webview host base's pure parts (src/vscode/webviewHostParts.ts): the page's ready handshake with its
// deadline, requests to the page answered by id, and one host per key. The hosts themselves (the Generate
// panel, Show Spending, the storyboard preview) run in real VS Code in the integration suites.
import * as assert from 'node:assert/strict';
import { HostRegistry, PendingReplies, ReadyGate } from '../../src/vscode/webviewHostParts';

const timeout = (words: string) => () => new Error(words);

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected a rejection');
}

describe('webview host: ready handshake', () => {
  it('a wait resolves when the page says ready, and at once once it has', async () => {
    const gate = new ReadyGate();
    let done = false;
    const waiting = gate.wait(10_000, timeout('never')).then(() => (done = true));
    await Promise.resolve();
    assert.equal(done, false, 'nothing before ready');
    gate.markReady();
    await waiting;
    assert.equal(done, true);
    await gate.wait(10_000, timeout('never'));
  });

  it('a page that never says ready fails the wait with the caller\'s words, after the deadline', async () => {
    const gate = new ReadyGate();
    const e = await rejection(gate.wait(5, timeout('The preview did not load.')));
    assert.equal(e.message, 'The preview did not load.');
    // A late ready afterwards is harmless, and later waits go through.
    gate.markReady();
    await gate.wait(5, timeout('never'));
  });

  it('hidden or reloading: not ready until the page says so again', async () => {
    const gate = new ReadyGate();
    gate.markReady();
    gate.markNotReady();
    assert.equal(gate.isReady, false);
    const waiting = gate.wait(10_000, timeout('never'));
    gate.markReady();
    await waiting;
    assert.equal(gate.isReady, true);
  });

  it('closing fails every waiter and every later wait with the reason', async () => {
    const gate = new ReadyGate();
    const a = gate.wait(10_000, timeout('never'));
    gate.close(new Error('closed'));
    assert.equal((await rejection(a)).message, 'closed');
    assert.equal((await rejection(gate.wait(10_000, timeout('never')))).message, 'closed');
    gate.markReady();
    assert.equal(gate.isReady, false, 'a closed gate does not open again');
  });
});

describe('webview host: requests answered by id', () => {
  it('each answer reaches the request with its id, in any order', async () => {
    const replies = new PendingReplies<string>('f');
    const [a, b] = [replies.nextId(), replies.nextId()];
    assert.deepEqual([a, b], ['f1', 'f2']);
    const pa = replies.expect(a, 10_000, timeout('never'));
    const pb = replies.expect(b, 10_000, timeout('never'));
    assert.equal(replies.size, 2);
    assert.equal(replies.resolve(b, 'second'), true);
    assert.equal(replies.resolve(a, 'first'), true);
    assert.deepEqual(await Promise.all([pa, pb]), ['first', 'second']);
    assert.equal(replies.size, 0);
  });

  it('an answer for an unknown, finished or given-up id matches nothing', async () => {
    const replies = new PendingReplies<string>();
    assert.equal(replies.resolve('r9', 'x'), false, 'unknown');
    const id = replies.nextId();
    const p = replies.expect(id, 10_000, timeout('never'));
    replies.resolve(id, 'once');
    assert.equal(replies.resolve(id, 'twice'), false, 'answered already');
    assert.equal(await p, 'once');
    const late = replies.nextId();
    await rejection(replies.expect(late, 5, timeout('too late')));
    assert.equal(replies.resolve(late, 'after the deadline'), false, 'given up on');
  });

  it('no answer within the deadline fails the request with the caller\'s words and forgets it', async () => {
    const replies = new PendingReplies<Uint8Array>();
    const id = replies.nextId();
    const e = await rejection(replies.expect(id, 5, timeout('No frame within 45 seconds.')));
    assert.equal(e.message, 'No frame within 45 seconds.');
    assert.equal(replies.size, 0);
  });

  it('the page\'s failure reaches its request; rejectAll fails what still waits', async () => {
    const replies = new PendingReplies<string>();
    const a = replies.nextId();
    const b = replies.nextId();
    const pa = replies.expect(a, 10_000, timeout('never'));
    const pb = replies.expect(b, 10_000, timeout('never'));
    assert.equal(replies.reject(a, new Error('could not seek')), true);
    assert.equal((await rejection(pa)).message, 'could not seek');
    replies.rejectAll(new Error('closed'));
    assert.equal((await rejection(pb)).message, 'closed');
    assert.equal(replies.size, 0);
  });

  it('one id waits once', async () => {
    const replies = new PendingReplies<string>();
    const id = replies.nextId();
    const first = replies.expect(id, 10_000, timeout('never'));
    await rejection(replies.expect(id, 10_000, timeout('never')));
    replies.resolve(id, 'ok');
    assert.equal(await first, 'ok');
  });
});

class FakeHost {
  disposed = 0;
  private readonly callbacks: Array<() => void> = [];
  constructor(readonly name: string) {}
  onDidDispose(callback: () => void): void {
    this.callbacks.push(callback);
  }
  dispose(): void {
    this.disposed++;
    for (const c of this.callbacks.splice(0)) c();
  }
}

describe('webview host: one host per key', () => {
  it('open creates once; a closed host frees its key', () => {
    const hosts = new HostRegistry<FakeHost>();
    let created = 0;
    const make = () => new FakeHost(`panel ${++created}`);
    const first = hosts.open('panel', make);
    assert.equal(hosts.open('panel', make), first);
    assert.equal(created, 1);
    first.dispose();
    assert.equal(hosts.get('panel'), undefined);
    assert.equal(hosts.open('panel', make).name, 'panel 2');
  });

  it('a restored panel is adopted when its key is free, closed when it is taken', () => {
    const hosts = new HostRegistry<FakeHost>();
    let discarded = 0;
    const a = hosts.restore('board.storyboard.md', () => new FakeHost('a'), () => discarded++);
    assert.equal(a?.name, 'a');
    const b = hosts.restore('board.storyboard.md', () => assert.fail('not adopted'), () => discarded++);
    assert.equal(b, undefined);
    assert.equal(discarded, 1);
    assert.equal(hosts.restore('other.storyboard.md', () => new FakeHost('c'), () => discarded++)?.name, 'c');
    assert.equal(hosts.size, 2);
  });

  it('dispose closes every host once', () => {
    const hosts = new HostRegistry<FakeHost>();
    const made = ['x', 'y'].map((k) => hosts.open(k, () => new FakeHost(k)));
    hosts.dispose();
    assert.deepEqual(made.map((h) => h.disposed), [1, 1]);
    assert.equal(hosts.size, 0);
  });
});
