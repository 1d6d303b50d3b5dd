// Every string the product shows is in the English bundles and translated in every language we ship.
//  - Runtime and panel strings: the `vscode.l10n.t(...)` / `l10n.t(...)` calls in src/ are extracted with the
//    same extractor `npm run l10n` uses (@vscode/l10n-dev) and compared with l10n/bundle.l10n.json.
//  - Manifest strings: every "%key%" in package.json against package.nls.json.
//  - Each translation (l10n/bundle.l10n.<lang>.json, package.nls.<lang>.json) has every English key, no key
//    English lacks, and the same placeholders ({0}) and codicons ($(name)).
// The failures print the exact keys and the fix (`npm run l10n` regenerates the English bundle; translations
// are written by hand), so strings added on other branches are easy to catch up after a merge.
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { getL10nJson } from '@vscode/l10n-dev';
import * as catalog from '../../src/core/catalog';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** The languages we ship translations for (file suffix as VS Code names the language). */
const LANGUAGES = ['zh-cn'];

type Bundle = Record<string, string | { message: string; comment: string[] }>;

function readJson(relative: string): Bundle {
  return JSON.parse(readFileSync(path.join(ROOT, relative), 'utf8')) as Bundle;
}

function messageOf(value: Bundle[string]): string {
  return typeof value === 'string' ? value : value.message;
}

/** Placeholders and codicons, which a translation must keep exactly (in any order). */
function tokens(text: string): string[] {
  return (text.match(/\{\d+\}|\$\([a-z0-9~-]+\)/g) ?? []).sort();
}

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(full)));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function list(keys: readonly string[]): string {
  return keys.map((k) => `    ${JSON.stringify(k)}`).join('\n');
}

/** Keys of `english` the translation lacks, keys it has that English lacks, and keys whose tokens differ. */
function compare(english: Bundle, translated: Bundle) {
  const missing = Object.keys(english).filter((k) => !(k in translated));
  const extra = Object.keys(translated).filter((k) => !(k in english));
  const mismatched = Object.keys(translated)
    .filter((k) => k in english)
    .filter((k) => tokens(messageOf(english[k])).join(' ') !== tokens(messageOf(translated[k])).join(' '))
    .map((k) => `${k}  (English: ${tokens(messageOf(english[k])).join(' ') || 'none'}; translation: ${tokens(messageOf(translated[k])).join(' ') || 'none'})`);
  const empty = Object.keys(translated).filter((k) => messageOf(translated[k]).trim() === '');
  return { missing, extra, mismatched, empty };
}

describe('Localization bundles', () => {
  let files: { file: string; contents: string }[];

  before(async () => {
    const paths = await sourceFiles(path.join(ROOT, 'src'));
    files = await Promise.all(paths.map(async (file) => ({ file, contents: await fs.readFile(file, 'utf8') })));
  });

  it('every string in the code is in l10n/bundle.l10n.json, and the bundle has none the code no longer uses', async function () {
    // The extractor parses every file with tree-sitter (WebAssembly): seconds, more on a busy machine.
    this.timeout(180_000);
    const used = await getL10nJson(files.map(({ file, contents }) => ({ extension: path.extname(file), contents })));
    const bundle = readJson('l10n/bundle.l10n.json');
    const missing = Object.keys(used).filter((k) => !(k in bundle));
    const stale = Object.keys(bundle).filter((k) => !(k in used));
    assert.ok(Object.keys(used).length > 100, `the extractor found only ${Object.keys(used).length} strings: is it still reading src/?`);
    assert.deepEqual(missing, [], `Strings used in src/ but missing from l10n/bundle.l10n.json: run \`npm run l10n\`.\n${list(missing)}`);
    assert.deepEqual(stale, [], `Strings in l10n/bundle.l10n.json that src/ no longer uses: run \`npm run l10n\`.\n${list(stale)}`);
  });

  it('every l10n.t call is one the extractor can see and runs after the language is configured', () => {
    const problems: string[] = [];
    for (const { file, contents } of files) {
      const where = path.relative(ROOT, file);
      const lines = contents.split('\n');
      lines.forEach((line, i) => {
        const at = `${where}:${i + 1}`;
        // `const t = vscode.l10n.t` and `import { t } from '@vscode/l10n'` hide the calls from @vscode/l10n-dev.
        if (/=\s*(vscode\.)?l10n\.t\s*[;,)]/.test(line) || /import\s*\{[^}]*\bt\b[^}]*\}\s*from\s*['"](vscode|@vscode\/l10n)['"]/.test(line)) {
          problems.push(`${at}: alias of l10n.t; call vscode.l10n.t(...) / l10n.t(...) directly so \`npm run l10n\` finds the string`);
        }
        // A module-level lookup runs when the bundle is loaded, before the language's strings are configured.
        if (/^(export\s+)?(const|let|var)\s.*\bl10n\.t\(/.test(line)) {
          problems.push(`${at}: l10n.t at module level runs before the language is configured; look the string up when it is shown`);
        }
        // The message must be a literal: a variable or template literal is looked up but never exported.
        for (const m of line.matchAll(/\bl10n\.t\(\s*([^\s)])/g)) {
          if (!['\'', '"'].includes(m[1]) && !(m[1] === '`' && !/\bl10n\.t\(\s*`[^`]*\$\{/.test(line))) {
            problems.push(`${at}: l10n.t needs a string literal as its message (use {0} placeholders for values)`);
          }
        }
      });
    }
    assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
  });

  it('every webview page gets the bundle: its HTML embeds it and its script configures it before anything else', () => {
    // A page whose HTML lacks webviewL10nAttribute() or whose entry script does not import l10nSetup first
    // shows English whatever VS Code's language is, and no other check here would notice.
    const problems: string[] = [];
    const pages = files.filter(({ file, contents }) => /[\\/]src[\\/]vscode[\\/]/.test(file) && !file.endsWith('webviewDocument.ts') && /\bwebviewDocument\(/.test(contents));
    assert.ok(pages.length >= 3, `found only ${pages.length} webview documents (the panel, spending view, storyboard preview)`);
    for (const { file, contents } of pages) {
      if (!/\bwebviewL10nAttribute\(\)/.test(contents)) problems.push(`${path.relative(ROOT, file)}: webviewDocument() without webviewL10nAttribute() in rootAttributes`);
    }
    const entries = files.filter(({ file }) => /[\\/]src[\\/]webview[\\/](.+[\\/])?main\.ts$/.test(file));
    assert.ok(entries.length >= 3, `found only ${entries.length} webview entry scripts`);
    for (const { file, contents } of entries) {
      const firstImport = contents.split('\n').find((line) => /^import\b/.test(line)) ?? '';
      if (!/^import '(\.\.?\/)+l10nSetup';/.test(firstImport)) problems.push(`${path.relative(ROOT, file)}: the first import must be l10nSetup (found: ${firstImport || 'none'})`);
    }
    assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
  });

  it('every %key% in package.json is in package.nls.json, and every key there is used', () => {
    const manifest = readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const used = [...new Set([...manifest.matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]))];
    const nls = readJson('package.nls.json');
    const missing = used.filter((k) => !(k in nls));
    const unused = Object.keys(nls).filter((k) => !used.includes(k));
    assert.ok(used.length > 30, `package.json names only ${used.length} %keys%`);
    assert.deepEqual(missing, [], `package.json uses keys package.nls.json lacks (add them with the English text):\n${list(missing)}`);
    assert.deepEqual(unused, [], `package.nls.json has keys package.json no longer uses (remove them here and in package.nls.*.json):\n${list(unused)}`);
  });

  it('the manifest shows no hard-coded English where VS Code localizes', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const c = pkg.contributes;
    const literal = (v: unknown) => typeof v === 'string' && !/^%[^%]+%$/.test(v);
    const problems: string[] = [];
    for (const cmd of c.commands ?? []) {
      if (literal(cmd.title)) problems.push(`command ${cmd.command}: title`);
      if (cmd.category !== undefined && literal(cmd.category)) problems.push(`command ${cmd.command}: category`);
    }
    for (const views of Object.values(c.views ?? {}) as { id: string; name: string }[][]) {
      for (const v of views) if (literal(v.name)) problems.push(`view ${v.id}: name`);
    }
    for (const w of c.viewsWelcome ?? []) if (literal(w.contents)) problems.push(`viewsWelcome ${w.view}: contents`);
    for (const conf of [c.configuration].flat().filter(Boolean)) {
      for (const [name, prop] of Object.entries(conf.properties ?? {}) as [string, Record<string, unknown>][]) {
        for (const field of ['description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage']) {
          if (literal(prop[field])) problems.push(`setting ${name}: ${field}`);
        }
        for (const field of ['enumDescriptions', 'markdownEnumDescriptions']) {
          if (Array.isArray(prop[field]) && (prop[field] as unknown[]).some(literal)) problems.push(`setting ${name}: ${field}`);
        }
      }
    }
    assert.deepEqual(problems, [], `Write these as "%key%" with the English in package.nls.json (see ARCHITECTURE.md, Localization):\n${problems.join('\n')}`);
  });

  for (const language of LANGUAGES) {
    for (const [english, translated] of [
      ['l10n/bundle.l10n.json', `l10n/bundle.l10n.${language}.json`],
      ['package.nls.json', `package.nls.${language}.json`],
    ]) {
      it(`${translated} translates every key of ${english}, with the same placeholders`, () => {
        const { missing, extra, mismatched, empty } = compare(readJson(english), readJson(translated));
        const report = [
          missing.length ? `${missing.length} key(s) without a ${language} translation (add them to ${translated}):\n${list(missing)}` : '',
          extra.length ? `${extra.length} key(s) English does not have (remove them, or run \`npm run l10n\` if the code uses them):\n${list(extra)}` : '',
          mismatched.length ? `placeholders or codicons differ:\n${mismatched.map((m) => `    ${m}`).join('\n')}` : '',
          empty.length ? `empty translations:\n${list(empty)}` : '',
        ].filter(Boolean).join('\n');
        if (report) console.log(`\n[l10n] ${translated}\n${report}\n`);
        assert.equal(report, '', report);
      });
    }
  }
});

describe('Localization at run time (@vscode/l10n with the zh-cn bundle)', () => {
  // The same library and bundle the panel and src/core use; restored to English afterwards.
  after(() => l10n.config({ contents: {} }));

  it('catalogue problems and model notes come out in Chinese once the bundle is configured', () => {
    const english = catalog.validate({ prompt: '', model: 'doubao-seedance-2-0', seconds: 30, size: '16:9', resolution: '720p' });
    assert.ok(english.some((p) => p.message === 'Write a prompt that describes the video.'));
    l10n.config({ contents: readJson('l10n/bundle.l10n.zh-cn.json') as Record<string, string> });
    const chinese = catalog.validate({ prompt: '', model: 'doubao-seedance-2-0', seconds: 30, size: '16:9', resolution: '720p' });
    assert.deepEqual(chinese.map((p) => p.message), [
      '请输入描述视频的提示词。',
      'Seedance 2.0 可生成 4 到 15 秒的视频，你要求的是 30 秒。',
    ]);
    assert.equal(catalog.findModel('doubao-seedance-2-0')?.note, '画质最高；最多支持 9 张参考图');
  });
});
