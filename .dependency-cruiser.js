// @ts-check
/**
 * Module boundaries, checked by dependency-cruiser on every `npm run check` (docs/architecture.md §3,
 * docs/contributing.md "Layout and ownership"). Rules match resolved paths, so an import of a package's sub-path
 * (`firebase-admin/messaging`, `socket.io/dist/…`) is caught like the package itself. `process.env` is an eslint
 * rule (eslint.config.mjs): it is a property read, not an import.
 */

/** What each library may import of ours (besides itself): the table of docs/architecture.md §3. */
const LIBRARY_TABLE = {
  domain: [],
  config: ['domain'],
  feeds: ['domain'],
  persistence: ['domain', 'config', 'migrations'],
  queue: ['domain', 'config'],
  alerts: ['domain', 'persistence', 'queue'],
  channels: ['domain', 'config'],
  observability: ['config'],
};

/** Provider SDKs and clients: libs/channels's; the api never loads them (apps/api/src/app.module.spec.ts). */
const PROVIDER_SDKS = ['firebase-admin', 'web-push', 'nodemailer', 'undici', 'oauth-1.0a'];

/** Runtime code: what ownership applies to. Tests and benchmarks (test/, bench/) may reach anything. */
const RUNTIME = '^(apps|libs|migrations)/';

/**
 * One owner per infrastructure concern. `owners` may import the packages; everything else goes through the owner's
 * entry point. libs/testing may import them all (fakes, template databases, wire-format checks).
 */
const OWNERS = [
  {
    name: 'persistence',
    packages: ['typeorm', '@nestjs/typeorm', 'pg', 'pg-copy-streams'],
    owners: ['libs/persistence', 'migrations'],
  },
  { name: 'queue', packages: ['bullmq', '@nestjs/bullmq'], owners: ['libs/queue'] },
  // the shared client is @bousai/queue's (REDIS, and its `Redis` type); the receiver bus opens the socket.io adapter's
  // own pub/sub pair beside the socket.io server it feeds
  { name: 'redis', packages: ['ioredis'], owners: ['libs/queue', 'libs/channels/src/receiver'] },
  {
    name: 'socket.io',
    packages: [
      'socket.io',
      'socket.io-adapter',
      '@socket.io/[^/]+',
      '@nestjs/websockets',
      '@nestjs/platform-socket.io',
    ],
    // the api's gateways (/receivers, /operators) and the receiver bus and sender they share with the fanout
    owners: ['apps/api', 'libs/channels/src/receiver'],
  },
  {
    name: 'provider-sdks',
    packages: PROVIDER_SDKS,
    owners: ['libs/channels'],
  },
  // the browser apps are the socket.io clients of /operators; elsewhere only tests speak it
  { name: 'socket.io-client', packages: ['socket.io-client'], owners: ['apps/console', 'apps/pwa'] },
  { name: 'test-infrastructure', packages: ['smtp-server', 'http_ece'], owners: [] },
];

const escape = (s) => s.replace(/[.]/g, '\\.');
// a type-only import of a package without its own types resolves into @types/<package>
const packagePath = (packages) => `^node_modules/(@types/)?(${packages.map(escape).join('|')})/`;
const underAny = (folders) => `^(${folders.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...Object.entries(LIBRARY_TABLE).map(([lib, allowed]) => ({
      name: `lib-table-${lib}`,
      severity: 'error',
      comment: `libs/${lib} imports only ${allowed.length ? allowed.join(', ') : 'none of our libraries'} (docs/architecture.md §3)`,
      from: { path: `^libs/${lib}/`, pathNot: '\\.spec\\.ts$' },
      to: {
        path: '^(libs/[^/]+|migrations|apps|test|bench)/',
        pathNot: underAny([`libs/${lib}`, ...allowed.map((a) => (a === 'migrations' ? a : `libs/${a}`))]),
      },
    })),
    {
      name: 'migrations-table',
      severity: 'error',
      comment: 'migrations import only domain (docs/architecture.md §3)',
      from: { path: '^migrations/' },
      to: { path: '^(libs/[^/]+|apps|test|bench)/', pathNot: '^libs/domain/' },
    },
    {
      name: 'no-app-to-app',
      severity: 'error',
      comment: 'an app never imports another app: shared code is a library',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-runtime-to-tests',
      severity: 'error',
      comment:
        'runtime code never imports tests, benchmarks or libs/testing (spec files beside the code may)',
      from: { path: '^apps/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(libs/testing|test|bench)/' },
    },
    {
      name: 'entry-points-only',
      severity: 'error',
      comment:
        'import a library through its entry point, @bousai/<lib> (or @bousai/channels/senders, @bousai/domain/browser)',
      from: { path: '^(apps/[^/]+|libs/[^/]+|test|bench|migrations)/' },
      to: {
        path: '^libs/[^/]+/src/',
        pathNot: [
          '^$1/',
          '^libs/[^/]+/src/index\\.ts$',
          '^libs/channels/src/senders\\.ts$',
          '^libs/domain/src/browser\\.ts$',
        ],
      },
    },
    {
      name: 'browser-entry-pure',
      severity: 'error',
      comment:
        "@bousai/domain/browser is the web apps' entry: it reaches only libs/domain's own TypeScript, no package or Node module",
      from: { path: '^libs/domain/src/browser\\.ts$' },
      to: { pathNot: '^libs/domain/src/', reachable: true },
    },
    {
      name: 'web-apps-domain-browser-only',
      severity: 'error',
      comment:
        'the web apps take the domain through @bousai/domain/browser, never @bousai/domain (node-only code)',
      from: { path: '^(apps/(console|pwa)|libs/web-client)/' },
      to: { path: '^libs/[^/]+/src/index\\.ts$', pathNot: '^libs/web-client/' },
    },
    {
      name: 'api-no-senders',
      severity: 'error',
      comment:
        'the api loads no provider SDK: it imports @bousai/channels (names, rendering, previews, the receiver protocol), never @bousai/channels/senders',
      from: { path: '^apps/api/' },
      to: { path: '^libs/channels/src/senders\\.ts$' },
    },
    ...OWNERS.map((o) => ({
      name: `owner-${o.name}`,
      severity: 'error',
      comment: `${o.packages.join(', ')}: imported only in ${o.owners.length ? o.owners.join(', ') : 'libs/testing'} (and libs/testing)`,
      from: { path: RUNTIME, pathNot: underAny([...o.owners, 'libs/testing']) },
      to: { path: packagePath(o.packages) },
    })),
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'every import resolves (a deep @bousai/<lib>/… path does not)',
      // Vite's ambient client types (`/// <reference types="vite/client" />`) resolve only in the web apps' own tsconfig
      from: { pathNot: '^apps/[^/]+/src/vite-env\\.d\\.ts$' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // type-only imports count: a type from an owned package is still a dependency on it
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|coverage)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
