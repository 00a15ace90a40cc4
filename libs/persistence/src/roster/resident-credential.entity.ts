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
 * A device-bound credential a resident's app or PWA holds: issued once at registration (from an enrolment code
 * the municipality gives the resident), presented as a bearer token, stored only as a hash.
 */
@Entity('resident_credential')
@Index('uq_resident_credential_token', ['tokenHash'], { unique: true })
@Index('ix_resident_credential_resident', ['residentId'])
export class ResidentCredentialEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  residentId: string;

  @ManyToOne(() => ResidentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resident_id', foreignKeyConstraintName: 'fk_resident_credential_resident' })
  resident?: ResidentEntity;

  @Column('uuid')
  municipalityId: string;

  @Column('text')
  tokenHash: string;

  @Column('text', { nullable: true })
  deviceLabel: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}
