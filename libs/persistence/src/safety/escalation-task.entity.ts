import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { EscalationOutcome, EscalationState, EscalationStep } from '@bousai/domain';
import { oneOf } from '../sql/check';
import { AlertEntity } from '../alerts/alert.entity';
import { ResidentEntity } from '../roster/resident.entity';
import { SupporterEntity } from '../roster/supporter.entity';

/** One rung of the ladder for a silent 要援護者: resend, then supporters in order, then staff follow-up. */
@Entity('escalation_task')
@Index('ix_escalation_task_due', ['state', 'dueAt'])
@Index('ix_escalation_task_alert', ['alertId', 'residentId'])
@Index('ix_escalation_task_resident', ['residentId'])
@Index('ix_escalation_task_supporter', ['supporterId'])
@Check('chk_escalation_task_step', oneOf('step', EscalationStep))
@Check('chk_escalation_task_state', oneOf('state', EscalationState))
@Check('chk_escalation_task_outcome', `"outcome" IS NULL OR ${oneOf('outcome', EscalationOutcome)}`)
export class EscalationTaskEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  alertId: string;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_escalation_task_alert' })
  alert?: AlertEntity;

  @Column('uuid')
  residentId: string;

  @ManyToOne(() => ResidentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resident_id', foreignKeyConstraintName: 'fk_escalation_task_resident' })
  resident?: ResidentEntity;

  @Column('uuid', { nullable: true })
  supporterId: string | null;

  @ManyToOne(() => SupporterEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'supporter_id', foreignKeyConstraintName: 'fk_escalation_task_supporter' })
  supporter?: SupporterEntity;

  @Column('text')
  step: EscalationStep;

  @Column('text', { default: EscalationState.Pending })
  state: EscalationState;

  @Column('text', { nullable: true })
  outcome: EscalationOutcome | null;

  @Column('timestamptz')
  dueAt: Date;

  @Column('timestamptz', { nullable: true })
  completedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
