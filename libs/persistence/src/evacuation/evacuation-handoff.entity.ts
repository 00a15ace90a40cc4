import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AreaMailDraft, LAlertRecord } from '@bousai/domain';
import { MunicipalityEntity } from '../roster/municipality.entity';
import { ForeignKey } from '../sql/foreign-key';
import { EvacuationOrderEntity } from './evacuation-order.entity';

/** A checklist item as stored (times as ISO strings in the JSON). */
export interface StoredHandoffItemJson {
  target: string;
  state: string;
  by: string | null;
  at: string | null;
  note: string | null;
}

/**
 * The hand-off record of one order step that had a message (docs/evacuation.md): the L-Alert record and the area
 * mail drafts as they were built in the step's transaction, and the checklist of what the office still enters by
 * hand.
 */
@Entity('evacuation_handoff')
@Index('uq_evacuation_handoff_step', ['orderId', 'version'], { unique: true })
@Index('ix_evacuation_handoff_municipality', ['municipalityId', 'createdAt'])
export class EvacuationHandoffEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' })
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ForeignKey(() => MunicipalityEntity, 'municipality_id', 'fk_evacuation_handoff_municipality', 'CASCADE')
  municipality?: MunicipalityEntity;

  @Column('uuid')
  orderId: string;

  @ForeignKey(() => EvacuationOrderEntity, 'order_id', 'fk_evacuation_handoff_order', 'CASCADE')
  order?: EvacuationOrderEntity;

  /** The order's version after the step. */
  @Column('int')
  version: number;

  @Column('jsonb')
  lalert: LAlertRecord;

  @Column('jsonb')
  areaMail: AreaMailDraft[];

  @Column('jsonb')
  items: StoredHandoffItemJson[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
