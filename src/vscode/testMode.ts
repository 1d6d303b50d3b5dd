// Whether this activation exports test hooks, and loading them. Only in test runs (ExtensionMode.Test, or
// the runner's SEEDANCE_TEST_HOOKS=1 for the suite against the installed VSIX), and only when the test-only
// bundle dist/testHooks.js is there: the production build never makes it, so a normal installation cannot
// export hooks whatever the environment says.
import * as vscode from 'vscode';
import type { Logger } from './log';

export type TestHooksModule = typeof import('../testHooksEntry');

export function loadTestHooks(context: vscode.ExtensionContext, log: Logger): TestHooksModule | undefined {
  if (context.extensionMode !== vscode.ExtensionMode.Test && process.env.SEEDANCE_TEST_HOOKS !== '1') return undefined;
  try {
    // esbuild.js maps this path to the sibling bundle dist/testHooks.js (external, loaded at run time).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../testHooksEntry') as TestHooksModule;
  } catch (error) {
    log.warn(`Test hooks requested but not available (${error instanceof Error ? error.message : String(error)}).`);
    return undefined;
  }
}
