// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** One owner per infrastructure concern (docs/contributing.md): these packages may be imported only where named. */
const owned = [
  {
    names: ['typeorm', 'pg', 'pg-copy-streams'],
    owner: 'libs/persistence',
    also: ['migrations', 'libs/testing'],
  },
  { names: ['bullmq'], owner: 'libs/queue', also: ['libs/testing'] },
  { names: ['firebase-admin', 'web-push', 'nodemailer'], owner: 'libs/channels', also: ['libs/testing'] },
  // the fake SMTP server's library: test infrastructure only
  { names: ['smtp-server'], owner: 'libs/testing', also: [] },
];

function restrictedFor(folder) {
  return owned
    .filter((o) => ![o.owner, ...o.also].includes(folder))
    .flatMap((o) =>
      o.names.map((name) => ({
        name,
        message: `${name} is owned by ${o.owner}: go through @bousai/${o.owner.split('/')[1]}.`,
      })),
    );
}

const folders = [
  'apps/api',
  'apps/ingest',
  'apps/fanout',
  'apps/cli',
  'libs/domain',
  'libs/feeds',
  'libs/persistence',
  'libs/queue',
  'libs/alerts',
  'libs/channels',
  'libs/config',
  'libs/observability',
  'libs/testing',
  'migrations',
  'test',
  'bench',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
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
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through @bousai/config.',
        },
      ],
    },
  },
  ...folders.map((folder) => ({
    files: [`${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: restrictedFor(folder),
          patterns: [
            { group: ['@bousai/*/*'], message: 'Import a library through its entry point, @bousai/<lib>.' },
            ...(folder.startsWith('apps/') || folder.startsWith('libs/')
              ? [{ group: ['../../*'], message: 'Do not climb out of a feature; import @bousai/<lib>.' }]
              : []),
          ],
        },
      ],
    },
  })),
  { files: ['libs/config/**/*.ts'], rules: { 'no-restricted-syntax': 'off' } },
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
