import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { loadedModules, loadedPackages } from '@bousai/testing';

/**
 * docs/architecture.md §3: the api sends nothing to a provider — no alert, and no mail either (address
 * confirmations leave from the fanout) — so it loads none of their SDKs.
 */
const PROVIDER_SDKS = ['firebase-admin', 'web-push', 'nodemailer', 'undici', 'oauth-1.0a'];

/** Each probe compiles a whole app from source in a process of its own: slow on a busy 2-core box. */
const PROBE_TIMEOUT_MS = 180_000;

/** The repository root, where the probe's source paths start. */
const ROOT = join(__dirname, '..', '..', '..');

/** The probe's own machinery, which requires the graph it is given; not part of any app. */
const PROBE = 'libs/testing/src/processes/';

/** Where a source file loads a module at run time rather than when it is required: `import(…)`, `require(…)`. */
function lateLoads(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push(`${file}:${line} ${node.getText().slice(0, 80)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('what the api loads', () => {
  it(
    'loads no provider SDK, not even later: its module graph (main.ts less the listen) takes channels from the ' +
      'light entry only, and none of its own files loads a module at run time',
    async () => {
      const { packages, sources } = await loadedModules([
        'apps/api/src/app.module.ts',
        'apps/api/src/configure-app.ts',
      ]);
      // the probe saw the api's own graph: Nest, TypeORM, the receiver bus's socket.io adapter
      expect(packages).toEqual(
        expect.arrayContaining(['@nestjs/core', 'typeorm', '@socket.io/redis-adapter']),
      );
      expect(sources).toEqual(
        expect.arrayContaining(['apps/api/src/resident/email-confirmation.service.ts']),
      );
      expect(packages.filter((name) => PROVIDER_SDKS.includes(name))).toEqual([]);
      // what is loaded when the graph is required is all it will ever load of its own accord: no file of ours in
      // it imports lazily, so no mail (or push) client can arrive on first use either
      const own = sources.filter((file) => /\.ts$/.test(file) && !file.startsWith(PROBE));
      expect(own.flatMap((file) => lateLoads(file))).toEqual([]);
    },
    PROBE_TIMEOUT_MS,
  );

  it('tells a lazy load when there is one, and a method called import from one', () => {
    const mailer = [
      'export class Mailer {',
      '  async import(rows: string[]) { return rows; }',
      '  async open() {',
      "    const { createTransport } = await import('nodemailer');",
      "    return createTransport({}) ?? require('web-push');",
      '  }',
      '}',
    ].join('\n');
    expect(lateLoads('mailer.ts', mailer)).toEqual([
      "mailer.ts:4 import('nodemailer')",
      "mailer.ts:5 require('web-push')",
    ]);
  });

  it(
    'tells a graph that does load them: the fanout, which sends',
    async () => {
      const loaded = await loadedPackages(['apps/fanout/src/fanout.module.ts']);
      expect(loaded).toEqual(expect.arrayContaining(['firebase-admin', 'web-push', 'nodemailer']));
    },
    PROBE_TIMEOUT_MS,
  );
});
