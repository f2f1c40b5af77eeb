// Lint: typescript-eslint's recommended rules, React hooks rules for the renderer, and the import
// zones that keep the layout of docs/ARCHITECTURE.md §2 (checked in `npm test`, see
// tests/unit/lint-zones.test.ts), and no casts that hide a contract type (tests/unit/lint-casts.test.ts).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electron = { name: 'electron', message: 'Only main/app and preload/preload.ts may import electron (docs/ARCHITECTURE.md §2).' };
const electronPaths = { group: ['electron/*'], message: electron.message };
const mainFromOutside = {
  group: ['**/main/**', '**/main'],
  message: 'Only the contract crosses from main to the UI: import preload/contract.',
};
const preloadButContract = {
  group: ['**/preload/**', '!**/preload/contract', '!**/preload/contract.js', '!**/preload/contract/**'],
  message: 'The renderer may import only the contract from preload/.',
};
const restrict = (...patterns) => ['error', { paths: [electron], patterns: [electronPaths, ...patterns] }];

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'release/**', 'node_modules/**', 'test-results/**', 'bench-results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  // Zone: the sync node, headless mode and the simulator never import electron.
  { files: ['main/node/**', 'main/headless.ts', 'main/simulator-cli.ts'], rules: { 'no-restricted-imports': restrict() } },
  // Zone: the renderer imports nothing of main/ or electron, and only the contract of preload/.
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    // The classic hooks rules. The plugin's React Compiler diagnostics (purity, refs, set-state-in-effect) are
    // not enabled: this renderer is not compiled by the React Compiler and uses the latest-ref idiom on purpose.
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': restrict(mainFromOutside, preloadButContract),
    },
  },
  // Zone: the contract is plain TypeScript + zod, importable from every process.
  {
    files: ['preload/contract.ts', 'preload/contract/**'],
    rules: {
      'no-restricted-imports': restrict(mainFromOutside, {
        group: ['node:*', '**/renderer/**'],
        message: 'The contract imports only zod and itself: it runs in the renderer too.',
      }),
    },
  },
  // Zone: the preload imports only the contract (and electron).
  {
    files: ['preload/preload.ts', 'preload/ipc-api.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [mainFromOutside, { group: ['**/renderer/**'], message: 'The preload sees only the contract.' }] },
      ],
    },
  },
  // Product code gets its types from the contract (node.call, zod enums), never by casting them on.
  {
    files: ['main/**', 'preload/**', 'renderer/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression[expression.type='TSAsExpression'][expression.typeAnnotation.type='TSUnknownKeyword']",
          message: 'No `as unknown as`: derive the type (node.call, a zod schema, a generic helper).',
        },
        {
          selector: "TSAsExpression[expression.type='MemberExpression'][expression.property.name='value']",
          message: 'No `.value as`: a handler result is typed by node.call; a <select> value is parsed with the contract enum.',
        },
      ],
    },
  },
  // Tests read raw JSON bodies off HTTP; the typed in-process client is for product code.
  { files: ['tests/**', 'scripts/**', 'resources/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
