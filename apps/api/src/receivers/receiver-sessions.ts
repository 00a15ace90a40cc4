import { Injectable } from '@nestjs/common';
import { receiverRooms } from '@bousai/channels';
import type { ReceiverNamespace } from './receiver-socket';

/**
 * Live receiver connections, for other features of the api: after a secret rotation or when an operator disables
 * a receiver, `disconnect` ends its session on every api process (it must then authenticate again).
 */
@Injectable()
export class ReceiverSessions {
  private nsp: ReceiverNamespace | undefined;

  /** Called by the gateway once its namespace exists. */
  bind(nsp: ReceiverNamespace): void {
    this.nsp = nsp;
  }

  disconnect(endpointId: string): void {
    this.nsp?.in(receiverRooms.endpoint(endpointId)).disconnectSockets(true);
  }
}
