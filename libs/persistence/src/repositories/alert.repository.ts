import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, LessThan } from 'typeorm';
import { type AlertAction, AlertStatus, nextStatus, NotFoundError } from '@bousai/domain';
import { AlertEntity } from '../entities';
import { translatePgError } from './pg-errors';
import type { Page, PageRequest } from './scoped-crud';

export interface NewAlert {
  municipalityId: string;
  source: string;
  templateKey: string | null;
  texts: AlertEntity['texts'];
  severity: string;
  targeting: Record<string, unknown>;
  channels: string[];
  isDrill: boolean;
  safetyRequest: boolean;
  createdBy: string | null;
  supersedesId: string | null;
  idempotencyKey: string | null;
  expiresAt: Date | null;
  /** The feed event that produced it (alerts made by the feed rules). */
  eventId?: string | null;
}

export interface OutboxMessage {
  topic: string;
  payload: Record<string, unknown>;
  jobId: string;
}

@Injectable()
export class AlertRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Creates a draft. With an idempotency key, a repeat of the same request returns the alert the first one made
   * (`created: false`) instead of a second alert.
   */
  async create(data: NewAlert): Promise<{ alert: AlertEntity; created: boolean }> {
    const repo = this.dataSource.getRepository(AlertEntity);
    if (data.idempotencyKey) {
      const existing = await repo.findOneBy({
        municipalityId: data.municipalityId,
        idempotencyKey: data.idempotencyKey,
      });
      if (existing) return { alert: existing, created: false };
    }
    try {
      const alert = await repo.save(repo.create({ ...data, status: AlertStatus.Draft }));
      return { alert, created: true };
    } catch (err) {
      const raced = data.idempotencyKey
        ? await repo.findOneBy({ municipalityId: data.municipalityId, idempotencyKey: data.idempotencyKey })
        : null;
      if (raced) return { alert: raced, created: false };
      return translatePgError(err);
    }
  }

  async get(municipalityId: string, id: string): Promise<AlertEntity> {
    const alert = await this.dataSource.getRepository(AlertEntity).findOneBy({ id, municipalityId });
    if (!alert) throw new NotFoundError('alert', id);
    return alert;
  }

  async list(municipalityId: string, page: PageRequest & { status?: string }): Promise<Page<AlertEntity>> {
    const rows = await this.dataSource.getRepository(AlertEntity).find({
      where: {
        municipalityId,
        ...(page.status ? { status: page.status } : {}),
        ...(page.cursor ? { createdAt: LessThan(new Date(page.cursor)) } : {}),
      },
      order: { createdAt: 'DESC' },
      take: page.limit + 1,
    });
    const items = rows.slice(0, page.limit);
    return rows.length > page.limit
      ? { items, nextCursor: items[items.length - 1].createdAt.toISOString() }
      : { items };
  }

  /**
   * Applies a lifecycle action under a row lock: the domain decides whether it is legal, `decide` may refuse
   * (e.g. the two-person rule) or add fields, and the outbox rows are written in the same transaction so the
   * fan-out hears of it even if Redis is down right now.
   */
  async transition(
    municipalityId: string,
    id: string,
    action: AlertAction,
    decide: (alert: AlertEntity) => { patch?: Partial<AlertEntity>; outbox?: OutboxMessage[] } | void,
    em?: EntityManager,
  ): Promise<AlertEntity> {
    const run = async (tx: EntityManager): Promise<AlertEntity> => {
      const repo = tx.getRepository(AlertEntity);
      const alert = await repo.findOne({
        where: { id, municipalityId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!alert) throw new NotFoundError('alert', id);
      const status = nextStatus(alert.status as AlertStatus, action);
      const decision = decide(alert) ?? {};
      Object.assign(alert, decision.patch ?? {}, { status });
      await repo.save(alert);
      if (decision.outbox?.length) {
        for (const m of decision.outbox) {
          await tx.query(`INSERT INTO outbox (topic, payload, job_id) VALUES ($1, $2, $3)`, [
            m.topic,
            JSON.stringify(m.payload),
            m.jobId,
          ]);
        }
      }
      return alert;
    };
    return em ? run(em) : this.dataSource.transaction(run);
  }

  /** Runs several transitions atomically (sending a correction supersedes the original). */
  inTransaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
