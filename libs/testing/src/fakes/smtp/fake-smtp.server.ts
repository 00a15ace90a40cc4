import type { AddressInfo } from 'node:net';
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerDataStream,
  type SMTPServerSession,
} from 'smtp-server';
import { FAKE_TLS_CERT, FAKE_TLS_KEY } from '../push-service/fake-tls';
import { parseMime, type ParsedMail } from './mime-message';

/** How the fake answers one recipient address. */
export type FakeSmtpBehaviour =
  | { kind: 'ok' }
  /** A permanent refusal at RCPT TO, e.g. 550 5.1.1 (no such mailbox) or 550 5.7.1 (policy). */
  | { kind: 'reject'; code?: number; enhanced?: string; message?: string }
  /** A temporary refusal at RCPT TO (451 4.3.0 by default), for the first `times` attempts (all when absent). */
  | { kind: 'defer'; code?: number; enhanced?: string; times?: number }
  /** The message is refused after DATA (554 5.6.0 by default): a content refusal, not the address. */
  | { kind: 'reject-message'; code?: number; enhanced?: string };

export interface FakeSmtpOptions {
  port?: number;
  host?: string;
  /** Offer STARTTLS with the built-in self-signed certificate (default: plain text only). */
  starttls?: boolean;
  /** Implicit TLS from the first byte (port 465 style). */
  secure?: boolean;
  /** Require AUTH with one of these user → password pairs (needs TLS unless `allowInsecureAuth`). */
  users?: Record<string, string>;
  allowInsecureAuth?: boolean;
}

export interface FakeSmtpReceived extends ParsedMail {
  /** Envelope sender and the recipients accepted for this message. */
  from: string;
  to: string[];
  raw: string;
  /** Whether the session was encrypted, and which user logged in. */
  secure: boolean;
  user?: string;
  receivedAt: number;
}

export interface FakeSmtpStats {
  connections: number;
  /** Messages accepted (250 after DATA). */
  accepted: number;
  /** RCPT TO refusals by reply code. */
  rcptRefusals: Record<string, number>;
  /** (recipient, X-Bousai-Alert-Id) pairs accepted more than once. */
  duplicates: number;
}

class SmtpReply extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

/**
 * A real SMTP server (nodemailer's smtp-server) standing in for the municipality's relay: accepts mail, answers
 * the configured refusals per recipient, and keeps every message with its text and HTML parts decoded.
 */
export class FakeSmtpServer {
  readonly received: FakeSmtpReceived[] = [];
  private readonly behaviours = new Map<string, FakeSmtpBehaviour>();
  private readonly attempts = new Map<string, number>();
  private readonly acceptedPerKey = new Map<string, number>();
  private readonly server: SMTPServer;
  private counters = FakeSmtpServer.zeroCounters();
  private boundPort = 0;

  constructor(private readonly options: FakeSmtpOptions = {}) {
    const tls = options.starttls || options.secure;
    this.server = new SMTPServer({
      secure: options.secure ?? false,
      ...(tls ? { key: FAKE_TLS_KEY, cert: FAKE_TLS_CERT } : {}),
      disabledCommands: [...(tls ? [] : ['STARTTLS']), ...(options.users ? [] : ['AUTH'])],
      authOptional: !options.users,
      allowInsecureAuth: options.allowInsecureAuth ?? false,
      logger: false,
      // a test's pooled clients may still hold idle connections when it closes the fake: do not wait for them
      closeTimeout: 100,
      banner: 'bousai fake SMTP',
      size: 10 * 1024 * 1024,
      onConnect: (_session, callback) => {
        this.counters.connections++;
        callback();
      },
      onAuth: (auth, _session, callback) => {
        const users = options.users ?? {};
        if (auth.username && users[auth.username] !== undefined && users[auth.username] === auth.password) {
          callback(null, { user: auth.username });
          return;
        }
        callback(new SmtpReply('5.7.8 Authentication credentials invalid', 535));
      },
      onRcptTo: (address, _session, callback) => callback(this.rcpt(address)),
      onData: (stream, session, callback) => this.data(stream, session, callback),
    });
  }

  static async start(options: FakeSmtpOptions = {}): Promise<FakeSmtpServer> {
    const server = new FakeSmtpServer(options);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    server.boundPort = (server.server.server.address() as AddressInfo).port;
    return server;
  }

  get port(): number {
    return this.boundPort;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  /** Answer mail to `address` this way from now on (`{ kind: 'ok' }` clears it). */
  setBehaviour(address: string, behaviour: FakeSmtpBehaviour): void {
    const key = address.toLowerCase();
    if (behaviour.kind === 'ok') this.behaviours.delete(key);
    else this.behaviours.set(key, behaviour);
    this.attempts.delete(key);
  }

  /** Messages delivered to one recipient, in arrival order. */
  receivedFor(address: string): FakeSmtpReceived[] {
    const key = address.toLowerCase();
    return this.received.filter((m) => m.to.includes(key));
  }

  stats(): FakeSmtpStats {
    let duplicates = 0;
    for (const n of this.acceptedPerKey.values()) if (n > 1) duplicates++;
    return { ...this.counters, rcptRefusals: { ...this.counters.rcptRefusals }, duplicates };
  }

  reset(): void {
    this.received.length = 0;
    this.behaviours.clear();
    this.attempts.clear();
    this.acceptedPerKey.clear();
    this.counters = FakeSmtpServer.zeroCounters();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private static zeroCounters() {
    return { connections: 0, accepted: 0, rcptRefusals: {} as Record<string, number> };
  }

  private rcpt(address: SMTPServerAddress): SmtpReply | undefined {
    const key = address.address.toLowerCase();
    const behaviour = this.behaviours.get(key);
    const n = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, n);
    let refusal: SmtpReply | undefined;
    if (behaviour?.kind === 'reject') {
      refusal = new SmtpReply(
        `${behaviour.enhanced ?? '5.1.1'} ${behaviour.message ?? 'Mailbox does not exist'}`,
        behaviour.code ?? 550,
      );
    } else if (behaviour?.kind === 'defer' && (behaviour.times === undefined || n <= behaviour.times)) {
      refusal = new SmtpReply(`${behaviour.enhanced ?? '4.3.0'} Try again later`, behaviour.code ?? 451);
    }
    if (refusal) {
      const code = String(refusal.responseCode);
      this.counters.rcptRefusals[code] = (this.counters.rcptRefusals[code] ?? 0) + 1;
    }
    return refusal;
  }

  private data(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (err?: Error | null) => void,
  ) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      const refused = to
        .map((a) => this.behaviours.get(a))
        .find(
          (b): b is Extract<FakeSmtpBehaviour, { kind: 'reject-message' }> => b?.kind === 'reject-message',
        );
      if (refused) {
        callback(
          new SmtpReply(`${refused.enhanced ?? '5.6.0'} Message content rejected`, refused.code ?? 554),
        );
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const parsed = parseMime(raw);
      const mailFrom = session.envelope.mailFrom;
      this.received.push({
        ...parsed,
        from: mailFrom ? mailFrom.address : '',
        to,
        raw,
        secure: session.secure,
        ...(typeof session.user === 'string' ? { user: session.user } : {}),
        receivedAt: Date.now(),
      });
      this.counters.accepted++;
      const alertId = parsed.headers.get('x-bousai-alert-id') ?? '';
      for (const rcpt of to) {
        const key = `${rcpt}\u0000${alertId}`;
        this.acceptedPerKey.set(key, (this.acceptedPerKey.get(key) ?? 0) + 1);
      }
      callback();
    });
  }
}
