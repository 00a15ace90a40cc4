import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The channel the `outbox` table's statement trigger notifies as a transaction that wrote rows commits. */
export const OUTBOX_CHANNEL = 'bousai_outbox';

/** Delay before listening again after the connection dropped; doubles up to the maximum. */
const FIRST_RECONNECT_MS = 250;
const MAX_RECONNECT_MS = 10_000;

/** What this needs of a `pg` client (the driver TypeORM loaded). */
interface ListeningClient {
  connect(): Promise<unknown>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', listener: (msg: { channel: string }) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}

/**
 * Wakes an outbox relay the moment rows are committed (migration 1795572000000: NOTIFY `bousai_outbox`), on one
 * Postgres connection of its own that LISTENs for as long as the process runs, with the pool's own settings
 * (URL, TLS, application name). A dropped connection is re-established with backoff; after every (re)connect the
 * relay is woken once, for whatever was committed while nobody listened. The relay's poll stays underneath, so a
 * lost connection costs latency, never rows.
 */
@Injectable()
export class OutboxNotifications {
  private readonly logger = new Logger(OutboxNotifications.name);
  private client?: ListeningClient;
  private onNotify?: () => void;
  private reconnect?: NodeJS.Timeout;
  private failures = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Starts listening (in the background) and calls `onNotify` for every notification. */
  start(onNotify: () => void): void {
    if (this.onNotify) return;
    this.onNotify = onNotify;
    void this.listen();
  }

  /** Stops listening and closes the connection. */
  async stop(): Promise<void> {
    this.onNotify = undefined;
    clearTimeout(this.reconnect);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const driver = this.dataSource.driver as unknown as {
      postgres: { Client: new (options: unknown) => ListeningClient };
      master: { options: unknown };
    };
    const client = new driver.postgres.Client(driver.master.options);
    this.client = client;
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      void client.end().catch(() => undefined);
      this.retryLater(err?.message ?? 'connection ended');
    };
    client.on('notification', (msg) => {
      if (msg.channel === OUTBOX_CHANNEL) this.onNotify?.();
    });
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (err) {
      lost(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (this.client !== client) return;
    this.failures = 0;
    this.onNotify?.();
  }

  private retryLater(reason: string): void {
    if (!this.onNotify) return;
    const delay = Math.min(MAX_RECONNECT_MS, FIRST_RECONNECT_MS * 2 ** this.failures++);
    this.logger.warn(
      { reason, retryInMs: delay },
      'outbox notifications lost; polling until listening again',
    );
    this.reconnect = setTimeout(() => void this.listen(), delay);
    this.reconnect.unref();
  }
}
