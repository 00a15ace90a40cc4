import { Module } from '@nestjs/common';
import { CoverageController } from './coverage.controller';
import { CoverageReportUseCase } from './coverage-report.use-case';

@Module({ controllers: [CoverageController], providers: [CoverageReportUseCase] })
export class CoverageModule {}
