import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type {
  FakePushBehaviour,
  FakePushReceived,
  FakePushStats,
  FakePushSubscription,
} from './fake-push-service.server';

/** Drives a fake push service in another process (or this one) over its control API. */
export class FakePushServiceControlClient {
  constructor(readonly origin: string) {}

  async stats(): Promise<FakePushStats> {
    return (await this.call('GET', '/_stats')) as FakePushStats;
  }

  async reset(): Promise<void> {
    await this.call('POST', '/_reset');
  }

  async createSubscriptions(count: number): Promise<FakePushSubscription[]> {
    return (await this.call('POST', '/_subscriptions', { count })) as FakePushSubscription[];
  }

  async setBehaviour(subscriptionId: string, behaviour: FakePushBehaviour): Promise<void> {
    await this.call('POST', '/_behaviour', { subscriptionId, behaviour });
  }

  async setLatency(latencyMs: number): Promise<void> {
    await this.call('POST', '/_behaviour', { latencyMs });
  }

  async received(subscriptionId?: string): Promise<FakePushReceived[]> {
    const query = subscriptionId ? `?subscriptionId=${encodeURIComponent(subscriptionId)}` : '';
    return (await this.call('GET', `/_received${query}`)) as FakePushReceived[];
  }

  /** node:http(s) rather than fetch: the fake's certificate is self-signed and fetch cannot be told to accept it. */
  private call(method: string, path: string, body?: object): Promise<unknown> {
    const url = new URL(path, this.origin);
    const text = body ? JSON.stringify(body) : '';
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          rejectUnauthorized: false,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (data += c));
          res.on('end', () => {
            if ((res.statusCode ?? 500) >= 300) {
              reject(new Error(`fake push service ${method} ${path} answered ${res.statusCode}`));
              return;
            }
            resolve(JSON.parse(data || 'null'));
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }
}

export interface FakePushServiceProcess extends FakePushServiceControlClient {
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Forks `main.ts` (run from source by Node's type stripping; `main.js` when this file was compiled) and resolves
 * once it printed `ready <port> <origin>`. Pass `port: 0` for any free port.
 */
export async function startFakePushServiceProcess(
  options: { port?: number; tls?: boolean; latencyMs?: number; record?: boolean } = {},
): Promise<FakePushServiceProcess> {
  const ts = join(__dirname, 'main.ts');
  const entry = existsSync(ts) ? ts : join(__dirname, 'main.js');
  const args = [String(options.port ?? 0)];
  if (options.tls === false) args.push('--http');
  if (options.latencyMs) args.push('--latency-ms', String(options.latencyMs));
  if (options.record) args.push('--record');
  const child = fork(entry, args, {
    execArgv: ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const [port, origin] = await new Promise<[number, string]>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const ready = /ready (\d+) (\S+)/.exec(out);
      if (ready) {
        child.stdout?.off('data', onData);
        resolve([Number(ready[1]), ready[2]]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`fake push service process exited (${code}) before it was ready`)),
    );
    child.once('error', reject);
  });
  const client = new FakePushServiceControlClient(origin);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return Object.assign(client, { port, child, stop });
}
