// The fake push service as a process of its own, for benchmarks that must not share a CPU or an event loop with
// the sender:
//
//   node libs/testing/src/fakes/push-service/main.ts [port] [--http] [--latency-ms N] [--record] [--decrypt-every N]
//
// Node 24 runs this file from source (type stripping); the hook below only teaches its resolver that our
// extensionless relative imports mean `.ts`. It prints `ready <port> <origin>` once listening and stops on SIGTERM
// or SIGINT; other processes drive it through the control API (`FakePushServiceControlClient`).
import { registerHooks } from 'node:module';
import type { FakePushServiceOptions } from './fake-push-service.server';

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

function parseArgs(argv: string[]): FakePushServiceOptions {
  const options: FakePushServiceOptions = { recordMessages: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--latency-ms') options.latencyMs = Number(argv[++i]);
    else if (arg === '--http') options.tls = false;
    else if (arg === '--record') options.recordMessages = true;
    else if (arg === '--decrypt-every') options.decryptEvery = Number(argv[++i]);
    else if (/^\d+$/.test(arg)) options.port = Number(arg);
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

async function main(): Promise<void> {
  const { FakePushService } = await import('./fake-push-service.server');
  const service = await FakePushService.start(parseArgs(process.argv.slice(2)));
  const stop = () => {
    void service.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`ready ${service.port} ${service.origin}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
