import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Severity } from '@bousai/domain';
import { AlertEntity } from '../alerts/alert.entity';
import { EventEntity } from '../feeds/event.entity';
import { MunicipalityEntity } from '../roster/municipality.entity';

/**
 * What an event produced for one municipality and rule: the alert (to cancel on 取消, supersede on 訂正), its
 * severity (suppression unless it rises) and the kinds in force (full-state telegrams: a kind gone = 解除).
 * Per municipality, which the global `event` row cannot hold. `event_key` relates data types by EventID.
 */
@Entity('feed_event_alert')
@Unique('uq_feed_event_alert', ['municipalityId', 'eventKey', 'ruleId'])
export class FeedEventAlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_feed_event_alert_municipality' })
  municipality?: MunicipalityEntity;

  @Column('text')
  eventKey: string;

  @Column('text')
  ruleId: string;

  @Column('uuid', { nullable: true })
  @Index('ix_feed_event_alert_alert')
  alertId: string | null;

  @ManyToOne(() => AlertEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_feed_event_alert_alert' })
  alert?: AlertEntity;

  @Column('uuid', { nullable: true })
  @Index('ix_feed_event_alert_event')
  eventId: string | null;

  @ManyToOne(() => EventEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_feed_event_alert_event' })
  event?: EventEntity;

  @Column('text')
  severity: Severity;

  @Column('text', { array: true, default: () => "'{}'" })
  kinds: string[];

  @Column('timestamptz', { nullable: true })
  alertedAt: Date | null;

  /** The stream (event row identity) whose report made the alert: only its own 訂正 / 取消 change it. */
  @Column('text', { nullable: true })
  stream: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
