import {
  Check,
  Index,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { SupporterRelation } from '@bousai/domain';
import { oneOf } from '../sql/check';
import { MunicipalityEntity } from './municipality.entity';
import { ResidentEntity } from './resident.entity';

/** Someone who must check on a 要援護者, tried in `priority` order by the escalation ladder. */
@Entity('supporter')
@Unique('uq_supporter_priority', ['residentId', 'priority'])
// deleting a resident cascades here: without it every delete scans the table
@Index('ix_supporter_supporter_resident', ['supporterResidentId'])
@Check('chk_supporter_relation', oneOf('relation', SupporterRelation))
@Check('chk_supporter_priority', '"priority" >= 1')
export class SupporterEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_supporter_municipality' })
  municipality?: MunicipalityEntity;

  /** The person being supported (要援護者). */
  @Column('uuid')
  residentId: string;

  @ManyToOne(() => ResidentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resident_id', foreignKeyConstraintName: 'fk_supporter_resident' })
  resident?: ResidentEntity;

  /** Set when the supporter is a registered resident too (their endpoints are then used for the task). */
  @Column('uuid', { nullable: true })
  supporterResidentId: string | null;

  @ManyToOne(() => ResidentEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'supporter_resident_id', foreignKeyConstraintName: 'fk_supporter_supporter_resident' })
  supporterResident?: ResidentEntity;

  @Column('text')
  name: string;

  @Column('text')
  relation: SupporterRelation;

  @Column('text', { nullable: true })
  phone: string | null;

  @Column('text', { nullable: true })
  email: string | null;

  @Column('smallint')
  priority: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
