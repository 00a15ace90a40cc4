// Household receivers simulated with the real socket.io client, as a device maker would write them from
// docs/receiver-protocol.md. This file is also run by plain Node from source (./main.ts), so it imports our libraries
// for types only and keeps to erasable TypeScript (no enums, no parameter properties).
import { io, type Socket } from 'socket.io-client';
import type {
  RECEIVER_NAMESPACE as ReceiverNamespace,
  ReceiverAlert,
  ReceiverEvent as ReceiverEvents,
  ReceiverReply,
  ReceiverReportsReply,
} from '@bousai/channels';

// checked against the protocol's own constants by the compiler
const NAMESPACE: typeof ReceiverNamespace = '/receivers';
const EVENT: typeof ReceiverEvents = {
  Alert: 'alert',
  Ack: 'ack',
  Played: 'played',
  Reports: 'reports',
  Heartbeat: 'heartbeat',
  Safety: 'safety',
};

export interface ReceiverCredentials {
  serial: string;
  secret: string;
}

/**
 * How a device answers an alert: `callback` answers the alert's acknowledgement callback (what the fanout waits
 * for); `event` sends a separate `ack` event and waits for the server's durable reply; `both` does both; `none`
 * stays silent (a broken device).
 */
export type AckMode = 'callback' | 'event' | 'both' | 'none';

export interface ReceiverBehaviour {
  ackMode: AckMode;
  /** Time between an alert arriving and its acknowledgement. */
  ackDelayMs: number;
  /** Report `played` this long after the alert arrived (null: never). */
  playedDelayMs: number | null;
  playDurationMs: number;
  volume: number;
  /** Send a heartbeat this often while connected (null: never). */
  heartbeatIntervalMs: number | null;
  heartbeat: { battery?: number; signal?: number; firmware?: string };
  /** How long to wait for the server's reply to a report before keeping it queued for the next connection. */
  replyTimeoutMs: number;
  /** Reconnect this long after the server ended the connection (server restart, duplicate session). */
  reconnectDelayMs: number;
}

export const DEFAULT_BEHAVIOUR: ReceiverBehaviour = {
  ackMode: 'callback',
  ackDelayMs: 0,
  playedDelayMs: null,
  playDurationMs: 1_500,
  volume: 80,
  heartbeatIntervalMs: null,
  heartbeat: { battery: 100, signal: -70, firmware: 'sim-1.0.0' },
  replyTimeoutMs: 10_000,
  reconnectDelayMs: 250,
};

export interface ReceiverSimulatorOptions {
  /** The api's origin, e.g. `http://127.0.0.1:3000` (the `/receivers` namespace is appended). */
  url: string;
  devices: readonly ReceiverCredentials[];
  behaviour?: Partial<ReceiverBehaviour>;
  /** How many devices open their connection at the same time. */
  connectConcurrency?: number;
}

/** A report the device keeps (as in flash) until the server confirms it. */
/** Reports per `reports` event when the outbox is flushed (docs/receiver-protocol.md §6: at most 50 at a time). */
const OUTBOX_CHUNK = 50;

export type QueuedReport =
  | { event: 'ack'; payload: { deliveryId: string; receivedAt: string } }
  | {
      event: 'played';
      payload: { deliveryId: string; startedAt: string; endedAt: string; volume: number };
    };

export interface ConnectFailure {
  message: string;
  code?: string;
}

export class SimulatedReceiver {
  readonly serial: string;
  /** Every alert in order of arrival, first arrivals only. */
  readonly received: ReceiverAlert[] = [];
  /** Arrivals of a delivery id already received (store-and-forward and a retry may both bring it). */
  duplicates = 0;
  /** Deliveries the server confirmed as recorded, per report kind. */
  readonly confirmed = { ack: new Set<string>(), played: new Set<string>() };
  /** Replies other than `{ ok: true }` the server gave to reports. */
  readonly rejections: ReceiverReply[] = [];
  /** Reports waiting for a connection (sent with their original times on reconnect). */
  readonly queue: QueuedReport[] = [];
  lastConnectError: ConnectFailure | undefined;
  behaviour: ReceiverBehaviour;

  private readonly socket: Socket;
  private readonly seen = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private wantOnline = false;
  private closed = false;

  constructor(url: string, credentials: ReceiverCredentials, behaviour: ReceiverBehaviour) {
    this.serial = credentials.serial;
    this.behaviour = behaviour;
    this.socket = io(`${url}${NAMESPACE}`, {
      transports: ['websocket'],
      auth: { serial: credentials.serial, secret: credentials.secret },
      autoConnect: false,
      // one connection per device, as real devices have; never multiplexed over another device's
      forceNew: true,
      reconnectionDelay: 250,
      reconnectionDelayMax: 5_000,
    });
    this.socket.on(EVENT.Alert, (alert: ReceiverAlert, callback?: (answer: unknown) => void) =>
      this.onAlert(alert, callback),
    );
    this.socket.on('connect', () => this.onConnect());
    this.socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      this.lastConnectError = { message: err.message, code: err.data?.code };
    });
    this.socket.on('disconnect', (reason) => {
      clearInterval(this.heartbeatTimer);
      // the client library reconnects by itself after a network loss, but not when the server ended the session
      if (reason === 'io server disconnect' && this.wantOnline && !this.closed) {
        this.later(this.behaviour.reconnectDelayMs, () => {
          if (this.wantOnline && !this.closed && !this.socket.connected) this.socket.connect();
        });
      }
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Connects; resolves once the server accepted the handshake, rejects with its `connect_error`. */
  goOnline(timeoutMs = 10_000): Promise<void> {
    this.wantOnline = true;
    if (this.socket.connected) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`${this.serial}: no connection within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onConnect = () => finish();
      const onError = (err: Error & { data?: { code?: string } }) => {
        // a handshake refusal is final for this attempt; a network error is retried by the client library
        if (err.data?.code) finish(Object.assign(new Error(err.message), { code: err.data.code }));
      };
      const finish = (err?: Error) => {
        clearTimeout(timer);
        this.socket.off('connect', onConnect);
        this.socket.off('connect_error', onError);
        if (err) {
          this.wantOnline = false;
          this.socket.disconnect();
          reject(err);
        } else {
          resolve();
        }
      };
      this.socket.on('connect', onConnect);
      this.socket.on('connect_error', onError);
      this.socket.connect();
    });
  }

  /** Drops the connection (power cut, radio loss); alerts meanwhile wait on the server. */
  goOffline(): void {
    this.wantOnline = false;
    this.socket.disconnect();
  }

  /** Sends an explicit `ack` now (or queues it while offline) and resolves with the server's reply. */
  ack(deliveryId: string, receivedAt: Date = new Date()): Promise<ReceiverReply | undefined> {
    return this.report({ event: 'ack', payload: { deliveryId, receivedAt: receivedAt.toISOString() } });
  }

  played(
    deliveryId: string,
    startedAt: Date,
    endedAt: Date,
    volume = this.behaviour.volume,
  ): Promise<ReceiverReply | undefined> {
    return this.report({
      event: 'played',
      payload: { deliveryId, startedAt: startedAt.toISOString(), endedAt: endedAt.toISOString(), volume },
    });
  }

  /** Emits any event with a reply callback (for malformed-input tests); undefined when no reply came in time. */
  async send(event: string, payload: unknown): Promise<ReceiverReply | undefined> {
    try {
      return (await this.socket
        .timeout(this.behaviour.replyTimeoutMs)
        .emitWithAck(event, payload)) as ReceiverReply;
    } catch {
      return undefined;
    }
  }

  heartbeat(state = this.behaviour.heartbeat): Promise<ReceiverReply | undefined> {
    return this.send(EVENT.Heartbeat, state);
  }

  /** Presses the safety button (安否確認) for an alert: `safe`, `need_help`, `injured` or `other`. */
  safety(alertId: string, answer: string, pressedAt = new Date()): Promise<ReceiverReply | undefined> {
    return this.send(EVENT.Safety, { alertId, answer, pressedAt: pressedAt.toISOString() });
  }

  close(): void {
    this.closed = true;
    this.wantOnline = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    clearInterval(this.heartbeatTimer);
    this.socket.disconnect();
  }

  private onAlert(alert: ReceiverAlert, callback?: (answer: unknown) => void): void {
    const receivedAt = new Date();
    const first = !this.seen.has(alert.deliveryId);
    if (first) {
      this.seen.add(alert.deliveryId);
      this.received.push(alert);
    } else {
      this.duplicates++;
    }
    const { ackMode, ackDelayMs, playedDelayMs, playDurationMs } = this.behaviour;
    // a repeat is acknowledged again (the first answer may have been lost) but sounds only once
    if (ackMode !== 'none') {
      this.later(ackDelayMs, () => {
        const answered = (ackMode === 'callback' || ackMode === 'both') && this.socket.connected && callback;
        if (answered) callback({ receivedAt: receivedAt.toISOString() });
        if (ackMode === 'event' || ackMode === 'both' || !answered) {
          void this.ack(alert.deliveryId, receivedAt);
        }
      });
    }
    if (first && playedDelayMs !== null) {
      this.later(playedDelayMs, () => {
        const startedAt = new Date(receivedAt.getTime() + playedDelayMs);
        void this.played(alert.deliveryId, startedAt, new Date(startedAt.getTime() + playDurationMs));
      });
    }
  }

  private onConnect(): void {
    this.lastConnectError = undefined;
    const { heartbeatIntervalMs } = this.behaviour;
    if (heartbeatIntervalMs !== null) {
      clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = setInterval(() => void this.heartbeat(), heartbeatIntervalMs);
    }
    // reports made while offline go out first, with the times they were made, OUTBOX_CHUNK per `reports` event,
    // each chunk after the previous one's answer
    const pending = this.queue.splice(0);
    void (async () => {
      for (let i = 0; i < pending.length; i += OUTBOX_CHUNK) {
        await this.reports(pending.slice(i, i + OUTBOX_CHUNK));
      }
    })();
  }

  /**
   * Sends several reports in one `reports` event (or queues them while offline) and resolves with the server's
   * reply: one result per report, in order.
   */
  async reports(batch: readonly QueuedReport[]): Promise<ReceiverReportsReply | undefined> {
    if (!this.socket.connected) {
      this.queue.push(...batch);
      return undefined;
    }
    let reply: ReceiverReportsReply | undefined;
    try {
      reply = (await this.socket.timeout(this.behaviour.replyTimeoutMs).emitWithAck(EVENT.Reports, {
        reports: batch.map((r) => ({ type: r.event, ...r.payload })),
      })) as ReceiverReportsReply;
    } catch {
      reply = undefined;
    }
    batch.forEach((r, i) =>
      this.settle(r, reply === undefined ? undefined : reply.ok ? reply.results[i] : reply),
    );
    return reply;
  }

  private async report(r: QueuedReport): Promise<ReceiverReply | undefined> {
    if (!this.socket.connected) {
      this.queue.push(r);
      return undefined;
    }
    const reply = await this.send(r.event, r.payload);
    this.settle(r, reply);
    return reply;
  }

  /** What the outbox does with a report after the server's answer (or its silence). */
  private settle(r: QueuedReport, reply: ReceiverReply | undefined): void {
    if (reply?.ok) {
      this.confirmed[r.event].add(r.payload.deliveryId);
    } else if (reply === undefined || ['UNAVAILABLE', 'RATE_LIMITED'].includes(reply.error.code)) {
      // not confirmed: keep it and try again on the next connection
      this.queue.push(r);
    } else {
      this.rejections.push(reply);
    }
  }

  private later(ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }
}

export interface ReceiverSimulatorStats {
  devices: number;
  connected: number;
  received: number;
  duplicates: number;
  acksConfirmed: number;
  playedConfirmed: number;
  queued: number;
}

/** N simulated receivers against one api. */
export class ReceiverSimulator {
  readonly devices: SimulatedReceiver[];
  private readonly bySerial: Map<string, SimulatedReceiver>;

  private constructor(devices: SimulatedReceiver[]) {
    this.devices = devices;
    this.bySerial = new Map(devices.map((d) => [d.serial, d]));
  }

  /** Creates the devices and connects them all; rejects if any handshake is refused. */
  static async start(options: ReceiverSimulatorOptions): Promise<ReceiverSimulator> {
    const behaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
    const sim = new ReceiverSimulator(
      options.devices.map((c) => new SimulatedReceiver(options.url, c, { ...behaviour })),
    );
    try {
      await sim.connectAll(options.connectConcurrency ?? 200);
    } catch (err) {
      sim.close();
      throw err;
    }
    return sim;
  }

  device(serial: string): SimulatedReceiver {
    const d = this.bySerial.get(serial);
    if (!d) throw new Error(`no simulated receiver ${serial}`);
    return d;
  }

  async connectAll(concurrency = 200): Promise<void> {
    for (let i = 0; i < this.devices.length; i += concurrency) {
      await Promise.all(this.devices.slice(i, i + concurrency).map((d) => d.goOnline()));
    }
  }

  stats(): ReceiverSimulatorStats {
    const sum = (f: (d: SimulatedReceiver) => number) => this.devices.reduce((n, d) => n + f(d), 0);
    return {
      devices: this.devices.length,
      connected: sum((d) => (d.connected ? 1 : 0)),
      received: sum((d) => d.received.length),
      duplicates: sum((d) => d.duplicates),
      acksConfirmed: sum((d) => d.confirmed.ack.size),
      playedConfirmed: sum((d) => d.confirmed.played.size),
      queued: sum((d) => d.queue.length),
    };
  }

  /** Polls until `done` holds; rejects with the last stats after `timeoutMs`. */
  async waitUntil(done: (sim: ReceiverSimulator) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this)) {
      if (Date.now() > deadline) {
        throw new Error(
          `receiver simulator: condition not met in ${timeoutMs} ms (${JSON.stringify(this.stats())})`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    for (const d of this.devices) d.close();
  }
}
