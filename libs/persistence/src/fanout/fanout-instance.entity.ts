import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A running fanout process and its lease. The process renews `heartbeatAt` while it lives; the deliveries it
 * claimed (`delivery.claimed_by`) are its own until its lease lapses, when another process (or its own successor)
 * releases them and sends them again.
 */
@Entity('fanout_instance')
export class FanoutInstanceEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_fanout_instance' })
  id: string;

  /** The host (and PID namespace) it runs on, and its process id: a successor on the same host may tell it is gone. */
  @Column('text')
  host: string;

  @Column('integer')
  pid: number;

  @Column('timestamptz', { default: () => 'now()' })
  startedAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  heartbeatAt: Date;
}
