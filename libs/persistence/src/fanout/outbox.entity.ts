import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Written in the same transaction as the state change it announces; a relay claims due rows with a lease and turns
 * them into queue jobs, so an approved alert survives a Redis outage.
 */
@Entity('outbox')
@Index('ix_outbox_pending', ['availableAt', 'id'], { where: '"dispatched_at" IS NULL' })
export class OutboxEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** Job contract name, e.g. `alert.plan`. */
  @Column('text')
  topic: string;

  @Column('jsonb')
  payload: Record<string, unknown>;

  /** Deterministic job id, so a relay replay enqueues nothing twice. */
  @Column('text')
  jobId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  availableAt: Date;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column('timestamptz', { nullable: true })
  dispatchedAt: Date | null;

  @Column('text', { nullable: true })
  lastError: string | null;

  /** The relay that claimed the row last (a per-process id). */
  @Column('uuid', { nullable: true })
  claimedBy: string | null;

  /** The claim's lease: until then no other relay takes the row; after it, a relay that died is retried. */
  @Column('timestamptz', { nullable: true })
  claimedUntil: Date | null;
}
