import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { OperatorEntity } from './operator.entity';

/**
 * One login: holds the hash of the current refresh token. Refresh rotates the token; presenting an already
 * rotated token revokes the whole session (token theft detection).
 */
@Entity('operator_session')
@Index('uq_operator_session_token', ['refreshTokenHash'], { unique: true })
@Index('ix_operator_session_operator', ['operatorId'])
export class OperatorSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  operatorId: string;

  @ManyToOne(() => OperatorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'operator_id', foreignKeyConstraintName: 'fk_operator_session_operator' })
  operator?: OperatorEntity;

  /** SHA-256 of the current refresh token (the token itself is 256 random bits, so no slow hash is needed). */
  @Column('text')
  refreshTokenHash: string;

  /** Hashes of rotated-out tokens, to detect replay of a stolen one. */
  @Column('text', { array: true, default: () => "'{}'" })
  previousTokenHashes: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}
