// Seedance Studio in the language VS Code runs in. The runner's `--locale zh-cn` (npm run test:l10n) starts
// the VS Code server in Simplified Chinese (see scripts/vscode-test/locale.mjs); then the extension host's
// vscode.l10n, the manifest (package.nls.zh-cn.json) and the Generate panel (the bundle embedded in the page,
// read by @vscode/l10n) must all show Chinese. In a run without --locale the same checks expect English, so
// the suite proves something in every run and cannot pass by quietly staying in English.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, screenshot } from './helpers';
import { drive, evaluateInPanel, webviewDriverAvailable } from './webviewDriver';

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

  it('vscode.l10n.t returns the translation from l10n/bundle.l10n.<language>.json', () => {
    if (chinese) {
      assert.ok(vscode.l10n.bundle, 'VS Code loaded no bundle for zh-cn (is "l10n": "./l10n" in package.json?)');
      assert.equal(vscode.l10n.t('Generate Video'), '生成视频');
      assert.equal(vscode.l10n.t('{0} video generation(s) running', 2), '2 个视频正在生成');
    } else {
      assert.equal(vscode.l10n.t('Generate Video'), 'Generate Video');
    }
  });

  it('command titles and view names come from package.nls.<language>.json', async () => {
    const ext = await activeExtension();
    const manifest = ext.packageJSON as { contributes: { commands: { command: string; title: string }[]; views: Record<string, { id: string; name: string }[]> } };
    const generate = manifest.contributes.commands.find((c) => c.command === 'seedance.generate');
    assert.equal(generate?.title, chinese ? '生成视频' : 'Generate Video');
    assert.equal(manifest.contributes.views.seedance[0].name, chinese ? '视频' : 'Videos');
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
    await screenshot(`l10n-panel-${locale || 'en'}`);
  });
});
