// `npm test` from a fresh clone: npm runs this first (the "pretest" script), so the README's two commands are
// the whole set-up. It installs the locked dependencies when node_modules is missing and does nothing
// otherwise. Node built-ins only: nothing is installed yet when it runs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  console.log('node_modules is missing: npm ci');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
