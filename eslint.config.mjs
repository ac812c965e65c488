// Lint: typescript-eslint's recommended rules plus the layering walls of docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const walls = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.artifacts/**', 'media/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly', __dirname: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', performance: 'readonly', fetch: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // core is pure: no I/O, no editor, no drivers; it talks to the world through ports.
    files: ['src/core/**/*.ts'],
    rules: walls([
      { group: ['vscode', 'mssql', 'tedious', 'node-powershell', 'fs', 'node:fs', 'fs/*', 'node:fs/*', 'child_process', 'node:child_process', 'net', 'node:net', 'tls', 'node:tls'], message: 'src/core is pure: define a port and implement it in src/adapters.' },
      { group: ['**/adapters/**', '**/lab/**', '**/server/**', '**/extension/**', '**/cli/**'], message: 'src/core must not import an outer layer.' },
    ]),
  },
  {
    // the language server runs in its own process.
    files: ['src/server/**/*.ts'],
    rules: walls([
      { group: ['vscode'], message: 'src/server runs outside the extension host.' },
      { group: ['**/extension/**', '**/lab/**', '**/cli/**'], message: 'src/server may use core and adapters only.' },
    ]),
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: walls([{ group: ['**/lab/**', '**/server/**', '**/extension/**', '**/cli/**'], message: 'adapters implement core ports; only rehearsal entry points may use the lab.' }]),
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: walls([{ group: ['**/server/**'], message: 'the extension starts the language server; it does not import it.' }]),
  },
  {
    files: ['**/*.mjs', 'scripts/**', 'test/**'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
);
