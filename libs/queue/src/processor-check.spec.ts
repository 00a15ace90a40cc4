import { z } from 'zod';
import { defineJob } from './job-contract';
import { assertEveryContractHasProcessor, MissingProcessorError } from './processor-check';
import { QueueName } from './queue-name';

const job = (name: string, queue: QueueName) =>
  defineJob({
    name,
    queue,
    version: 1,
    schema: z.object({ id: z.string() }),
    options: {},
    jobId: (p) => `j-${p.id}`,
  });

const PlanAlert = job('alert.plan', QueueName.AlertPlan);
const SendFcm = job('delivery.send-batch', QueueName.DeliveryFcm);
const SendEmail = job('delivery.send-batch', QueueName.DeliveryEmail);

describe(assertEveryContractHasProcessor.name, () => {
  it('passes when every contract has a processor', () => {
    expect(() =>
      assertEveryContractHasProcessor(
        [PlanAlert, SendFcm],
        [SendFcm, { queue: QueueName.AlertPlan, name: 'alert.plan' }],
      ),
    ).not.toThrow();
  });

  it('lists every contract without a processor, telling queues apart', () => {
    const run = () => assertEveryContractHasProcessor([PlanAlert, SendFcm, SendEmail], [SendFcm]);
    expect(run).toThrow(MissingProcessorError);
    expect(run).toThrow(
      'no processor for job contract(s): alert-plan/alert.plan, delivery-email/delivery.send-batch',
    );
  });

  it('refuses a contract defined twice', () => {
    expect(() =>
      assertEveryContractHasProcessor(
        [SendFcm, job('delivery.send-batch', QueueName.DeliveryFcm)],
        [SendFcm],
      ),
    ).toThrow(/defined twice/);
  });
});
