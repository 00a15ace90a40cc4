import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type Namespace, Server } from 'socket.io';
import { Channel } from '@bousai/domain';
import type { ChannelAdapter, DeliveryOutcome, DeliveryTarget, OutgoingMessage } from '../channel-adapter';
import { ReceiverBus } from './receiver-bus';
import {
  RECEIVER_NAMESPACE,
  receiptDeviceTime,
  receiverAlert,
  ReceiverEvent,
  receiverRooms,
} from './receiver-protocol';

export interface ReceiverChannelSettings {
  redisUrl: string;
  queuePrefix: string;
  /** How long a connected receiver has to answer an alert before the delivery is retried. */
  ackTimeoutMs: number;
}

/** Retry codes of this channel (recorded as the delivery's `error_code` while it waits for its retry). */
export const ReceiverRetryCode = {
  /** No api process holds a connection for the receiver; it also gets the alert when it reconnects. */
  Offline: 'RECEIVER_OFFLINE',
  /** Connected, but no answer within the ack timeout. */
  AckTimeout: 'RECEIVER_ACK_TIMEOUT',
  /** Redis (the bus between fanout and api) is down. */
  BusUnavailable: 'RECEIVER_BUS_UNAVAILABLE',
} as const;

/**
 * Sends to household receivers connected to any api process. This process's socket.io server never listens: it
 * only joins the deployment's Redis adapter, emits `alert` to each target's `rx:<endpointId>` room and collects the
 * devices' acknowledgements relayed back through Redis.
 *
 * One emit per target: the payload names the target's own delivery id and language, which a room-wide broadcast
 * cannot. An offline receiver answers at once (every api process reports zero sockets), so only connected but
 * silent receivers cost the timeout.
 */
export class ReceiverChannelAdapter implements ChannelAdapter, OnModuleInit, OnModuleDestroy {
  readonly channel = Channel.Receiver;
  private readonly logger = new Logger(ReceiverChannelAdapter.name);
  private bus?: ReceiverBus;
  private io?: Server;
  private nsp?: Namespace;

  constructor(private readonly settings: ReceiverChannelSettings) {}

  onModuleInit(): void {
    this.start();
  }

  /** Opens the Redis connections and the non-listening server (idempotent). */
  start(): void {
    if (this.io) return;
    this.bus = ReceiverBus.open({
      redisUrl: this.settings.redisUrl,
      queuePrefix: this.settings.queuePrefix,
      connectionName: 'bousai-fanout-receivers',
    });
    this.io = new Server();
    this.bus.attach(this.io);
    this.nsp = this.io.of(RECEIVER_NAMESPACE);
  }

  /** Resolves once the bus is connected and subscribed (false after `timeoutMs`). */
  whenReady(timeoutMs = this.settings.ackTimeoutMs): Promise<boolean> {
    return this.bus?.whenReady(timeoutMs) ?? Promise.resolve(false);
  }

  async send(targets: readonly DeliveryTarget[], message: OutgoingMessage): Promise<DeliveryOutcome[]> {
    const nsp = this.nsp;
    if (!nsp || !this.bus?.isUp()) {
      return targets.map((t) => ({
        deliveryId: t.deliveryId,
        kind: 'retry',
        errorCode: ReceiverRetryCode.BusUnavailable,
      }));
    }
    return Promise.all(targets.map((t) => this.sendOne(nsp, t, message)));
  }

  private sendOne(
    nsp: Namespace,
    target: DeliveryTarget,
    message: OutgoingMessage,
  ): Promise<DeliveryOutcome> {
    const payload = receiverAlert(target, message);
    return new Promise((resolve) => {
      // the callback form, unlike emitWithAck, hands over the answers that did arrive when the timeout fires
      nsp
        .to(receiverRooms.endpoint(target.endpointId))
        .timeout(this.settings.ackTimeoutMs)
        .emit(ReceiverEvent.Alert, payload, (err: Error | null, answers: unknown[]) => {
          if (answers.length > 0) {
            // the device's own time of receipt; the server's when the device sent none
            const at = receiptDeviceTime(answers[0])?.getTime() ?? Date.now();
            resolve({ deliveryId: target.deliveryId, kind: 'delivered', at });
          } else {
            resolve({
              deliveryId: target.deliveryId,
              kind: 'retry',
              errorCode: err ? ReceiverRetryCode.AckTimeout : ReceiverRetryCode.Offline,
            });
          }
        });
    });
  }

  async onModuleDestroy(): Promise<void> {
    const io = this.io;
    this.io = undefined;
    this.nsp = undefined;
    try {
      await this.bus?.close(io);
    } catch (err) {
      this.logger.warn({ err }, 'receiver bus did not close cleanly');
    }
    // nothing else to close: a server that never listened has no engine (and `io.close()` would throw on that)
  }
}
