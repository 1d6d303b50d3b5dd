// The simulator is written from the contract, not from our code (project rule; issue 8): nothing under
// test/simulator/ may import from src/. A grep over the sources, resolving every relative specifier, so
// `../../src/...`, `../../../src` and `require(...)` forms are all caught.

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const SIM_DIR = join(ROOT, 'test', 'simulator');
const SRC_DIR = join(ROOT, 'src');

// import ... from '...', export ... from '...', import '...', import('...'), require('...')
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

function sources(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(f) && !f.split(sep).includes('node_modules'))
    .map((f) => join(dir, f));
}

describe('test/simulator imports nothing from src/', () => {
  it('finds the simulator sources it checks', () => {
    assert.ok(sources(SIM_DIR).some((f) => f.endsWith('server.ts')), `no simulator sources under ${SIM_DIR}`);
  });

  it('no file under test/simulator imports a path inside src/', () => {
    const offenders: string[] = [];
    for (const file of sources(SIM_DIR)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(SPECIFIERS)) {
        const spec = m[1];
        const target = spec.startsWith('.') ? resolve(dirname(file), spec) : spec;
        // A bare 'src/...' would be a path alias into the product as well.
        if (target === SRC_DIR || target.startsWith(SRC_DIR + sep) || /^src(\/|$)/.test(spec)) {
          offenders.push(`${relative(ROOT, file)}: ${spec}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });
});
