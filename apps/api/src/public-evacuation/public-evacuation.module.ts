import { Module } from '@nestjs/common';
import { EvacuationPersistenceModule, SheltersPersistenceModule } from '@bousai/persistence';
import { PublicEvacuationController } from './public-evacuation.controller';
import { PublicEvacuationUseCase } from './public-evacuation.use-case';

@Module({
  imports: [EvacuationPersistenceModule, SheltersPersistenceModule],
  controllers: [PublicEvacuationController],
  providers: [PublicEvacuationUseCase],
})
export class PublicEvacuationModule {}
