import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource, type QueryRunner } from 'typeorm';
import { AlertStatus, DrillScheduleState } from '@bousai/domain';
import { timeOfUuid, uuidV7Floor } from '../sql/uuid-v7';

/** A calendar month (UTC) as a count of months since year 0: `year * 12 + month - 1`. */
export type MonthIndex = number;

export const monthOf = (at: Date): MonthIndex => at.getUTCFullYear() * 12 + at.getUTCMonth();
const monthStart = (m: MonthIndex): Date => new Date(Date.UTC(Math.floor(m / 12), m % 12, 1));
const monthName = (m: MonthIndex): string =>
  `delivery_p${Math.floor(m / 12)}${String((m % 12) + 1).padStart(2, '0')}`;

/** Statuses after which an alert sends nothing more. */
const ENDED: readonly string[] = [AlertStatus.Closed, AlertStatus.Cancelled, AlertStatus.Superseded];
/** Keeps one maintenance run at a time across processes (`pg_try_advisory_lock`). */
const LOCK_KEY = 0x64_656c_7061; // 'delpa'
/** A partition change waits at most this long for its lock, then gives up until the next run. */
const LOCK_TIMEOUT = '3s';

export interface PartitionReport {
  created: string[];
  dropped: string[];
  /** Old months kept because an alert in them is still open, too recent or has an open drill. */
  kept: string[];
}

interface Layout {
  /** Months with a partition, contiguous: [first, end). */
  first: MonthIndex;
  end: MonthIndex;
}

/**
 * The monthly partitions of `delivery` (migration 1795593000000-delivery-partitions): created ahead of time, and
 * dropped whole once older than the retention. Months are contiguous between the two catch-alls
 * (`delivery_before`, `delivery_after`); adding a month narrows a catch-all (moving any rows of the month out of
 * it) in one short transaction; dropping one detaches it CONCURRENTLY (inserts and reads go on), then widens
 * `delivery_before` over the month.
 */
@Injectable()
export class DeliveryPartitionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Under the cluster-wide maintenance lock; undefined when another process holds it. */
  async exclusively<T>(work: () => Promise<T>): Promise<T | undefined> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const [row] = (await runner.query('SELECT pg_try_advisory_lock($1) AS ok', [LOCK_KEY])) as {
        ok: boolean;
      }[];
      if (!row?.ok) return undefined;
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  /** The month partitions, oldest first. */
  async months(): Promise<string[]> {
    const rows = await this.dataSource.query<{ name: string }[]>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'delivery'::regclass AND c.relname ~ '^delivery_p[0-9]{6}$' ORDER BY c.relname`,
    );
    return rows.map((r) => r.name);
  }

  /** Creates the month partitions missing in [from, to] (inclusive), keeping the months contiguous. */
  async ensure(from: MonthIndex, to: MonthIndex): Promise<string[]> {
    const layout = await this.layout();
    const first = Math.min(layout.first, from);
    const end = Math.max(layout.end, to + 1);
    const missing: MonthIndex[] = [];
    for (let m = first; m < layout.first; m++) missing.push(m);
    for (let m = layout.end; m < end; m++) missing.push(m);
    if (missing.length === 0) return [];
    await this.inShortTransaction(async (q) => {
      if (first < layout.first) await q.query(`ALTER TABLE delivery DETACH PARTITION delivery_before`);
      if (end > layout.end) await q.query(`ALTER TABLE delivery DETACH PARTITION delivery_after`);
      for (const m of missing) {
        const [lo, hi] = [uuidV7Floor(monthStart(m)), uuidV7Floor(monthStart(m + 1))];
        const from = m < layout.first ? 'delivery_before' : 'delivery_after';
        await q.query(
          `CREATE TABLE ${monthName(m)} PARTITION OF delivery FOR VALUES FROM ('${lo}') TO ('${hi}')
             WITH (fillfactor = 35)`,
        );
        // rows of the month that arrived before it had a partition (alerts with random, pre-v7 ids)
        await q.query(
          `INSERT INTO ${monthName(m)} SELECT * FROM ${from} WHERE alert_id >= $1 AND alert_id < $2`,
          [lo, hi],
        );
        await q.query(`DELETE FROM ${from} WHERE alert_id >= $1 AND alert_id < $2`, [lo, hi]);
      }
      if (first < layout.first)
        await q.query(
          `ALTER TABLE delivery ATTACH PARTITION delivery_before FOR VALUES FROM (MINVALUE) TO ('${uuidV7Floor(monthStart(first))}')`,
        );
      if (end > layout.end)
        await q.query(
          `ALTER TABLE delivery ATTACH PARTITION delivery_after FOR VALUES FROM ('${uuidV7Floor(monthStart(end))}') TO (MAXVALUE)`,
        );
    });
    return missing.map(monthName);
  }

  /**
   * Drops the month partitions that end at or before `cutoff`, oldest first, stopping at the first one that must
   * stay: one holding an alert made at or after the cutoff (a pre-v7 id), an alert not yet ended, or a drill still
   * scheduled. With `archiveDir`, each is first written there as `<partition>.csv.gz` (COPY … TO, with a header).
   */
  async dropBefore(
    cutoff: MonthIndex,
    archiveDir?: string,
  ): Promise<Pick<PartitionReport, 'dropped' | 'kept'>> {
    const report = { dropped: [] as string[], kept: [] as string[] };
    const layout = await this.layout();
    for (let m = layout.first; m < Math.min(cutoff, layout.end); m++) {
      const name = monthName(m);
      if (await this.inUse(m, cutoff)) {
        report.kept.push(name);
        break;
      }
      if (archiveDir) await this.archive(name, archiveDir);
      const pending = await this.dataSource.query<{ pending: boolean }[]>(
        `SELECT i.inhdetachpending AS pending FROM pg_inherits i WHERE i.inhrelid = $1::regclass`,
        [name],
      );
      // a detach interrupted earlier (its second transaction never ran) is finished instead of started
      await this.dataSource.query(
        pending[0]?.pending
          ? `ALTER TABLE delivery DETACH PARTITION ${name} FINALIZE`
          : `ALTER TABLE delivery DETACH PARTITION ${name} CONCURRENTLY`,
      );
      await this.dataSource.query(`DROP TABLE ${name}`);
      await this.inShortTransaction(async (q) => {
        await q.query(`ALTER TABLE delivery DETACH PARTITION delivery_before`);
        await q.query(
          `ALTER TABLE delivery ATTACH PARTITION delivery_before FOR VALUES FROM (MINVALUE) TO ('${uuidV7Floor(monthStart(m + 1))}')`,
        );
      });
      report.dropped.push(name);
    }
    return report;
  }

  private async inUse(m: MonthIndex, cutoff: MonthIndex): Promise<boolean> {
    const [row] = await this.dataSource.query<{ used: boolean }[]>(
      `SELECT EXISTS (
         SELECT 1 FROM alert a
          WHERE a.id >= $1 AND a.id < $2
            AND (a.created_at >= $3 OR a.status <> ALL ($4::text[])
                 OR EXISTS (SELECT 1 FROM drill_schedule s WHERE s.alert_id = a.id AND s.state = $5))) AS used`,
      [
        uuidV7Floor(monthStart(m)),
        uuidV7Floor(monthStart(m + 1)),
        monthStart(cutoff),
        ENDED,
        DrillScheduleState.Scheduled,
      ],
    );
    return row?.used ?? true;
  }

  private async archive(name: string, dir: string): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      const source = client.query(copyTo(`COPY ${name} TO STDOUT WITH (FORMAT csv, HEADER)`));
      await pipeline(source, createGzip(), createWriteStream(join(dir, `${name}.csv.gz`), { flags: 'w' }));
    } finally {
      await runner.release();
    }
  }

  /** Where the months start and end now, from the catch-alls' bounds. */
  private async layout(): Promise<Layout> {
    const rows = await this.dataSource.query<{ name: string; bound: string }[]>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'delivery'::regclass AND c.relname IN ('delivery_before', 'delivery_after')`,
    );
    const uuidIn = (name: string) => {
      const found = /'([0-9a-f-]{36})'/.exec(rows.find((r) => r.name === name)?.bound ?? '');
      if (!found?.[1]) throw new Error(`delivery partition ${name} is missing or has no bound`);
      return monthOf(timeOfUuid(found[1]));
    };
    return { first: uuidIn('delivery_before'), end: uuidIn('delivery_after') };
  }

  /** Partition changes that take a lock on `delivery`: waiting at most LOCK_TIMEOUT for it, all or nothing. */
  private async inShortTransaction(work: (q: QueryRunner) => Promise<void>): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      await work(runner);
      await runner.commitTransaction();
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw err;
    } finally {
      await runner.release();
    }
  }
}
