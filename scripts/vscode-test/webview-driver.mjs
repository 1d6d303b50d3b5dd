// Runner-side driver for webviews, used by integration tests that must act like a person inside a panel.
//
// Why it exists: integration tests run inside the extension host, which cannot reach into the webview's
// DOM. The runner holds the Chromium page (playwright), which can. So a test logs one line
//   WEBVIEW_DRIVER {"resultFile": "/abs/path.json", "steps": [ ... ]}
// (the extension host's console reaches the runner through codeAutomationLog), the runner runs the steps
// with playwright against the workbench or the webview frame, and writes {"ok":true,"results":[...]} or
// {"ok":false,"error":"...","step":n} to resultFile, which the test polls. See test/integration/webviewDriver.ts.
//
// Steps (each may say "frame": "panel" (default: the webview whose page has `panelSelector`) or "workbench"):
//   {op:"waitFor", selector, state?: "visible"|"attached"|"hidden"|"detached", timeoutMs?}
//   {op:"click", selector, button?: "right"}    {op:"fill", selector, text}
//   {op:"texts", selector}                      (innerText of every match, shadow roots included)
//   {op:"waitForDownload", fileName, timeoutMs?} (a browser download of that name since the first request; each
//                                               wait consumes one, so a second wait needs a second download)
//   {op:"press", selector, key}                 {op:"focus", selector}
//   {op:"type", selector, text, press?}         (like a person: click the field, press `press` (e.g. "Control+a")
//                                               if given, then type `text` key by key with no pause in between)
//   {op:"hover", selector}                      (the mouse over it, e.g. for a status bar item's tooltip)
//   {op:"chooseOption", selector, label}        (a vscode-single-select: open it, click the option)
//   {op:"evaluate", fn, arg?}                   (fn: a function's source, run in the frame; result returned)
//   {op:"waitForFunction", fn, arg?, timeoutMs?} (until fn(arg) is truthy; its value returned)
//   {op:"dropFile", selector, fileName, mimeType, base64} (a real drop event carrying a File)
//   {op:"screenshot", name}                     (whole workbench, into the screenshots folder)
//   {op:"securityMessages"}                     (console lines about CSP refusals seen so far, any frame)
import fs from 'node:fs';
import path from 'node:path';

const MARKER = 'WEBVIEW_DRIVER ';
const DEFAULT_TIMEOUT_MS = 20_000;

/** True when a console line from the extension host is a driver request. */
export function isDriverRequest(line) {
  return typeof line === 'string' && line.startsWith(MARKER);
}

/**
 * Runs one request. `allowedRoot` bounds where result files may be written (the run's folder);
 * `screenshot(name)` is the runner's own screenshot function. Never throws: failures go to the result file.
 */
export async function runDriverRequest(page, line, { allowedRoot, screenshot, log }) {
  watchSecurityMessages(page);
  watchDownloads(page);
  let request;
  try {
    request = JSON.parse(line.slice(MARKER.length));
  } catch (e) {
    log(`webview driver: unreadable request (${e.message})`);
    return;
  }
  const resultFile = typeof request.resultFile === 'string' ? path.resolve(request.resultFile) : '';
  const relative = path.relative(allowedRoot, resultFile);
  if (!resultFile.endsWith('.json') || relative.startsWith('..') || path.isAbsolute(relative)) {
    log(`webview driver: refused result file outside the run folder: ${request.resultFile}`);
    return;
  }
  const steps = Array.isArray(request.steps) ? request.steps : [];
  const results = [];
  let outcome;
  let index = 0;
  try {
    for (; index < steps.length; index++) results.push(await runStep(page, steps[index], screenshot, log));
    outcome = { ok: true, results };
  } catch (e) {
    outcome = { ok: false, step: index, op: steps[index]?.op, error: String(e?.message ?? e).split('\n').slice(0, 6).join('\n'), results };
    log(`webview driver: step ${index} (${steps[index]?.op}) failed: ${outcome.error}`);
    // What the page looked like when the step gave up: usually the quickest way to see why.
    await screenshot(`webview-driver-failure-${path.basename(resultFile, '.json')}`).catch(() => undefined);
  }
  const partial = `${resultFile}.partial`;
  fs.writeFileSync(partial, JSON.stringify(outcome));
  fs.renameSync(partial, resultFile); // the test never reads half a file
}

/** Console lines about Content Security Policy refusals, from any frame, since the first driver request. */
const securityMessages = new WeakMap();

function watchSecurityMessages(page) {
  if (securityMessages.has(page)) return;
  const lines = [];
  securityMessages.set(page, lines);
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) lines.push(`${m.location()?.url ?? '?'}: ${m.text()}`.slice(0, 500));
  });
}

/** Suggested file names of the browser downloads seen since the first driver request (VS Code's "Download..."). */
const downloads = new WeakMap();

function watchDownloads(page) {
  if (downloads.has(page)) return;
  const names = [];
  downloads.set(page, names);
  page.on('download', (d) => names.push(d.suggestedFilename()));
}

async function runStep(page, step, screenshot, log) {
  try {
    return await runStepOnce(page, step, screenshot);
  } catch (e) {
    // A webview that VS Code swapped while the step ran (a reload, a panel moved): the frame found for it is
    // gone. Steps that only read or wait are run once more on the frame that has the page now.
    if (!/Frame was detached/i.test(String(e?.message)) || !['evaluate', 'waitFor', 'waitForFunction', 'texts'].includes(step.op)) throw e;
    log(`webview driver: ${step.op} found its frame detached; once more on the current one`);
    return await runStepOnce(page, step, screenshot);
  }
}

async function runStepOnce(page, step, screenshot) {
  const timeout = step.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (step.op === 'waitForDownload') {
    const deadline = Date.now() + timeout;
    const seen = downloads.get(page);
    while (!seen.includes(step.fileName)) {
      if (Date.now() > deadline) throw new Error(`no download of ${step.fileName} within ${timeout} ms (unclaimed: ${seen.join(', ') || 'none'})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    seen.splice(seen.indexOf(step.fileName), 1);
    return step.fileName;
  }
  if (step.op === 'screenshot') {
    await screenshot(step.name);
    return null;
  }
  if (step.op === 'securityMessages') return [...(securityMessages.get(page) ?? [])];
  const frame = step.frame === 'workbench' ? page.mainFrame() : await findFrame(page, step.panelSelector ?? 'main#app[data-panel]', timeout);
  const locator = step.selector ? frame.locator(step.selector).first() : undefined;
  switch (step.op) {
    case 'waitFor':
      await locator.waitFor({ state: step.state ?? 'visible', timeout });
      return null;
    case 'click':
      await locator.click({ timeout, ...(step.button === 'right' ? { button: 'right' } : {}) });
      return null;
    case 'texts':
      await locator.waitFor({ state: 'attached', timeout });
      return await frame.locator(step.selector).allInnerTexts();
    case 'focus':
      await locator.focus({ timeout });
      return null;
    case 'hover':
      await locator.hover({ timeout });
      return null;
    case 'fill':
      await locator.fill(step.text, { timeout });
      return null;
    case 'press':
      await locator.press(step.key, { timeout });
      return null;
    case 'type':
      // One step, so nothing (no frame lookup, no round trip to the test) sits between the keys: the
      // keystrokes follow each other as fast as a quick typist's, which is what exposes a late answer
      // to one of them (issue 23: VS Code's select-all landing after the first typed character).
      await locator.click({ timeout });
      if (step.press) await page.keyboard.press(step.press);
      await page.keyboard.type(step.text);
      return null;
    case 'chooseOption': {
      await locator.click({ timeout });
      const option = frame.locator(`${step.selector} [role="option"]`).filter({ hasText: new RegExp(`^\\s*${escapeRegExp(step.label)}\\s*$`) }).first();
      await option.click({ timeout });
      return null;
    }
    case 'evaluate':
      // A string expression: playwright evaluates it through the DevTools protocol, which the page's CSP
      // (no 'unsafe-eval') does not block.
      return await frame.evaluate(`(${step.fn})(${JSON.stringify(step.arg ?? null)})`);
    case 'waitForFunction': {
      // Polled from here, not with frame.waitForFunction: that one evals the predicate inside the page,
      // which the webview's CSP (rightly) forbids.
      const expression = `(${step.fn})(${JSON.stringify(step.arg ?? null)})`;
      const deadline = Date.now() + timeout;
      let last;
      for (;;) {
        try {
          const value = await frame.evaluate(expression);
          if (value) return value;
          last = undefined;
        } catch (e) {
          last = e;
        }
        if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${step.fn.slice(0, 200)}${last ? ` (last error: ${last.message})` : ''}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    case 'dropFile': {
      await locator.waitFor({ state: 'visible', timeout });
      await frame.evaluate(
        `(${dropFile.toString()})(${JSON.stringify(step.selector)}, ${JSON.stringify(step.fileName)}, ${JSON.stringify(step.mimeType)}, ${JSON.stringify(step.base64)})`,
      );
      return null;
    }
    default:
      throw new Error(`unknown step ${JSON.stringify(step.op)}`);
  }
}

/**
 * Runs in the webview: dispatches dragenter/dragover/drop carrying one File, as a real drop does, with Shift
 * held: that is how a person drops into a webview (without Shift, VS Code takes file drags for its editors,
 * turning pointer events off on webviews until the drag ends, which a synthetic drag never signals).
 */
/* global document, DataTransfer, DragEvent -- dropFile runs in the page (passed as source to evaluate), not in Node */
function dropFile(selector, fileName, mimeType, base64) {
  const el = document.querySelector(selector);
  if (!el) throw new Error(`no ${selector}`);
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], fileName, { type: mimeType }));
  for (const type of ['dragenter', 'dragover', 'drop']) {
    el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, composed: true, shiftKey: true, dataTransfer: data }));
  }
}

/** How long one frame may take to answer "do you have this?" before the search moves on to the next. */
const FRAME_PROBE_MS = 2_000;

/** In the error when a webview host page never made its content frame (see unstartedWebviews). */
export const UNSTARTED_WEBVIEW = 'never received its page';

/** VS Code's webview host page (pre/index.html), which holds the frame with the extension's page. */
const isWebviewHost = (frame) => !frame.isDetached() && /\/webview\/browser\/pre\/index\.html/.test(frame.url());

/** The frame whose document has `selector` (webviews are nested iframes, possibly cross-origin). */
async function findFrame(page, selector, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      // A frame that is navigating or being torn down may not answer at all: it must not use up the whole
      // deadline while the frame we want loads beside it.
      if (await answers(frame.$(selector).then((handle) => handle !== null), false)) return frame;
    }
    if (Date.now() > deadline) {
      const unstarted = await unstartedWebviews(page);
      throw new Error(`no webview frame with ${selector} within ${timeout} ms${unstarted > 0 ? `; ${unstarted} webview(s) ${UNSTARTED_WEBVIEW} (VS Code's webview service worker never took control)` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How long a webview host page may wait for its service worker before it is nudged (it loads in ~1 s). */
const NUDGE_AFTER_MS = 6_000;
/** How often the watch looks at the webview host pages. */
const WATCH_EVERY_MS = 2_000;

/**
 * VS Code for the Web's race (see unstartedWebviews): a webview host page opened just as another webview
 * closed logs "Found unexpected service worker controller ... Waiting for controllerchange" and waits for
 * an event that never comes, although a worker of the same version already controls the page. The watch
 * looks at every webview host page of the window for the whole run (a page the extension opens with no
 * test step looking at it, such as a preview shown to capture a frame, is stuck the same way); one still
 * without its content frame NUDGE_AFTER_MS after it appeared is sent that event once (its handler then asks
 * the controlling worker for its version and goes on, as it does when the event comes), and it is logged.
 * A page with no controlling worker is left alone. Only this test browser is touched. Returns the stop.
 */
export function watchUnstartedWebviews(currentPage, log) {
  const firstSeen = new WeakMap();
  const settled = new WeakSet(); // has its content frame, or was nudged: never looked at again
  let busy = false;
  const look = async () => {
    const page = currentPage();
    if (busy || !page || page.isClosed()) return;
    busy = true;
    try {
      for (const frame of page.frames()) {
        if (settled.has(frame) || !isWebviewHost(frame)) continue;
        if (!firstSeen.has(frame)) firstSeen.set(frame, Date.now());
        if (Date.now() - firstSeen.get(frame) < NUDGE_AFTER_MS) continue;
        const state = await answers(frame.evaluate(() => {
          if (document.getElementById('active-frame')) return 'started';
          if (!navigator.serviceWorker?.controller) return 'waiting';
          navigator.serviceWorker.dispatchEvent(new Event('controllerchange'));
          return 'nudged';
        }), 'unknown');
        if (state === 'started' || state === 'nudged') settled.add(frame);
        if (state === 'nudged') log(`webview driver: a webview still waited for its service worker after ${NUDGE_AFTER_MS} ms (VS Code for the Web's race); sent it the controllerchange it waits for`);
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void look().catch(() => undefined), WATCH_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Webview host pages (VS Code's pre/index.html) with no content frame: in VS Code for the Web a webview
 * registers a service worker and waits for it to take control before it makes the frame for the
 * extension's page; when a webview is opened just as another closes, that wait can last forever, and the
 * panel stays blank whatever the extension does. Said in the error, so a test can tell it from its own failure.
 */
async function unstartedWebviews(page) {
  let count = 0;
  for (const frame of page.frames()) {
    if (!isWebviewHost(frame)) continue;
    if (await answers(frame.evaluate(() => !document.getElementById('active-frame')), false)) count++;
  }
  return count;
}

/** `promise`'s value, or `otherwise` when it fails or takes longer than FRAME_PROBE_MS. */
async function answers(promise, otherwise) {
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve(otherwise), FRAME_PROBE_MS); });
  try {
    return await Promise.race([promise.catch(() => otherwise), late]);
  } finally {
    clearTimeout(timer);
  }
}

function escapeRegExp(text) {
  return String(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
