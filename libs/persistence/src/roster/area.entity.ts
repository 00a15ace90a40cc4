import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { MunicipalityEntity } from './municipality.entity';

/** A district (地区) inside a municipality, mapped to every JMA code system it falls in. */
@Entity('area')
@Unique('uq_area_municipality_code', ['municipalityId', 'code'])
export class AreaEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_area_municipality' })
  municipality?: MunicipalityEntity;

  /** The municipality's own district code, as its resident register uses it. */
  @Column('text')
  code: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  nameKana: string | null;

  @Column('text', { nullable: true })
  jmaCityCode: string | null;

  @Column('text', { nullable: true })
  jmaQuakeAreaCode: string | null;

  @Column('text', { nullable: true })
  jmaTsunamiAreaCode: string | null;

  @Column('text', { nullable: true })
  jmaEewAreaCode: string | null;

  /** GeoJSON Polygon or MultiPolygon, WGS84. */
  @Column('jsonb', { nullable: true })
  polygon: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
