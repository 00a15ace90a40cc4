import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import {
  EVACUATION_LEVELS,
  Hazard,
  OrderAction,
  OrderMessageKind,
  OrderSource,
  OrderStatus,
} from '@bousai/domain';
import { AlertEntity } from '../alerts/alert.entity';
import { AreaEntity } from '../roster/area.entity';
import { FeedDocumentEntity } from '../feeds/feed-document.entity';
import { MunicipalityEntity } from '../roster/municipality.entity';
import { OperatorEntity } from '../operators/operator.entity';
import { oneOf } from '../sql/check';
import { ForeignKey } from '../sql/foreign-key';

const LEVELS = `IN (${EVACUATION_LEVELS.join(', ')})`;

/**
 * An evacuation order (避難情報, docs/evacuation.md): hazard, level, the whole municipality or the districts in
 * `evacuation_order_district`, and where it is in its life. `version` is bumped by every step; a step computed
 * from a stale order is refused.
 */
@Entity('evacuation_order')
@Index('ix_evacuation_order_municipality', ['municipalityId', 'status', 'createdAt'])
@Index('ix_evacuation_order_in_force', ['municipalityId'], { where: `"status" = 'issued'` })
@Index('ix_evacuation_order_created_by', ['createdBy'])
@Index('ix_evacuation_order_source_document', ['sourceDocumentId'])
@Check('chk_evacuation_order_hazard', oneOf('hazard', Hazard))
@Check('chk_evacuation_order_level', `"level" ${LEVELS}`)
@Check('chk_evacuation_order_status', oneOf('status', OrderStatus))
@Check('chk_evacuation_order_source', oneOf('source', OrderSource))
@Check('chk_evacuation_order_version', '"version" >= 1')
export class EvacuationOrderEntity {
  /** Time-ordered (UUIDv7, `uuid_v7()`). */
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' })
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ForeignKey(() => MunicipalityEntity, 'municipality_id', 'fk_evacuation_order_municipality', 'CASCADE')
  municipality?: MunicipalityEntity;

  /** `Hazard`. */
  @Column('text')
  hazard: string;

  /** `EvacuationLevel`: 3, 4 or 5. */
  @Column('smallint')
  level: number;

  /** 全域: the order names no districts. */
  @Column('boolean', { default: false })
  wholeMunicipality: boolean;

  /** `OrderStatus`. */
  @Column('text', { default: OrderStatus.Draft })
  status: string;

  /** The operator who drafted it; null when the feeds drafted it. */
  @Column('uuid', { nullable: true })
  createdBy: string | null;

  @ForeignKey(() => OperatorEntity, 'created_by', 'fk_evacuation_order_created_by', 'SET NULL')
  creator?: OperatorEntity;

  @Column('timestamptz', { nullable: true })
  issuedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  liftedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  retractedAt: Date | null;

  @Column('integer', { default: 1 })
  version: number;

  /** `OrderSource`: drafted by an operator, or by the feeds from a document. */
  @Column('text', { default: OrderSource.Operator })
  source: string;

  /** The feed document a feed-drafted order came from. */
  @Column('uuid', { nullable: true })
  sourceDocumentId: string | null;

  @ForeignKey(
    () => FeedDocumentEntity,
    'source_document_id',
    'fk_evacuation_order_source_document',
    'SET NULL',
  )
  sourceDocument?: FeedDocumentEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** The districts an order covers now (none for a municipality-wide order); rewritten by every step. */
@Entity('evacuation_order_district')
@Index('ix_evacuation_order_district_area', ['areaId'])
export class EvacuationOrderDistrictEntity {
  @PrimaryColumn('uuid')
  orderId: string;

  @ForeignKey(() => EvacuationOrderEntity, 'order_id', 'fk_evacuation_order_district_order', 'CASCADE')
  order?: EvacuationOrderEntity;

  @PrimaryColumn('uuid')
  areaId: string;

  @ForeignKey(() => AreaEntity, 'area_id', 'fk_evacuation_order_district_area', 'CASCADE')
  area?: AreaEntity;
}

/**
 * One step of an order (`OrderHistoryEntry`), append-only, with the alert its message became. District codes are
 * kept as written at the time, so the record stands even if the roster changes.
 */
@Entity('evacuation_order_history')
@Unique('uq_evacuation_order_history_version', ['orderId', 'version'])
@Index('ix_evacuation_order_history_alert', ['alertId'])
@Check('chk_evacuation_order_history_action', oneOf('action', OrderAction))
@Check('chk_evacuation_order_history_from', oneOf('from_status', OrderStatus))
@Check('chk_evacuation_order_history_to', oneOf('to_status', OrderStatus))
@Check('chk_evacuation_order_history_level', `"level" ${LEVELS}`)
@Check('chk_evacuation_order_history_previous_level', `"previous_level" ${LEVELS}`)
@Check('chk_evacuation_order_history_message_kind', oneOf('message_kind', OrderMessageKind))
export class EvacuationOrderHistoryEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' })
  id: string;

  @Column('uuid')
  orderId: string;

  @ForeignKey(() => EvacuationOrderEntity, 'order_id', 'fk_evacuation_order_history_order', 'CASCADE')
  order?: EvacuationOrderEntity;

  /** The order's version after the step. */
  @Column('integer')
  version: number;

  @Column('text')
  action: string;

  @Column('timestamptz')
  at: Date;

  /** Who made the step (an operator id, kept as text: the record outlives the account). */
  @Column('text')
  actorId: string;

  @Column('text')
  fromStatus: string;

  @Column('text')
  toStatus: string;

  @Column('smallint')
  level: number;

  @Column('smallint', { nullable: true })
  previousLevel: number | null;

  @Column('boolean')
  wholeMunicipality: boolean;

  @Column('text', { array: true, default: () => "'{}'" })
  districtCodes: string[];

  @Column('text', { array: true, default: () => "'{}'" })
  changedDistrictCodes: string[];

  @Column('text', { nullable: true })
  messageKind: string | null;

  @Column('text', { nullable: true })
  reason: string | null;

  /** The alert the step's message became; null when residents heard nothing. */
  @Column('uuid', { nullable: true })
  alertId: string | null;

  @ForeignKey(() => AlertEntity, 'alert_id', 'fk_evacuation_order_history_alert', 'SET NULL')
  alert?: AlertEntity;
}
