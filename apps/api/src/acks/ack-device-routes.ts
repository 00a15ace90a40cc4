import type { IncomingMessage } from 'node:http';
import { residentCaller } from '../auth/access.guard';
import type { ResidentPrincipals } from '../auth/resident-principals';
import type { DeviceRoute } from '../web/device-fast-path';
import { residentAcksAnswer, signedAckAnswer } from './acks.controller';
import { type AcksDto, isPlainAcks, isPlainSignedAck, type SignedAckDto } from './acks.dto';
import type { RecordAcksUseCase } from './record-acks.use-case';

/** A signed ack is ≈ 250 bytes; 500 acks of a resident ≈ 40 KB. */
const SIGNED_ACK_MAX_BYTES = 4_096;
const RESIDENT_ACKS_MAX_BYTES = 65_536;

/**
 * `POST /v1/acks/signed` and `POST /v1/acks` as served before express (`DeviceFastPath`): the same credential
 * check as the guard's, the same use case, the same answer as `AcksController`. The services are looked up on
 * the first request (`services`), after the app is built.
 */
export function ackDeviceRoutes(
  services: () => { acks: RecordAcksUseCase; residents: ResidentPrincipals },
): [DeviceRoute<SignedAckDto>, DeviceRoute<AcksDto>] {
  return [
    {
      path: '/v1/acks/signed',
      maxBytes: SIGNED_ACK_MAX_BYTES,
      accepts: isPlainSignedAck,
      serve: (_req: IncomingMessage, body: SignedAckDto) => signedAckAnswer(services().acks, body),
    },
    {
      path: '/v1/acks',
      maxBytes: RESIDENT_ACKS_MAX_BYTES,
      accepts: isPlainAcks,
      async serve(req: IncomingMessage, body: AcksDto) {
        const { acks, residents } = services();
        const me = await residentCaller(residents, req);
        return residentAcksAnswer(await acks.byResident(me.residentId, body.acks));
      },
    },
  ];
}
