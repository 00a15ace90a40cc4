import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Channel, DeliveryStatus } from '@bousai/domain';
import { oneOf } from '../sql/check';
import { AlertEntity } from '../alerts/alert.entity';
import { EndpointEntity } from '../roster/endpoint.entity';

/**
 * Alert × endpoint. The biggest table: written in bulk only (COPY / unnest), one row per (alert, endpoint).
 * Device-reported times are kept beside server times. Partitioned by range of `alert_id` (time-ordered alert ids,
 * one partition a month; migration 1795593000000-delivery-partitions, `DeliveryPartitionRepository`), hence the
 * primary key (id, alert_id).
 */
@Entity('delivery')
@Unique('uq_delivery_alert_endpoint', ['alertId', 'endpointId'])
// a batch job loads its rows by (alert, channel, batch)
@Index('ix_delivery_batch', ['alertId', 'channel', 'batchNo'])
// store-and-forward and coverage look up by endpoint
@Index('ix_delivery_endpoint', ['endpointId'])
@Check('chk_delivery_channel', oneOf('channel', Channel))
@Check('chk_delivery_status', oneOf('status', DeliveryStatus))
export class DeliveryEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_delivery',
  })
  id: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_delivery' })
  alertId: string;

  // references are enforced once per statement by triggers, not per row by a foreign key (migration
  // 1795560000000-delivery-statement-references): same locks, same cascade, a fraction of the cost per row
  @ManyToOne(() => AlertEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'alert_id' })
  alert?: AlertEntity;

  @Column('uuid')
  endpointId: string;

  @ManyToOne(() => EndpointEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: EndpointEntity;

  @Column('text')
  channel: Channel;

  @Column('integer')
  batchNo: number;

  @Column('text', { default: DeliveryStatus.Queued })
  status: DeliveryStatus;

  @Column('text', { nullable: true })
  language: string | null;

  @Column('smallint', { default: 0 })
  attempts: number;

  /**
   * The fanout process (`fanout_instance`) sending this queued row right now, null when nobody is. Unindexed on
   * purpose: a claim and its outcome stay HOT updates; the rows of a dead process are looked up per alert.
   */
  @Column('uuid', { nullable: true })
  claimedBy: string | null;

  @Column('text', { nullable: true })
  providerMessageId: string | null;

  @Column('text', { nullable: true })
  errorCode: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  queuedAt: Date;

  @Column('timestamptz', { nullable: true })
  sentAt: Date | null;

  @Column('timestamptz', { nullable: true })
  deliveredAt: Date | null;

  @Column('timestamptz', { nullable: true })
  deviceDeliveredAt: Date | null;

  @Column('timestamptz', { nullable: true })
  playedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  devicePlayStartedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  devicePlayEndedAt: Date | null;

  @Column('smallint', { nullable: true })
  playVolume: number | null;

  @Column('timestamptz', { nullable: true })
  readAt: Date | null;

  /** When the device says the resident opened the alert (its own clock), beside the server's `readAt`. */
  @Column('timestamptz', { nullable: true })
  deviceReadAt: Date | null;

  @Column('timestamptz', { nullable: true })
  failedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  cancelledAt: Date | null;
}
