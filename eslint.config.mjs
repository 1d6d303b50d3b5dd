// ESLint (flat config): the VS Code extension generator's TypeScript rules plus typescript-eslint's recommended
// set, over the extension, the webviews, the tests, the benches and the build scripts. `npm run lint` runs it
// with --max-warnings 0 (it is part of `npm test`), so a warning fails like an error and none pile up.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.vscode-test/', 'bench-output/', 'screenshots/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // A directive that silences nothing is an error: every eslint-disable comment names a rule that fires there.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    // What `yo code` writes for a TypeScript extension today (generator-code, ext-command-ts/eslint.config.mjs).
    rules: {
      '@typescript-eslint/naming-convention': ['warn', { selector: 'import', format: ['camelCase', 'PascalCase'] }],
      // 'multi-line': `if (x) return;` on one line is this codebase's style; a body on its next line needs braces.
      curly: ['warn', 'multi-line'],
      eqeqeq: 'warn',
      'no-throw-literal': 'warn',
      semi: 'warn',
      // A leading underscore marks a parameter kept for its position and a property dropped by destructuring.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Each control-character class here is deliberate: it strips or refuses them in names and ids from outside.
      'no-control-regex': 'off',
      // Strings stay whole: the l10n export needs each `l10n.t('...')` message as one literal; a sentence stays greppable.
      'max-len': ['error', { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  {
    files: ['**/*.mjs', 'esbuild.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // The build script is plain CommonJS that Node runs as it is.
    files: ['esbuild.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
