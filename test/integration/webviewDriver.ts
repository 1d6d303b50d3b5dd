// Test-side half of the webview driver (scripts/vscode-test/webview-driver.mjs): asks the runner, which
// holds the browser, to act inside a webview like a person would, and waits for its answer. Only the web
// backend has a runner-side browser; `webviewDriverAvailable` says whether this run can use it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { testEnv, waitFor } from './helpers';

/** Any step may say `panelSelector`: the webview whose page has this (default main#app[data-panel], the Generate panel). */
export type DriverStep = { panelSelector?: string } & (
  | { op: 'waitFor'; selector: string; state?: 'visible' | 'attached' | 'hidden' | 'detached'; timeoutMs?: number; frame?: 'panel' | 'workbench' }
  | { op: 'click' | 'focus' | 'hover'; selector: string; frame?: 'panel' | 'workbench'; timeoutMs?: number; button?: 'right' }
  | { op: 'texts'; selector: string; frame?: 'panel' | 'workbench'; timeoutMs?: number }
  | { op: 'waitForDownload'; fileName: string; timeoutMs?: number }
  | { op: 'fill'; selector: string; text: string; frame?: 'panel' | 'workbench' }
  | { op: 'press'; selector: string; key: string; frame?: 'panel' | 'workbench' }
  /** Clicks the field, presses `press` (e.g. 'Control+a') if given, then types `text` at once, key by key. */
  | { op: 'type'; selector: string; text: string; press?: string; frame?: 'panel' | 'workbench' }
  | { op: 'chooseOption'; selector: string; label: string }
  | { op: 'evaluate'; fn: string; arg?: unknown; frame?: 'panel' | 'workbench'; timeoutMs?: number }
  | { op: 'waitForFunction'; fn: string; arg?: unknown; timeoutMs?: number; frame?: 'panel' | 'workbench' }
  | { op: 'dropFile'; selector: string; fileName: string; mimeType: string; base64: string }
  | { op: 'screenshot'; name: string }
  | { op: 'securityMessages' });

/** `steps` run in the webview whose page has `selector` (the driver finds the frame by it; workbench steps ignore it). */
export function inPage(selector: string, steps: DriverStep[]): DriverStep[] {
  return steps.map((s) => ({ ...s, panelSelector: selector }));
}

/** The web backend's runner drives Chromium; the desktop backend has no such hook. */
export const webviewDriverAvailable = testEnv.backend === 'web';

let seq = 0;

/** Runs the steps in order; resolves with each step's result, or throws with the failing step's error. */
export async function drive(steps: DriverStep[], timeoutMs = 60_000): Promise<unknown[]> {
  // os.tmpdir() is inside the run's folder (the runner points TMPDIR there), where results may be written.
  const resultFile = path.join(os.tmpdir(), `webview-driver-${process.pid}-${++seq}.json`);
  fs.rmSync(resultFile, { force: true });
  console.log(`WEBVIEW_DRIVER ${JSON.stringify({ resultFile, steps })}`);
  await waitFor(() => fs.existsSync(resultFile), `the runner to finish ${steps.map((s) => s.op).join(', ')}`, timeoutMs, 100);
  const outcome = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as
    | { ok: true; results: unknown[] }
    | { ok: false; step: number; op: string; error: string };
  fs.rmSync(resultFile, { force: true });
  if (!outcome.ok) throw new Error(`webview step ${outcome.step} (${outcome.op}) failed: ${outcome.error}`);
  return outcome.results;
}

/** What the runner's error says of a webview VS Code never gave its page (webview-driver.mjs, UNSTARTED_WEBVIEW). */
const UNSTARTED_WEBVIEW = 'never received its page';

/**
 * Opens a webview with `open`, then runs `steps` in the page that has `selector`. VS Code for the Web can leave
 * a webview opened just as another one closed blank for good (its service worker never takes control, so
 * VS Code never loads the extension's page; the runner's error says so): only then is the editor closed and
 * opened once more, and the log says it happened. Every other failure fails the test.
 */
export async function openAndDrive(open: () => Thenable<unknown>, selector: string, steps: DriverStep[]): Promise<unknown[]> {
  await open();
  try {
    return await drive(inPage(selector, steps));
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes(UNSTARTED_WEBVIEW)) throw error;
    console.warn(`${error.message}: VS Code left the webview blank; closing it and opening it again`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await open();
    return await drive(inPage(selector, steps));
  }
}

/**
 * Evaluates `fn(arg)` in the panel's webview and returns its (JSON) value. `fn` travels as source text, so
 * it must be self-contained (no closures over test variables: pass them as `arg`).
 */
export async function evaluateInPanel<A, T>(fn: (arg: A) => T, arg?: A): Promise<T> {
  const [value] = await drive([{ op: 'evaluate', fn: fn.toString(), arg }]);
  return value as T;
}

/** Waits (in the browser, polling) until `fn(arg)` is truthy in the panel's webview; returns its value. */
export async function waitInPanel<A, T>(fn: (arg: A) => T, arg?: A, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const [value] = await drive([{ op: 'waitForFunction', fn: fn.toString(), arg, timeoutMs }], timeoutMs + 10_000);
  return value as NonNullable<T>;
}

/**
 * Sets the colour theme (user settings) and waits until the workbench page shows it: for screenshots of
 * workbench UI (menus, views) in the dark and light themes. A theme whose name says "Light" is a light one.
 */
export async function useWorkbenchTheme(theme: string): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
  const kind = /\bLight\b/.test(theme) ? 'vs' : 'vs-dark';
  const applied = "(k) => document.querySelector('.monaco-workbench')?.classList.contains(k)";
  await drive([{ op: 'waitForFunction', frame: 'workbench', fn: applied, arg: kind }]);
}
