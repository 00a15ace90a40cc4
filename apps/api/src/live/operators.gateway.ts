import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { z } from 'zod';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { DomainError } from '@bousai/domain';
import { LiveCountersRepository } from '@bousai/persistence';
import { AuthService } from '../auth/auth.service';
import { liveView, type LiveView } from './live-view';

export const OPERATORS_NAMESPACE = '/operators';

interface OperatorSocketData {
  operatorId: string;
  municipalityId: string;
  token: string;
}
type OperatorSocket = Socket<
  Record<string, never>,
  { counters: (view: LiveView) => void },
  Record<string, never>,
  OperatorSocketData
>;

type Reply =
  | { ok: true; counters: LiveView }
  | { ok: true }
  | { ok: false; error: { code: string; message: string; details: null } };

const watchSchema = z.object({ alertId: z.uuid() });
const ALERT_ROOM = 'alert:';
/** Sessions are checked again this often: a logout or a disabled account ends the live view too. */
const RECHECK_MS = 60_000;

/**
 * `/operators`: the live view. An operator connects with their access token (`auth: { token }`), `watch`es
 * alerts of their municipality and gets `counters` for each whenever they change, at most every
 * `LIVE_PUSH_INTERVAL_MS` (≥ 500 ms: twice a second). Each tick reads the watched alerts' counters in one
 * statement from `delivery_counter`, which triggers keep up to date; the delivery table is never counted. Every
 * api process serves its own sockets (`local`), so several processes never send an update twice.
 */
@WebSocketGateway({ namespace: OPERATORS_NAMESPACE })
export class OperatorsGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger(OperatorsGateway.name);
  @WebSocketServer() private readonly nsp: Namespace;
  private readonly lastSent = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private lastRecheck = Date.now();

  constructor(
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
    private readonly auth: AuthService,
    private readonly counters: LiveCountersRepository,
  ) {}

  afterInit(nsp: Namespace): void {
    nsp.use((socket: OperatorSocket, next) => {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      if (typeof token !== 'string') {
        next(
          Object.assign(new Error('Send auth: { token: <access token> }'), {
            data: { code: 'UNAUTHENTICATED' },
          }),
        );
        return;
      }
      this.auth.authenticate(token).then(
        (session) => {
          socket.data = { operatorId: session.operatorId, municipalityId: session.municipalityId, token };
          next();
        },
        (err: unknown) => {
          const code = err instanceof DomainError ? err.code : 'UNAUTHENTICATED';
          next(Object.assign(new Error('Access token is invalid or expired'), { data: { code } }));
        },
      );
    });
    this.timer = setInterval(() => void this.tick(), this.config.LIVE_PUSH_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  handleConnection(socket: OperatorSocket): void {
    void socket.join(`mun:${socket.data.municipalityId}`);
  }

  @SubscribeMessage('watch')
  async watch(@MessageBody() body: unknown, @ConnectedSocket() socket: OperatorSocket): Promise<Reply> {
    const parsed = watchSchema.safeParse(body);
    if (!parsed.success) return refuse('VALIDATION_FAILED', 'Send { alertId: <uuid> }');
    const [counters] = await this.counters.counters([parsed.data.alertId]);
    // another municipality's alert is as unknown as a missing one
    if (!counters || counters.municipalityId !== socket.data.municipalityId) {
      return refuse('NOT_FOUND', `No alert ${parsed.data.alertId} in your municipality`);
    }
    await socket.join(`${ALERT_ROOM}${counters.alertId}`);
    return { ok: true, counters: liveView(counters) };
  }

  @SubscribeMessage('unwatch')
  async unwatch(@MessageBody() body: unknown, @ConnectedSocket() socket: OperatorSocket): Promise<Reply> {
    const parsed = watchSchema.safeParse(body);
    if (!parsed.success) return refuse('VALIDATION_FAILED', 'Send { alertId: <uuid> }');
    await socket.leave(`${ALERT_ROOM}${parsed.data.alertId}`);
    return { ok: true };
  }

  /** Pushes the counters of every alert watched on this process that changed since the last push. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.recheckSessions();
      const watched = [...this.nsp.adapter.rooms.keys()].filter((r) => r.startsWith(ALERT_ROOM));
      for (const key of this.lastSent.keys()) if (!watched.includes(key)) this.lastSent.delete(key);
      if (watched.length === 0) return;
      for (const counters of await this.counters.counters(watched.map((r) => r.slice(ALERT_ROOM.length)))) {
        const room = `${ALERT_ROOM}${counters.alertId}`;
        const view = liveView(counters);
        const json = JSON.stringify(view);
        if (this.lastSent.get(room) === json) continue;
        this.lastSent.set(room, json);
        this.nsp.local.to(room).emit('counters', view);
      }
    } catch (err) {
      this.logger.warn({ err }, 'live view tick failed; next tick tries again');
    } finally {
      this.ticking = false;
    }
  }

  private async recheckSessions(): Promise<void> {
    if (Date.now() - this.lastRecheck < RECHECK_MS) return;
    this.lastRecheck = Date.now();
    for (const socket of this.nsp.sockets.values() as IterableIterator<OperatorSocket>) {
      await this.auth.authenticate(socket.data.token).catch(() => socket.disconnect(true));
    }
  }
}

function refuse(code: string, message: string): Reply {
  return { ok: false, error: { code, message, details: null } };
}
