// Writes the catalogue's models, ranges, enums and tool rules into package.json (src/core/catalogManifest.ts
// says which values), editing only those places so the rest of the file keeps its formatting. Run with
// `npm run manifest` after changing src/core/catalog.ts; test/unit/catalogManifest.test.ts fails until then.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { applyEdits, modify } from 'jsonc-parser';

const require = createRequire(import.meta.url);
const { catalogueManifest } = require('../out/src/core/catalogManifest.js');

const file = new URL('../package.json', import.meta.url);
let text = readFileSync(file, 'utf8');
const manifest = JSON.parse(text);
const tools = manifest.contributes?.languageModelTools ?? [];
const values = catalogueManifest(tools.map((t) => t.name), tools.map((t) => t.modelDescription));
let changed = 0;
for (const { path, value } of values) {
  const edits = modify(text, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
  const next = applyEdits(text, edits);
  if (next !== text) changed++;
  text = next;
}
writeFileSync(file, text);
console.log(`package.json: ${changed} of ${values.length} catalogue value(s) updated.`);
