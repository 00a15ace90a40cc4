import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from './app-process';

/**
 * A private `redis-server` (the machine's binary) that a test can stop and start again on the same port, to
 * stage a Redis outage without touching the shared instance. Nothing is persisted (`--save ""`, no AOF): a
 * restart comes back empty, as a replacement instance after a failure would.
 */
export class RedisServerProcess {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(port?: number): Promise<RedisServerProcess> {
    const server = new RedisServerProcess(port ?? (await freePort()));
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts it (again); resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('Ready to accept connections')) {
          child.stdout?.off('data', onData);
          child.off('exit', onExit);
          // keep draining so a chatty server never blocks on a full pipe
          child.stdout?.resume();
          resolve();
        }
      };
      const onExit = (code: number | null) => {
        this.child = undefined;
        reject(new Error(`redis-server on port ${this.port} exited (${code}) before it was ready:\n${out}`));
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.once('exit', onExit);
      child.once('error', reject);
    });
  }

  /** Stops it (SIGTERM) and resolves once the process is gone and the port is closed. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
