import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AlertEntity } from '../alerts/alert.entity';

/**
 * Safety requests per alert, group and current status (`unanswered` while there is none), kept by statement-level
 * triggers on `safety_request` like `delivery_counter`: the live view reads these few rows, never the requests.
 */
@Entity('safety_counter')
export class SafetyCounterEntity {
  @PrimaryColumn('uuid')
  alertId: string;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_safety_counter_alert' })
  alert?: AlertEntity;

  @PrimaryColumn('text')
  targetGroup: string;

  @PrimaryColumn('text')
  status: string;

  @PrimaryColumn('smallint')
  shard: number;

  @Column('bigint', { default: 0 })
  n: string;
}
