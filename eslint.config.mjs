// @ts-check
import eslint from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// Modules that do I/O or hold process state: workflow code must never import them (it would break determinism
// or fail inside the workflow sandbox). Types may still be imported with `import type`.
const ioModules = [
  'node:*', 'fs', 'fs/*', 'path', 'http', 'https', 'net', 'os', 'crypto', 'stream', 'stream/*', 'zlib',
  'child_process', 'worker_threads', 'dns', 'tls', 'url', 'util', 'events', 'readline', 'timers', 'timers/*',
  'jsforce', 'csv-parse', 'csv-parse/*', 'yaml', 'prom-client', 'commander',
  '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing',
];
// elfstream's own modules with I/O; the pure contracts (activities/types, salesforce/types, salesforce/event-types)
// are shared with workflow code on purpose.
const ioProjectModules = '^\\.\\./(activities|salesforce|sinks|config|simulator|cli|temporal|events|ingest)(/(?!types$|event-types$).*)?$';

// Dependencies are used through their public API only: their `_`-prefixed members, undocumented Buffer codecs
// (`utf8Slice` and kin) and files under a package's lib/, dist/, build/ or src/ are not part of it and change
// without notice. (The project's own code has no `_`-prefixed members; `__elfstream…` globals are its own.)
const deepImport = '/^(@[^\\x2F]+\\x2F)?[^.\\x2F][^\\x2F]*\\x2F(lib|dist|build|src)(\\x2F|$)/';
const deepImportMessage = "Import a package's public entry points, not its lib/, dist/, build/ or src/ files.";
const privateMemberMessage = "A `_`-prefixed member is a dependency's private internal: use its public API.";
const privateInternals = [
  { selector: 'MemberExpression[property.name=/^_/]:not([property.name=/^__elfstream/])', message: privateMemberMessage },
  { selector: 'MemberExpression[computed=true][property.value=/^_/]', message: privateMemberMessage },
  {
    selector: 'MemberExpression[property.name=/^(utf8|latin1|ascii|hex|base64|base64url|ucs2|utf16le)(Slice|Write)$/]',
    message: "Buffer's codec methods are undocumented: use buf.toString(encoding, start, end) or buf.write().",
  },
  { selector: `ImportDeclaration[source.value=${deepImport}]`, message: deepImportMessage },
  { selector: `ImportExpression[source.value=${deepImport}]`, message: deepImportMessage },
  { selector: `ExportAllDeclaration[source.value=${deepImport}]`, message: deepImportMessage },
  { selector: `ExportNamedDeclaration[source.value=${deepImport}]`, message: deepImportMessage },
  { selector: `CallExpression[callee.name='require'][arguments.0.value=${deepImport}]`, message: deepImportMessage },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'lib/**', '.tools/**', 'data/**', 'test-output/**', 'coverage/**', '.elfstream/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', '*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An un-awaited activity, timer or stream write is a classic, silent bug.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-restricted-syntax': ['error', ...privateInternals],
    },
  },
  {
    // A cycle between modules is a layering mistake (and makes load order matter): none in the product's code.
    files: ['src/**/*.ts', 'packages/*/src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ioModules, allowTypeImports: true, message: 'Workflow code is deterministic: no I/O modules (import types only).' },
            { regex: ioProjectModules, allowTypeImports: true, message: 'Workflow code is deterministic: import only pure modules (types, event-types).' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/consistent-type-imports': 'off' },
  },
);
