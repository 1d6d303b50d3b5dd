// package.json's model enums, second ranges and the language model tools' schemas and rules come from the
// catalogue (src/core/catalogManifest.ts; `npm run manifest` writes them): this fails, naming the value,
// when someone edits the catalogue without regenerating, or edits those places in package.json by hand.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODELS, RETIRED_MODELS } from '../../src/core/catalog';
import { catalogueManifest, GENERATION_TOOLS, offeredSecondsRange } from '../../src/core/catalogManifest';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const tools: { name: string; modelDescription: string; inputSchema: { properties: Record<string, Record<string, unknown>> } }[] =
  manifest.contributes.languageModelTools;

function at(value: unknown, keys: readonly (string | number)[]): unknown {
  return keys.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], value);
}

describe('package.json follows the model catalogue', () => {
  it('every catalogue-derived value is what the catalogue says (run `npm run manifest` after changing the catalogue)', () => {
    const values = catalogueManifest(tools.map((t) => t.name), tools.map((t) => t.modelDescription));
    assert.ok(values.length > 10);
    for (const { path: keys, value } of values) assert.deepEqual(at(manifest, keys), value, keys.join(' > '));
  });

  it('offers every offered model and no retired one, in the settings and the tools, up to 30 s', () => {
    const ids = MODELS.map((m) => m.id);
    assert.deepEqual(manifest.contributes.configuration.properties['seedance.defaultModel'].enum, ids);
    for (const name of GENERATION_TOOLS) {
      const tool = tools.find((t) => t.name === name)!;
      assert.deepEqual(tool.inputSchema.properties.model.enum, ids, name);
      assert.equal(tool.inputSchema.properties.seconds.maximum, 30, name);
    }
    assert.equal(offeredSecondsRange().max, 30);
    const text = JSON.stringify(manifest);
    for (const m of RETIRED_MODELS) assert.equal(text.includes(m.id), false, `${m.id} is retired: package.json must not offer it`);
  });
});
