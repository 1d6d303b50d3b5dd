// Builds the two bundles that ship: the extension (Node, CommonJS, `vscode` external) and the
// webview script (browser, IIFE). `--production` minifies; `--watch` rebuilds on change.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

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

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcherPlugin],
};

const targets = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
  },
];

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

// The storyboard preview's page (src/webview/storyboard/), a separate bundle so the Generate panel stays small.
if (fs.existsSync(path.join(__dirname, 'src', 'webview', 'storyboard', 'main.ts'))) {
  targets.push({
    ...common,
    entryPoints: ['src/webview/storyboard/main.ts'],
    outfile: 'dist/storyboard.js',
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
  });
}

/**
 * The codicon font and its stylesheet, copied next to the webview bundle: the VSIX ships only dist/ and
 * media/, never node_modules, and the panel's CSP allows fonts and styles only from the extension.
 */
function copyCodicons() {
  const from = path.join(__dirname, 'node_modules', '@vscode', 'codicons', 'dist');
  const to = path.join(__dirname, 'dist', 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, file), path.join(to, file));
}

async function main() {
  copyCodicons();
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
