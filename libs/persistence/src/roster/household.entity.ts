import {
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
import { AreaEntity } from './area.entity';
import { MunicipalityEntity } from './municipality.entity';

@Entity('household')
@Unique('uq_household_external', ['municipalityId', 'externalId'])
@Index('ix_household_area', ['municipalityId', 'areaId'])
export class HouseholdEntity {
  /** Time-ordered (UUIDv7, `uuid_v7()`): see migration 1795570000000-time-ordered-ids. */
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' })
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_household_municipality' })
  municipality?: MunicipalityEntity;

  /** The household number in the municipality's register (世帯番号); the key of CSV imports. */
  @Column('text')
  externalId: string;

  @Column('uuid', { nullable: true })
  areaId: string | null;

  @ManyToOne(() => AreaEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'area_id', foreignKeyConstraintName: 'fk_household_area' })
  area?: AreaEntity;

  @Column('text')
  address: string;

  @Column('text', { nullable: true })
  postalCode: string | null;

  @Column('text', { nullable: true })
  phone: string | null;

  @Column('double precision', { nullable: true })
  latitude: number | null;

  @Column('double precision', { nullable: true })
  longitude: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
