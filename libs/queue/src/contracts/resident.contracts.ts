import { z } from 'zod';
import { defineJob } from '../job-contract';
import { QueueName } from '../queue-name';

/** Keep finished jobs for a day: their ids stay taken, so a replayed enqueue of the same id is a no-op. */
const RETAIN = { removeOnComplete: { age: 86_400, count: 50_000 }, removeOnFail: { age: 7 * 86_400 } };

/**
 * Mail the one-tap confirmation link of a resident's email endpoint (`confirm-email-<requestId>`). The api writes
 * it to the outbox with the registration that stores the endpoint; a fanout with an SMTP sender loads the endpoint,
 * signs the link with ONE_TAP_SECRET and mails it. The payload names no address and carries no token: the
 * endpoint row holds the address, and a registration that asks again gets a new `requestId`, so a new mail.
 */
export const ConfirmEmailJob = defineJob({
  name: 'email.confirm',
  queue: QueueName.EmailConfirm,
  version: 1,
  schema: z.object({
    requestId: z.uuid(),
    endpointId: z.uuid(),
    municipalityId: z.uuid(),
    residentId: z.uuid(),
    /** The language of the mail (the resident's). */
    language: z.string().min(1).max(16),
    /** The api's public origin the link points at (`<baseUrl>/v1/resident/email/confirm?token=…`). */
    baseUrl: z.url({ protocol: /^https?$/ }),
  }),
  // an SMTP server that is away or answers 4xx is tried again: ≈ 5 s, 10 s … about 10 minutes in all
  options: { attempts: 8, backoff: { type: 'exponential', delay: 5_000 }, ...RETAIN },
  jobId: ({ requestId }) => `confirm-email-${requestId}`,
});
