/**
 * The acknowledgement load generator of `bench:acks` and `bench:prefecture`: requests through a bounded pool of
 * loops over keep-alive HTTP/1.1, per-request latencies, and the check that every ack answered as recorded is in
 * its row.
 */
import { Agent, request } from 'node:http';
import type { BenchDataSource } from './bench-database';

export type Stage = 'delivered' | 'read';

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `jobs` through `concurrency` loops; each job resolves with the acks it got recorded. */
export async function runPool<J>(
  jobs: readonly J[],
  concurrency: number,
  send: (job: J) => Promise<string[]>,
): Promise<{ latencies: Float64Array; accepted: string[]; failed: number; seconds: number }> {
  const latencies = new Float64Array(jobs.length);
  const accepted: string[] = [];
  let failed = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        const t0 = process.hrtime.bigint();
        try {
          const ok = await send(jobs[i]);
          for (const id of ok) accepted.push(id);
        } catch {
          failed++;
        }
        latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { latencies: latencies.sort(), accepted, failed, seconds };
}

/** A keep-alive HTTP/1.1 client: one POST, resolving with the status and the parsed body. */
export function httpClient(base: string, connections: number) {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  return {
    post(path: string, body: unknown, authorization?: string): Promise<{ status: number; body: unknown }> {
      const payload = JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const req = request(
          {
            agent,
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
              ...(authorization ? { authorization } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              try {
                resolve({
                  status: res.statusCode ?? 0,
                  body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
                });
              } catch (err) {
                reject(err instanceof Error ? err : new Error(String(err)));
              }
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}

export interface AckAnswer {
  deliveryId: string;
  recorded: boolean;
}

/** Accepted acks whose row does not show them (must be none). */
export async function countLost(
  world: { dataSource: BenchDataSource },
  ids: readonly string[],
  stage: Stage,
): Promise<number> {
  if (ids.length === 0) return 0;
  const [{ lost }] = await world.dataSource.query<{ lost: number }[]>(
    `SELECT count(*)::int AS lost
       FROM unnest($1::bigint[]) AS a(id)
       LEFT JOIN delivery d ON d.id = a.id
      WHERE d.id IS NULL
         OR ($2 = 'delivered' AND (d.delivered_at IS NULL OR d.status NOT IN ('delivered', 'played', 'read')))
         OR ($2 = 'read' AND (d.read_at IS NULL OR d.status <> 'read'))`,
    [ids, stage],
  );
  return lost;
}

/** One ack by the delivery's signed token (as the PWA's service worker and the app send it): the ids recorded. */
export async function ackBySignedToken(
  http: ReturnType<typeof httpClient>,
  job: { deliveryId: string; token: string },
): Promise<string[]> {
  const res = await http.post('/v1/acks/signed', {
    token: job.token,
    stage: 'delivered',
    deviceAt: new Date().toISOString(),
  });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  const body = res.body as AckAnswer;
  return body.recorded ? [body.deliveryId] : [];
}
