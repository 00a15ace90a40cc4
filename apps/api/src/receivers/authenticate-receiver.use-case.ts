import { Inject, Injectable } from '@nestjs/common';
import { handshakeAuthSchema, ReceiverErrorCode } from '@bousai/channels';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { EndpointStatus, verifyDeviceSecret } from '@bousai/domain';
import { ReceiverRepository } from '@bousai/persistence';
import { ReceiverProtocolError } from './receiver-protocol.error';
import { VerifiedSecretCache } from './verified-secret.cache';

/** Who is on the other end of a receiver socket, and which rooms it belongs in. */
export interface ReceiverSession {
  endpointId: string;
  serial: string;
  municipalityId: string;
  householdId: string | null;
  areaId: string | null;
}

/**
 * Checks a receiver's handshake: websocket transport, `auth: { serial, secret }`, the secret against the stored
 * argon2id hash (or a recent verdict on the same pair), and that the receiver is still active. An unknown serial and
 * a wrong secret fail alike, so the answer does not tell which serials exist.
 */
@Injectable()
export class AuthenticateReceiverUseCase {
  private readonly verdicts: VerifiedSecretCache;

  constructor(
    private readonly receivers: ReceiverRepository,
    @Inject(APP_CONFIG) config: ApiConfig,
  ) {
    this.verdicts = new VerifiedSecretCache(config.RECEIVER_AUTH_CACHE_SECONDS * 1_000);
  }

  async execute(input: { auth: unknown; transport: string }): Promise<ReceiverSession> {
    if (input.transport !== 'websocket') {
      throw new ReceiverProtocolError(
        ReceiverErrorCode.WebsocketRequired,
        'Receivers connect with the websocket transport only (socket.io option transports: ["websocket"])',
      );
    }
    const parsed = handshakeAuthSchema.safeParse(input.auth);
    if (!parsed.success) {
      throw new ReceiverProtocolError(
        ReceiverErrorCode.AuthRequired,
        'Send auth: { serial, secret } in the handshake (serial: 4–40 letters, digits or "-")',
      );
    }
    const { serial, secret } = parsed.data;
    const receiver = await this.receivers.findBySerial(serial);
    if (!receiver) throw invalidCredentials();

    let ok = this.verdicts.lookup(serial, receiver.secretHash, secret);
    if (ok === undefined) {
      ok = await verifyDeviceSecret(receiver.secretHash, secret);
      this.verdicts.remember(serial, receiver.secretHash, secret, ok);
    }
    if (!ok) throw invalidCredentials();
    if (receiver.status !== EndpointStatus.Active) {
      throw new ReceiverProtocolError(
        ReceiverErrorCode.ReceiverDisabled,
        'This receiver is disabled; ask the municipality to re-enable it',
      );
    }
    return {
      endpointId: receiver.endpointId,
      serial,
      municipalityId: receiver.municipalityId,
      householdId: receiver.householdId,
      areaId: receiver.areaId,
    };
  }
}

function invalidCredentials(): ReceiverProtocolError {
  return new ReceiverProtocolError(ReceiverErrorCode.InvalidCredentials, 'Unknown serial or wrong secret');
}
