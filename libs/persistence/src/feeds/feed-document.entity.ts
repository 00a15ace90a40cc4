import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { FeedSource, ParseStatus } from '@bousai/domain';
import { oneOf } from '../sql/check';
import { EventEntity } from './event.entity';
import { MunicipalityEntity } from '../roster/municipality.entity';

/** Every raw document received, stored before it is parsed so nothing accepted is lost. */
@Entity('feed_document')
@Unique('uq_feed_document_sha256', ['sha256'])
@Index('ix_feed_document_received', ['receivedAt'])
@Index('ix_feed_document_failed', ['receivedAt'], { where: `"parse_status" = 'failed'` })
@Index('ix_feed_document_event', ['eventId'])
@Index('ix_feed_document_municipality_failed', ['municipalityId', 'receivedAt'], {
  where: `"parse_status" = 'failed'`,
})
@Index('uq_feed_document_entry', ['source', 'entryId'], { unique: true, where: `"entry_id" IS NOT NULL` })
@Index('ix_feed_document_feed_entry', ['feedName', 'entryUpdatedAt'], { where: `"feed_name" IS NOT NULL` })
@Check('chk_feed_document_source', oneOf('source', FeedSource))
@Check('chk_feed_document_parse_status', oneOf('parse_status', ParseStatus))
@Check('chk_feed_document_body_encoding', `"body_encoding" IN ('utf8', 'base64')`)
export class FeedDocumentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  source: FeedSource;

  /** Hex SHA-256 of the raw bytes: the same telegram fetched twice is stored once. */
  @Column('text')
  sha256: string;

  @Column('text', { nullable: true })
  url: string | null;

  @Column('text', { nullable: true })
  contentType: string | null;

  /** JMA PULL: the feed that listed the telegram (`eqvol`, `extra` …). */
  @Column('text', { nullable: true })
  feedName: string | null;

  /** JMA PULL: the Atom entry id (the telegram URL); each entry is fetched once. */
  @Column('text', { nullable: true })
  entryId: string | null;

  /** JMA PULL: the entry's `updated`; the newest per feed tells whether the feed still reaches back. */
  @Column('timestamptz', { nullable: true })
  entryUpdatedAt: Date | null;

  /** The raw document: UTF-8 text, or base64 when the bytes are not valid UTF-8 (see `bodyEncoding`). */
  @Column('text')
  body: string;

  @Column('text', { default: 'utf8' })
  bodyEncoding: string;

  @Column('timestamptz', { default: () => 'now()' })
  receivedAt: Date;

  @Column('text', { default: ParseStatus.Pending })
  parseStatus: ParseStatus;

  @Column('text', { nullable: true })
  parseErrorCode: string | null;

  @Column('text', { nullable: true })
  parseError: string | null;

  @Column('timestamptz', { nullable: true })
  parsedAt: Date | null;

  /** JMA InfoKind / CAP event, when parsed. */
  @Column('text', { nullable: true })
  kind: string | null;

  /** The normalised message the parser produced, as recorded by ingest's default message sink. */
  @Column('jsonb', { nullable: true })
  message: unknown;

  @Column('uuid', { nullable: true })
  eventId: string | null;

  /**
   * The municipality whose relay integration sent it (signed with that municipality's relay key); null for the
   * national feeds and for relays signed with the installation-wide key. Its failures are that municipality's.
   */
  @Column('uuid', { nullable: true })
  municipalityId: string | null;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_feed_document_municipality' })
  municipality?: MunicipalityEntity;

  @ManyToOne(() => EventEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_feed_document_event' })
  event?: EventEntity;
}
