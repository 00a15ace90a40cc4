// Simulated household receivers as a process of their own, so that thousands of sockets do not share a CPU or an
// event loop with the api under test:
//
//   node libs/testing/src/fakes/receiver/main.ts --url http://127.0.0.1:3000 --devices devices.json
//   node libs/testing/src/fakes/receiver/main.ts --url http://127.0.0.1:3000 --count 5000 --serial-prefix SIM- \
//        --secret rxs_… [--ack-delay-ms N] [--ack-mode callback|event|both|none] [--played-delay-ms N]
//        [--heartbeat-ms N] [--stats-ms N]
//
// `devices.json` is `[{ "serial": "…", "secret": "…" }, …]`; with --count the serials are <prefix>000001… and share
// one secret (a benchmark provisions them with one argon2 hash). Prints `ready <connected>` once every device is
// connected, a JSON stats line every --stats-ms (and on SIGUSR2), and the final stats on SIGTERM/SIGINT.
// Node 24 runs this file from source (type stripping); the hook below only teaches its resolver that our
// extensionless relative imports mean `.ts`.
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import type { AckMode, ReceiverCredentials, ReceiverSimulatorOptions } from './receiver-simulator';

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

interface Args {
  options: ReceiverSimulatorOptions;
  statsMs: number | null;
}

function parseArgs(argv: string[]): Args {
  let url: string | undefined;
  let devices: ReceiverCredentials[] | undefined;
  let count: number | undefined;
  let prefix = 'SIM-';
  let secret: string | undefined;
  let statsMs: number | null = null;
  const behaviour: NonNullable<ReceiverSimulatorOptions['behaviour']> = {};
  const num = (v: string | undefined, name: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} needs a non-negative number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => argv[++i];
    if (arg === '--url') url = next();
    else if (arg === '--devices') devices = JSON.parse(readFileSync(next(), 'utf8')) as ReceiverCredentials[];
    else if (arg === '--count') count = num(next(), arg);
    else if (arg === '--serial-prefix') prefix = next();
    else if (arg === '--secret') secret = next();
    else if (arg === '--ack-delay-ms') behaviour.ackDelayMs = num(next(), arg);
    else if (arg === '--ack-mode') behaviour.ackMode = next() as AckMode;
    else if (arg === '--played-delay-ms') behaviour.playedDelayMs = num(next(), arg);
    else if (arg === '--heartbeat-ms') behaviour.heartbeatIntervalMs = num(next(), arg);
    else if (arg === '--stats-ms') statsMs = num(next(), arg);
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!url) throw new Error('--url is required');
  if (!devices) {
    if (count === undefined || secret === undefined)
      throw new Error('give --devices FILE, or --count N and --secret S');
    devices = Array.from({ length: count }, (_, i) => ({
      serial: `${prefix}${String(i + 1).padStart(6, '0')}`,
      secret,
    }));
  }
  return { options: { url, devices, behaviour }, statsMs };
}

async function main(): Promise<void> {
  const { ReceiverSimulator } = await import('./receiver-simulator');
  const { options, statsMs } = parseArgs(process.argv.slice(2));
  const sim = await ReceiverSimulator.start(options);
  const print = () => process.stdout.write(`${JSON.stringify(sim.stats())}\n`);
  const ticker = statsMs ? setInterval(print, statsMs) : undefined;
  const stop = () => {
    clearInterval(ticker);
    print();
    sim.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.on('SIGUSR2', print);
  process.stdout.write(`ready ${sim.stats().connected}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
