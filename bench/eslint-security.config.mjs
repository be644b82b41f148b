// The eslint configuration bench/run.mjs times: eslint-plugin-security's recommended rules and
// nothing else (no eslint:recommended, no typescript-eslint rules), so the run measures a JS/TS
// security scan the way bandit's run measures a Python one. Passed with `--config`, which also
// turns off the lookup of a project's own eslint.config.* in the audited tree.
import tsParser from '@typescript-eslint/parser';
import security from 'eslint-plugin-security';

export default [
  {
    name: 'probity-bench/security',
    files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
    languageOptions: {
      // Syntax only: no `parserOptions.project`, so no type information and no tsconfig lookup.
      parser: tsParser,
      sourceType: 'module',
      ecmaVersion: 'latest',
    },
    // The audited code's own eslint-disable comments name rules of its own setup (ban/ban,
    // @typescript-eslint/…): they are honoured, but not reported as unused, which eslint 9 does by
    // default and would count as findings that have nothing to do with security.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: security.configs.recommended.plugins,
    rules: security.configs.recommended.rules,
  },
];
