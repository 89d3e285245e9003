// ESLint flat config: JavaScript's and typescript-eslint's recommended rules on every file, and React's rules
// (eslint-plugin-react-hooks 7, `recommended-latest`: the rules of hooks, exhaustive dependencies, and the React
// Compiler's checks such as refs, purity, immutability and set-state-in-effect) on the page code and the hook tests.
// Not type-aware: `tsc -b` already checks the types, and a type-aware lint would type-check everything a second time.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores(['dist/', 'node_modules/', 'public/', 'models/', 'test-results/', 'playwright-report/', '.scratch/']),
  {
    files: ['**/*.{ts,tsx,js}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.worker },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The convention `tsc` already applies (noUnusedLocals/noUnusedParameters): a leading underscore marks a
      // binding kept on purpose, and a destructured property next to `...rest` is how a field is left out.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // React code: the page and the hook tests (scripts/ and the other tests hold no React, and the hook rules would
    // read a local helper named `use` in scripts/bench.ts as React's `use`).
    files: ['src/**/*.{ts,tsx}', 'tests/unit/hooks/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat['recommended-latest']],
  },
  {
    // Node tools, configs and the test suites.
    files: ['scripts/**', 'tests/**', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The tests read and mutate the parsed JSON reference vectors at deep paths (one changed number per case, to
    // show the conformance checker fails); the checker under test validates their shapes at run time, so `any` is
    // the honest type there. Source files keep the rule.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
]);
