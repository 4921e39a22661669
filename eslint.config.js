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
      // The architecture rule from DESIGN.md: the domain never reaches into the entry points.
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/domain/**/*.ts', 'src/platform/**/*.ts', 'src/jobs/**/*.ts'],
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
