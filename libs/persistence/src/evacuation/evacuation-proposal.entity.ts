import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { EVACUATION_LEVELS, Hazard } from '@bousai/domain';
import { FeedDocumentEntity } from '../feeds/feed-document.entity';
import { MunicipalityEntity } from '../roster/municipality.entity';
import { OperatorEntity } from '../operators/operator.entity';
import { oneOf } from '../sql/check';
import { EvacuationOrderEntity } from './evacuation-order.entity';

/** What a JMA telegram proposes for an issued order: lower it to `level`, or lift it. */
export enum ProposalKind {
  Lower = 'lower',
  Lift = 'lift',
}

/**
 * A JMA telegram's proposal (docs/evacuation.md §6) against an issued order: to lower it or to lift it, for the
 * districts the telegram named. Only a suggestion for people: dismissed or applied by whom and when.
 */
@Entity('evacuation_proposal')
@Index('uq_evacuation_proposal_document', ['orderId', 'kind', 'level', 'sourceDocumentId'], { unique: true })
@Index('ix_evacuation_proposal_municipality', ['municipalityId', 'createdAt'])
@Index('ix_evacuation_proposal_source_document', ['sourceDocumentId'])
@Check('chk_evacuation_proposal_kind', oneOf('kind', ProposalKind))
@Check('chk_evacuation_proposal_hazard', oneOf('hazard', Hazard))
@Check('chk_evacuation_proposal_level', `"level" IN (${EVACUATION_LEVELS.join(', ')})`)
export class EvacuationProposalEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' })
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_evacuation_proposal_municipality' })
  municipality?: MunicipalityEntity;

  @Column('uuid')
  orderId: string;

  @ManyToOne(() => EvacuationOrderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'fk_evacuation_proposal_order' })
  order?: EvacuationOrderEntity;

  @Column('text')
  kind: ProposalKind;

  @Column('text')
  hazard: Hazard;

  /** For `lower`, the level proposed; for `lift`, the level that ends. */
  @Column('smallint')
  level: number;

  /** The order's districts the telegram named (all of them for a municipality-wide order). */
  @Column('text', { array: true, default: () => "'{}'" })
  districtCodes: string[];

  @Column('uuid', { nullable: true })
  sourceDocumentId: string | null;

  @ManyToOne(() => FeedDocumentEntity, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'source_document_id',
    foreignKeyConstraintName: 'fk_evacuation_proposal_source_document',
  })
  sourceDocument?: FeedDocumentEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('uuid', { nullable: true })
  dismissedBy: string | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'dismissed_by', foreignKeyConstraintName: 'fk_evacuation_proposal_dismissed_by' })
  dismisser?: OperatorEntity;

  @Column('timestamptz', { nullable: true })
  dismissedAt: Date | null;

  @Column('uuid', { nullable: true })
  appliedBy: string | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'applied_by', foreignKeyConstraintName: 'fk_evacuation_proposal_applied_by' })
  applier?: OperatorEntity;

  @Column('timestamptz', { nullable: true })
  appliedAt: Date | null;
}
