// Prints, for each language we ship, the English strings that have no translation yet, as JSON ready to be
// translated and pasted into the language's file (l10n/bundle.l10n.<lang>.json, package.nls.<lang>.json).
// Run `npm run l10n` first so the English bundle matches the code. Exit code 1 when something is missing.
//   node scripts/l10n-missing.mjs [lang...]      (default: zh-cn)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const languages = process.argv.slice(2).length ? process.argv.slice(2) : ['zh-cn'];
const read = (rel) => (fs.existsSync(path.join(root, rel)) ? JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8')) : {});
const text = (v) => (typeof v === 'string' ? v : v.message);

let missingCount = 0;
for (const lang of languages) {
  for (const [english, translated] of [['l10n/bundle.l10n.json', `l10n/bundle.l10n.${lang}.json`], ['package.nls.json', `package.nls.${lang}.json`]]) {
    const en = read(english);
    const tr = read(translated);
    const missing = Object.fromEntries(Object.entries(en).filter(([k]) => !(k in tr)).map(([k, v]) => [k, text(v)]));
    const count = Object.keys(missing).length;
    missingCount += count;
    console.log(`// ${translated}: ${count} missing`);
    if (count) console.log(JSON.stringify(missing, null, 2));
  }
}
process.exit(missingCount ? 1 : 0);
