// The command table (src/vscode/commands/): the ids it types agree with package.json, and the error
// boundary's split between cancellation (quiet) and failure (shown, or handed to a program that called).
// The errors are made the way the product makes them: the client cancelled mid-request against the
// simulator, AbortSignal's own reasons, node's timers and streams stopped by a signal.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { CometClient } from '../../src/core/api/client';
import { ApiError } from '../../src/core/api/errors';
import { GenerationInputError } from '../../src/core/generationArgs';
import { handlingOf, isCancellation } from '../../src/vscode/commands/commandOutcome';
import { COMMAND_IDS } from '../../src/vscode/commands/commandTypes';
import { startSimulator, type Simulator } from '../simulator/server';

/** Stands in for vscode.CancellationError (VS Code's own class; the boundary passes the instanceof test). */
class HostCancellation extends Error {}
const isHost = (e: unknown) => e instanceof HostCancellation;

async function caught(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (e) {
    return e;
  }
  return assert.fail('expected the work to fail');
}

describe('command table: ids against package.json', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes: { commands: { command: string }[]; menus: Record<string, { command?: string }[]>; keybindings?: { command: string }[] };
  };
  const contributed = manifest.contributes.commands.map((c) => c.command);

  it('types exactly the commands package.json contributes (each has a handler: features.ts fails to compile otherwise)', () => {
    assert.deepEqual([...COMMAND_IDS].sort(), [...contributed].sort());
    assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length);
  });

  it('every seedance.* command a menu or keybinding names is in the table or is a view\'s own command', () => {
    const referenced = [
      ...Object.values(manifest.contributes.menus).flat().map((m) => m.command),
      ...(manifest.contributes.keybindings ?? []).map((k) => k.command),
    ];
    const ours = referenced.filter((c): c is string => typeof c === 'string' && c.startsWith('seedance.'));
    const unknown = ours.filter((c) => !(COMMAND_IDS as readonly string[]).includes(c) && !/\.(focus|open)$/.test(c));
    assert.deepEqual(unknown, []);
  });
});

describe('command boundary: cancellation or failure', () => {
  let sim: Simulator;
  let client: CometClient;
  before(async () => {
    sim = await startSimulator({ timeScale: 0.005, deterministic: true });
    client = new CometClient({ baseUrl: sim.baseUrl, getApiKey: async () => 'sk-test', download: { attempts: 1 } });
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  it('a question the person dismissed (vscode.CancellationError) is a cancellation', () => {
    assert.equal(isCancellation(new HostCancellation('Canceled'), isHost), true);
  });

  it('a request the client stopped through its AbortSignal is a cancellation', async () => {
    const controller = new AbortController();
    const pending = client.getVideo('task-does-not-matter', controller.signal);
    controller.abort();
    const error = await caught(pending);
    assert.ok(error instanceof ApiError && error.kind === 'aborted', String(error));
    assert.equal(isCancellation(error, isHost), true);
  });

  it('AbortError from AbortSignal, node timers and node streams is a cancellation', async () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal(isCancellation(controller.signal.reason, isHost), true);
    assert.equal(isCancellation(await caught(sleep(10, undefined, { signal: controller.signal })), isHost), true);
    const stream = pipeline(Readable.from(['a', 'b']), async function* (source) {
      for await (const chunk of source) yield chunk;
    }, { signal: controller.signal });
    assert.equal(isCancellation(await caught(stream), isHost), true);
  });

  it('everything else is a failure: other API errors, bad input, a plain Error, a TimeoutError, a thrown string', async () => {
    const refused = await caught(new CometClient({ baseUrl: sim.baseUrl, getApiKey: async () => undefined }).getVideo('x'));
    assert.ok(refused instanceof ApiError && refused.kind !== 'aborted', String(refused));
    const failures = [
      refused,
      new ApiError('network', 'offline'),
      new GenerationInputError(['Write a prompt first.']),
      new Error('Canceled'), // the words alone do not make a cancellation
      new DOMException('The operation timed out.', 'TimeoutError'), // what AbortSignal.timeout() gives: a deadline, not a person
      'a string',
      undefined,
      null,
    ];
    for (const error of failures) assert.equal(isCancellation(error, isHost), false, String(error));
  });

  it('a person\'s command: cancellation stays quiet, failure is shown', () => {
    assert.deepEqual(handlingOf(new HostCancellation(), false, isHost), { cancelled: true, action: 'quiet' });
    assert.deepEqual(handlingOf(new ApiError('aborted', 'Cancelled.'), false, isHost), { cancelled: true, action: 'quiet' });
    assert.deepEqual(handlingOf(new ApiError('auth', 'rejected'), false, isHost), { cancelled: false, action: 'show' });
  });

  it('a program\'s call (rethrowWhen true) gets the error back, cancelled or not, and nothing is shown', () => {
    assert.deepEqual(handlingOf(new HostCancellation(), true, isHost), { cancelled: true, action: 'rethrow' });
    assert.deepEqual(handlingOf(new GenerationInputError(['bad']), true, isHost), { cancelled: false, action: 'rethrow' });
  });
});
