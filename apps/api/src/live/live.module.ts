import { Module } from '@nestjs/common';
import { LivePersistenceModule } from '@bousai/persistence';
import { AuthModule } from '../auth/auth.module';
import { LiveController } from './live.controller';
import { LiveViewUseCase } from './live-view.use-case';
import { OperatorsGateway } from './operators.gateway';

/** The live operator view: `/operators` socket.io namespace and its REST snapshot. */
@Module({
  imports: [LivePersistenceModule, AuthModule],
  controllers: [LiveController],
  providers: [OperatorsGateway, LiveViewUseCase],
})
export class LiveModule {}
