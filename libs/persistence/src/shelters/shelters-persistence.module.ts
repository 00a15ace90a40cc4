import { Module } from '@nestjs/common';
import { ShelterRepository } from './shelter.repository';

/** Shelters and check-ins, for the api. */
@Module({ providers: [ShelterRepository], exports: [ShelterRepository] })
export class SheltersPersistenceModule {}
