import { NotFoundError } from '@bousai/domain';
import {
  type EntityManager,
  type FindOptionsWhere,
  In,
  MoreThan,
  type ObjectLiteral,
  type Repository,
} from 'typeorm';
import { translatePgError } from './pg-errors';

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export type Filter<E> = { [K in keyof E]?: E[K] | E[K][] };

interface Scoped extends ObjectLiteral {
  id: string;
  municipalityId: string;
}

/**
 * Create/read/update/delete for a table whose rows belong to one municipality: every query is scoped by it,
 * so a row of another municipality is simply not found. Lists are keyset-paginated on the uuid key. Reads and
 * writes given a transaction's manager `em` run in that transaction.
 */
export class ScopedCrud<E extends Scoped> {
  constructor(
    private readonly repo: Repository<E>,
    private readonly label: string,
  ) {}

  async list(municipalityId: string, filter: Filter<E>, page: PageRequest): Promise<Page<E>> {
    const where: Record<string, unknown> = { municipalityId };
    for (const [key, value] of Object.entries(filter)) {
      if (value === undefined) continue;
      where[key] = Array.isArray(value) ? In(value) : value;
    }
    if (page.cursor) where.id = MoreThan(page.cursor);
    const rows = await this.repo
      .find({
        where: where as FindOptionsWhere<E>,
        order: { id: 'ASC' } as never,
        take: page.limit + 1,
      })
      .catch(translatePgError);
    const items = rows.slice(0, page.limit);
    return rows.length > page.limit ? { items, nextCursor: items[items.length - 1].id } : { items };
  }

  /** The row, or null when the municipality has no such row. */
  find(municipalityId: string, id: string, em?: EntityManager): Promise<E | null> {
    return this.on(em)
      .findOne({ where: { id, municipalityId } as FindOptionsWhere<E> })
      .catch(translatePgError);
  }

  async get(municipalityId: string, id: string, em?: EntityManager): Promise<E> {
    const row = await this.find(municipalityId, id, em);
    if (!row) throw new NotFoundError(this.label, id);
    return row;
  }

  async create(municipalityId: string, data: Partial<E>, em?: EntityManager): Promise<E> {
    const repo = this.on(em);
    const entity = repo.create({ ...data, municipalityId } as E);
    return repo.save(entity).catch(translatePgError);
  }

  async update(municipalityId: string, id: string, patch: Partial<E>, em?: EntityManager): Promise<E> {
    const row = await this.get(municipalityId, id, em);
    const { id: _ignoredId, municipalityId: _ignoredMunicipality, ...rest } = patch;
    Object.assign(row, rest);
    return this.on(em).save(row).catch(translatePgError);
  }

  async remove(municipalityId: string, id: string): Promise<void> {
    const result = await this.repo
      .delete({ id, municipalityId } as FindOptionsWhere<E>)
      .catch(translatePgError);
    if (!result.affected) throw new NotFoundError(this.label, id);
  }

  private on(em: EntityManager | undefined): Repository<E> {
    return em ? em.getRepository<E>(this.repo.target) : this.repo;
  }
}
