/**
 * Every BullMQ queue, by its stable wire name. Renaming a value strands the jobs waiting under the old name:
 * add a new queue and drain the old one instead.
 */
export enum QueueName {
  AlertPlan = 'alert-plan',
  /** Cancellations get their own queue: a long plan must never delay stopping an alert. */
  AlertCancel = 'alert-cancel',
  /** Public posts of an alert (LINE broadcast, X): one job per alert and target. */
  AlertPublish = 'alert-publish',
  DeliveryFcm = 'delivery-fcm',
  DeliveryReceiver = 'delivery-receiver',
  DeliveryWebpush = 'delivery-webpush',
  DeliveryEmail = 'delivery-email',
  DeliveryLine = 'delivery-line',
  /** Address-confirmation mails to residents' new email endpoints (one job per registration). */
  EmailConfirm = 'email-confirm',
  Escalation = 'escalation',
  OutboxRelay = 'outbox-relay',
}
