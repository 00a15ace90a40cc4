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
} from 'typeorm';
import { EndpointStatus, VISITOR_LANGUAGES } from '@bousai/domain';
import { oneOf } from '../sql/check';
import { MunicipalityEntity } from '../roster/municipality.entity';

/**
 * A visitor's browser subscribed, without enrolment, to the public alerts of the districts its holder chose. Apart
 * from the roster on purpose: no name, phone, address or location; the holder proves ownership with a secret of
 * which only the hash is kept. Its deliveries are `delivery` rows whose `endpoint_id` is this id (see migration
 * 1795591000000-visitor-subscriptions).
 */
@Entity('visitor_subscription')
@Unique('uq_visitor_subscription_endpoint', ['endpoint'])
// the planner walks a municipality's live subscriptions by keyset (id); the per-municipality cap counts them
@Index('ix_visitor_subscription_plan', ['municipalityId', 'id'], { where: `"status" = 'active'` })
@Check('chk_visitor_subscription_status', oneOf('status', EndpointStatus))
@Check('chk_visitor_subscription_language', oneOf('language', VISITOR_LANGUAGES))
@Check('chk_visitor_subscription_areas', 'cardinality("area_ids") > 0')
export class VisitorSubscriptionEntity {
  /** Time-ordered (UUIDv7): never equal to an endpoint id, which share the delivery's `endpoint_id` column. */
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' })
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_visitor_subscription_municipality' })
  municipality?: MunicipalityEntity;

  /** The chosen districts (`area` ids of the municipality). */
  @Column('uuid', { array: true })
  areaIds: string[];

  /** The push service URL (a secret for logging purposes). */
  @Column('text')
  endpoint: string;

  /** Web Push keys ({ p256dh, auth }). */
  @Column('jsonb')
  keys: Record<string, unknown>;

  @Column('text', { default: 'ja' })
  language: string;

  /** SHA-256 of the holder's secret (shown once), compared in constant time. */
  @Column('text')
  secretHash: string;

  /** `dead` once the push service answered 404/410 for the endpoint. */
  @Column('text', { default: EndpointStatus.Active })
  status: EndpointStatus;

  @Column('text', { nullable: true })
  deadReason: string | null;

  @Column('timestamptz', { nullable: true })
  deadAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Subscribed, changed, or acknowledged an alert. */
  @Column('timestamptz', { default: () => 'now()' })
  lastSeenAt: Date;
}
