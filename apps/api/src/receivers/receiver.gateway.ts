import {
  Inject,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import {
  ackSchema,
  type AckReport,
  batchedReportSchema,
  heartbeatSchema,
  type PlayedReport,
  playedSchema,
  RECEIVER_NAMESPACE,
  receiptDeviceTime,
  type ReceiverAlert,
  ReceiverBus,
  ReceiverErrorCode,
  ReceiverEvent,
  receiverFailure,
  type ReceiverReply,
  type ReceiverReportsReply,
  receiverRooms,
  reportsEnvelopeSchema,
  safetySchema,
} from '@bousai/channels';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { ReceiverSafetyAnswerUseCase } from '../safety/receiver-safety-answer.use-case';
import { AuthenticateReceiverUseCase, type ReceiverSession } from './authenticate-receiver.use-case';
import { PendingAlertsQuery } from './pending-alerts.query';
import { ReceiverAccess, ReceiverAccessGuard } from './receiver-access.guard';
import { ReceiverExceptionFilter } from './receiver-exception.filter';
import { ReceiverFlowInterceptor } from './receiver-flow.interceptor';
import { describeFailure, failureReply, parseReport, ReceiverProtocolError } from './receiver-protocol.error';
import { ReceiverReportBuffer } from './receiver-report.buffer';
import type { ReceiverReport } from './receiver-report.merge';
import { ReceiverSessions } from './receiver-sessions';
import type { ReceiverNamespace, ReceiverSocket } from './receiver-socket';

const OK: ReceiverReply = { ok: true };

/**
 * `/receivers`: household receivers (専用戸別受信機) over socket.io. The handshake authenticates the device, the
 * connection joins its rooms (`rx:`, `hh:`, `area:`, `mun:`) on the deployment's Redis adapter so the fanout can
 * reach it from another process, and then gets the alerts it missed (store-and-forward). Its reports are
 * acknowledged only once they are durable (`ReceiverReportBuffer`). The protocol: docs/receiver-protocol.md.
 */
@WebSocketGateway({ namespace: RECEIVER_NAMESPACE })
@UseGuards(ReceiverAccessGuard)
@UseInterceptors(ReceiverFlowInterceptor)
@UseFilters(ReceiverExceptionFilter)
export class ReceiverGateway implements OnGatewayInit, OnGatewayConnection, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ReceiverGateway.name);
  @WebSocketServer() private readonly nsp: ReceiverNamespace;
  private bus: ReceiverBus | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
    private readonly authenticate: AuthenticateReceiverUseCase,
    private readonly reports: ReceiverReportBuffer,
    private readonly pending: PendingAlertsQuery,
    private readonly sessions: ReceiverSessions,
    private readonly safety: ReceiverSafetyAnswerUseCase,
  ) {}

  afterInit(nsp: ReceiverNamespace): void {
    nsp.use((socket, next) => {
      this.authenticate.execute({ auth: socket.handshake.auth, transport: socket.conn.transport.name }).then(
        (session) => {
          socket.data.receiver = session;
          next();
        },
        (err: unknown) => {
          const failure = describeFailure(err);
          if (!failure.expected) this.logger.error({ err }, 'receiver handshake failed');
          // socket.io hands `message` and `data` to the device's connect_error listener
          next(Object.assign(new Error(failure.message), { data: { code: failure.code } }));
        },
      );
    });
    this.sessions.bind(nsp);
  }

  /** Clients are let in only after the bootstrap hooks, so every connection already broadcasts through Redis. */
  onModuleInit(): void {
    this.bus = ReceiverBus.open({
      redisUrl: this.config.REDIS_URL,
      queuePrefix: this.config.QUEUE_PREFIX,
      connectionName: 'bousai-api-receivers',
    });
    this.bus.attach(this.nsp.server);
  }

  async onModuleDestroy(): Promise<void> {
    // this process's receivers reconnect to another api process; nothing they reported is lost on the way out
    this.nsp.local.disconnectSockets(true);
    await this.reports.drain();
    await this.bus?.close(this.nsp.server);
  }

  handleConnection(socket: ReceiverSocket): void {
    const rx = socket.data.receiver;
    const own = receiverRooms.endpoint(rx.endpointId);
    // one live connection per receiver: after a power cut an api process may still hold the old, half-open one.
    // Every process (this one included) acts on the request after a Redis round trip, by when this socket has
    // joined the room: hence the exception.
    this.nsp.in(own).except(socket.id).disconnectSockets(true);
    const rooms = [own, receiverRooms.municipality(rx.municipalityId)];
    if (rx.householdId) rooms.push(receiverRooms.household(rx.householdId));
    if (rx.areaId) rooms.push(receiverRooms.area(rx.areaId));
    void socket.join(rooms);
    this.onConnected(socket, rx).catch((err: unknown) => {
      this.logger.error({ err, endpointId: rx.endpointId }, 'store-and-forward failed');
    });
  }

  @SubscribeMessage(ReceiverEvent.Ack)
  @ReceiverAccess()
  async ack(@MessageBody() body: unknown, @ConnectedSocket() socket: ReceiverSocket): Promise<ReceiverReply> {
    const at = new Date();
    const report = parseReport(ackSchema, body, 'ack');
    const known = await this.reports.record(delivered(socket.data.receiver.endpointId, report, at));
    return known ? OK : unknownDelivery(report.deliveryId);
  }

  @SubscribeMessage(ReceiverEvent.Played)
  @ReceiverAccess()
  async played(
    @MessageBody() body: unknown,
    @ConnectedSocket() socket: ReceiverSocket,
  ): Promise<ReceiverReply> {
    const at = new Date();
    const report = parseReport(playedSchema, body, 'played report');
    const known = await this.reports.record(played(socket.data.receiver.endpointId, report, at));
    return known ? OK : unknownDelivery(report.deliveryId);
  }

  /**
   * Several `ack`/`played` reports in one event, written in one group commit: how a device sends its outbox after
   * reconnecting. Each report gets its own reply, in order; a malformed one spoils only itself.
   */
  @SubscribeMessage(ReceiverEvent.Reports)
  @ReceiverAccess()
  async batch(
    @MessageBody() body: unknown,
    @ConnectedSocket() socket: ReceiverSocket,
  ): Promise<ReceiverReportsReply> {
    const at = new Date();
    const { endpointId } = socket.data.receiver;
    const envelope = parseReport(reportsEnvelopeSchema, body, 'reports');
    const results: ReceiverReply[] = new Array<ReceiverReply>(envelope.reports.length);
    const valid: { index: number; deliveryId: string; report: ReceiverReport }[] = [];
    envelope.reports.forEach((entry, index) => {
      try {
        const r = parseReport(batchedReportSchema, entry, `report ${index}`);
        valid.push({
          index,
          deliveryId: r.deliveryId,
          report: r.type === 'ack' ? delivered(endpointId, r, at) : played(endpointId, r, at),
        });
      } catch (err) {
        if (!(err instanceof ReceiverProtocolError)) throw err;
        results[index] = failureReply(err);
      }
    });
    const known = await this.reports.recordMany(valid.map((v) => v.report));
    valid.forEach((v, i) => {
      results[v.index] = known[i] ? OK : unknownDelivery(v.deliveryId);
    });
    return { ok: true, results };
  }

  @SubscribeMessage(ReceiverEvent.Heartbeat)
  @ReceiverAccess()
  async heartbeat(
    @MessageBody() body: unknown,
    @ConnectedSocket() socket: ReceiverSocket,
  ): Promise<ReceiverReply> {
    const at = new Date();
    // every field is optional: `emit('heartbeat', callback)` with no payload arrives as an empty argument list
    const empty = body === undefined || body === null || (Array.isArray(body) && body.length === 0);
    const report = parseReport(heartbeatSchema, empty ? {} : body, 'heartbeat');
    await this.reports.record({
      kind: 'seen',
      endpointId: socket.data.receiver.endpointId,
      at,
      batteryPercent: report.battery,
      signalDbm: report.signal,
      firmware: report.firmware,
    });
    return OK;
  }

  /** The safety button (安否確認): the household's answer, durable before the device is told `ok`. */
  @SubscribeMessage(ReceiverEvent.Safety)
  @ReceiverAccess()
  async safetyAnswer(
    @MessageBody() body: unknown,
    @ConnectedSocket() socket: ReceiverSocket,
  ): Promise<ReceiverReply> {
    const report = parseReport(safetySchema, body, 'safety answer');
    const rx = socket.data.receiver;
    const asked = await this.safety.execute({
      endpointId: rx.endpointId,
      municipalityId: rx.municipalityId,
      householdId: rx.householdId,
      alertId: report.alertId,
      answer: report.answer,
      pressedAt: report.pressedAt ?? null,
    });
    return asked
      ? OK
      : receiverFailure(
          ReceiverErrorCode.NotAsked,
          `Alert ${report.alertId} did not ask this household to confirm its safety`,
        );
  }

  /** Proof of life, then every stored alert the receiver has not acknowledged yet. */
  private async onConnected(socket: ReceiverSocket, rx: ReceiverSession): Promise<void> {
    await Promise.all([
      this.reports.record({ kind: 'seen', endpointId: rx.endpointId, at: new Date() }),
      this.pending
        .execute(rx.endpointId)
        .then((alerts) => Promise.all(alerts.map((alert) => this.forward(socket, rx, alert)))),
    ]);
  }

  private async forward(socket: ReceiverSocket, rx: ReceiverSession, alert: ReceiverAlert): Promise<void> {
    let answer: unknown;
    try {
      answer = await socket
        .timeout(this.config.RECEIVER_ACK_TIMEOUT_MS)
        .emitWithAck(ReceiverEvent.Alert, alert);
    } catch {
      // no answer (timeout or gone): the delivery stays pending for the next reconnect and the fanout's retry
      return;
    }
    await this.reports.record({
      kind: 'delivered',
      endpointId: rx.endpointId,
      deliveryId: alert.deliveryId,
      at: new Date(),
      deviceAt: receiptDeviceTime(answer),
    });
  }
}

function delivered(endpointId: string, report: AckReport, at: Date): ReceiverReport {
  return { kind: 'delivered', endpointId, deliveryId: report.deliveryId, at, deviceAt: report.receivedAt };
}

function played(endpointId: string, report: PlayedReport, at: Date): ReceiverReport {
  return {
    kind: 'played',
    endpointId,
    deliveryId: report.deliveryId,
    at,
    startedAt: report.startedAt,
    endedAt: report.endedAt ?? null,
    volume: report.volume,
  };
}

function unknownDelivery(deliveryId: string): ReceiverReply {
  return receiverFailure(
    ReceiverErrorCode.UnknownDelivery,
    `Delivery ${deliveryId} is not one of this receiver's deliveries`,
  );
}
