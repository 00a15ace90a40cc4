/** @type {import('jest').Config} */
const aliases = {};
for (const lib of [
  'domain',
  'feeds',
  'persistence',
  'queue',
  'alerts',
  'channels',
  'config',
  'observability',
  'testing',
]) {
  aliases[`^@bousai/${lib}$`] = `<rootDir>/libs/${lib}/src`;
}
// the channel senders' own entry (provider SDKs), apart from @bousai/channels which the api loads
aliases['^@bousai/channels/senders$'] = '<rootDir>/libs/channels/src/senders';
// the domain's browser-safe entry (enums and constants), which the web apps import
aliases['^@bousai/domain/browser$'] = '<rootDir>/libs/domain/src/browser';
aliases['^@bousai/migrations$'] = '<rootDir>/migrations';

const common = {
  moduleFileExtensions: ['ts', 'js', 'json'],
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleNameMapper: aliases,
};

module.exports = {
  // integration and e2e files boot apps and databases; jest reads this only at the top level
  testTimeout: 60000,
  // the files run in a worker process that is replaced once it holds more than this after a file: every file boots
  // Nest apps, and what a file leaves behind would otherwise pile up in one process across the whole suite
  workerIdleMemoryLimit: '1GB',
  // unit tests beside the code; integration and e2e under test/ share one migrated template database
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/{integration,e2e,browser}/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      testTimeout: 60000,
    },
  ],
};
