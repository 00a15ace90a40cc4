import type { ChildProcess } from 'node:child_process';
import type { FakeFcmBehaviour, FakeFcmStats, FakeServiceAccount } from './fake-fcm.server';
import { forkFake } from '../fake-process';

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
  const args = [String(options.port ?? 0)];
  if (options.latencyMs) args.push('--latency-ms', String(options.latencyMs));
  if (options.maxStreams) args.push('--max-streams', String(options.maxStreams));
  if (options.record) args.push('--record');
  const { child, ready, stop } = await forkFake(__dirname, args, 'fake FCM');
  const port = Number(ready[0]);
  const client = new FakeFcmControlClient(`http://127.0.0.1:${port}`);
  return Object.assign(client, { port, child, stop });
}
