import type { DefaultEventsMap, Namespace, Socket } from 'socket.io';
import type { ReceiverSession } from './authenticate-receiver.use-case';

export interface ReceiverSocketData {
  /** Set by the handshake middleware before the connection is accepted. */
  receiver: ReceiverSession;
}

// event payloads are checked at runtime against the protocol's schemas, so the event maps stay the defaults
export type ReceiverSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, ReceiverSocketData>;
export type ReceiverNamespace = Namespace<
  DefaultEventsMap,
  DefaultEventsMap,
  DefaultEventsMap,
  ReceiverSocketData
>;
