import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { PublicationStatus, PublicationTarget } from '@bousai/domain';
import { AlertEntity } from '../alerts/alert.entity';
import { oneOf } from '../sql/check';

/** One public post of an alert (LINE broadcast, X): at most one per alert and target. */
@Entity('publication')
@Unique('uq_publication_alert_target', ['alertId', 'target'])
@Check('chk_publication_target', oneOf('target', PublicationTarget))
@Check('chk_publication_status', oneOf('status', PublicationStatus))
export class PublicationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  alertId: string;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_publication_alert' })
  alert?: AlertEntity;

  @Column('text')
  target: string;

  @Column('text', { default: PublicationStatus.Queued })
  status: PublicationStatus;

  @Column('smallint', { default: 0 })
  attempts: number;

  /** What was posted, as posted. */
  @Column('text', { nullable: true })
  text: string | null;

  /** LINE request id or X post id. */
  @Column('text', { nullable: true })
  providerId: string | null;

  @Column('text', { nullable: true })
  errorCode: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  postedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  failedAt: Date | null;
}
