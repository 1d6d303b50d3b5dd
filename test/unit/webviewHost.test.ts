// The webview host base (src/vscode/webviewHost.ts, webviewHostParts.ts): the page's ready handshake with its
// deadline, requests to the page answered by id, one host per key, and disposal, here with a stand-in panel
// (the host imports VS Code's types only). The three hosts built on it (the Generate panel, Show Spending,
// the storyboard preview) run in real VS Code in their integration suites.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { WebviewHost } from '../../src/vscode/webviewHost';
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

/** A webview panel as far as the host uses it: events it can fire, messages it records. */
class StandInPanel {
  visible = true;
  disposed = 0;
  readonly posted: unknown[] = [];
  private readonly listeners = {
    message: [] as Array<(m: unknown) => void>,
    view: [] as Array<() => void>,
    dispose: [] as Array<() => void>,
  };
  private on<K extends keyof StandInPanel['listeners']>(kind: K) {
    return (listener: never) => {
      (this.listeners[kind] as unknown[]).push(listener);
      return { dispose: () => void (this.listeners[kind] as unknown[]).splice((this.listeners[kind] as unknown[]).indexOf(listener), 1) };
    };
  }
  readonly webview = {
    onDidReceiveMessage: this.on('message'),
    postMessage: async (m: unknown) => {
      this.posted.push(m);
      return true;
    },
  };
  readonly onDidChangeViewState = this.on('view');
  readonly onDidDispose = this.on('dispose');
  /** The page sends a message. */
  send(m: unknown): void {
    for (const l of [...this.listeners.message]) l(m);
  }
  hide(): void {
    this.visible = false;
    for (const l of [...this.listeners.view]) l();
  }
  /** Like VS Code's: the first call closes the panel and fires onDidDispose, later ones do nothing. */
  dispose(): void {
    if (this.disposed++ > 0) return;
    for (const l of this.listeners.dispose.splice(0)) l();
  }
  get listening(): number {
    return this.listeners.message.length + this.listeners.view.length + this.listeners.dispose.length;
  }
}

type PageMessage = { type: 'state'; n: number } | { type: 'capture'; requestId: string };

function hostOn(
  panel: StandInPanel,
  onMessage: (host: WebviewHost<PageMessage, string>, m: { type: string; requestId?: string; value?: string }) => void = () => undefined,
) {
  const log: string[] = [];
  const host: WebviewHost<PageMessage, string> = new WebviewHost<PageMessage, string>(panel as unknown as vscode.WebviewPanel, {
    name: 'Test view',
    log: (line) => log.push(line),
    closedMessage: () => 'The test view was closed.',
    requestPrefix: 'f',
    receive: (raw) => {
      const m = raw as { type: string; requestId?: string; value?: string };
      if (m.type === 'ready') host.markReady();
      if (m.type === 'frame') host.answered(m.requestId!, m.value!);
      if (m.type === 'throw') throw new Error('boom');
      onMessage(host, m);
    },
  });
  return { host, log };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('webview host: one panel\'s conversation', () => {
  it('posts nothing before the page says ready, and again nothing once it is hidden', async () => {
    const panel = new StandInPanel();
    const { host } = hostOn(panel);
    assert.equal(host.post({ type: 'state', n: 1 }), false);
    panel.send({ type: 'ready' });
    await tick();
    assert.equal(host.post({ type: 'state', n: 2 }), true);
    panel.hide();
    assert.equal(host.post({ type: 'state', n: 3 }), false);
    assert.deepEqual(panel.posted, [{ type: 'state', n: 2 }]);
  });

  it('a request waits for ready, is posted with its id and resolved by the answer naming it', async () => {
    const panel = new StandInPanel();
    const { host } = hostOn(panel);
    const answer = host.request((requestId) => ({ type: 'capture', requestId }), 10_000, () => new Error('never'));
    await tick();
    assert.deepEqual(panel.posted, [], 'not before ready');
    panel.send({ type: 'ready' });
    await tick();
    await tick();
    assert.deepEqual(panel.posted, [{ type: 'capture', requestId: 'f1' }]);
    panel.send({ type: 'frame', requestId: 'f9', value: 'someone else\'s' });
    panel.send({ type: 'frame', requestId: 'f1', value: 'png' });
    assert.equal(await answer, 'png');
  });

  it('a page hidden before it answers is asked again once it is back, with a new id; onGone is told', async () => {
    const panel = new StandInPanel();
    const { host, log } = hostOn(panel);
    panel.send({ type: 'ready' });
    await tick();
    let told = 0;
    const answer = host.request((requestId) => ({ type: 'capture', requestId }), 10_000, () => new Error('never'), () => told++);
    await tick();
    assert.deepEqual(panel.posted, [{ type: 'capture', requestId: 'f1' }]);
    panel.hide(); // VS Code unloads the page: f1 will never be answered
    await tick();
    assert.equal(told, 1);
    assert.match(log.join('\n'), /Test view: the page went away before it answered f1; asking again/);
    panel.send({ type: 'frame', requestId: 'f1', value: 'from the old page' }); // matches nothing now
    panel.send({ type: 'ready' }); // shown again: a new page
    await tick();
    await tick();
    assert.deepEqual(panel.posted, [{ type: 'capture', requestId: 'f1' }, { type: 'capture', requestId: 'f2' }]);
    panel.send({ type: 'frame', requestId: 'f2', value: 'png' });
    assert.equal(await answer, 'png');
  });

  it('asked again under the first deadline: a page that does not come back fails the request in time', async () => {
    const panel = new StandInPanel();
    const { host } = hostOn(panel);
    panel.send({ type: 'ready' });
    await tick();
    const started = Date.now();
    const answer = host.request((requestId) => ({ type: 'capture', requestId }), 60, () => new Error('No frame within the deadline.'));
    await tick();
    panel.hide();
    assert.equal((await rejection(answer)).message, 'No frame within the deadline.');
    assert.ok(Date.now() - started < 1_000, 'not a fresh deadline for the second ask');
  });

  it('one deadline covers a page that never loads: the request fails with the view\'s words', async () => {
    const panel = new StandInPanel();
    const { host } = hostOn(panel);
    const e = await rejection(host.request((requestId) => ({ type: 'capture', requestId }), 10, () => new Error('No frame within the deadline.')));
    assert.equal(e.message, 'No frame within the deadline.');
    assert.deepEqual(panel.posted, []);
  });

  it('a one-off message waits for a loading page, and gives up (logged) after its deadline', async () => {
    const panel = new StandInPanel();
    const { host, log } = hostOn(panel);
    const sent = host.postWhenReady({ type: 'state', n: 1 }, 10_000);
    panel.send({ type: 'ready' });
    assert.equal(await sent, true);
    panel.hide();
    assert.equal(await host.postWhenReady({ type: 'state', n: 2 }, 5), false);
    assert.deepEqual(panel.posted, [{ type: 'state', n: 1 }]);
    assert.match(log.join('\n'), /Test view: the page was not ready/);
  });

  it('a failing handler is logged, not thrown into the extension host', async () => {
    const panel = new StandInPanel();
    const { log } = hostOn(panel);
    panel.send({ type: 'throw' });
    await tick();
    await tick();
    assert.deepEqual(log, ['Test view: handling a message failed (boom).']);
  });

  it('closing the panel disposes once: listeners released, waiting requests failed, callbacks told', async () => {
    const panel = new StandInPanel();
    const { host } = hostOn(panel);
    panel.send({ type: 'ready' });
    await tick();
    const waiting = host.request((requestId) => ({ type: 'capture', requestId }), 10_000, () => new Error('never'));
    let told = 0;
    host.onDidDispose(() => told++);
    panel.dispose(); // the person closed the tab
    host.dispose(); // and the owner disposes too: nothing happens twice
    assert.equal((await rejection(waiting)).message, 'The test view was closed.');
    assert.equal(told, 1);
    assert.ok(panel.disposed >= 1, 'the panel is closed');
    assert.equal(panel.listening, 0, 'every listener released');
    assert.equal(host.post({ type: 'state', n: 1 }), false);
    host.onDidDispose(() => told++);
    assert.equal(told, 2, 'a callback added after the end runs at once');
  });
});
