import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Crowding, CrowdingSource, SHELTER_HAZARDS, ShelterKind, ShelterStatus } from '@bousai/domain';
import { AreaEntity } from '../roster/area.entity';
import { oneOf } from '../sql/check';
import { MunicipalityEntity } from '../roster/municipality.entity';
import { OperatorEntity } from '../operators/operator.entity';

/**
 * A 指定緊急避難場所 or 指定避難所 from the municipality's open-data list (docs/shelters.md), and its state while in
 * use. The list's own id keys it, so importing the same list again updates it in place; an import never touches
 * the status, crowding or count.
 */
@Entity('shelter')
@Unique('uq_shelter_external_id', ['municipalityId', 'kind', 'externalId'])
@Index('ix_shelter_open', ['municipalityId'], { where: `"status" = 'open'` })
@Index('ix_shelter_updated_by', ['updatedBy'])
@Check('chk_shelter_kind', oneOf('kind', ShelterKind))
@Check('chk_shelter_status', oneOf('status', ShelterStatus))
@Check('chk_shelter_crowding', oneOf('crowding', Crowding))
@Check('chk_shelter_crowding_source', oneOf('crowding_source', CrowdingSource))
@Check(
  'chk_shelter_hazards',
  `"hazards" <@ ARRAY[${SHELTER_HAZARDS.map((h) => `'${h}'`).join(', ')}]::text[]`,
)
@Check('chk_shelter_head_count', '"head_count" >= 0')
@Check('chk_shelter_capacity', '"capacity" >= 0')
export class ShelterEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_shelter_municipality' })
  municipality?: MunicipalityEntity;

  @Column('text')
  kind: string;

  /** The dataset's `ID` (Digital Agency) or `共通ID` (GSI). */
  @Column('text')
  externalId: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  nameKana: string | null;

  @Column('text', { nullable: true })
  address: string | null;

  @Column('double precision', { nullable: true })
  latitude: number | null;

  @Column('double precision', { nullable: true })
  longitude: number | null;

  /** 想定収容人数. */
  @Column('integer', { nullable: true })
  capacity: number | null;

  /** `ShelterHazard` values the place is designated for. */
  @Column('text', { array: true, default: () => "'{}'" })
  hazards: string[];

  /** 対象となる町会・自治会 as the list writes them; the ones matching an `area` are in `shelter_area`. */
  @Column('text', { array: true, default: () => "'{}'" })
  districts: string[];

  @Column('text', { default: ShelterStatus.Closed })
  status: string;

  @Column('timestamptz', { nullable: true })
  openedAt: Date | null;

  @Column('text', { nullable: true })
  crowding: string | null;

  @Column('text', { nullable: true })
  crowdingSource: string | null;

  /** People present since it opened: check-ins add to it, a staff count replaces it. */
  @Column('integer', { default: 0 })
  headCount: number;

  /** The operator who last opened, closed or counted it. */
  @Column('uuid', { nullable: true })
  updatedBy: string | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'updated_by', foreignKeyConstraintName: 'fk_shelter_updated_by' })
  updater?: OperatorEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** The districts a shelter serves, as `area` rows of its municipality. */
@Entity('shelter_area')
@Index('ix_shelter_area_area', ['areaId'])
export class ShelterAreaEntity {
  @PrimaryColumn('uuid')
  shelterId: string;

  @ManyToOne(() => ShelterEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'shelter_id', foreignKeyConstraintName: 'fk_shelter_area_shelter' })
  shelter?: ShelterEntity;

  @PrimaryColumn('uuid')
  areaId: string;

  @ManyToOne(() => AreaEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'area_id', foreignKeyConstraintName: 'fk_shelter_area_area' })
  area?: AreaEntity;
}
