import { Worker } from 'node:worker_threads';
import {
  PUSH_ENCRYPTION_WORKER,
  PushEncryptionInputError,
  type PushEncryptionReply,
  type PushEncryptionRequest,
} from './push-encryption';

interface Job {
  p256dh: string;
  auth: string;
  payload: string;
  resolve: (body: Buffer) => void;
  reject: (err: Error) => void;
}

interface Lane {
  worker: Worker;
  /** Chunks sent to this worker and not answered yet, by chunk id. */
  pending: Map<number, Job[]>;
}

/** The pool cannot encrypt right now (closed, or a worker died): the push is retried, the subscription is fine. */
export class PushEncryptionUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushEncryptionUnavailableError';
  }
}

/** Jobs handed to a worker in one message: postMessage has a fixed cost, so it is paid per chunk, not per push. */
const CHUNK = 16;

/**
 * The worker's entry is push-encryption itself (it serves requests when started with PUSH_ENCRYPTION_WORKER):
 * the compiled .js from dist, the .ts source under jest (Node strips its types), so both run the same code.
 */
const WORKER_ENTRY = require.resolve('./push-encryption');

/**
 * The same RFC 8291 encryption as `encryptPushPayload`, on worker threads. Encryption is a fresh ECDH key pair
 * and an ECDH per message (about half the sender's CPU per push), which bounds a sender that does it on the event
 * loop. It does not reduce the CPU a push costs, it lets the event loop do HTTP while another core encrypts: on a
 * 2-core box one worker makes the whole engine markedly faster than inline, and two are slower than one, the
 * other core being shared with Postgres and the push service (`WEBPUSH_ENCRYPT_THREADS`, default 1; 0 encrypts
 * inline; figures in docs/performance.md).
 */
export class PushEncryptionPool {
  private lanes: Lane[] = [];
  private queue: Job[] = [];
  private flushScheduled = false;
  private nextId = 0;
  private cursor = 0;
  private closed = false;

  constructor(private readonly threads: number) {}

  /** The aes128gcm body for one subscription; rejects with PushEncryptionInputError for unusable keys. */
  encrypt(p256dh: string, auth: string, payload: string): Promise<Buffer> {
    if (this.closed)
      return Promise.reject(new PushEncryptionUnavailableError('the encryption pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ p256dh, auth, payload, resolve, reject });
      if (this.queue.length >= CHUNK * Math.max(1, this.threads)) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0))
      job.reject(new PushEncryptionUnavailableError('the encryption pool is closed'));
    await Promise.all(this.lanes.map((l) => l.worker.terminate()));
  }

  /**
   * Starts the workers now rather than with the first push (the adapter does so at boot, when Web Push is
   * configured), so the first browser alert does not wait for threads to start and compile. Idempotent.
   */
  start(): void {
    if (this.closed || this.lanes.length > 0) return;
    this.lanes = Array.from({ length: Math.max(1, this.threads) }, () => this.spawn());
  }

  private spawn(): Lane {
    const lane: Lane = {
      worker: new Worker(WORKER_ENTRY, {
        workerData: PUSH_ENCRYPTION_WORKER,
        // jest's --experimental-vm-modules is not the worker's business; a .ts entry is parsed as ESM on purpose
        execArgv: ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON'],
      }),
      pending: new Map(),
    };
    lane.worker.on('message', (reply: PushEncryptionReply) => this.settle(lane, reply));
    lane.worker.on('error', (err: Error) => this.replace(lane, err));
    // idle workers must not keep a shutting-down process alive
    lane.worker.unref();
    return lane;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.closed) return;
    this.start();
    while (this.queue.length > 0) {
      const jobs = this.queue.splice(0, CHUNK);
      const lane = this.lanes[this.cursor++ % this.lanes.length];
      const id = this.nextId++;
      lane.pending.set(id, jobs);
      if (lane.pending.size === 1) lane.worker.ref();
      lane.worker.postMessage({
        id,
        jobs: jobs.map(({ p256dh, auth, payload }) => ({ p256dh, auth, payload })),
      } satisfies PushEncryptionRequest);
    }
  }

  private settle(lane: Lane, reply: PushEncryptionReply): void {
    const jobs = lane.pending.get(reply.id);
    if (!jobs) return;
    lane.pending.delete(reply.id);
    if (lane.pending.size === 0) lane.worker.unref();
    jobs.forEach((job, i) => {
      const body = reply.bodies[i];
      if (body instanceof Uint8Array) job.resolve(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
      else if (body?.input) job.reject(new PushEncryptionInputError(body.error));
      else job.reject(new Error(body?.error ?? 'no result'));
    });
  }

  /** A worker that died fails what it held (retried later) and is replaced, so later pushes do not wait on it. */
  private replace(lane: Lane, err: Error): void {
    const reason = new PushEncryptionUnavailableError(`encryption worker failed: ${err.message}`);
    for (const jobs of lane.pending.values()) for (const job of jobs) job.reject(reason);
    lane.pending.clear();
    const at = this.lanes.indexOf(lane);
    if (at >= 0 && !this.closed) this.lanes[at] = this.spawn();
  }
}
