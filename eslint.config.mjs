// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Module boundaries (the libraries' dependency table, package owners, entry points) are dependency-cruiser's:
// .dependency-cruiser.js, run by `npm run check`. Reading `process.env` is a property access, so it is checked here.

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      'libs/web-client/src/openapi.d.ts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        // Nest resolves constructor parameters from emitted metadata: the type-import rule must know that
        emitDecoratorMetadata: true,
        experimentalDecorators: true,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // only libs/config reads the environment: `process.env.X`, `process['env']` and `const { env } = process`
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through @bousai/config.' },
      ],
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    // the browser apps import the generated client by path: they are bundled by Vite, not resolved by tsconfig paths
    ignores: ['apps/console/**', 'apps/pwa/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['../../*'], message: 'Do not climb out of a feature; import @bousai/<lib>.' }],
        },
      ],
    },
  },
  { files: ['libs/config/**/*.ts'], rules: { 'no-restricted-properties': 'off' } },
  // the web apps run in the browser: their own tsconfig (DOM, JSX), browser globals, no Node
  {
    files: ['apps/console/**/*.{ts,tsx}', 'apps/pwa/**/*.{ts,tsx}', 'libs/web-client/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
