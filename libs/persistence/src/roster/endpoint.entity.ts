import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Channel, EndpointStatus } from '@bousai/domain';
import { oneOf } from '../sql/check';
import { HouseholdEntity } from './household.entity';
import { MunicipalityEntity } from './municipality.entity';
import { ResidentEntity } from './resident.entity';

/** One way to reach someone. Tokens, subscriptions and addresses are secrets for logging purposes. */
@Entity('endpoint')
@Unique('uq_endpoint_channel_address', ['channel', 'address'])
@Index('ix_endpoint_resident', ['residentId'])
@Index('ix_endpoint_household', ['householdId'])
// the planner walks a municipality's live endpoints by keyset (id) per channel
@Index('ix_endpoint_plan', ['municipalityId', 'channel', 'id'], { where: `"status" = 'active'` })
@Check('chk_endpoint_channel', oneOf('channel', Channel))
@Check('chk_endpoint_status', oneOf('status', EndpointStatus))
@Check('chk_endpoint_owner', '"resident_id" IS NOT NULL OR "household_id" IS NOT NULL')
@Check('chk_endpoint_receiver_secret', `"channel" <> 'receiver' OR "secret_hash" IS NOT NULL`)
export class EndpointEntity {
  /** Time-ordered (UUIDv7, `uuid_v7()`): see migration 1795570000000-time-ordered-ids. */
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' })
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_endpoint_municipality' })
  municipality?: MunicipalityEntity;

  @Column('uuid', { nullable: true })
  residentId: string | null;

  @ManyToOne(() => ResidentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resident_id', foreignKeyConstraintName: 'fk_endpoint_resident' })
  resident?: ResidentEntity;

  @Column('uuid', { nullable: true })
  householdId: string | null;

  @ManyToOne(() => HouseholdEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'household_id', foreignKeyConstraintName: 'fk_endpoint_household' })
  household?: HouseholdEntity;

  @Column('text')
  channel: Channel;

  /** FCM token, push endpoint URL, email address, LINE user id, or receiver serial. */
  @Column('text')
  address: string;

  /** Web Push keys ({ p256dh, auth }). */
  @Column('jsonb', { nullable: true })
  subscription: Record<string, unknown> | null;

  /** Receivers only: argon2id hash of the device secret, shown once at provisioning. */
  @Column('text', { nullable: true })
  secretHash: string | null;

  @Column('text', { default: EndpointStatus.Active })
  status: EndpointStatus;

  @Column('text', { nullable: true })
  deadReason: string | null;

  @Column('timestamptz', { nullable: true })
  deadAt: Date | null;

  /** Last proof of life: an ack, a played report or a heartbeat (coverage KPI). */
  @Column('timestamptz', { nullable: true })
  lastSeenAt: Date | null;

  /** Email endpoints count only once the address is confirmed. */
  @Column('timestamptz', { nullable: true })
  confirmedAt: Date | null;

  @Column('smallint', { nullable: true })
  batteryPercent: number | null;

  @Column('smallint', { nullable: true })
  signalDbm: number | null;

  @Column('text', { nullable: true })
  firmware: string | null;

  @Column('text', { nullable: true })
  label: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
