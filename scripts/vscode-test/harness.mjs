// A tiny extension loaded beside Seedance Studio in test runs. It exports its own SecretStorage, so tests can
// check that storage works in the host even before (or without) the extension's test hooks; and in vsix runs its
// folder is the extensionDevelopmentPath a test run needs, which keeps the repository folder out of the host.
import fs from 'node:fs';
import path from 'node:path';
import { writeZip } from './zip.mjs';

export const HARNESS_ID = 'seedance-tests.seedance-test-harness';

/** Writes the harness as a folder and as a VSIX under `root`; returns both paths. */
export function writeHarness(root, enginesVscode) {
  const dir = path.join(root, 'harness');
  const files = {
    'package.json': `${JSON.stringify({
      name: 'seedance-test-harness',
      displayName: 'Seedance Studio test harness',
      publisher: 'seedance-tests',
      version: '0.0.0',
      engines: { vscode: enginesVscode },
      main: './extension.js',
      activationEvents: [],
    }, null, 2)}\n`,
    'extension.js': 'exports.activate = (context) => ({ secrets: context.secrets, extensionMode: context.extensionMode });\n',
  };
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const vsix = path.join(root, 'seedance-test-harness.vsix');
  fs.writeFileSync(vsix, writeZip(Object.fromEntries(Object.entries(files).map(([n, t]) => [`extension/${n}`, t]))));
  return { dir, vsix };
}
