import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeFcmBehaviour, FakeFcmStats, FakeServiceAccount } from './fake-fcm.server';

/** Drives a fake FCM server in another process (or this one) over its HTTP control API. */
export class FakeFcmControlClient {
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  get tokenUrl(): string {
    return `${this.url}/token`;
  }

  async stats(options: { perToken?: boolean } = {}): Promise<FakeFcmStats> {
    return (await this.call('GET', `/_stats${options.perToken ? '?perToken=1' : ''}`)) as FakeFcmStats;
  }

  async reset(): Promise<void> {
    await this.call('POST', '/_reset');
  }

  async setBehaviour(token: string, behaviour: FakeFcmBehaviour): Promise<void> {
    await this.call('POST', '/_behaviour', { token, behaviour });
  }

  async setLatency(latencyMs: number): Promise<void> {
    await this.call('POST', '/_behaviour', { latencyMs });
  }

  async expireAccessTokens(): Promise<void> {
    await this.call('POST', '/_behaviour', { expireAccessTokens: true });
  }

  async serviceAccount(): Promise<FakeServiceAccount> {
    return (await this.call('GET', '/_service-account')) as FakeServiceAccount;
  }

  private async call(method: string, path: string, body?: object): Promise<unknown> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`fake FCM ${method} ${path} answered ${res.status}`);
    return res.json();
  }
}

export interface FakeFcmProcess extends FakeFcmControlClient {
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Forks `main.ts` (run from source by Node's type stripping; `main.js` when this file was compiled) and resolves
 * once it printed `ready <port>`. Pass `port: 0` for any free port.
 */
export async function startFakeFcmProcess(
  options: { port?: number; latencyMs?: number; maxStreams?: number; record?: boolean } = {},
): Promise<FakeFcmProcess> {
  const ts = join(__dirname, 'main.ts');
  const entry = existsSync(ts) ? ts : join(__dirname, 'main.js');
  const args = [String(options.port ?? 0)];
  if (options.latencyMs) args.push('--latency-ms', String(options.latencyMs));
  if (options.maxStreams) args.push('--max-streams', String(options.maxStreams));
  if (options.record) args.push('--record');
  // no inherited execArgv (jest's --experimental-vm-modules is not the child's business); a .ts entry without
  // "type" in package.json is reparsed as ESM, which is intended here and not worth a warning
  const child = fork(entry, args, {
    execArgv: ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const ready = /ready (\d+)/.exec(out);
      if (ready) {
        child.stdout?.off('data', onData);
        resolve(Number(ready[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`fake FCM process exited (${code}) before it was ready`)));
    child.once('error', reject);
  });
  const client = new FakeFcmControlClient(`http://127.0.0.1:${port}`);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return Object.assign(client, { port, child, stop });
}
