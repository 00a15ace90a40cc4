import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { ResponseChannel, SafetyStatus } from '@bousai/domain';
import { oneOf } from '../sql/check';
import { OperatorEntity } from '../operators/operator.entity';
import { ResidentEntity } from '../roster/resident.entity';
import { SafetyRequestEntity } from './safety-request.entity';

/** Every answer, kept as history. */
@Entity('safety_response')
@Index('ix_safety_response_request', ['safetyRequestId', 'respondedAt'])
@Index('ix_safety_response_answered_by', ['answeredByResidentId'], {
  where: '"answered_by_resident_id" IS NOT NULL',
})
@Check('chk_safety_response_status', oneOf('status', SafetyStatus))
@Check('chk_safety_response_channel', oneOf('channel', ResponseChannel))
export class SafetyResponseEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  safetyRequestId: string;

  @ManyToOne(() => SafetyRequestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'safety_request_id', foreignKeyConstraintName: 'fk_safety_response_request' })
  safetyRequest?: SafetyRequestEntity;

  @Column('text')
  status: SafetyStatus;

  @Column('text', { nullable: true })
  note: string | null;

  @Column('double precision', { nullable: true })
  latitude: number | null;

  @Column('double precision', { nullable: true })
  longitude: number | null;

  @Column('text')
  channel: ResponseChannel;

  /** Set when an operator recorded an answer taken by phone or visit. */
  @Column('uuid', { nullable: true })
  recordedBy: string | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_safety_response_recorded_by' })
  recorder?: OperatorEntity;

  /**
   * Set when a member of the same household answered for this resident from their own app (家族の安否): the
   * resident who answered; `channel` is the way they answered.
   */
  @Column('uuid', { nullable: true })
  answeredByResidentId: string | null;

  @ManyToOne(() => ResidentEntity, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'answered_by_resident_id',
    foreignKeyConstraintName: 'fk_safety_response_answered_by_resident',
  })
  answeredByResident?: ResidentEntity;

  @Column('timestamptz', { default: () => 'now()' })
  respondedAt: Date;

  @Column('timestamptz', { nullable: true })
  deviceTime: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
