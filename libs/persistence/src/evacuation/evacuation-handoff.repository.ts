import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  type AreaMailDraft,
  type DistrictCount,
  type HandoffItem,
  type HandoffItemState,
  type HandoffTarget,
  type LAlertRecord,
  NotFoundError,
} from '@bousai/domain';
import { joinOperatorByText, operatorName } from '../sql/operator-name';
import type { StoredHandoffItemJson } from './evacuation-handoff.entity';

/** What a step stores for the office to hand over by hand. */
export interface NewHandoff {
  municipalityId: string;
  orderId: string;
  version: number;
  lalert: LAlertRecord;
  areaMail: AreaMailDraft[];
  items: HandoffItem[];
}

/** A checklist item with the name of the operator who settled it (`by`). */
export interface StoredHandoffItem extends HandoffItem {
  byName: string | null;
}

export interface StoredHandoff extends Omit<NewHandoff, 'items'> {
  id: string;
  items: StoredHandoffItem[];
  createdAt: Date;
}

/** The record, its checklist items each with the name of who settled it (one join, in item order). */
const VIEW = `h.id, h.municipality_id AS "municipalityId", h.order_id AS "orderId", h.version, h.lalert,
  h.area_mail AS "areaMail", h.created_at AS "createdAt",
  (SELECT COALESCE(jsonb_agg(i.item || jsonb_build_object('byName', ${operatorName('bo')}) ORDER BY i.n), '[]')
     FROM jsonb_array_elements(h.items) WITH ORDINALITY AS i(item, n)
     ${joinOperatorByText('bo', "i.item->>'by'")}) AS items`;

type Row = Omit<StoredHandoff, 'items'> & { items: (StoredHandoffItemJson & { byName: string | null })[] };

function toJson(items: readonly HandoffItem[]): StoredHandoffItemJson[] {
  return items.map(({ target, state, by, at, note }) => ({
    target,
    state,
    by,
    at: at ? at.toISOString() : null,
    note,
  }));
}

function fromRow(r: Row): StoredHandoff {
  return {
    ...r,
    items: r.items.map((i) => ({
      target: i.target as HandoffTarget,
      state: i.state as HandoffItemState,
      by: i.by,
      at: i.at ? new Date(i.at) : null,
      note: i.note,
      byName: i.byName,
    })),
  };
}

/** The hand-off records of order steps (L-Alert record, area mail drafts, checklist). */
@Injectable()
export class EvacuationHandoffRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(em: EntityManager, h: NewHandoff): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO evacuation_handoff (municipality_id, order_id, version, lalert, area_mail, items)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        h.municipalityId,
        h.orderId,
        h.version,
        JSON.stringify(h.lalert),
        JSON.stringify(h.areaMail),
        JSON.stringify(toJson(h.items)),
      ],
    );
    return row.id;
  }

  /** The municipality's records, newest first. */
  async list(municipalityId: string, limit = 500): Promise<StoredHandoff[]> {
    const rows = await this.dataSource.query<Row[]>(
      `SELECT ${VIEW} FROM evacuation_handoff h WHERE h.municipality_id = $1
        ORDER BY h.created_at DESC, h.id DESC LIMIT $2`,
      [municipalityId, limit],
    );
    return rows.map(fromRow);
  }

  /** One record; with `em` inside a transaction, locked for the update of its checklist. */
  async get(municipalityId: string, id: string, em?: EntityManager): Promise<StoredHandoff> {
    const [row] = await (em ?? this.dataSource.manager).query<Row[]>(
      `SELECT ${VIEW} FROM evacuation_handoff h WHERE h.id = $1 AND h.municipality_id = $2${em ? ' FOR UPDATE' : ''}`,
      [id, municipalityId],
    );
    if (!row) throw new NotFoundError('evacuation hand-off', id);
    return fromRow(row);
  }

  async saveItems(em: EntityManager, id: string, items: readonly HandoffItem[]): Promise<void> {
    await em.query('UPDATE evacuation_handoff SET items = $2 WHERE id = $1', [
      id,
      JSON.stringify(toJson(items)),
    ]);
  }

  /**
   * Households and people per district code of the municipality, and under the municipality's own code
   * (`municipalityCode`) everyone it has (what a municipality-wide order counts).
   */
  async counts(
    em: EntityManager,
    municipalityId: string,
    municipalityCode: string,
  ): Promise<Record<string, DistrictCount>> {
    const rows = await em.query<
      { code: string | null; total: boolean; households: number; people: number }[]
    >(
      `SELECT a.code, GROUPING(a.code) = 1 AS total, count(DISTINCT h.id)::int AS households,
              count(r.id)::int AS people
         FROM household h
         LEFT JOIN area a ON a.id = h.area_id
         LEFT JOIN resident r ON r.household_id = h.id
        WHERE h.municipality_id = $1
        GROUP BY GROUPING SETS ((a.code), ())`,
      [municipalityId],
    );
    const out: Record<string, DistrictCount> = { [municipalityCode]: { households: 0, people: 0 } };
    for (const { code, total, households, people } of rows) {
      // a household without a district counts only in the municipality's total
      if (total) out[municipalityCode] = { households, people };
      else if (code !== null) out[code] = { households, people };
    }
    return out;
  }
}
