import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { ResidentEntity } from './resident.entity';

/**
 * A one-time code an operator issues to a resident (printed on a letter or shown at the counter). Redeeming it
 * from the app yields a resident credential. Stored as a hash; expires.
 */
@Entity('enrolment_code')
@Index('uq_enrolment_code_hash', ['codeHash'], { unique: true })
@Index('ix_enrolment_code_resident', ['residentId'])
export class EnrolmentCodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  residentId: string;

  @ManyToOne(() => ResidentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resident_id', foreignKeyConstraintName: 'fk_enrolment_code_resident' })
  resident?: ResidentEntity;

  @Column('uuid')
  municipalityId: string;

  @Column('text')
  codeHash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  usedAt: Date | null;
}
