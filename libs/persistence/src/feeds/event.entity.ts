import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { EventStatus, FeedSource } from '@bousai/domain';
import { oneOf } from '../sql/check';

/** The source identity of something that happened (JMA EventID + type, CAP sender/identifier, J-ALERT id). */
@Entity('event')
@Unique('uq_event_identity', ['source', 'identityKey'])
@Check('chk_event_source', oneOf('source', FeedSource))
@Check('chk_event_status', oneOf('status', EventStatus))
export class EventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  source: FeedSource;

  @Column('text')
  identityKey: string;

  @Column('text', { nullable: true })
  kind: string | null;

  @Column('text', { nullable: true })
  title: string | null;

  @Column('text', { default: EventStatus.Active })
  status: EventStatus;

  /** Revision bookkeeping: the newest Serial / ReportDateTime / InfoType seen for this identity. */
  @Column('text', { nullable: true })
  latestSerial: string | null;

  @Column('timestamptz', { nullable: true })
  latestReportAt: Date | null;

  @Column('text', { nullable: true })
  latestInfoType: string | null;

  @Column('uuid', { nullable: true })
  latestDocumentId: string | null;

  /** The dedupe key of the newest report applied (docs/feeds.md §1): the same key again is a duplicate. */
  @Column('text', { nullable: true })
  latestKey: string | null;

  @Column('integer', { default: 1 })
  revisions: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
