import { Module } from '@nestjs/common';
import { ReceiversPersistenceModule } from '@bousai/persistence';
import { SafetyModule } from '../safety/safety.module';
import { AuthenticateReceiverUseCase } from './authenticate-receiver.use-case';
import { PendingAlertsQuery } from './pending-alerts.query';
import { ReceiverAccessGuard } from './receiver-access.guard';
import { ReceiverGateway } from './receiver.gateway';
import { ReceiverReportBuffer } from './receiver-report.buffer';
import { ReceiverSessions } from './receiver-sessions';

/** Household receivers (専用戸別受信機): the `/receivers` socket.io namespace and what it records. */
@Module({
  imports: [ReceiversPersistenceModule, SafetyModule],
  providers: [
    AuthenticateReceiverUseCase,
    ReceiverReportBuffer,
    PendingAlertsQuery,
    ReceiverAccessGuard,
    ReceiverSessions,
    ReceiverGateway,
  ],
  exports: [ReceiverSessions],
})
export class ReceiversModule {}
