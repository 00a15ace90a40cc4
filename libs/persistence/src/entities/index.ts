import { AlertEntity } from './alert.entity';
import { AreaEntity } from './area.entity';
import { AuditLogEntity } from './audit-log.entity';
import { DeliveryCounterEntity } from './delivery-counter.entity';
import { DeliveryEntity } from './delivery.entity';
import { EndpointEntity } from './endpoint.entity';
import { EnrolmentCodeEntity } from './enrolment-code.entity';
import { EscalationTaskEntity } from './escalation-task.entity';
import { EventEntity } from './event.entity';
import { FanoutInstanceEntity } from './fanout-instance.entity';
import { FeedDocumentEntity } from './feed-document.entity';
import { HouseholdEntity } from './household.entity';
import { MunicipalityEntity } from './municipality.entity';
import { OperatorSessionEntity } from './operator-session.entity';
import { OperatorEntity } from './operator.entity';
import { OutboxEntity } from './outbox.entity';
import { PublicationEntity } from './publication.entity';
import { ResidentCredentialEntity } from './resident-credential.entity';
import { ResidentEntity } from './resident.entity';
import { SafetyCounterEntity } from './safety-counter.entity';
import { SafetyRequestEntity } from './safety-request.entity';
import { SafetyResponseEntity } from './safety-response.entity';
import { SupporterEntity } from './supporter.entity';
import { FeedEventAlertEntity } from '../feed-rules/feed-event-alert.entity';
import { FeedRuleEntity, FeedRuleSetEntity } from '../feed-rules/feed-rule.entity';
import { DrillScheduleEntity } from '../drills/drill-schedule.entity';
import { ShelterAreaEntity, ShelterEntity } from '../shelters/shelter.entity';
import { ShelterCheckinEntity } from '../shelters/shelter-checkin.entity';

export {
  FeedEventAlertEntity,
  FeedRuleEntity,
  FeedRuleSetEntity,
  AlertEntity,
  AreaEntity,
  AuditLogEntity,
  DeliveryCounterEntity,
  DeliveryEntity,
  EndpointEntity,
  EnrolmentCodeEntity,
  EscalationTaskEntity,
  EventEntity,
  FanoutInstanceEntity,
  FeedDocumentEntity,
  HouseholdEntity,
  MunicipalityEntity,
  OperatorEntity,
  OperatorSessionEntity,
  OutboxEntity,
  PublicationEntity,
  ResidentCredentialEntity,
  ResidentEntity,
  SafetyCounterEntity,
  SafetyRequestEntity,
  SafetyResponseEntity,
  SupporterEntity,
};

export const ENTITIES = [
  MunicipalityEntity,
  AreaEntity,
  HouseholdEntity,
  ResidentEntity,
  SupporterEntity,
  EndpointEntity,
  FeedDocumentEntity,
  EventEntity,
  AlertEntity,
  DeliveryEntity,
  DeliveryCounterEntity,
  SafetyRequestEntity,
  SafetyCounterEntity,
  SafetyResponseEntity,
  EscalationTaskEntity,
  OperatorEntity,
  OperatorSessionEntity,
  ResidentCredentialEntity,
  EnrolmentCodeEntity,
  AuditLogEntity,
  OutboxEntity,
  FanoutInstanceEntity,
  PublicationEntity,
  FeedRuleSetEntity,
  FeedRuleEntity,
  FeedEventAlertEntity,
  DrillScheduleEntity,
  ShelterEntity,
  ShelterAreaEntity,
  ShelterCheckinEntity,
];
