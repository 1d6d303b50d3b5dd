// Checks the VSIX `npm run package` produced: only what ships is in it, everything the manifest points at is in
// it, and it stays small.
//   node scripts/check-vsix.mjs [file.vsix] [--max-kib 1536]
// Exit code 0 = fine; 1 = a problem (each one listed).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, defaultVsixPath } from './vscode-test/common.mjs';
import { readZip } from './vscode-test/zip.mjs';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'max-kib': { type: 'string', default: '1536' } },
});
const vsix = path.resolve(positionals[0] ?? defaultVsixPath());
const maxBytes = Number(opt['max-kib']) * 1024;

/** Every relative file path a manifest mentions in `contributes` (icons, walkthrough media, grammars...). */
function manifestPaths(value, out = new Set()) {
  if (typeof value === 'string') {
    if (/^(\.\/)?(media|dist|images|resources|syntaxes|snippets|l10n)\/[^\s]+\.[A-Za-z0-9]+$/.test(value)) out.add(value.replace(/^\.\//, ''));
  } else if (Array.isArray(value)) {
    for (const v of value) manifestPaths(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) manifestPaths(v, out);
  }
  return out;
}

function main() {
  if (!fs.existsSync(vsix)) {
    console.error(`[check-vsix] ${vsix} is missing: run \`npm run package\`.`);
    process.exit(1);
  }
  const bytes = fs.readFileSync(vsix);
  const { entries, read } = readZip(bytes);
  const names = entries.map((e) => e.name).filter((n) => !n.endsWith('/'));
  const problems = [];

  // 1. Only what ships: the VSIX metadata, the manifest and docs, the bundles, media.
  const allowed = [
    /^\[Content_Types\]\.xml$/,
    /^extension\.vsixmanifest$/,
    /^extension\/package\.json$/,
    /^extension\/package\.nls(\.[a-z-]+)?\.json$/, // manifest strings ("%key%" in package.json) and their translations
    /^extension\/(readme|changelog)\.md$/i,
    /^extension\/LICENSE(\.txt|\.md)?$/i,
    /^extension\/dist\/[^/]+\.(js|css)$/, // bundles only: no source maps, no chunks of anything else
    /^extension\/dist\/[A-Za-z0-9_-]+\/[^/]+\.(css|ttf|woff2?|svg|png)$/, // assets copied by the build (e.g. codicons)
    /^extension\/media\/.+\.(png|svg|css|gif|jpe?g|webp|ttf|woff2?)$/,
    /^extension\/package\.nls(\.[a-z]{2}(-[a-z]+)?)?\.json$/, // manifest strings (English + translations)
    /^extension\/l10n\/bundle\.l10n(\.[a-z]{2}(-[a-z]+)?)?\.json$/, // runtime and panel strings
  ];
  for (const n of names) {
    if (!allowed.some((re) => re.test(n))) problems.push(`unexpected file in the VSIX: ${n}`);
    // Test hooks expose internals (the SecretStorage among them): development builds only.
    if (/testHooks/i.test(n)) problems.push(`test-only file in the VSIX: ${n}`);
  }

  // 2. Everything needed is there.
  const pkg = JSON.parse(read(entries.find((e) => e.name === 'extension/package.json')).toString('utf8'));
  const mustHave = new Set([
    'extension/package.json',
    'extension/readme.md',
    'extension/changelog.md',
    // package.json names strings as "%key%": without the bundle VS Code shows the raw keys.
    ...(JSON.stringify(pkg).match(/"%[^"%]+%"/) ? ['extension/package.nls.json'] : []),
    `extension/${path.posix.normalize(pkg.main)}`,
    'extension/dist/features.js', // everything activation does not need, loaded by the main bundle on first use
    'extension/dist/http.js', // the HTTP stack, loaded by the features on the first request
    'extension/dist/yaml.js', // the YAML parser, loaded on the first storyboard read
    'extension/dist/film.js', // Mediabunny, loaded when a film is assembled
    'extension/dist/mcp.js', // the MCP server for agents (started by VS Code 1.101+, copied by Connect an Agent)
    ...(pkg.icon ? [`extension/${pkg.icon}`] : []),
    ...(JSON.stringify(pkg).includes('"%') ? ['extension/package.nls.json'] : []),
    ...(pkg.l10n ? [`extension/${path.posix.join(path.posix.normalize(pkg.l10n), 'bundle.l10n.json')}`] : []),
    ...[...manifestPaths(pkg.contributes ?? {})].map((p) => `extension/${p}`),
  ]);
  const lower = new Set(names.map((n) => n.toLowerCase()));
  for (const m of mustHave) if (!lower.has(m.toLowerCase())) problems.push(`missing from the VSIX: ${m}`);
  if (!names.some((n) => /^extension\/LICENSE/i.test(n))) problems.push('missing from the VSIX: LICENSE');
  if (!pkg.icon) problems.push('package.json has no "icon"');

  // 3. The icon is a 128x128 PNG.
  if (pkg.icon) {
    const icon = entries.find((e) => e.name === `extension/${pkg.icon}`);
    if (icon) {
      const png = read(icon);
      const isPng = png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const w = isPng ? png.readUInt32BE(16) : 0;
      const h = isPng ? png.readUInt32BE(20) : 0;
      if (!isPng || w !== 128 || h !== 128) problems.push(`${pkg.icon} should be a 128x128 PNG (is ${isPng ? `${w}x${h}` : 'not a PNG'})`);
    }
  }

  // 4. The bundle is a production build: minified, no source-map reference.
  const mainEntry = entries.find((e) => e.name === `extension/${path.posix.normalize(pkg.main)}`);
  if (mainEntry) {
    const js = read(mainEntry).toString('utf8');
    if (/sourceMappingURL=/.test(js)) problems.push(`${pkg.main} references a source map (not a production build: use npm run package)`);
    if (/apiKeySecretName|treeRefreshCount|pollerCounters/.test(js)) problems.push(`${pkg.main} contains the test hooks (they belong in the test-only bundle)`);
  }

  // 5. Size.
  if (bytes.length > maxBytes) problems.push(`the VSIX is ${(bytes.length / 1024).toFixed(1)} KiB, over the ${opt['max-kib']} KiB budget`);

  const total = entries.reduce((s, e) => s + e.size, 0);
  console.log(`[check-vsix] ${path.relative(REPO_ROOT, vsix)}: ${names.length} files, ${(bytes.length / 1024).toFixed(1)} KiB (${(total / 1024).toFixed(1)} KiB unpacked)`);
  for (const e of entries) if (!e.name.endsWith('/')) console.log(`  ${String(e.size).padStart(9)}  ${e.name}`);
  if (problems.length) {
    console.error(`[check-vsix] FAILED:\n  - ${problems.join('\n  - ')}`);
    process.exit(1);
  }
  console.log('[check-vsix] ok');
}

main();
