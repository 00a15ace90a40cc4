import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import {
  type AlertEvacuationMessage,
  AlertSource,
  AlertStatus,
  type Channel,
  EVACUATION_LEVELS,
  OrderMessageKind,
  Severity,
  type Targeting,
} from '@bousai/domain';
import { oneOf, sqlList } from '../sql/check';
import { EventEntity } from '../feeds/event.entity';
import { MunicipalityEntity } from '../roster/municipality.entity';
import { OperatorEntity } from '../operators/operator.entity';

/** The message of an evacuation order's alert names a known kind and a level a municipality issues. */
const EVACUATION_MESSAGE_CHECK = `"evacuation_message" IS NULL OR (("evacuation_message"->>'kind') IN ${sqlList(
  OrderMessageKind,
)} AND ("evacuation_message"->>'level') IN ${sqlList(EVACUATION_LEVELS.map(String))})`;

/** One broadcast to an audience over chosen channels. */
@Entity('alert')
@Index('ix_alert_municipality_created', ['municipalityId', 'createdAt'])
@Index('ix_alert_event', ['eventId'])
@Index('ix_alert_supersedes', ['supersedesId'])
@Index('ix_alert_cancels', ['cancelsAlertId'])
@Index('uq_alert_idempotency', ['municipalityId', 'idempotencyKey'], {
  unique: true,
  where: '"idempotency_key" IS NOT NULL',
})
@Check('chk_alert_status', oneOf('status', AlertStatus))
@Check('chk_alert_source', oneOf('source', AlertSource))
@Check('chk_alert_severity', oneOf('severity', Severity))
@Check('chk_alert_evacuation_message', EVACUATION_MESSAGE_CHECK)
export class AlertEntity {
  /** Time-ordered (UUIDv7, `uuid_v7()`): `delivery` is partitioned by month of it (1795593000000-delivery-partitions). */
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' })
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_alert_municipality' })
  municipality?: MunicipalityEntity;

  @Column('text')
  source: AlertSource;

  @Column('uuid', { nullable: true })
  eventId: string | null;

  @ManyToOne(() => EventEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_alert_event' })
  event?: EventEntity;

  @Column('text', { nullable: true })
  templateKey: string | null;

  /** `{ [language]: { title, body } }`, rendered before approval so approvers see exactly what goes out. */
  @Column('jsonb', { default: () => "'{}'" })
  texts: Record<string, { title: string; body: string }>;

  @Column('text')
  severity: Severity;

  /** Who it goes to (`Targeting`: all, areas, JMA codes, groups, households). */
  @Column('jsonb', { default: () => "'{}'" })
  targeting: Targeting;

  @Column('text', { array: true })
  channels: Channel[];

  @Column('boolean', { default: false })
  isDrill: boolean;

  @Column('boolean', { default: false })
  safetyRequest: boolean;

  @Column('text', { default: AlertStatus.Draft })
  status: AlertStatus;

  @Column('uuid', { nullable: true })
  createdBy: string | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_alert_created_by' })
  creator?: OperatorEntity;

  @Column('uuid', { nullable: true })
  approvedBy: string | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'approved_by', foreignKeyConstraintName: 'fk_alert_approved_by' })
  approver?: OperatorEntity;

  @Column('uuid', { nullable: true })
  cancelledBy: string | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'cancelled_by', foreignKeyConstraintName: 'fk_alert_cancelled_by' })
  canceller?: OperatorEntity;

  /** Set on a correction (訂正): the alert it replaces for the same audience once it is sent. */
  @Column('uuid', { name: 'supersedes_alert_id', nullable: true })
  supersedesId: string | null;

  @ManyToOne(() => AlertEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'supersedes_alert_id', foreignKeyConstraintName: 'fk_alert_supersedes' })
  supersedes?: AlertEntity;

  /** Set on a cancellation notice (取消): the alert it withdraws, to everyone that alert possibly reached. */
  @Column('uuid', { nullable: true })
  cancelsAlertId: string | null;

  @ManyToOne(() => AlertEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'cancels_alert_id', foreignKeyConstraintName: 'fk_alert_cancels' })
  cancels?: AlertEntity;

  /** Set on the alert of an evacuation order step: its message kind and level (receivers' priority and lead-in). */
  @Column('jsonb', { nullable: true })
  evacuationMessage: AlertEvacuationMessage | null;

  @Column('text', { nullable: true })
  idempotencyKey: string | null;

  /** Running totals per channel × status, maintained by the fan-out for the live view. */
  @Column('jsonb', { default: () => "'{}'" })
  counters: Record<string, Record<string, number>>;

  @Column('timestamptz', { nullable: true })
  expiresAt: Date | null;

  @Column('timestamptz', { nullable: true })
  submittedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  approvedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  dispatchedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  sentAt: Date | null;

  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  cancelledAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
