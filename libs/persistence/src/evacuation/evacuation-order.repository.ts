import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  type AlertStatus,
  ConflictError,
  type DistrictInForce,
  type EvacuationOrder,
  type InForceOrder,
  NotFoundError,
  type OrderDistrict,
  type OrderHistoryEntry,
  OrderSource,
  type OrderStatus,
} from '@bousai/domain';
import { joinOperatorByText, operatorName } from '../sql/operator-name';
import { returnedRows } from '../sql/pg-errors';

/** A district of an order, with the `area` row it is. */
export interface StoredOrderDistrict extends OrderDistrict {
  areaId: string;
}

/** An order as stored: the domain's order, where it came from, and its districts with their areas. */
export interface StoredOrder extends EvacuationOrder {
  districts: StoredOrderDistrict[];
  /** The name of the operator who drafted it (`createdBy`); null when the feeds drafted it. */
  createdByName: string | null;
  source: OrderSource;
  sourceDocumentId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A history row: the domain's entry and the alert its message became (with that alert's status now). */
export interface StoredOrderHistoryEntry extends OrderHistoryEntry {
  /** The name of the operator who made the step; null only if the account is gone. */
  actorName: string | null;
  alertId: string | null;
  alertStatus: AlertStatus | null;
}

/** What is in force in a district (the domain's `DistrictInForce`) and since when. */
export interface StoredDistrictInForce extends DistrictInForce {
  areaId: string;
  name: string;
  nameKana: string | null;
  /** The earliest issue among the orders in force there. */
  since: Date | null;
}

/** Households and people registered in a district. */
export interface DistrictCounts {
  areaId: string;
  households: number;
  people: number;
}

/** What a new order is stored with besides the domain's draft. */
export interface OrderOrigin {
  source: OrderSource;
  sourceDocumentId: string | null;
}

const ORDER_VIEW = `
  o.id, o.municipality_id AS "municipalityId", o.hazard, o.level, o.whole_municipality AS "wholeMunicipality",
  o.status, o.created_by AS "createdBy", ${operatorName('cr')} AS "createdByName", o.issued_at AS "issuedAt", o.lifted_at AS "liftedAt",
  o.retracted_at AS "retractedAt", o.version, o.source, o.source_document_id AS "sourceDocumentId",
  o.created_at AS "createdAt", o.updated_at AS "updatedAt",
  COALESCE((SELECT json_agg(json_build_object('areaId', a.id, 'code', a.code, 'name', a.name,
                                              'nameKana', a.name_kana) ORDER BY a.code)
              FROM evacuation_order_district d JOIN area a ON a.id = d.area_id
             WHERE d.order_id = o.id), '[]'::json) AS districts`;

/** The orders with the operator who drafted each (for `ORDER_VIEW`). */
const ORDER_FROM = 'evacuation_order o LEFT JOIN operator cr ON cr.id = o.created_by';

const HISTORY_VIEW = `
  h.order_id AS "orderId", h.version, h.action, h.at, h.actor_id AS "actorId", ${operatorName('ac')} AS "actorName", h.from_status AS "fromStatus",
  h.to_status AS "toStatus", h.level, h.previous_level AS "previousLevel",
  h.whole_municipality AS "wholeMunicipality", h.district_codes AS "districtCodes",
  h.changed_district_codes AS "changedDistrictCodes", h.message_kind AS "messageKind", h.reason,
  h.alert_id AS "alertId", al.status AS "alertStatus"`;

/**
 * Evacuation orders, the districts they cover now and their append-only history. Stores and loads: the
 * application layer locks the order (`lockForUpdate`) in its transaction, computes the step with
 * `applyOrderCommand` and stores it (`saveStep`), which refuses a step computed from a stale version.
 */
@Injectable()
export class EvacuationOrderRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A fresh time-ordered id for a new order. */
  async nextId(em: EntityManager = this.dataSource.manager): Promise<string> {
    const [row] = await em.query<{ id: string }[]>('SELECT uuid_v7() AS id');
    return row.id;
  }

  /**
   * The municipality's districts of these codes, in the order asked; `missing` lists the codes it has no area for
   * (the caller refuses them before anything is stored or sent).
   */
  async districtsByCode(
    municipalityId: string,
    codes: readonly string[],
    em: EntityManager = this.dataSource.manager,
  ): Promise<{ districts: StoredOrderDistrict[]; missing: string[] }> {
    const rows = await em.query<StoredOrderDistrict[]>(
      `SELECT a.id AS "areaId", a.code, a.name, a.name_kana AS "nameKana"
         FROM area a WHERE a.municipality_id = $1 AND a.code = ANY ($2::text[])`,
      [municipalityId, [...codes]],
    );
    const byCode = new Map(rows.map((r) => [r.code, r]));
    return {
      districts: codes.flatMap((c) => byCode.get(c) ?? []),
      missing: codes.filter((c) => !byCode.has(c)),
    };
  }

  /** Every district code of the municipality (what a municipality-wide order covers). */
  async municipalityDistrictCodes(municipalityId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ code: string }[]>(
      'SELECT code FROM area WHERE municipality_id = $1 ORDER BY code',
      [municipalityId],
    );
    return rows.map((r) => r.code);
  }

  /** Stores a new order (a draft) and its districts, matched to the municipality's areas by code. */
  async insert(em: EntityManager, order: EvacuationOrder, origin: OrderOrigin): Promise<StoredOrder> {
    await em.query(
      `INSERT INTO evacuation_order (id, municipality_id, hazard, level, whole_municipality, status, created_by,
                                     issued_at, lifted_at, retracted_at, version, source, source_document_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        order.id,
        order.municipalityId,
        order.hazard,
        order.level,
        order.wholeMunicipality,
        order.status,
        order.createdBy,
        order.issuedAt,
        order.liftedAt,
        order.retractedAt,
        order.version,
        origin.source,
        origin.sourceDocumentId,
      ],
    );
    await this.writeDistricts(em, order);
    return this.findById(order.municipalityId, order.id, em);
  }

  /** Locks the order's row in the caller's transaction and loads it; undefined when it is not the municipality's. */
  async lockForUpdate(
    em: EntityManager,
    municipalityId: string,
    id: string,
  ): Promise<StoredOrder | undefined> {
    const rows = await em.query<unknown[]>(
      'SELECT 1 FROM evacuation_order WHERE id = $1 AND municipality_id = $2 FOR UPDATE',
      [id, municipalityId],
    );
    return rows.length > 0 ? this.findById(municipalityId, id, em) : undefined;
  }

  /**
   * Stores a step: the order at its new version (refused with a conflict unless the stored one is the version
   * before), its districts now, and the history entry with the alert its message became.
   */
  async saveStep(
    em: EntityManager,
    order: EvacuationOrder,
    history: OrderHistoryEntry,
    alertId: string | null,
  ): Promise<void> {
    const updated = returnedRows<{ id: string }>(
      await em.query(
        `UPDATE evacuation_order
            SET level = $3, whole_municipality = $4, status = $5, issued_at = $6, lifted_at = $7,
                retracted_at = $8, version = $9, updated_at = now()
          WHERE id = $1 AND municipality_id = $2 AND version = $9 - 1
          RETURNING id`,
        [
          order.id,
          order.municipalityId,
          order.level,
          order.wholeMunicipality,
          order.status,
          order.issuedAt,
          order.liftedAt,
          order.retractedAt,
          order.version,
        ],
      ),
    );
    if (updated.length === 0) {
      throw new ConflictError('The evacuation order was changed meanwhile: reload it and try again', {
        orderId: order.id,
        version: order.version - 1,
      });
    }
    await em.query('DELETE FROM evacuation_order_district WHERE order_id = $1', [order.id]);
    await this.writeDistricts(em, order);
    await em.query(
      `INSERT INTO evacuation_order_history (order_id, version, action, at, actor_id, from_status, to_status, level,
                                             previous_level, whole_municipality, district_codes,
                                             changed_district_codes, message_kind, reason, alert_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        history.orderId,
        history.version,
        history.action,
        history.at,
        history.actorId,
        history.fromStatus,
        history.toStatus,
        history.level,
        history.previousLevel,
        history.wholeMunicipality,
        history.districtCodes,
        history.changedDistrictCodes,
        history.messageKind,
        history.reason,
        alertId,
      ],
    );
  }

  async findById(
    municipalityId: string,
    id: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<StoredOrder> {
    const [row] = await em.query<StoredOrder[]>(
      `SELECT ${ORDER_VIEW} FROM ${ORDER_FROM} WHERE o.id = $1 AND o.municipality_id = $2`,
      [id, municipalityId],
    );
    if (!row) throw new NotFoundError('evacuation order', id);
    return row;
  }

  /** The municipality's orders (of one status, if given), newest first. */
  listByStatus(municipalityId: string, status?: OrderStatus, limit = 500): Promise<StoredOrder[]> {
    return this.dataSource.query<StoredOrder[]>(
      `SELECT ${ORDER_VIEW} FROM ${ORDER_FROM}
        WHERE o.municipality_id = $1 AND ($2::text IS NULL OR o.status = $2)
        ORDER BY o.created_at DESC, o.id DESC LIMIT $3`,
      [municipalityId, status ?? null, limit],
    );
  }

  /** Every step of an order, oldest first, with the alert each message became and its status now. */
  history(orderId: string, em: EntityManager = this.dataSource.manager): Promise<StoredOrderHistoryEntry[]> {
    return em.query<StoredOrderHistoryEntry[]>(
      `SELECT ${HISTORY_VIEW} FROM evacuation_order_history h LEFT JOIN alert al ON al.id = h.alert_id
         ${joinOperatorByText('ac', 'h.actor_id')}
        WHERE h.order_id = $1 ORDER BY h.version`,
      [orderId],
    );
  }

  /**
   * What is in force per district, in one query over the issued orders (the partial index) and their districts:
   * the rule of the domain's `inForceByDistrict` — the highest level, every issued order covering the district
   * (a municipality-wide one covers every area), highest level first, then the latest issued. Districts without
   * an order are absent.
   */
  async inForceByDistrict(municipalityId: string): Promise<StoredDistrictInForce[]> {
    const rows = await this.dataSource.query<
      (Omit<StoredDistrictInForce, 'orders'> & {
        orders: (Omit<InForceOrder, 'issuedAt'> & { issuedAt: string | null })[];
      })[]
    >(
      `WITH covered AS (
         SELECT a.id AS area_id, a.code, a.name, a.name_kana, o.id AS order_id, o.hazard, o.level, o.issued_at
           FROM evacuation_order o
           JOIN area a ON a.municipality_id = o.municipality_id
          WHERE o.municipality_id = $1 AND o.status = 'issued'
            AND (o.whole_municipality
                 OR EXISTS (SELECT 1 FROM evacuation_order_district d WHERE d.order_id = o.id AND d.area_id = a.id))
       )
       SELECT code AS "districtCode", area_id AS "areaId", name, name_kana AS "nameKana", max(level)::int AS level,
              min(issued_at) AS since,
              json_agg(json_build_object('orderId', order_id, 'hazard', hazard, 'level', level,
                                         'issuedAt', issued_at)
                       ORDER BY level DESC, issued_at DESC NULLS LAST, order_id) AS orders
         FROM covered
        GROUP BY area_id, code, name, name_kana
        ORDER BY code`,
      [municipalityId],
    );
    return rows.map((r) => ({
      ...r,
      orders: r.orders.map((o) => ({
        ...o,
        hazard: o.hazard,
        issuedAt: o.issuedAt === null ? null : new Date(o.issuedAt),
      })),
    }));
  }

  /** Households and people the roster has in each district (every district asked is answered, 0 when empty). */
  counts(municipalityId: string, areaIds: readonly string[]): Promise<DistrictCounts[]> {
    return this.dataSource.query<DistrictCounts[]>(
      `SELECT x.id AS "areaId", count(DISTINCT h.id)::int AS households, count(r.id)::int AS people
         FROM unnest($2::uuid[]) AS x(id)
         LEFT JOIN household h ON h.area_id = x.id AND h.municipality_id = $1
         LEFT JOIN resident r ON r.household_id = h.id
        GROUP BY x.id`,
      [municipalityId, [...new Set(areaIds)]],
    );
  }

  private async writeDistricts(em: EntityManager, order: EvacuationOrder): Promise<void> {
    if (order.districts.length === 0) return;
    await em.query(
      `INSERT INTO evacuation_order_district (order_id, area_id)
       SELECT $1, a.id FROM area a WHERE a.municipality_id = $2 AND a.code = ANY ($3::text[])`,
      [order.id, order.municipalityId, order.districts.map((d) => d.code)],
    );
  }
}
