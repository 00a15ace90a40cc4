// The fake FCM server as a process of its own, for benchmarks and crash tests that must not share a CPU or an
// event loop with the sender:
//
//   node libs/testing/src/fakes/fcm/main.ts [port] [--latency-ms N] [--max-streams N] [--record]
//
// Node 24 runs this file from source (type stripping); the hook below only teaches its resolver that our
// extensionless relative imports mean `.ts`, the one thing type stripping leaves to the user. Compiled to
// JavaScript it runs as `node <out>/main.js` unchanged. It prints `ready <port>` once listening and stops on
// SIGTERM or SIGINT; other processes drive it through the control API (`FakeFcmControlClient`).
import { registerHooks } from 'node:module';
import type { FakeFcmOptions } from './fake-fcm.server';

if (process.argv[1]?.endsWith('.ts')) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier.startsWith('.') && !/\.[cm]?[jt]s$/.test(specifier)) {
        try {
          return nextResolve(`${specifier}.ts`, context);
        } catch {
          // not a TypeScript sibling: let the default resolver decide
        }
      }
      return nextResolve(specifier, context);
    },
  });
}

function parseArgs(argv: string[]): FakeFcmOptions {
  const options: FakeFcmOptions = { recordMessages: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--latency-ms') options.latencyMs = Number(argv[++i]);
    else if (arg === '--max-streams') options.maxConcurrentStreams = Number(argv[++i]);
    else if (arg === '--project') options.projectId = argv[++i];
    else if (arg === '--record') options.recordMessages = true;
    else if (/^\d+$/.test(arg)) options.port = Number(arg);
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

async function main(): Promise<void> {
  const { FakeFcmServer } = await import('./fake-fcm.server');
  const server = await FakeFcmServer.start(parseArgs(process.argv.slice(2)));
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`ready ${server.port}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
