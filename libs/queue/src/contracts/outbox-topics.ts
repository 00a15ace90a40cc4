import type { JobContract } from '../job-contract';
import { CancelAlertJob, PlanAlertJob } from './fanout.contracts';
import { ConfirmEmailJob } from './resident.contracts';

/** The contract an outbox row's `topic` names; the outbox relay refuses topics not listed here. */
export const OUTBOX_TOPICS: Readonly<Record<string, JobContract>> = Object.freeze({
  [PlanAlertJob.name]: PlanAlertJob,
  [CancelAlertJob.name]: CancelAlertJob,
  [ConfirmEmailJob.name]: ConfirmEmailJob,
});
