import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { SheltersPersistenceModule } from '@bousai/persistence';
import { SafetyModule } from '../safety/safety.module';
import { ShelterImportUseCase } from './shelter-import.use-case';
import {
  PublicSheltersController,
  ResidentShelterController,
  ShelterOperatorController,
} from './shelters.controllers';
import { SheltersUseCase } from './shelters.use-case';

/** Shelters (避難場所・避難所): the open-data lists, opening and crowding, and check-ins as safety answers. */
@Module({
  imports: [
    SheltersPersistenceModule,
    SafetyModule,
    // uploads are held in memory and cut off at CSV_MAX_BYTES while they stream in (413 past it)
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: ApiConfig) => ({
        limits: { fileSize: config.CSV_MAX_BYTES, files: 1, fields: 5 },
      }),
    }),
  ],
  controllers: [ShelterOperatorController, ResidentShelterController, PublicSheltersController],
  providers: [ShelterImportUseCase, SheltersUseCase],
})
export class SheltersModule {}
