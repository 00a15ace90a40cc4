import {
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
import { MunicipalityEntity } from '../roster/municipality.entity';
import { OperatorEntity } from '../operators/operator.entity';

/**
 * A municipality's rule set exists once it was seeded or written: deleting every rule then leaves it empty
 * instead of bringing the defaults back. `version` counts writes.
 */
@Entity('feed_rule_set')
export class FeedRuleSetEntity {
  @PrimaryColumn('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_feed_rule_set_municipality' })
  municipality?: MunicipalityEntity;

  @Column('integer', { default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** One rule of a municipality (message → alert), stored as validated by the rules' schema in libs/feeds. */
@Entity('feed_rule')
@Unique('uq_feed_rule_municipality_rule', ['municipalityId', 'ruleId'])
export class FeedRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_feed_rule_municipality' })
  municipality?: MunicipalityEntity;

  /** The rule's own id (`rule.id`), stable across edits. */
  @Column('text')
  ruleId: string;

  /** Order in which rules are evaluated and listed. */
  @Column('integer')
  position: number;

  @Column('jsonb')
  rule: Record<string, unknown>;

  @Column('boolean', { default: true })
  enabled: boolean;

  @Column('uuid', { nullable: true })
  @Index('ix_feed_rule_updated_by')
  updatedBy: string | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'updated_by', foreignKeyConstraintName: 'fk_feed_rule_updated_by' })
  updater?: OperatorEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
