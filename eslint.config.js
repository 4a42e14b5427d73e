// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import zones (style.md "The seams between the two planes"): enforced by the linter, not discipline. */
const zone = (files, patterns, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] },
});

/** Planes talk to services, never to the store or to key material (types of store rows are fine). */
const KEY_AND_STORE = ['**/store/**', '!**/store/types.js', '**/crypto/keys/**', '**/crypto/password.js', '**/crypto/secrets.js'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bindings/python/**', 'bindings/go/**', 'public/**/*.min.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly', crypto: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', NodeJS: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', URLSearchParams: 'readonly', Headers: 'readonly', RequestInit: 'readonly', Response: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'CallExpression[callee.object.name="console"][callee.property.name="log"]', message: 'Use the pino logger (or write to stdout explicitly in CLIs).' }],
    },
  },
  // A file gets one no-restricted-imports setting (the last matching block wins), so each zone lists all its bans.
  zone(['src/planes/auth/**'], ['**/admin/**', ...KEY_AND_STORE], 'The auth plane imports neither the admin plane nor the store or key material.'),
  zone(['src/planes/admin/**'], ['**/auth/**', ...KEY_AND_STORE], 'The admin plane imports neither the auth plane nor the store or key material.'),
  zone(['src/planes/shared/**'], ['**/auth/**', '**/admin/**', ...KEY_AND_STORE], 'Shared middleware belongs to neither plane and never touches the store or keys.'),
  // The dashboard may import common/ (and so may src/): it is not in the bans below, and common/ itself imports nothing.
  zone(['mad-cli/**', 'dashboard/**'], ['**/src/**', '../src/*', '../../src/*'], 'The CLI and the dashboard reach the server only through bindings/typescript.'),
  zone(['common/**'], ['**/src/**', '**/dashboard/**', '**/mad-cli/**', '**/bindings/**'],
    'common/ holds pure helpers shared by the server and the dashboard: it imports nothing from the repository.'),
  zone(['bindings/typescript/**'], ['**/src/**'], 'Bindings are standalone clients: no server imports.'),
  {
    files: ['bench/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
