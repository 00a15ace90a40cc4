import { type ArgumentsHost, Catch, Logger, type WsExceptionFilter } from '@nestjs/common';
import { describeFailure, failureReply } from './receiver-protocol.error';

/**
 * Answers a failed receiver event through its acknowledgement callback as `{ ok: false, error: { code, message, details } }`
 * (the receiver protocol's shape); failures the device did not cause are logged.
 */
@Catch()
export class ReceiverExceptionFilter implements WsExceptionFilter {
  private readonly logger = new Logger(ReceiverExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (!describeFailure(exception).expected) {
      this.logger.error({ err: exception }, 'receiver event failed');
    }
    // ws handler arguments: [socket, data, ack callback when the device asked for one, pattern]
    const ack: unknown = host.getArgByIndex(2);
    if (typeof ack === 'function') (ack as (reply: unknown) => void)(failureReply(exception));
  }
}
