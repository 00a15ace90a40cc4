import { Module } from '@nestjs/common';
import { RosterPersistenceModule } from '@bousai/persistence';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { CsvImportUseCase } from './import/csv-import.use-case';
import { ImportsController } from './imports.controller';
import { ProvisioningController } from './provisioning.controller';
import { RosterUseCase } from './roster.use-case';
import {
  AreasController,
  EndpointsController,
  HouseholdsController,
  MunicipalityController,
  ResidentsController,
  SupportersController,
} from './roster.controllers';

@Module({
  imports: [
    RosterPersistenceModule,
    // uploads are held in memory and cut off at CSV_MAX_BYTES while they stream in (413 past it)
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: ApiConfig) => ({
        limits: { fileSize: config.CSV_MAX_BYTES, files: 1, fields: 5 },
      }),
    }),
  ],
  controllers: [
    MunicipalityController,
    AreasController,
    HouseholdsController,
    ResidentsController,
    SupportersController,
    EndpointsController,
    ProvisioningController,
    ImportsController,
  ],
  providers: [CsvImportUseCase, RosterUseCase],
})
export class RosterModule {}
