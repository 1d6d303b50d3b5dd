// Test-only entry point: the integration tests' hooks (src/vscode/testHooks.ts), built as their own bundle
// dist/testHooks.js by a development build (esbuild.js) and never by the production build, so neither
// dist/extension.js nor the VSIX contains them. extension.ts require()s this lazily in test runs; for the
// suite against the packaged VSIX, the runner copies the bundle next to the installed extension.
export { createTestHooks, releaseForReactivation } from './vscode/testHooks';
