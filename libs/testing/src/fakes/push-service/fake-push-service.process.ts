import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type {
  FakePushBehaviour,
  FakePushReceived,
  FakePushStats,
  FakePushSubscription,
} from './fake-push-service.server';
import { forkFake } from '../fake-process';

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
  options: { port?: number; tls?: boolean; latencyMs?: number; record?: boolean; decryptEvery?: number } = {},
): Promise<FakePushServiceProcess> {
  const args = [String(options.port ?? 0)];
  if (options.tls === false) args.push('--http');
  if (options.latencyMs) args.push('--latency-ms', String(options.latencyMs));
  if (options.record) args.push('--record');
  if (options.decryptEvery) args.push('--decrypt-every', String(options.decryptEvery));
  const { child, ready, stop } = await forkFake(__dirname, args, 'fake push service');
  const [port, origin] = [Number(ready[0]), ready[1]];
  const client = new FakePushServiceControlClient(origin);
  return Object.assign(client, { port, child, stop });
}
