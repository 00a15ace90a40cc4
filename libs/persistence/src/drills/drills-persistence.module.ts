import { Module } from '@nestjs/common';
import { DrillRepository } from './drill.repository';

/** Drill schedules and reports, for the api. */
@Module({ providers: [DrillRepository], exports: [DrillRepository] })
export class DrillsPersistenceModule {}
