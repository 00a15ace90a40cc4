import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AlertEntity } from '../alerts/alert.entity';
import { oneOf } from '../sql/check';
import { HouseholdEntity } from '../roster/household.entity';
import { MunicipalityEntity } from '../roster/municipality.entity';
import { OperatorEntity } from '../operators/operator.entity';
import { ResidentEntity } from '../roster/resident.entity';
import { ShelterEntity } from './shelter.entity';

/** Who recorded a check-in: the resident with the shelter's QR code, or staff at the desk. */
export enum CheckInBy {
  Self = 'self',
  Staff = 'staff',
}

/**
 * 受付: someone arrived at a shelter — a registered resident, a household, or a person staff know only by name.
 * Kept as the record of who was where; the shelter's head count is the sum of `people` since it opened.
 */
@Entity('shelter_checkin')
@Index('ix_shelter_checkin_shelter', ['shelterId', 'checkedInAt'])
@Index('ix_shelter_checkin_resident', ['residentId'])
@Index('ix_shelter_checkin_household', ['householdId'])
@Index('ix_shelter_checkin_alert', ['alertId'])
@Index('ix_shelter_checkin_operator', ['operatorId'])
@Index('ix_shelter_checkin_municipality', ['municipalityId'])
@Check(
  'chk_shelter_checkin_who',
  '"resident_id" IS NOT NULL OR "household_id" IS NOT NULL OR "name" IS NOT NULL',
)
@Check('chk_shelter_checkin_people', '"people" > 0')
@Check('chk_shelter_checkin_by', oneOf('checked_in_by', CheckInBy))
export class ShelterCheckinEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => MunicipalityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_shelter_checkin_municipality' })
  municipality?: MunicipalityEntity;

  @Column('uuid')
  shelterId: string;

  @ManyToOne(() => ShelterEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'shelter_id', foreignKeyConstraintName: 'fk_shelter_checkin_shelter' })
  shelter?: ShelterEntity;

  @Column('uuid', { nullable: true })
  residentId: string | null;

  @ManyToOne(() => ResidentEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'resident_id', foreignKeyConstraintName: 'fk_shelter_checkin_resident' })
  resident?: ResidentEntity;

  @Column('uuid', { nullable: true })
  householdId: string | null;

  @ManyToOne(() => HouseholdEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'household_id', foreignKeyConstraintName: 'fk_shelter_checkin_household' })
  household?: HouseholdEntity;

  /** A person staff entered by name only (a visitor, someone not on the roster). */
  @Column('text', { nullable: true })
  name: string | null;

  /** People this check-in brought in: 1, or a household's members. */
  @Column('integer', { default: 1 })
  people: number;

  /** The alert whose open safety request the check-in answered (`safe`, at this shelter), if any. */
  @Column('uuid', { nullable: true })
  alertId: string | null;

  @ManyToOne(() => AlertEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_shelter_checkin_alert' })
  alert?: AlertEntity;

  @Column('text')
  checkedInBy: string;

  @Column('uuid', { nullable: true })
  operatorId: string | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'operator_id', foreignKeyConstraintName: 'fk_shelter_checkin_operator' })
  operator?: OperatorEntity;

  @Column('timestamptz', { default: () => 'now()' })
  checkedInAt: Date;
}
