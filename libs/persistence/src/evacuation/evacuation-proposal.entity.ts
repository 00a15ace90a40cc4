import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { EVACUATION_LEVELS, Hazard } from '@bousai/domain';
import { FeedDocumentEntity } from '../feeds/feed-document.entity';
import { MunicipalityEntity } from '../roster/municipality.entity';
import { OperatorEntity } from '../operators/operator.entity';
import { oneOf } from '../sql/check';
import { ForeignKey } from '../sql/foreign-key';
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

  @ForeignKey(() => MunicipalityEntity, 'municipality_id', 'fk_evacuation_proposal_municipality', 'CASCADE')
  municipality?: MunicipalityEntity;

  @Column('uuid')
  orderId: string;

  @ForeignKey(() => EvacuationOrderEntity, 'order_id', 'fk_evacuation_proposal_order', 'CASCADE')
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

  @ForeignKey(
    () => FeedDocumentEntity,
    'source_document_id',
    'fk_evacuation_proposal_source_document',
    'SET NULL',
  )
  sourceDocument?: FeedDocumentEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('uuid', { nullable: true })
  dismissedBy: string | null;

  @ForeignKey(() => OperatorEntity, 'dismissed_by', 'fk_evacuation_proposal_dismissed_by', 'SET NULL')
  dismisser?: OperatorEntity;

  @Column('timestamptz', { nullable: true })
  dismissedAt: Date | null;

  @Column('uuid', { nullable: true })
  appliedBy: string | null;

  @ForeignKey(() => OperatorEntity, 'applied_by', 'fk_evacuation_proposal_applied_by', 'SET NULL')
  applier?: OperatorEntity;

  @Column('timestamptz', { nullable: true })
  appliedAt: Date | null;
}
