import { type ChildProcess, fork, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { FakeFcmControlClient } from '@bousai/testing';
import { type Arrivals, NO_ARRIVALS } from './arrivals';
import type { TimedFakeReply, TimedFakeRequest } from './timed-fake-fcm.main';

/**
 * Every child the benchmark starts, so that one exit path stops them all: normal end, a thrown error, SIGINT or
 * SIGTERM. Children are stopped by their own pid only.
 */
export class Children {
  private readonly running = new Set<ChildProcess>();

  add<C extends ChildProcess>(child: C): C {
    this.running.add(child);
    child.once('exit', () => this.running.delete(child));
    return child;
  }

  async stop(child: ChildProcess, graceMs = 10_000): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((c) => this.stop(c)));
  }
}

export async function freePort(): Promise<number> {
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

/** Resolves once the child printed a line matching `pattern`; rejects if it exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = pattern.exec(out);
      if (match) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve(match);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`${what} exited (${code}) before it was ready`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** The built `api` or `fanout` app in a process of its own, with exactly the environment given (nothing inherited). */
export interface AppProcess {
  name: string;
  url: string;
  child: ChildProcess;
  log: string;
}

export async function startApp(
  children: Children,
  name: 'api' | 'fanout',
  env: Record<string, string>,
  logDir: string,
  nodeArgs: readonly string[] = [],
): Promise<AppProcess> {
  const port = await freePort();
  // this file runs from dist/bench/bench/fanout; the apps are built beside it by `nest build`
  const entry = join(__dirname, '..', '..', '..', 'apps', name, 'apps', name, 'src', 'main.js');
  const log = join(logDir, `${name}.log`);
  const out = createWriteStream(log);
  // a closed environment: a DATABASE_URL in the caller's shell must never point the benchmark at real data
  const child = children.add(
    spawn(process.execPath, [...nodeArgs, entry], {
      env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}); see ${log}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (i > 1_200) throw new Error(`${name} not ready after 120 s; see ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { name, url, child, log };
}

/** Resident set size of a live process in MB: its peak so far (`VmHWM`) or now (`VmRSS`). */
export function residentMb(pid: number, which: 'VmHWM' | 'VmRSS' = 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${which}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!kb) throw new Error(`no ${which} for pid ${pid}`);
  return Number(kb[1]) / 1024;
}

/** CPU time (user + system) a live process has used so far, in seconds (Linux `/proc/<pid>/stat`). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the command name, which is parenthesised and may contain spaces; utime and stime are 14 and 15
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS = 100;

/** The fake FCM in its own process (bench/fanout/timed-fake-fcm.main.ts), with arrival times over IPC. */
export class TimedFakeFcm extends FakeFcmControlClient {
  private nextId = 0;
  private readonly pending = new Map<number, (reply: TimedFakeReply) => void>();

  private constructor(
    url: string,
    readonly child: ChildProcess,
  ) {
    super(url);
    child.on('message', (reply: TimedFakeReply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  static async start(children: Children): Promise<TimedFakeFcm> {
    const child = children.add(
      fork(join(__dirname, 'timed-fake-fcm.main.js'), [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }),
    );
    const [, port] = await waitForLine(child, /ready (\d+)/, 'fake FCM');
    return new TimedFakeFcm(`http://127.0.0.1:${port}`, child);
  }

  async arrivals(): Promise<Arrivals> {
    return (await this.ask('arrivals')).arrivals ?? NO_ARRIVALS;
  }

  /** Forgets counters (the control API's reset) and arrival times: the start of a measured run. */
  async clear(): Promise<void> {
    await this.reset();
    await this.ask('clear-arrivals');
  }

  private ask(op: TimedFakeRequest['op']): Promise<TimedFakeReply> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, op } satisfies TimedFakeRequest);
    });
  }
}

/** The receiver simulator (libs/testing) as its own process: N socket.io devices against the api. */
export async function startReceivers(
  children: Children,
  apiUrl: string,
  count: number,
  serialPrefix: string,
  secret: string,
  logDir: string,
): Promise<ChildProcess> {
  const entry = join(__dirname, '..', '..', 'libs', 'testing', 'src', 'fakes', 'receiver', 'main.js');
  const child = children.add(
    fork(
      entry,
      ['--url', apiUrl, '--count', String(count), '--serial-prefix', serialPrefix, '--secret', secret],
      {
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    ),
  );
  child.stderr?.pipe(createWriteStream(join(logDir, 'receivers.log')));
  await waitForLine(child, /ready (\d+)/, 'receiver simulator');
  return child;
}
