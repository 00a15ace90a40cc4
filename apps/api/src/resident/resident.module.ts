import { Module } from '@nestjs/common';
import { ResidentController } from './resident.controller';

@Module({ controllers: [ResidentController] })
export class ResidentModule {}
