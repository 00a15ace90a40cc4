import { residentCaller } from '../auth/access.guard';
import type { ResidentPrincipals } from '../auth/resident-principals';
import type { DeviceRoute } from '../web/device-fast-path';
import type { SafetyAnswersUseCase } from './safety-answers.use-case';
import { residentSafetyAnswer } from './safety.controllers';
import { isPlainSafetyAnswer, type ResidentSafetyAnswerDto } from './safety.dto';

/** An answer with a 500-character note and a location is ≈ 1.7 KB (3 bytes a character). */
const SAFETY_ANSWER_MAX_BYTES = 4_096;

/**
 * A UUID of versions 1–8 with the RFC variant, which `ParseUUIDPipe` accepts (it also takes the nil and max UUIDs:
 * those, and everything else, go to express and the pipe).
 */
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}';

/**
 * `POST /v1/resident/safety/{alertId}` as served before express (`DeviceFastPath`): the same credential check as
 * the guard's, the same use case and answer as `ResidentSafetyController.answer`, the answer's audit row written
 * with it. The services are looked up on the first request, after the app is built.
 */
export function safetyDeviceRoute(
  services: () => { answers: SafetyAnswersUseCase; residents: ResidentPrincipals },
): DeviceRoute<ResidentSafetyAnswerDto> {
  return {
    path: '/v1/resident/safety/:alertId',
    params: new RegExp(`^/v1/resident/safety/(${UUID})$`),
    status: 201,
    maxBytes: SAFETY_ANSWER_MAX_BYTES,
    accepts: isPlainSafetyAnswer,
    async serve(req, body, [alertId]) {
      const { answers, residents } = services();
      const me = await residentCaller(residents, req);
      return residentSafetyAnswer(answers, me, alertId, body, req);
    },
  };
}
