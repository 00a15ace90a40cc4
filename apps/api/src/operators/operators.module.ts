import { Module } from '@nestjs/common';
import { OperatorsPersistenceModule } from '@bousai/persistence';
import { OperatorsController } from './operators.controller';
import { OperatorAccountsUseCase } from './operators.use-case';

/** Operator accounts and roles, managed by the municipality's administrators. */
@Module({
  imports: [OperatorsPersistenceModule],
  controllers: [OperatorsController],
  providers: [OperatorAccountsUseCase],
})
export class OperatorsModule {}
