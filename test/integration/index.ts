// Mocha entry for the integration suite, in the standard form @vscode/test-electron and VS Code's own test
// runners call: `run()` is invoked inside the extension host and resolves (pass) or rejects (fail).
// Every `*.test.js` under this folder (compiled to out/test/integration) is loaded. SEEDANCE_TEST_GREP
// (the runner's --grep) selects tests by title.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    // Several waits for a video on the simulator's realistic (heavy-tailed) timing fit in one test.
    timeout: 300_000,
    grep: process.env.SEEDANCE_TEST_GREP || undefined,
  });
  // out/ is not cleaned between compiles: skip a compiled test whose source was deleted or renamed.
  const sources = path.resolve(__dirname, '..', '..', '..', 'test', 'integration');
  const files = (fs.readdirSync(__dirname, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) {
    if (!fs.existsSync(path.join(sources, f.replace(/\.js$/, '.ts')))) {
      console.log(`(skipping ${f}: its source test/integration/${f.replace(/\.js$/, '.ts')} no longer exists)`);
      continue;
    }
    mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
        else resolve();
      });
    } catch (e) {
      reject(e);
    }
  });
}
