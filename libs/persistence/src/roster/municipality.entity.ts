import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/** Tenant. Its JMA codes decide which telegrams concern it (docs/feeds.md §2). */
@Entity('municipality')
@Unique('uq_municipality_code', ['code'])
export class MunicipalityEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** 全国地方公共団体コード with check digit, e.g. 322067. */
  @Column('text')
  code: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  nameKana: string | null;

  /** 市町村等 (7 digits) used by warnings, 土砂災害警戒情報 and 地震情報. */
  @Column('text', { array: true, default: () => "'{}'" })
  jmaCityCodes: string[];

  /** 地震情報 細分区域. */
  @Column('text', { array: true, default: () => "'{}'" })
  jmaQuakeAreaCodes: string[];

  /** 津波予報区. */
  @Column('text', { array: true, default: () => "'{}'" })
  jmaTsunamiAreaCodes: string[];

  /** 緊急地震速報 細分区域. */
  @Column('text', { array: true, default: () => "'{}'" })
  jmaEewAreaCodes: string[];

  /** Escalation timings, fallback order, single-step kinds… validated by the api before they are stored. */
  @Column('jsonb', { default: () => "'{}'" })
  settings: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
