// Seedance Studio in the language VS Code runs in. The runner's `--locale zh-cn` (npm run test:l10n) starts
// the VS Code server in Simplified Chinese (see scripts/vscode-test/locale.mjs); then the extension host's
// vscode.l10n, the manifest (package.nls.zh-cn.json) and the Generate panel (the bundle embedded in the page,
// read by @vscode/l10n) must all show Chinese, and so must the spending view and the storyboard preview (their
// words through the same bundle, their months and numbers through Intl in VS Code's language). In a run
// without --locale the same checks expect English, so the suite proves something in every run and cannot pass
// by quietly staying in English.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeExtension, screenshot } from './helpers';
import { reactivate, seedance, workspaceRoot } from './seedanceKit';
import { drive, evaluateInPanel, waitInPanel, webviewDriverAvailable, inPage, openAndDrive } from './webviewDriver';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const getComputedStyle: any;

const locale = process.env.SEEDANCE_TEST_LOCALE ?? '';
const chinese = locale === 'zh-cn';

const textOf = (selector: string) => evaluateInPanel((sel: string) => document.querySelector(sel)?.textContent?.trim() ?? null, selector);

const SPENDING = 'main#app[data-panel="seedance-spending"]';
const PREVIEW = 'main#app[data-panel="seedance-storyboard"]';

/** What the page shows: for each name, the trimmed text (or, for `@attr` after the selector, the attribute). */
async function readPage(page: string, wanted: Record<string, string>): Promise<Record<string, string | null>> {
  const fn = (w: Record<string, string>) => {
    const out: Record<string, string | null> = { lang: document.documentElement.lang };
    for (const [name, spec] of Object.entries(w)) {
      const [selector, attr] = spec.split('@');
      const el = document.querySelector(selector);
      out[name] = el ? (attr ? el.getAttribute(attr) : el.textContent.trim()) : null;
    }
    return out;
  };
  const [value] = await drive(inPage(page, [{ op: 'evaluate', fn: fn.toString(), arg: wanted }]));
  return value as Record<string, string | null>;
}

/** Every element of `page` that would be cut off: its content is wider than its box (CSS overflow). */
async function clippedIn(page: string): Promise<string[]> {
  const fn = () => Array.from(document.querySelectorAll('h1, h2, h3, p, th, td, button, vscode-button, label, .cost, .take-label'))
    .filter((el: any) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
    .map((el: any) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}: ${el.textContent.trim().slice(0, 40)}`);
  const [value] = await drive(inPage(page, [{ op: 'evaluate', fn: fn.toString() }]));
  return value as string[];
}

describe('Localization (VS Code display language)', function () {
  this.timeout(120_000);

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the extension host runs in the requested language', () => {
    assert.equal(vscode.env.language, locale || 'en', `vscode.env.language is "${vscode.env.language}"`);
  });

  it('vscode.l10n.t in the extension returns the translation from l10n/bundle.l10n.<language>.json', async () => {
    // Asked of the extension itself: this test file's own `vscode` module is not the extension's, so its
    // vscode.l10n has no bundle. seedance.setApiKey with a non-string argument rejects with a vscode.l10n.t message.
    const error = await Promise.resolve(vscode.commands.executeCommand('seedance.setApiKey', 42)).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    assert.ok(error, 'seedance.setApiKey(42) must be refused');
    assert.equal(error.message, chinese ? 'seedance.setApiKey 需要以字符串形式传入密钥。' : 'seedance.setApiKey takes the key as a string.');
  });

  it('command titles and view names come from package.nls.<language>.json', async () => {
    const ext = await activeExtension();
    type Localized = string | { value: string; original: string };
    const text = (v: Localized | undefined) => (typeof v === 'object' ? v.value : v);
    const manifest = ext.packageJSON as {
      contributes: { commands: { command: string; title: Localized }[]; views: Record<string, { id: string; name: Localized }[]> };
    };
    const generate = manifest.contributes.commands.find((c) => c.command === 'seedance.generate');
    assert.equal(text(generate?.title), chinese ? '生成视频' : 'Generate Video');
    assert.equal(text(manifest.contributes.views.seedance[0].name), chinese ? '视频' : 'Videos');
  });

  it('words from src/core (catalogue, through @vscode/l10n) follow the language too', async () => {
    // A bad argument object is refused before anything is sent, with the catalogue's/argument checker's words.
    const error = await Promise.resolve(vscode.commands.executeCommand('seedance.generate', { prompt: 'x', seconds: 'soon' })).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    assert.ok(error, 'an invalid argument object must be refused');
    assert.match(error.message, chinese ? /"seconds" 必须是整数秒/ : /"seconds" must be a whole number of seconds/);
  });

  it('the Generate panel shows its form in the language (and a screenshot records it)', async function () {
    if (!webviewDriverAvailable) this.skip();
    await vscode.commands.executeCommand('seedance.generate');
    await drive([
      { op: 'waitFor', selector: '#prompt textarea' },
      { op: 'waitForFunction', fn: (() => document.querySelector('#generate')?.hasAttribute('disabled') === false).toString() },
    ]);
    const expected = chinese
      ? { title: '新建视频', generate: '生成', duration: '时长', size: '宽高比', results: '结果', lang: 'zh-cn' }
      : { title: 'New video', generate: 'Generate', duration: 'Duration', size: 'Size', results: 'Results', lang: 'en' };
    assert.equal(await textOf('#form-title'), expected.title);
    assert.equal(await textOf('#generate'), expected.generate);
    assert.equal(await textOf('vscode-label[for="seconds"]'), expected.duration);
    assert.equal(await textOf('#size-label'), expected.size);
    assert.equal(await textOf('#results-title'), expected.results);
    assert.equal(await evaluateInPanel(() => document.documentElement.lang), expected.lang);
    // The model notes come from src/core/catalog.ts through the same bundle.
    const note = (await textOf('#model-note')) ?? '';
    assert.match(note, chinese ? /[\u4e00-\u9fff]/ : /^[\x20-\x7e]+$/, `model note: "${note}"`);
    // The cost estimate beside Generate: words through the bundle, money through Intl.
    const estimate = await waitInPanel(() => document.querySelector('#estimate-text')?.textContent?.trim() || null);
    assert.match(estimate, chinese ? /^(预估费用：\$\d+\.\d\d ?（\$[\d.]+\/秒，.+）|价格未知：)/ : /^(Estimated cost: \$\d+\.\d\d \(\$[\d.]+\/s, .+\)|Price unknown:)/, `estimate: "${estimate}"`);
    // A generation against the simulator: its card and its entry in the Seedance view speak the language too.
    const taskId = await vscode.commands.executeCommand<string>('seedance.generate', {
      prompt: chinese ? '一只纸船在雨夜的街边水沟里漂流，微距镜头，傍晚的光线' : 'A paper boat drifting down a rainy street gutter, macro lens, evening light',
      model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p',
    });
    assert.ok(taskId, 'the generation was accepted');
    await vscode.commands.executeCommand('seedance.tasks.focus');
    await vscode.commands.executeCommand('seedance.previewTask', taskId);
    const status = await waitInPanel(() => document.querySelector('.result .status')?.textContent?.trim() || null, undefined, 20_000);
    assert.match(status, chinese ? /[\u4e00-\u9fff]/ : /^[\x20-\x7e…%]+$/, `card status: "${status}"`);
    // Finished and saved: the card says so and offers its actions in the language.
    const done = await waitInPanel(() => document.querySelector('.result [data-action="openFile"]')?.textContent?.trim() || null, undefined, 60_000);
    assert.equal(done, chinese ? '打开文件' : 'Open File');
    const play = await evaluateInPanel(() => document.querySelector('.result .play-overlay')?.getAttribute('aria-label') ?? null);
    assert.equal(play, chinese ? '播放视频' : 'Play video');
    await screenshot(`l10n-panel-${locale || 'en'}`);
  });

  it('a failure reason Seedance Studio stored (in English) is shown in the language, when shown', async function () {
    if (!webviewDriverAvailable) this.skip();
    // A generation stored before, in English (as every stored reason is), that CometAPI no longer knew.
    const envelope = (await (await seedance()).testHooks.readStoredTasks()) as { version: number; tasks: unknown[] };
    const now = Date.now();
    const lost = {
      localId: 'l10n-lost', remoteId: 'task_l10n_lost', status: 'failed', progress: 0,
      request: { prompt: 'A lighthouse at dusk, stored in English', model: 'doubao-seedance-2-0-fast', seconds: 5, size: '16:9', resolution: '720p' },
      createdAt: now - 600_000, submittedAt: now - 600_000, finishedAt: now - 300_000,
      failure: { kind: 'notFound', code: 'task_not_exist', message: 'CometAPI no longer knows this task (it may have expired or belong to another key).' },
      download: { state: 'none' },
    };
    await reactivate({ storedTasks: { version: 1, tasks: [lost, ...envelope.tasks] } });
    try {
      await vscode.commands.executeCommand('seedance.previewTask', 'l10n-lost');
      const shown = await waitInPanel(() => [...document.querySelectorAll('.result .error-text')].map((e: any) => e.textContent.trim()).find((t: string) => /CometAPI/.test(t)) ?? null, undefined, 20_000);
      assert.equal(shown, chinese ? 'CometAPI 已不再知道这个任务（它可能已过期，或属于另一个密钥）。' : 'CometAPI no longer knows this task (it may have expired or belong to another key).');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await reactivate({ storedTasks: envelope });
    }
  });

  it('the spending view shows its words, months and money in the language (and a screenshot records it)', async function () {
    if (!webviewDriverAvailable) this.skip();
    await seedance();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Opened right after the test before closed the Generate panel: the moment VS Code for the Web may leave blank.
    await openAndDrive(() => vscode.commands.executeCommand('seedance.showSpending'), SPENDING, [{ op: 'waitFor', selector: '#month-table tbody tr' }]);
    const shown = await readPage(SPENDING, {
      title: 'h1', months: '#months-title', monthHeader: '#month-table thead th', spentHeader: '#month-table thead th.num',
      total: '#this-month-total', thisMonth: '#this-month-title', detail: '#detail-title', picker: '#month-picker@aria-label',
      prices: '#prices-title', setPrices: '#set-prices', chart: '#month-chart@aria-label',
    });
    const expected = chinese
      ? { title: 'Seedance 花费', months: '按月份', monthHeader: '月份', spentHeader: '花费（估算）', prices: '所用价格', setPrices: '设置价格…', picker: '下方显示的月份', lang: 'zh-cn' }
      : { title: 'Seedance Spending', months: 'By month', monthHeader: 'Month', spentHeader: 'Spent (est.)', prices: 'Prices used', setPrices: 'Set Prices…', picker: 'Month shown below', lang: 'en' };
    for (const [name, text] of Object.entries(expected)) assert.equal(shown[name], text, `${name}: ${JSON.stringify(shown)}`);
    // Text built from a placeholder, the month formatted by Intl in VS Code's language, money with "$".
    assert.match(shown.total ?? '', chinese ? /^已花费 \$\d+\.\d\d(，月度上限为 \$[\d,]+\.\d\d|，未设置月度上限)$/ : /^\$\d+\.\d\d (of your \$[\d,]+\.\d\d monthly limit|— no monthly limit set)$/, `total: ${shown.total}`);
    assert.match(shown.detail ?? '', chinese ? /^\d{4}年\d{1,2}月$/ : /^[A-Z][a-z]+ \d{4}$/, `month: ${shown.detail}`);
    assert.match(shown.thisMonth ?? '', chinese ? /^本月 · \d{4}年\d{1,2}月$/ : /^This month · [A-Z][a-z]+ \d{4}$/, `headline: ${shown.thisMonth}`);
    assert.match(shown.chart ?? '', chinese ? /条形图/ : /^Bar chart of estimated spending over \d+ months?;/, `chart label: ${shown.chart}`);
    assert.deepEqual(await clippedIn(SPENDING), [], 'nothing in the spending view is cut off');
    await screenshot(`l10n-spending-${locale || 'en'}`);
  });

  it('the storyboard preview shows its words in the language (and a screenshot records it)', async function () {
    if (!webviewDriverAvailable) this.skip();
    await seedance();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const file = vscode.Uri.file(path.join(workspaceRoot(), `l10n-${locale || 'en'}.storyboard.md`));
    fs.writeFileSync(file.fsPath, [
      '---',
      chinese ? 'title: 雨夜纸船' : 'title: Paper Boat',
      'model: doubao-seedance-2-0-fast',
      'seconds: 5',
      '---',
      '',
      chinese ? '## 雨中的街道' : '## A rainy street',
      chinese ? '雨夜的街道，路灯倒映在水洼里，镜头缓缓推近' : 'A rainy street at night, street lights in the puddles, slow push in',
      '',
      chinese ? '## 纸船起航' : '## The boat sets off',
      '<!-- shot',
      'continue: true',
      '-->',
      chinese ? '一只纸船顺着水沟漂走，微距镜头' : 'A paper boat drifts down the gutter, macro lens',
      '',
    ].join('\n'));
    await vscode.commands.executeCommand('seedance.storyboard.preview', file);
    await drive(inPage(PREVIEW, [{ op: 'waitFor', selector: '.shot .no-takes' }]));
    const shown = await readPage(PREVIEW, {
      playAll: '#play-all', playAllTitle: '#play-all@title', generateAll: '#generate-all', meta: '.meta', noTakes: '.shot .no-takes',
      generate: '.shot button.reroll', generateTitle: '.shot button.reroll@title', pending: '.frame-placeholder', caption: '.start-frame figcaption',
    });
    const expected = chinese
      ? { playAll: '全部播放', playAllTitle: '还没有哪个镜头选定了可播放的片段', generateAll: '全部生成', noTakes: '还没有片段。', generate: '生成',
        pending: '上一个镜头的片段生成完成后，它的最后一帧会显示在这里。', caption: '从上一个镜头的最后一帧开始（作为参考图发送）。', lang: 'zh-cn' }
      : { playAll: 'Play All', playAllTitle: 'No shot has a chosen take to play yet', generateAll: 'Generate All', noTakes: 'No takes yet.', generate: 'Generate',
        pending: 'The previous shot\'s last frame appears here once its take is ready.', caption: 'Starts from the previous shot\'s last frame (sent as the reference image).', lang: 'en' };
    for (const [name, text] of Object.entries(expected)) assert.equal(shown[name], text, `${name}: ${JSON.stringify(shown)}`);
    assert.match(shown.meta ?? '', chinese ? /^l10n-zh-cn\.storyboard\.md · 2 个镜头 · / : /^l10n-en\.storyboard\.md · 2 shots · /, `meta: ${shown.meta}`);
    assert.match(shown.generateTitle ?? '', chinese ? /^生成此镜头（.+）$/ : /^Generate this shot \(.+\)$/, `Generate title: ${shown.generateTitle}`);
    assert.deepEqual(await clippedIn(PREVIEW), [], 'nothing in the storyboard preview is cut off');
    await screenshot(`l10n-storyboard-${locale || 'en'}`);
  });
});
