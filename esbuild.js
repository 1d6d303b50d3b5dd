// Builds the bundles that ship: the extension's activation (Node, CommonJS, `vscode` external), the features
// it loads on first use (dist/features.js), the HTTP stack they load on the first request (dist/http.js),
// the YAML parser (dist/yaml.js), Mediabunny for the film (dist/film.js), and the webview scripts (browser, IIFE); a development build also
// makes the test hooks bundle (dist/testHooks.js). `--production` minifies; `--watch` rebuilds on change.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--outdir <dir>`: write the bundles there instead of dist/ (bench:activation measures the shipped,
// minified build without replacing the development build the tests load).
const outDirAt = process.argv.indexOf('--outdir');
const outDir = outDirAt >= 0 ? process.argv[outDirAt + 1] : undefined;

/** Prints errors in the `file:line:col: error:` form VS Code's problem matchers understand. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log(`[esbuild] ${build.initialOptions.outfile}: build started`));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log(`[esbuild] ${build.initialOptions.outfile}: build finished`);
    });
  },
};

const overlap = process.argv.includes('--overlap');
const common = {
  bundle: true,
  metafile: overlap,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcherPlugin],
};

/**
 * Activation parses only dist/extension.js. The HTTP stack (client, undici, downloads) is a second CommonJS
 * bundle, dist/http.js, that clientProvider.ts require()s on the first request: this plugin turns its
 * `require('./httpStack')` into a run-time require of the sibling bundle. (esbuild's code splitting is
 * ESM-only; VS Code loads extensions as CommonJS.) Code both bundles use (errors.ts, redact.ts) is in
 * both; ApiError's `instanceof` works across the two copies (see errors.ts).
 */
const lazyHttpStackPlugin = {
  name: 'lazy-http-stack',
  setup(build) {
    build.onResolve({ filter: /^\.\/httpStack$/ }, (args) =>
      args.importer.endsWith(path.join('src', 'vscode', 'clientProvider.ts')) ? { path: './http.js', external: true } : undefined,
    );
  },
};

/**
 * Everything activation does not need (generation, polling, downloads, prices, the panels, storyboards, the
 * agent tools, the command handlers) is a CommonJS bundle of its own, dist/features.js, that extension.ts
 * require()s on first use (see src/vscode/deferred.ts): activation parses about a fifth of the code.
 * Modules both bundles use exist in each; the ones with state (modal.ts, @vscode/l10n) are configured by
 * each bundle, and the store, the view and the settings are handed from activation to the features.
 */
const lazyFeaturesPlugin = {
  name: 'lazy-features',
  setup(build) {
    build.onResolve({ filter: /^\.\/features$/ }, (args) =>
      args.importer.endsWith(path.join('src', 'extension.ts')) ? { path: './features.js', external: true } : undefined,
    );
  },
};

/**
 * The YAML parser (the `yaml` package, about 40% of the extension bundle before it moved out) is a third
 * CommonJS bundle, dist/yaml.js, that src/core/storyboard/yamlParser.ts require()s on the first storyboard
 * read: every `yaml` import in the extension bundle becomes a run-time require of the sibling bundle.
 */
const lazyYamlPlugin = {
  name: 'lazy-yaml',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: './yaml.js', external: true }));
  },
};

/**
 * Mediabunny (the MP4 reader and writer the film is made with) is a CommonJS bundle of its own, dist/film.js,
 * built from src/core/film/mediabunnyEntry.ts (only the names the film uses); src/core/film/media.ts
 * require()s it the first time a film is assembled, so nothing else ever parses it.
 */
const lazyFilmPlugin = {
  name: 'lazy-film',
  setup(build) {
    build.onResolve({ filter: /^\.\/mediabunnyEntry$/ }, (args) =>
      args.importer.endsWith(path.join('src', 'core', 'film', 'media.ts')) ? { path: './film.js', external: true } : undefined,
    );
  },
};

/**
 * The integration tests' hooks (src/testHooksEntry.ts) are their own bundle, dist/testHooks.js, made by the
 * development build only: never in extension.js, never in the VSIX. src/vscode/testMode.ts require()s it.
 */
const lazyTestHooksPlugin = {
  name: 'lazy-test-hooks',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/testHooksEntry$/ }, (args) =>
      args.importer.endsWith(path.join('src', 'vscode', 'testMode.ts')) ? { path: './testHooks.js', external: true } : undefined,
    );
  },
};

/**
 * `import * as vscode from 'vscode'` in each of our ~20 files would make esbuild copy the whole VS Code API
 * object into a namespace object once per file at load time (its CommonJS interop); routing every import
 * through one ES module that re-exports it makes that one copy. (Measurable in bench:activation.)
 */
const oneVscodeNamespacePlugin = {
  name: 'one-vscode-namespace',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-namespace' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-namespace' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-namespace' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

const node = { format: 'cjs', platform: 'node', target: 'node20', external: ['vscode'] };

const targets = [
  {
    ...common,
    ...node,
    plugins: [...common.plugins, lazyFeaturesPlugin, lazyYamlPlugin, lazyTestHooksPlugin, oneVscodeNamespacePlugin],
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
  },
  {
    ...common,
    ...node,
    plugins: [...common.plugins, lazyHttpStackPlugin, lazyYamlPlugin, lazyFilmPlugin, oneVscodeNamespacePlugin],
    // jsonc-parser's "main" is a UMD build whose require()s esbuild cannot follow; its ES module build bundles.
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
    entryPoints: ['src/features.ts'],
    outfile: 'dist/features.js',
  },
  { ...common, ...node, entryPoints: ['src/vscode/httpStack.ts'], outfile: 'dist/http.js' },
  { ...common, ...node, entryPoints: [require.resolve('yaml')], outfile: 'dist/yaml.js' },
  { ...common, ...node, entryPoints: ['src/core/film/mediabunnyEntry.ts'], outfile: 'dist/film.js' },
  // The MCP server for agents outside VS Code (src/mcp/main.ts): run as `node dist/mcp.js`, never loaded by the
  // extension (it starts it as a separate process, or copies it for other clients).
  { ...common, ...node, entryPoints: ['src/mcp/main.ts'], outfile: 'dist/mcp.js' },
];
const testHooksTarget = (outfile) => ({ ...common, ...node, entryPoints: ['src/testHooksEntry.ts'], outfile });
if (!production) targets.push(testHooksTarget('dist/testHooks.js'));

// The webview bundle exists once the panel code does (src/webview/main.ts).
if (fs.existsSync(path.join(__dirname, 'src', 'webview', 'main.ts'))) {
  targets.push({
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
  });
}

// The spending view's and the storyboard preview's pages, each its own bundle so the Generate panel stays small.
for (const [entry, outfile] of [['src/webview/spending/main.ts', 'dist/spending.js'], ['src/webview/storyboard/main.ts', 'dist/storyboard.js']]) {
  targets.push({ ...common, entryPoints: [entry], outfile, format: 'iife', platform: 'browser', target: 'es2022' });
}

/**
 * The codicon font and its stylesheet, copied next to the webview bundle: the VSIX ships only dist/ and
 * media/, never node_modules, and the panel's CSP allows fonts and styles only from the extension.
 */
function copyCodicons() {
  const from = path.join(__dirname, 'node_modules', '@vscode', 'codicons', 'dist');
  const to = path.resolve(__dirname, outDir ?? 'dist', 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, file), path.join(to, file));
}

async function main() {
  // `--test-hooks-out <file>`: only the test hooks bundle, to that file (the packaged test run copies it
  // next to the extension installed from the VSIX).
  const hooksOut = process.argv.indexOf('--test-hooks-out');
  if (hooksOut >= 0) {
    await esbuild.build({ ...testHooksTarget(process.argv[hooksOut + 1]), plugins: [] });
    return;
  }
  // `--only mcp`: just dist/mcp.js (the MCP server's tests build it when it is missing or stale).
  const only = process.argv.indexOf('--only');
  if (only >= 0) {
    const wanted = `${process.argv[only + 1]}.js`;
    targets.splice(0, targets.length, ...targets.filter((t) => path.basename(t.outfile) === wanted));
  }
  if (outDir) for (const t of targets) t.outfile = path.join(outDir, path.basename(t.outfile));
  copyCodicons();
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (overlap) reportOverlap(results);
}

/**
 * `--overlap`: our source files that more than one Node bundle contains (each bundle is its own CommonJS
 * file, so a module both use exists twice; ARCHITECTURE.md's "Bundles" lists what this prints).
 */
function reportOverlap(results) {
  const inBundles = new Map();
  results.forEach((r, i) => {
    const name = path.basename(targets[i].outfile);
    if (targets[i].platform !== 'node' || !r.metafile) return;
    for (const [file, info] of Object.entries(r.metafile.outputs)) {
      if (!file.endsWith('.js')) continue;
      for (const input of Object.keys(info.inputs)) {
        if (!input.startsWith('src/')) continue;
        inBundles.set(input, [...(inBundles.get(input) ?? []), name]);
      }
    }
  });
  const shared = [...inBundles].filter(([, names]) => names.length > 1).sort(([a], [b]) => a.localeCompare(b));
  for (const [file, names] of shared) console.log(`${file}\t${names.join(', ')}`);
  console.log(`${shared.length} source file(s) in more than one Node bundle.`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
