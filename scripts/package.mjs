// `npm run package`: a clean production build (minified, no source maps), then the VSIX with @vscode/vsce.
//   node scripts/package.mjs [--out file.vsix]
// --no-dependencies: esbuild bundles the runtime dependencies (undici) into dist/extension.js, so no
// node_modules ship. What else ships is decided by .vscodeignore (an allow-list) and checked by
// scripts/check-vsix.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, defaultVsixPath, run } from './vscode-test/common.mjs';

const { values: opt } = parseArgs({ options: { out: { type: 'string', default: defaultVsixPath() } } });
const out = path.resolve(opt.out);
const t0 = Date.now();

// Stale files (source maps of a development build, bundles of removed entry points) must not ship.
fs.rmSync(path.join(REPO_ROOT, 'dist'), { recursive: true, force: true });
await run(process.execPath, [path.join(REPO_ROOT, 'esbuild.js'), '--production']);
const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
await run(process.execPath, [
  vsce, 'package',
  '--no-dependencies',
  // Relative links and images in the README (docs/ screenshots, ARCHITECTURE.md: not shipped) are rewritten to the
  // repository in package.json, so they work on the Marketplace and in the Extensions view. That address is a
  // placeholder until the project is published there.
  '--out', out,
]);
const kb = (fs.statSync(out).size / 1024).toFixed(1);
console.log(`[package] ${path.relative(REPO_ROOT, out)} (${kb} KiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
