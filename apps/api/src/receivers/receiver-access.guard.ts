import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  type CustomDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ReceiverErrorCode } from '@bousai/channels';
import { ReceiverProtocolError } from './receiver-protocol.error';
import type { ReceiverSocket } from './receiver-socket';

export const RECEIVER_ACCESS_KEY = 'bousai:receiver';

/**
 * Gateway handler for authenticated household receivers. Receivers are neither operators (`@Roles`) nor anonymous
 * (`@Public`): the namespace's handshake authenticates them once per connection, and this marks the handlers
 * that rely on it.
 */
export const ReceiverAccess = (): CustomDecorator => SetMetadata(RECEIVER_ACCESS_KEY, true);

/** Every receiver handler must declare `@ReceiverAccess()` and run on a socket whose handshake was verified. */
@Injectable()
export class ReceiverAccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (!this.reflector.get<boolean | undefined>(RECEIVER_ACCESS_KEY, ctx.getHandler())) {
      throw new Error(`${ctx.getClass().name}.${ctx.getHandler().name} declares no access rule`);
    }
    if (!ctx.switchToWs().getClient<ReceiverSocket>().data.receiver) {
      throw new ReceiverProtocolError(ReceiverErrorCode.AuthRequired, 'This socket is not authenticated');
    }
    return true;
  }
}
