import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', '.services/', 'load/results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Off by default; the layering rules below switch it on per layer.
      'no-restricted-imports': 'off',
    },
  },
  // The layering of docs/architecture.md: api and workers on top, then jobs, then domain, then
  // platform. A layer never imports one above it.
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/api/**', '**/workers/**', '**/jobs/**'], message: 'the domain must not import the entry points or the job contract (docs/architecture.md)' },
      ] }],
    },
  },
  {
    files: ['src/jobs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/api/**', '**/workers/**'], message: 'domain, jobs and platform must not import the entry points (DESIGN.md)' },
      ] }],
    },
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/api/**', '**/workers/**', '**/domain/**', '**/jobs/**'], message: 'platform imports nothing of the app (DESIGN.md)' },
      ] }],
    },
  },
  {
    // The fans' pages are a client like any other (DESIGN.md): HTTP/SSE only, nothing server-side.
    files: ['src/web/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/api/**', '**/domain/**', '**/jobs/**', '**/platform/**', '**/workers/**', '**/cli/**', 'node:*'], message: 'src/web speaks HTTP/SSE only and imports nothing server-side (DESIGN.md)' },
      ] }],
    },
  },
);
