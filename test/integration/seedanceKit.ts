// Shared pieces for the extension's end-to-end tests: the activation result (re-read after a simulated
// reload), the simulator's control client, and waits with deadlines instead of sleeps.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SeedanceApi, TaskSnapshot } from '../../src/vscode/api';
import type { SeedanceTestHooks, TestOverrides } from '../../src/vscode/testHooks';
import { SimulatorControl } from '../simulator/control';
import { activeExtension, testEnv, waitFor } from './helpers';

export type TestApi = SeedanceApi & { testHooks: SeedanceTestHooks };

let current: TestApi | undefined;

/** The current activation's API (with test hooks); follows reactivate(). */
export async function seedance(): Promise<TestApi> {
  if (!current) {
    const ext = await activeExtension<TestApi>();
    if (!ext.exports?.testHooks) throw new Error('The extension exported no testHooks: not a test run?');
    current = ext.exports;
  }
  return current;
}

/** A window reload without the reload: everything is disposed and activation runs again over the same storage. */
export async function reactivate(overrides?: TestOverrides): Promise<TestApi> {
  current = await (await seedance()).testHooks.reactivate(overrides);
  return current;
}

export const sim = new SimulatorControl(testEnv.simControlUrl);

/** POST /v1/videos requests the simulator has received so far. */
export async function createRequests(): Promise<number> {
  const log = await sim.requests({ server: 'api' });
  return log.filter((r) => r.method === 'POST' && r.path.replace(/\?.*$/, '').replace(/\/+$/, '') === '/v1/videos').length;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder.uri.fsPath;
}

export async function snapshot(id: string): Promise<TaskSnapshot | undefined> {
  return (await seedance()).listTasks().find((t) => t.id === id);
}

/**
 * Long enough for the simulator's realistic default: durations have a heavy tail, and a task the poller
 * finds unfinished may next be checked a sparse interval (up to a minute) later.
 */
export const TASK_WAIT_MS = 150_000;

/** Waits until the task (by service id or local id) satisfies `ok`; fails with what was last seen. */
export async function waitForTask(
  id: string,
  ok: (t: TaskSnapshot) => boolean,
  what: string,
  timeoutMs = TASK_WAIT_MS,
): Promise<TaskSnapshot> {
  let last: TaskSnapshot | undefined;
  try {
    return await waitFor(async () => {
      last = await snapshot(id);
      return last && ok(last) ? last : undefined;
    }, `${what} (task ${id})`, timeoutMs, 100);
  } catch (error) {
    const internal = (await seedance()).testHooks.task(id);
    throw new Error(`${(error as Error).message}; last snapshot ${JSON.stringify(last)}; internal ${JSON.stringify(internal)}`, { cause: error });
  }
}

/** Waits on the internal task (statuses the public API folds: uncertain, stalled; download states). */
export async function waitForInternal(id: string, ok: (t: NonNullable<ReturnType<SeedanceTestHooks['task']>>) => boolean, what: string, timeoutMs = TASK_WAIT_MS) {
  let last: ReturnType<SeedanceTestHooks['task']>;
  try {
    return await waitFor(async () => {
      last = (await seedance()).testHooks.task(id);
      return last && ok(last) ? last : undefined;
    }, `${what} (task ${id})`, timeoutMs, 100);
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen ${JSON.stringify(last)}`, { cause: error });
  }
}

/** Files under a folder, relative, sorted (empty when it does not exist). */
export function filesIn(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return (fs.readdirSync(folder, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).sort();
}

/** Updates a setting and returns a function that puts the previous value back. */
export async function withSetting(
  section: string,
  key: string,
  value: unknown,
  target: vscode.ConfigurationTarget,
): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration(section);
  const inspected = config.inspect(key);
  const previous = target === vscode.ConfigurationTarget.Global ? inspected?.globalValue : inspected?.workspaceValue;
  await config.update(key, value, target);
  return async () => {
    await vscode.workspace.getConfiguration(section).update(key, previous, target);
  };
}

/** A unique prompt, so a test finds its own files and tasks among everyone else's. */
export function uniquePrompt(words: string): string {
  return `${words} ${Math.random().toString(36).slice(2, 8)}`;
}

/** A money (or other modal) question as the extension's one seam asks it (src/vscode/modal.ts). */
export interface AskedQuestion {
  readonly id: string;
  readonly message: string;
  readonly detail?: string;
  readonly choices: readonly string[];
}

const ANSWERER_KEY = Symbol.for('seedanceStudio.test.modalAnswerer'); // src/vscode/modal.ts

/**
 * Answers every modal question through the seam while `action` runs: `answer` returns the label to click
 * (undefined = Cancel). VS Code refuses real modal dialogs in test runs, so this is how a test takes each
 * branch; the questions come back so the test checks what the person would have been asked.
 */
export async function answering<T>(
  answer: (q: AskedQuestion) => string | undefined,
  action: () => Thenable<T> | Promise<T>,
): Promise<{ result: T; asked: AskedQuestion[] }> {
  const asked: AskedQuestion[] = [];
  const slot = globalThis as Record<symbol, unknown>;
  const previous = slot[ANSWERER_KEY];
  slot[ANSWERER_KEY] = (q: AskedQuestion) => {
    asked.push(q);
    return answer(q);
  };
  try {
    return { result: await action(), asked };
  } finally {
    if (previous === undefined) delete slot[ANSWERER_KEY];
    else slot[ANSWERER_KEY] = previous;
  }
}

/** Says yes to every question (its first choice): for suites that are about something else. */
export const YES = (q: AskedQuestion): string | undefined => q.choices[0];

/**
 * This month's counted spending as the spending record says it (the CSV export: accepted, succeeded and
 * uncertain rows of this month), in USD.
 */
export async function countedThisMonth(): Promise<number> {
  const file = path.join(workspaceRoot(), `spending-${Math.random().toString(36).slice(2, 8)}.csv`);
  await vscode.commands.executeCommand('seedance.exportSpending', vscode.Uri.file(file));
  const rows = fs.readFileSync(file, 'utf8').split('\r\n').slice(1).filter(Boolean).map((l) => l.split(','));
  fs.rmSync(file, { force: true });
  const now = new Date();
  let total = 0;
  for (const r of rows) {
    const at = new Date(r[0]);
    if (at.getFullYear() !== now.getFullYear() || at.getMonth() !== now.getMonth()) continue;
    if (['accepted', 'succeeded', 'uncertain'].includes(r[8])) total += Number(r[5] || 0);
  }
  return Math.round(total * 10_000) / 10_000;
}
