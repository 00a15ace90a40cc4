import { type ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (closed again at once; the caller binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface AppProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<PORT>`: the app's health endpoints. */
  readonly url: string;
  /** The last lines the app wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** Resolves once the process has exited, with its signal (or exit code). */
  exited(): Promise<string>;
  /** SIGKILL: no shutdown hook runs, in-flight work is cut off where it stands. */
  kill(): Promise<string>;
  /** SIGTERM and wait: the app's shutdown hooks drain and close. */
  stop(): Promise<void>;
}

const OUTPUT_KEPT = 16_384;

/**
 * Starts an app of this repository from source (`entry`, e.g. `apps/fanout/src/main.ts`, relative to the repository
 * root) in a process of its own, through `from-source.main.ts`: no build step, so a fresh clone runs it as is. The
 * environment is exactly `env` plus `PORT`/`HOST` (nothing inherited: a DATABASE_URL in the caller's shell must never
 * point a test at real data). Resolves once `GET /readyz` answers 200, i.e. Postgres and Redis are reachable.
 */
export async function startAppProcess(
  entry: string,
  env: Record<string, string>,
  options: { readyTimeoutMs?: number } = {},
): Promise<AppProcess> {
  const root = join(__dirname, '..', '..', '..', '..');
  const port = await freePort();
  const child = fork(join(__dirname, 'from-source.main.ts'), [join(root, entry)], {
    cwd: root,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    // no inherited execArgv (jest's flags are not the app's); the runner is reparsed as ESM by design
    execArgv: ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exit = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${entry} exited (${await exit}) before it was ready:\n${out}`);
    }
    const ready = await fetch(`${url}/readyz`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${entry} not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    url,
    output: () => out,
    exited: () => exit,
    kill() {
      if (running()) child.kill('SIGKILL');
      return exit;
    },
    async stop() {
      if (running()) child.kill('SIGTERM');
      await exit;
    },
  };
}
