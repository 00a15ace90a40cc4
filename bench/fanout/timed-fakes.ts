import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { FakePushStats, FakePushSubscription, FakeSmtpStats } from '@bousai/testing';
import { FakePushServiceControlClient } from '@bousai/testing';
import { type Arrivals, NO_ARRIVALS } from './arrivals';
import { type Children, waitForLine } from './processes';
import type { TimedFakeIpcReply, TimedFakeIpcRequest, TimedFakeOp } from './timed-fake-ipc';

/** A timed fake in its own process (timed-fake-push.main.ts, timed-fake-smtp.main.ts), asked over IPC. */
class TimedFakeChild {
  private nextId = 0;
  private readonly pending = new Map<number, (reply: TimedFakeIpcReply) => void>();

  constructor(readonly child: ChildProcess) {
    child.on('message', (reply: TimedFakeIpcReply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  static async fork(
    children: Children,
    main: string,
    what: string,
    args: readonly string[] = [],
  ): Promise<[TimedFakeChild, string[]]> {
    const child = children.add(
      fork(join(__dirname, main), [...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }),
    );
    const ready = await waitForLine(child, /ready (\d+)(?: (\S+))?/, what);
    return [new TimedFakeChild(child), [...ready].slice(1)];
  }

  async arrivals(): Promise<Arrivals> {
    return (await this.ask('arrivals')).arrivals ?? NO_ARRIVALS;
  }

  async clear(): Promise<void> {
    await this.ask('clear');
  }

  async stats<T>(): Promise<T> {
    return (await this.ask('stats')).stats as T;
  }

  private ask(op: TimedFakeOp): Promise<TimedFakeIpcReply> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, op } satisfies TimedFakeIpcRequest);
    });
  }
}

/** What the fan-out benchmark needs of a timed fake, whatever the channel. */
export interface TimedFake {
  readonly child: ChildProcess;
  arrivals(): Promise<Arrivals>;
  /** Forgets counters and arrival times: the start of a measured run. */
  clear(): Promise<void>;
}

/** The fake push service with receipt times; subscriptions come from its control API, so it can decrypt. */
export class TimedFakePush implements TimedFake {
  private constructor(
    private readonly ipc: TimedFakeChild,
    private readonly control: FakePushServiceControlClient,
  ) {}

  /** `decryptEvery`: the fake decrypts one push in this many and checks the rest's framing (a real one decrypts none). */
  static async start(children: Children, decryptEvery: number): Promise<TimedFakePush> {
    const [ipc, [, origin]] = await TimedFakeChild.fork(
      children,
      'timed-fake-push.main.js',
      'fake push service',
      ['--decrypt-every', String(decryptEvery)],
    );
    return new TimedFakePush(ipc, new FakePushServiceControlClient(origin));
  }

  get child(): ChildProcess {
    return this.ipc.child;
  }

  get origin(): string {
    return this.control.origin;
  }

  /** `count` new subscriptions, as browsers would create them (key pair and auth secret held by the fake). */
  async createSubscriptions(count: number): Promise<FakePushSubscription[]> {
    const out: FakePushSubscription[] = [];
    for (let left = count; left > 0; left -= 5_000) {
      out.push(...(await this.control.createSubscriptions(Math.min(left, 5_000))));
    }
    return out;
  }

  arrivals(): Promise<Arrivals> {
    return this.ipc.arrivals();
  }

  clear(): Promise<void> {
    return this.ipc.clear();
  }

  stats(): Promise<FakePushStats> {
    return this.ipc.stats<FakePushStats>();
  }
}

/** The fake SMTP relay with receipt times. */
export class TimedFakeSmtp implements TimedFake {
  private constructor(
    private readonly ipc: TimedFakeChild,
    readonly port: number,
  ) {}

  static async start(children: Children): Promise<TimedFakeSmtp> {
    const [ipc, [port]] = await TimedFakeChild.fork(children, 'timed-fake-smtp.main.js', 'fake SMTP');
    return new TimedFakeSmtp(ipc, Number(port));
  }

  get child(): ChildProcess {
    return this.ipc.child;
  }

  arrivals(): Promise<Arrivals> {
    return this.ipc.arrivals();
  }

  clear(): Promise<void> {
    return this.ipc.clear();
  }

  stats(): Promise<FakeSmtpStats> {
    return this.ipc.stats<FakeSmtpStats>();
  }
}
