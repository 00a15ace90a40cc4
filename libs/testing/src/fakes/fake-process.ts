import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface ForkedFake {
  child: ChildProcess;
  /** What the fake printed after `ready` (its port, then whatever else it announces). */
  ready: string[];
  /** SIGTERM, resolved once it exited. */
  stop: () => Promise<void>;
}

/**
 * Forks a fake's `main.ts` from `dir` (run from source by Node's type stripping; `main.js` when compiled) and
 * resolves once it printed `ready …`. No inherited execArgv (jest's --experimental-vm-modules is not the child's
 * business); a .ts entry without "type" in package.json is reparsed as ESM, which is intended and not worth a
 * warning.
 */
export async function forkFake(dir: string, args: readonly string[], name: string): Promise<ForkedFake> {
  const ts = join(dir, 'main.ts');
  const entry = existsSync(ts) ? ts : join(dir, 'main.js');
  const child = fork(entry, [...args], {
    execArgv: ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const ready = await new Promise<string[]>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = /ready ([^\n]+)\n/.exec(out);
      if (line) {
        child.stdout?.off('data', onData);
        resolve(line[1].trim().split(/\s+/));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} process exited (${code}) before it was ready`)));
    child.once('error', reject);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { child, ready, stop };
}
