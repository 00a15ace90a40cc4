import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { SafetyStatus } from '@bousai/domain';
import { oneOf } from '../sql/check';
import { AlertEntity } from '../alerts/alert.entity';
import { ResidentEntity } from '../roster/resident.entity';

/** A resident asked to confirm their safety for an alert or drill. The latest answer is denormalised here. */
@Entity('safety_request')
@Unique('uq_safety_request_alert_resident', ['alertId', 'residentId'])
@Index('ix_safety_request_status', ['alertId', 'currentStatus'])
@Index('ix_safety_request_resident', ['residentId'])
@Check('chk_safety_request_status', `"current_status" IS NULL OR ${oneOf('current_status', SafetyStatus)}`)
export class SafetyRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  alertId: string;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_safety_request_alert' })
  alert?: AlertEntity;

  @Column('uuid')
  residentId: string;

  @ManyToOne(() => ResidentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resident_id', foreignKeyConstraintName: 'fk_safety_request_resident' })
  resident?: ResidentEntity;

  /** Why this person was asked: `needs_assistance`, `staff` or `everyone` (for per-group reports). */
  @Column('text')
  targetGroup: string;

  @Column('text', { nullable: true })
  currentStatus: SafetyStatus | null;

  @Column('timestamptz', { nullable: true })
  answeredAt: Date | null;

  /**
   * The escalation rung last started for this person (0 none, 1 resend, 2 supporters, 3 staff follow-up). Each
   * rung moves it with an UPDATE, so two fanout processes never start the same rung twice (the second one's
   * UPDATE re-reads the row after the first commits and no longer matches).
   */
  @Column('smallint', { default: 0 })
  escalationRung: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
