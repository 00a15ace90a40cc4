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
import { ConsentScope, type Language, LANGUAGES, PERSONAL_CHANNELS } from '@bousai/domain';
import { oneOf } from '../sql/check';
import { HouseholdEntity } from './household.entity';
import { MunicipalityEntity } from './municipality.entity';

/** A person. Names, phone and email are personal data: never logged. */
@Entity('resident')
@Unique('uq_resident_external', ['municipalityId', 'externalId'])
@Index('ix_resident_household', ['householdId'])
@Index('ix_resident_needs_assistance', ['municipalityId'], { where: '"needs_assistance"' })
@Index('ix_resident_staff', ['municipalityId'], { where: '"staff"' })
@Check('chk_resident_language', oneOf('language', LANGUAGES))
@Check(
  'chk_resident_channel_order',
  `"channel_order" IS NULL OR "channel_order" <@ ARRAY[${PERSONAL_CHANNELS.map((c) => `'${c}'`).join(', ')}]::text[]`,
)
export class ResidentEntity {
  /** Time-ordered (UUIDv7, `uuid_v7()`): see migration 1795570000000-time-ordered-ids. */
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' })
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_resident_municipality' })
  municipality?: MunicipalityEntity;

  /** The person number in the municipality's register (個人番号 is never used); the key of CSV imports. */
  @Column('text')
  externalId: string;

  @Column('uuid', { nullable: true })
  householdId: string | null;

  @ManyToOne(() => HouseholdEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'household_id', foreignKeyConstraintName: 'fk_resident_household' })
  household?: HouseholdEntity;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  nameKana: string | null;

  @Column('text', { default: 'ja' })
  language: Language;

  /** 要援護者. */
  @Column('boolean', { default: false })
  needsAssistance: boolean;

  /** Municipal staff, who confirm their own safety in drills. */
  @Column('boolean', { default: false })
  staff: boolean;

  @Column('text', { array: true, default: () => "'{alerts}'" })
  consentScopes: ConsentScope[];

  /** The resident's own order of personal channels for ordered fallback; null: the municipality's. */
  @Column('text', { array: true, nullable: true })
  channelOrder: string[] | null;

  @Column('timestamptz', { nullable: true })
  consentAt: Date | null;

  /**
   * Districts the resident also wants alerts for besides their household's (a workplace, a school), chosen in
   * the app; areas of the same municipality (checked when set). The audience counts them like the home district.
   */
  @Column('uuid', { array: true, default: () => "'{}'" })
  extraAreaIds: string[];

  @Column('text', { nullable: true })
  phone: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
