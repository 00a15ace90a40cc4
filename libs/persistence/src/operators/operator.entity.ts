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
import { Role } from '@bousai/domain';
import { oneOf } from '../sql/check';
import { MunicipalityEntity } from '../roster/municipality.entity';

/** Disaster-office staff who use the console. Scoped to one municipality. */
@Entity('operator')
@Index('uq_operator_email', { synchronize: false })
@Check('chk_operator_role', oneOf('role', Role))
export class OperatorEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_operator_municipality' })
  municipality?: MunicipalityEntity;

  /** Stored as typed; a unique index on lower(email) (hand-written in the migration) makes it case-insensitive. */
  @Column('text')
  email: string;

  @Column('text', { nullable: true })
  displayName: string | null;

  /** argon2id. */
  @Column('text')
  passwordHash: string;

  @Column('text')
  role: Role;

  @Column('boolean', { default: false })
  disabled: boolean;

  @Column('timestamptz', { nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
