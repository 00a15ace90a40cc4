import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Channel, DeliveryStatus } from '@bousai/domain';
import { AlertEntity } from '../alerts/alert.entity';

/**
 * Deliveries per alert, channel and status, kept by statement-level triggers on `delivery` (see the migration that
 * creates it): every planning insert, batch outcome, cancel and acknowledgement moves these counts in the same
 * transaction, so the live view reads a few rows instead of counting the delivery table. Writers add to one of
 * a few shards (by backend) so concurrent batches of one alert do not queue on one row; readers sum the shards.
 */
@Entity('delivery_counter')
export class DeliveryCounterEntity {
  @PrimaryColumn('uuid')
  alertId: string;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_delivery_counter_alert' })
  alert?: AlertEntity;

  @PrimaryColumn('text')
  channel: Channel;

  @PrimaryColumn('text')
  status: DeliveryStatus;

  @PrimaryColumn('smallint')
  shard: number;

  @Column('bigint', { default: 0 })
  n: string;
}
