import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ConflictError, NotFoundError } from '@bousai/domain';
import { FeedRuleEntity } from './feed-rule.entity';

/** A rule as stored: the validated rule object (its own `id` and `enabled` inside) and who changed it when. */
export interface StoredFeedRule {
  rule: Record<string, unknown> & { id: string; enabled: boolean };
  updatedBy: string | null;
  updatedAt: Date;
}

type RuleJson = StoredFeedRule['rule'];

function toStored(e: FeedRuleEntity): StoredFeedRule {
  return { rule: e.rule as RuleJson, updatedBy: e.updatedBy, updatedAt: e.updatedAt };
}

/** A municipality's feed rules. The caller validates rules (libs/feeds `parseFeedRule`) before they get here. */
@Injectable()
export class FeedRuleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The rules in evaluation order; empty when the set was never seeded (see `seedIfNew`). */
  async list(municipalityId: string, em: EntityManager = this.dataSource.manager): Promise<StoredFeedRule[]> {
    const rows = await em
      .getRepository(FeedRuleEntity)
      .find({ where: { municipalityId }, order: { position: 'ASC' } });
    return rows.map(toStored);
  }

  /**
   * Writes `defaults` once per municipality: a set that exists (even emptied by an admin) is left alone.
   * Returns the municipality's rules either way.
   */
  async seedIfNew(municipalityId: string, defaults: RuleJson[]): Promise<StoredFeedRule[]> {
    return this.dataSource.transaction(async (em) => {
      const inserted: { municipality_id: string }[] = await em.query(
        `INSERT INTO feed_rule_set (municipality_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING municipality_id`,
        [municipalityId],
      );
      if (inserted.length > 0) {
        await this.writeAll(em, municipalityId, defaults, null);
      }
      return this.list(municipalityId, em);
    });
  }

  /** Replaces the whole set (order as given). */
  async replaceAll(
    municipalityId: string,
    rules: RuleJson[],
    updatedBy: string | null,
  ): Promise<StoredFeedRule[]> {
    return this.dataSource.transaction(async (em) => {
      await this.lockSet(em, municipalityId);
      await em.getRepository(FeedRuleEntity).delete({ municipalityId });
      await this.writeAll(em, municipalityId, rules, updatedBy);
      return this.list(municipalityId, em);
    });
  }

  /** Appends one rule; a rule with the same id is a conflict. */
  async add(municipalityId: string, rule: RuleJson, updatedBy: string | null): Promise<StoredFeedRule> {
    return this.dataSource.transaction(async (em) => {
      await this.lockSet(em, municipalityId);
      const repo = em.getRepository(FeedRuleEntity);
      if (await repo.existsBy({ municipalityId, ruleId: rule.id })) {
        throw new ConflictError(`feed rule ${rule.id} already exists`, { ruleId: rule.id });
      }
      const max: { max: number | null }[] = await em.query(
        `SELECT max(position) AS max FROM feed_rule WHERE municipality_id = $1`,
        [municipalityId],
      );
      const saved = await repo.save(
        repo.create({
          municipalityId,
          ruleId: rule.id,
          position: (max[0]?.max ?? -1) + 1,
          rule,
          enabled: rule.enabled,
          updatedBy,
        }),
      );
      return toStored(saved);
    });
  }

  /** Replaces one rule in place (its id may not change). */
  async update(municipalityId: string, rule: RuleJson, updatedBy: string | null): Promise<StoredFeedRule> {
    return this.dataSource.transaction(async (em) => {
      await this.lockSet(em, municipalityId);
      const repo = em.getRepository(FeedRuleEntity);
      const row = await repo.findOneBy({ municipalityId, ruleId: rule.id });
      if (!row) throw new NotFoundError('feed rule', rule.id);
      Object.assign(row, { rule, enabled: rule.enabled, updatedBy });
      return toStored(await repo.save(row));
    });
  }

  async remove(municipalityId: string, ruleId: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await this.lockSet(em, municipalityId);
      const result = await em.getRepository(FeedRuleEntity).delete({ municipalityId, ruleId });
      if (!result.affected) throw new NotFoundError('feed rule', ruleId);
    });
  }

  /** Creates the set row if missing and serialises writers of one municipality's rules. */
  private async lockSet(em: EntityManager, municipalityId: string): Promise<void> {
    await em.query(`INSERT INTO feed_rule_set (municipality_id) VALUES ($1) ON CONFLICT DO NOTHING`, [
      municipalityId,
    ]);
    await em.query(
      `UPDATE feed_rule_set SET version = version + 1, updated_at = now() WHERE municipality_id = $1`,
      [municipalityId],
    );
  }

  private async writeAll(
    em: EntityManager,
    municipalityId: string,
    rules: RuleJson[],
    updatedBy: string | null,
  ): Promise<void> {
    if (rules.length === 0) return;
    const repo = em.getRepository(FeedRuleEntity);
    await repo.save(
      rules.map((rule, position) =>
        repo.create({ municipalityId, ruleId: rule.id, position, rule, enabled: rule.enabled, updatedBy }),
      ),
    );
  }
}
