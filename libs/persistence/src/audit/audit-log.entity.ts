import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ActorType } from '@bousai/domain';
import { oneOf } from '../sql/check';

/** Who did what to which records, and when. Never holds secrets or personal data. */
@Entity('audit_log')
@Index('ix_audit_log_municipality_time', ['municipalityId', 'createdAt'])
@Index('ix_audit_log_targets', { synchronize: false })
@Check('chk_audit_log_actor_type', oneOf('actor_type', ActorType))
export class AuditLogEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid', { nullable: true })
  municipalityId: string | null;

  @Column('text')
  actorType: ActorType;

  @Column('uuid', { nullable: true })
  actorId: string | null;

  /** Dotted verb, e.g. `household.update`, `roster.import`, `operator.login`. */
  @Column('text')
  action: string;

  @Column('text', { nullable: true })
  targetType: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  targetIds: string[];

  /** Non-personal facts about the action (counts, changed field names, outcome). */
  @Column('jsonb', { default: () => "'{}'" })
  details: Record<string, unknown>;

  @Column('text', { nullable: true })
  requestId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
