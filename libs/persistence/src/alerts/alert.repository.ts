import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, LessThan } from 'typeorm';
import { type AlertChanges, type AlertContent, type AlertStatus, NotFoundError } from '@bousai/domain';
import { AlertEntity } from '../entities';
import { translatePgError } from '../sql/pg-errors';
import type { Page, PageRequest } from '../sql/scoped-crud';

export interface NewAlert extends AlertContent {
  /** A correction: the alert it corrects. */
  supersedesId: string | null;
  /** A cancellation notice: the alert it withdraws. */
  cancelsAlertId?: string | null;
  idempotencyKey: string | null;
  /** The feed event that produced it (alerts made by the feed rules). */
  eventId?: string | null;
  /** Draft unless the lifecycle creates it further along (a cancellation notice goes straight to dispatching). */
  status: AlertStatus;
  dispatchedAt?: Date | null;
}

/**
 * Alerts, stored and loaded. Every change of status is decided by the lifecycle (libs/domain) and applied by the
 * application layer in a transaction it opens; this only inserts, locks, saves and reads.
 */
/** The operators an alert names (joined to show their names). */
const WHO = { creator: true, approver: true, canceller: true } as const;

@Injectable()
export class AlertRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts an alert in `em`'s transaction. With an idempotency key, a repeat of the same request finds the alert
   * the first one made (`created: false`) instead of inserting a second; a concurrent insert of the same key is
   * absorbed by `ON CONFLICT DO NOTHING`, which leaves the caller's transaction usable.
   */
  async insert(em: EntityManager, data: NewAlert): Promise<{ alert: AlertEntity; created: boolean }> {
    const repo = em.getRepository(AlertEntity);
    if (data.idempotencyKey) {
      const existing = await this.byIdempotencyKey(em, data.municipalityId, data.idempotencyKey);
      if (existing) return { alert: existing, created: false };
    }
    try {
      const result = await repo
        .createQueryBuilder()
        .insert()
        .values(data)
        .orIgnore()
        .returning('id')
        .execute();
      const id = (result.raw as { id: string }[])[0]?.id;
      if (id) {
        return { alert: await repo.findOneByOrFail({ id }), created: true };
      }
    } catch (err) {
      return translatePgError(err);
    }
    const raced = data.idempotencyKey
      ? await this.byIdempotencyKey(em, data.municipalityId, data.idempotencyKey)
      : null;
    if (!raced) throw new Error('alert insert ignored without an idempotency key');
    return { alert: raced, created: false };
  }

  private byIdempotencyKey(
    em: EntityManager,
    municipalityId: string,
    key: string,
  ): Promise<AlertEntity | null> {
    return em.getRepository(AlertEntity).findOneBy({ municipalityId, idempotencyKey: key });
  }

  /** The alert, or `NotFoundError`. `municipalityId` null: any municipality's (the fan-out's own follow-ups). */
  async get(municipalityId: string | null, id: string, em?: EntityManager): Promise<AlertEntity> {
    const alert = await (em ?? this.dataSource.manager)
      .getRepository(AlertEntity)
      .findOneBy(municipalityId === null ? { id } : { id, municipalityId });
    if (!alert) throw new NotFoundError('alert', id);
    return alert;
  }

  /** The alert with the operators who created, approved and cancelled it (one query, joined), for showing it. */
  async getNamed(municipalityId: string, id: string): Promise<AlertEntity> {
    const alert = await this.dataSource
      .getRepository(AlertEntity)
      .findOne({ where: { id, municipalityId }, relations: WHO });
    if (!alert) throw new NotFoundError('alert', id);
    return alert;
  }

  /** The alert locked FOR UPDATE in `em`'s transaction, or `NotFoundError`. */
  async lockForUpdate(em: EntityManager, municipalityId: string | null, id: string): Promise<AlertEntity> {
    const alert = await em.getRepository(AlertEntity).findOne({
      where: municipalityId === null ? { id } : { id, municipalityId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!alert) throw new NotFoundError('alert', id);
    return alert;
  }

  /** Stores a new status and the fields that came with it. */
  async saveTransition(
    em: EntityManager,
    alert: AlertEntity,
    status: AlertStatus,
    changes: AlertChanges,
  ): Promise<AlertEntity> {
    Object.assign(alert, changes, { status });
    return em.getRepository(AlertEntity).save(alert);
  }

  async list(municipalityId: string, page: PageRequest & { status?: string }): Promise<Page<AlertEntity>> {
    const rows = await this.dataSource.getRepository(AlertEntity).find({
      where: {
        municipalityId,
        // the filter is not validated against the enum: an unknown status simply matches no alert
        ...(page.status ? { status: page.status as AlertStatus } : {}),
        ...(page.cursor ? { createdAt: LessThan(new Date(page.cursor)) } : {}),
      },
      order: { createdAt: 'DESC' },
      relations: WHO,
      take: page.limit + 1,
    });
    const items = rows.slice(0, page.limit);
    return rows.length > page.limit
      ? { items, nextCursor: items[items.length - 1].createdAt.toISOString() }
      : { items };
  }
}
