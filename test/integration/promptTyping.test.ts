// Issue 23: what the person typed is what is sent. Clicks in the Generate panel's prompt, presses Ctrl+A and
// types at once, many times in a row, on a busy machine (one spinning thread per core, like a loaded CI
// runner), and checks every create the simulator received (its own task list), the card, and what the field
// showed when Generate was pressed. The same right after the page was reloaded (the prompt restored from the
// page's saved state, `init` still on its way) and right after Regenerate filled the form in.
//
// The cause it found (VS Code's, not ours): in a browser, a webview forwards every keydown to the workbench,
// and the workbench answers Ctrl+A with its Select All command, which posts `execCommand('selectAll')` back
// into the webview. The browser has already selected all by then; under load the late second select-all
// lands after the first typed characters and selects them, so the next character replaces them. Before the
// work-around (src/webview/keyboard.ts) this test lost characters in about 2 of 3 rounds, each time right
// after such a late execCommand('selectAll'); it stays as the guard.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, waitFor } from './helpers';
import { startCpuLoad, type CpuLoad } from './cpuLoad';
// The panel keeps the newest 50 cards (MAX_PANEL_RESULTS in src/shared/protocol.ts): not imported, since a test
// file that loads extension sources breaks activation.test's check that only the bundle runs.
const MAX_PANEL_RESULTS = 50;
import { createRequests, seedance, sim, waitForInternal, withSetting } from './seedanceKit';
import { drive, evaluateInPanel, waitInPanel, webviewDriverAvailable, inPage, type DriverStep } from './webviewDriver';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

/** Rounds per case: the issue saw the loss in about 3 of 12 quick tries, so 30 clean rounds mean something. */
const ROUNDS = 30;
/** Different first letters, so a lost first character always shows. */
const PHRASES = [
  'A lighthouse in a storm',
  'Bright koi circling a stone pond',
  'Candles flickering in a cathedral',
  'Dust drifting through a sunbeam',
  'Eagles gliding over a canyon',
  'Foxes playing in fresh snow',
  'Glass marbles rolling down stairs',
  'Hot air balloons at sunrise',
];

const FIELD = '#prompt textarea';

/** The prompt as the page shows it now (the textarea inside the component, not our copy of it). */
const shownPrompt = (() => document.getElementById('prompt')?.shadowRoot?.querySelector('textarea')?.value ?? null).toString();

/** The newest card's task id ('' without cards). */
const newestCard = (() => document.querySelector('.result')?.dataset.taskId ?? '').toString();

/** Until a newer card than `before` is on top (or the form reports a problem); what that card says. */
const newCard = ((before: string) => {
  const error = document.getElementById('form-error')?.textContent;
  if (error) return { error };
  const card = document.querySelector('.result');
  const busy = document.getElementById('generate')?.hasAttribute('disabled');
  return card && card.dataset.taskId !== before && !busy ? { id: card.dataset.taskId, prompt: card.querySelector('.result-prompt')?.textContent } : null;
}).toString();

/**
 * Records every document.execCommand the page receives (VS Code's Select All, Copy, Paste... arrive that way)
 * with what the field held at that moment; diagnostics for the log and the upstream report, calls pass through.
 * Returns the calls since the last call of this function.
 */
const execCommands = (() => {
  const page = document as { seedanceExec?: Array<{ command: string; field: string | null }>; execCommand: (...a: unknown[]) => boolean };
  if (!page.seedanceExec) {
    const original = page.execCommand.bind(page);
    page.seedanceExec = [];
    page.execCommand = (command: unknown, ...rest: unknown[]) => {
      page.seedanceExec!.push({ command: String(command), field: document.getElementById('prompt')?.shadowRoot?.querySelector('textarea')?.value ?? null });
      return original(command, ...rest);
    };
  }
  return page.seedanceExec.splice(0);
}).toString();

const generateEnabled = (() => document.getElementById('generate')?.hasAttribute('disabled') === false).toString();

interface Round {
  typed: string;
  /** What the field showed when Generate was pressed. */
  shown: string;
  /** What the new card shows. */
  card: string;
  localId: string;
  /** document.execCommand calls the page received from VS Code between Ctrl+A and Generate. */
  exec: Array<{ command: string; field: string | null; late: boolean }>;
}

/** The task id of the newest card now. */
async function newestNow(): Promise<string> {
  return (await drive([{ op: 'waitForFunction', fn: generateEnabled }, { op: 'evaluate', fn: newestCard }]))[1] as string;
}

/**
 * Select all and type `text` at once, then Generate; `before` are steps run first in the same breath.
 * `newest`: the newest card before this round (read now when not given). `panelSelector`: which page to drive
 * (after a reload, the new one: the old frame can still match the default selector while it is being detached).
 */
async function typeAndGenerate(text: string, before: DriverStep[] = [], newest?: string, panelSelector?: string): Promise<Round> {
  newest ??= await newestNow();
  const steps: DriverStep[] = [
    ...before,
    { op: 'evaluate', fn: execCommands },
    { op: 'evaluate', fn: shownPrompt },
    { op: 'type', selector: FIELD, press: 'Control+a', text },
    { op: 'evaluate', fn: shownPrompt },
    { op: 'evaluate', fn: execCommands },
    { op: 'waitForFunction', fn: generateEnabled },
    { op: 'click', selector: '#generate' },
    { op: 'waitForFunction', fn: newCard, arg: newest, timeoutMs: 30_000 },
  ];
  const results = await drive(panelSelector ? inPage(panelSelector, steps) : steps, 60_000);
  const at = before.length;
  const previous = results[at + 1] as string;
  const shown = results[at + 3] as string;
  // A select-all that found the field changed since Ctrl+A came after typing had begun.
  const exec = (results[at + 4] as Round['exec']).map((e) => ({ ...e, late: e.field !== previous }));
  const card = results[at + 7] as { id?: string; prompt?: string; error?: string };
  assert.equal(card.error, undefined, `Generate was refused for "${text}"`);
  return { typed: text, shown, card: card.prompt ?? '', localId: card.id ?? '', exec };
}

/** The prompt each round's create carried, read from the simulator's own task list. */
async function sentPrompts(rounds: readonly Round[]): Promise<string[]> {
  const remote = await Promise.all(rounds.map(async (r) => (await waitForInternal(r.localId, (t) => t.remoteId !== undefined, 'the create answered')).remoteId!));
  const tasks = await sim.tasks();
  return remote.map((id) => tasks.find((t) => t.id === id)?.prompt ?? `(no task ${id} at the simulator)`);
}

/** Compares typed, shown, carded and sent for every round; logs the figures either way. */
async function check(name: string, rounds: readonly Round[], createsBefore: number): Promise<void> {
  const sent = await sentPrompts(rounds);
  const bad = rounds.map((r, i) => ({ ...r, sent: sent[i] }))
    .filter((r) => r.sent !== r.typed || r.shown !== r.typed || r.card !== r.typed);
  const selectAlls = rounds.map((r) => r.exec.filter((e) => e.command === 'selectAll'));
  console.log(`[issue 23] ${name}: ${rounds.length - bad.length} of ${rounds.length} rounds sent exactly what was typed; ` +
    `VS Code's execCommand('selectAll') reached the page in ${selectAlls.filter((s) => s.length > 0).length} rounds, ` +
    `after typing had begun in ${selectAlls.filter((s) => s.some((e) => e.late)).length}` +
    (bad.length ? `; wrong: ${JSON.stringify(bad.map(({ typed, shown, sent: s, card, exec }) => ({ typed, shown, sent: s, card, exec })))}` : ''));
  assert.deepEqual(sent, rounds.map((r) => r.typed), 'every create carries exactly the typed prompt');
  assert.deepEqual(rounds.map((r) => r.shown), rounds.map((r) => r.typed), 'the field showed exactly what was typed');
  assert.deepEqual(rounds.map((r) => r.card), sent, 'each card shows the prompt that was sent');
  assert.equal(await createRequests() - createsBefore, rounds.length, 'one create per Generate, none sent twice');
}

/** The panel with a cheap, fast choice, its form live. */
async function openPanel(): Promise<void> {
  await vscode.commands.executeCommand('seedance.generate');
  await drive([
    { op: 'waitFor', selector: FIELD, timeoutMs: 60_000 },
    { op: 'waitForFunction', fn: generateEnabled },
    { op: 'chooseOption', selector: '#model', label: 'Seedance 2.0 Fast' },
    { op: 'chooseOption', selector: '#resolution', label: '480p' },
    { op: 'chooseOption', selector: '#seconds', label: '4 seconds' },
  ]);
}

/**
 * Reloads the panel's page (Developer: Reload Webviews) and waits until the new page shows `restored`, the
 * prompt it got back from its saved state; its `init` may still be on its way.
 */
/** The page a reload brought (reloadPage marks the one it replaces). */
const FRESH_PAGE = 'body:not([data-old-page]) main#app[data-panel]';

async function reloadPage(restored: string): Promise<void> {
  // The old page is marked, and only a page without the mark counts (VS Code swaps the frames).
  await evaluateInPanel(() => document.body.setAttribute('data-old-page', ''));
  const fresh = FRESH_PAGE;
  const shows = async () => {
    const [shown] = await drive([{ op: 'evaluate', fn: shownPrompt, panelSelector: fresh, timeoutMs: 2_000 }]);
    return shown === restored;
  };
  for (let attempt = 1; ; attempt++) {
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    try {
      await waitFor(shows, 'the reloaded page showing the saved prompt', 15_000, 20);
      return;
    } catch (error) {
      // What the pages say goes to the log (a reloaded page with an empty prompt was issue 23's second finding:
      // a state with more than MAX_PANEL_RESULTS cards, refused on restore). One more reload, in case the
      // command itself was lost, then the test fails.
      const pages = await drive([
        { op: 'evaluate', fn: (() => ({ old: document.body.hasAttribute('data-old-page'), shown: document.getElementById('prompt')?.shadowRoot?.querySelector('textarea')?.value, live: document.getElementById('generate')?.hasAttribute('disabled') === false })).toString() },
        { op: 'evaluate', frame: 'workbench', fn: (() => document.querySelectorAll('iframe').length).toString() },
        { op: 'screenshot', name: `prompt-typing-reload-${attempt}` },
      ]).catch((e: unknown) => String(e));
      console.log(`[issue 23] after Reload Webviews: ${JSON.stringify(pages)}`);
      if (attempt === 2) throw error;
      console.log(`[issue 23] the reloaded page did not show the saved prompt within 15 s; reloading again (${(error as Error).message})`);
    }
  }
}

/**
 * Fills the panel's list up to `target` cards with earlier generations (made without the form when there are too
 * few), so the reload rounds cross MAX_PANEL_RESULTS: past it, the page once saved a state it could not read
 * back after a reload, and the saved prompt was gone (found by this test).
 */
async function topUpCards(target: number, tag: string): Promise<void> {
  const api = await seedance();
  const shown = new Set(await evaluateInPanel(() => Array.from(document.querySelectorAll('.result')).map((e: any) => e.dataset.taskId as string)));
  const need = target - shown.size;
  if (need <= 0) return;
  const ids = api.listTasks().map((t) => t.id).filter((id) => !shown.has(id) && !shown.has(api.testHooks.task(id)?.localId ?? ''));
  for (let i = ids.length; i < need; i++) {
    ids.push(await vscode.commands.executeCommand<string>('seedance.generate', { prompt: `Filler card ${i + 1} ${tag}`, model: 'doubao-seedance-2-0-fast', seconds: 4, size: '16:9', resolution: '480p' }));
  }
  for (const id of ids.slice(0, need)) await vscode.commands.executeCommand('seedance.previewTask', id);
  await waitInPanel((n: number) => document.querySelectorAll('.result').length >= n, target);
}

describe('Prompt typing: select all and type at once (issue 23)', function () {
  this.timeout(600_000);
  let load: CpuLoad | undefined;
  let restoreDownload: (() => Promise<void>) | undefined;
  const tag = Math.random().toString(36).slice(2, 7);
  const text = (i: number, what: string) => `${PHRASES[i % PHRASES.length]}, ${what} ${i + 1} ${tag}`;

  before(async function () {
    if (!webviewDriverAvailable) this.skip(); // the desktop backend has no runner-side browser
    await activeExtension();
    await sim.noRandomFaults();
    // The videos are not what this is about: not downloading them keeps the run short.
    restoreDownload = await withSetting('seedance', 'autoDownload', false, vscode.ConfigurationTarget.Global);
    // Opened once, before any load: each test starts from what the previous one left (cards cap at 50).
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await openPanel();
  });

  beforeEach(() => {
    // Bounded by itself too (a few minutes), should afterEach never run.
    load = startCpuLoad(240_000);
  });

  afterEach(async () => {
    await load?.stop();
    load = undefined;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await restoreDownload?.();
  });

  it(`sends exactly the typed prompt, ${ROUNDS} times in a row`, async () => {
    const creates = await createRequests();
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await typeAndGenerate(text(i, 'take')));
    await check('typing', rounds, creates);
  });

  it(`sends exactly the typed prompt right after the page reloads with its saved prompt, ${ROUNDS} times`, async () => {
    await topUpCards(MAX_PANEL_RESULTS - 10, tag);
    const creates = await createRequests();
    const rounds: Round[] = [];
    let restored = 'A saved draft before the reload';
    await drive([{ op: 'fill', selector: FIELD, text: restored }]);
    for (let i = 0; i < ROUNDS; i++) {
      const newest = await newestNow();
      await reloadPage(restored);
      // Not waiting for the form to be live: typing races the `init` that brings the cards and enables Generate.
      const round = await typeAndGenerate(text(i, 'after reload'), [], newest, FRESH_PAGE);
      rounds.push(round);
      restored = round.shown;
    }
    await check('after reload', rounds, creates);
  });

  it(`sends exactly the typed prompt when it is edited right after Regenerate filled it in, ${ROUNDS} times`, async () => {
    const first = await typeAndGenerate(text(0, 'original'));
    const creates = await createRequests();
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // What the newest card shows (and so what Regenerate fills in), lost characters and all.
      const previous = i === 0 ? first.card : rounds[i - 1].card;
      // A "video ready" notification may cover the card's buttons.
      await vscode.commands.executeCommand('notifications.clearAll');
      rounds.push(await typeAndGenerate(text(i + 1, 'regenerated'), [
        // An empty prompt first: Regenerate has no typed prompt to ask about replacing.
        { op: 'fill', selector: FIELD, text: '' },
        { op: 'click', selector: '.result [data-action="regenerate"]' },
        { op: 'waitForFunction', fn: ((p: string) => document.getElementById('prompt')?.shadowRoot?.querySelector('textarea')?.value === p
          && document.getElementById('prefill-note')?.hidden === false).toString(), arg: previous },
      ]));
    }
    await check('after Regenerate', rounds, creates);
  });
});
