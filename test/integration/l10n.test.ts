// Seedance Studio in the language VS Code runs in. The runner's `--locale zh-cn` (npm run test:l10n) starts
// the VS Code server in Simplified Chinese (see scripts/vscode-test/locale.mjs); then the extension host's
// vscode.l10n, the manifest (package.nls.zh-cn.json) and the Generate panel (the bundle embedded in the page,
// read by @vscode/l10n) must all show Chinese. In a run without --locale the same checks expect English, so
// the suite proves something in every run and cannot pass by quietly staying in English.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, screenshot } from './helpers';
import { drive, evaluateInPanel, waitInPanel, webviewDriverAvailable } from './webviewDriver';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const locale = process.env.SEEDANCE_TEST_LOCALE ?? '';
const chinese = locale === 'zh-cn';

const textOf = (selector: string) => evaluateInPanel((sel: string) => document.querySelector(sel)?.textContent?.trim() ?? null, selector);

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
    const manifest = ext.packageJSON as { contributes: { commands: { command: string; title: Localized }[]; views: Record<string, { id: string; name: Localized }[]> } };
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
    await screenshot(`l10n-panel-${locale || 'en'}`);
  });
});
