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
import { DrillScheduleState } from '@bousai/domain';
import { AlertEntity } from '../alerts/alert.entity';
import { oneOf } from '../sql/check';
import { MunicipalityEntity } from '../roster/municipality.entity';
import { OperatorEntity } from '../operators/operator.entity';

/**
 * A drill to launch later. Its alert is composed and approved when the drill is scheduled (so the approval rules
 * apply to what will go out); at `scheduled_at` the api's scheduler sends it and asks the chosen groups.
 */
@Entity('drill_schedule')
@Index('ix_drill_schedule_due', ['scheduledAt'], { where: `"state" = 'scheduled'` })
@Index('ix_drill_schedule_municipality', ['municipalityId', 'scheduledAt'])
@Index('ix_drill_schedule_alert', ['alertId'], { unique: true })
@Check('chk_drill_schedule_state', oneOf('state', DrillScheduleState))
export class DrillScheduleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_drill_schedule_municipality' })
  municipality?: MunicipalityEntity;

  @Column('uuid')
  alertId: string;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_drill_schedule_alert' })
  alert?: AlertEntity;

  @Column('timestamptz')
  scheduledAt: Date;

  @Column('text', { default: DrillScheduleState.Scheduled })
  state: DrillScheduleState;

  /** The operator who scheduled it: the send is recorded in their name. */
  @Column('uuid', { nullable: true })
  createdBy: string | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_drill_schedule_created_by' })
  creator?: OperatorEntity;

  @Column('timestamptz', { nullable: true })
  launchedAt: Date | null;

  /** Why the launch failed (the alert was cancelled meanwhile, …). */
  @Column('text', { nullable: true })
  error: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
