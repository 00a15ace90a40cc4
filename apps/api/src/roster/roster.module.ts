import { Module } from '@nestjs/common';
import { CsvImportUseCase } from './import/csv-import.use-case';
import { ImportsController } from './imports.controller';
import { ProvisioningController } from './provisioning.controller';
import {
  AreasController,
  EndpointsController,
  HouseholdsController,
  MunicipalityController,
  ResidentsController,
  SupportersController,
} from './roster.controllers';

@Module({
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
  providers: [CsvImportUseCase],
})
export class RosterModule {}
