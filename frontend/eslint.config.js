// The frontend's lint: ESLint 9 flat config, run by `npm run lint` (and so by
// .ci/gui-test.sh and `make test`). Warnings fail the run too (--max-warnings 0).
//
// - TypeScript: typescript-eslint's type-checked rules. They read the types
//   through classic TypeScript 6 (the `typescript` package); the build's type
//   check runs TypeScript 7 (`tsgo`, the npm alias of typescript@7), which has
//   no JavaScript API for typescript-eslint to use yet.
// - React: the hooks rules, with the React Compiler's checks (refs read or
//   written during render, setState in effects, impure render...).
// - Accessibility: jsx-a11y's strict set.
// - TanStack Query: its rules (query keys that list what the query reads...).
// - Disable comments: each names its rule and says why; no blanket ones.
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import query from '@tanstack/eslint-plugin-query';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/'] },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  comments.recommended,
  {
    rules: {
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      '@eslint-community/eslint-comments/no-unused-disable': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'vite.config.ts'],
    extends: [tseslint.configs.recommendedTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The backend's JSON has Go's zero values: an empty string means "not
      // set" as much as a missing field does, so `||` on strings is meant.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/**/*.ts'],
    extends: [reactHooks.configs.flat['recommended-latest'], jsxA11y.flatConfigs.strict, query.configs['flat/recommended']],
    languageOptions: { globals: globals.browser },
  },
  {
    // The end-to-end tests: Node scripts that drive Chromium (their page
    // callbacks run in the browser).
    files: ['e2e/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
