/** Every entity, each beside its repository in its aggregate's folder; `ENTITIES` is the one list the DataSource loads. */
import { AlertEntity } from './alerts/alert.entity';
import { AreaEntity } from './roster/area.entity';
import { AuditLogEntity } from './audit/audit-log.entity';
import { DeliveryCounterEntity } from './fanout/delivery-counter.entity';
import { DeliveryEntity } from './fanout/delivery.entity';
import { EndpointEntity } from './roster/endpoint.entity';
import { EnrolmentCodeEntity } from './roster/enrolment-code.entity';
import { EscalationTaskEntity } from './safety/escalation-task.entity';
import { EventEntity } from './feeds/event.entity';
import { FanoutInstanceEntity } from './fanout/fanout-instance.entity';
import { FeedDocumentEntity } from './feeds/feed-document.entity';
import { HouseholdEntity } from './roster/household.entity';
import { MunicipalityEntity } from './roster/municipality.entity';
import { OperatorSessionEntity } from './operators/operator-session.entity';
import { OperatorEntity } from './operators/operator.entity';
import { OutboxEntity } from './fanout/outbox.entity';
import { PublicationEntity } from './fanout/publication.entity';
import { ResidentCredentialEntity } from './roster/resident-credential.entity';
import { ResidentEntity } from './roster/resident.entity';
import { SafetyCounterEntity } from './safety/safety-counter.entity';
import { SafetyRequestEntity } from './safety/safety-request.entity';
import { SafetyResponseEntity } from './safety/safety-response.entity';
import { SupporterEntity } from './roster/supporter.entity';
import { FeedEventAlertEntity } from './feed-rules/feed-event-alert.entity';
import { FeedRuleEntity, FeedRuleSetEntity } from './feed-rules/feed-rule.entity';
import { DrillScheduleEntity } from './drills/drill-schedule.entity';
import { ShelterAreaEntity, ShelterEntity } from './shelters/shelter.entity';
import { ShelterCheckinEntity } from './shelters/shelter-checkin.entity';
import {
  EvacuationOrderDistrictEntity,
  EvacuationOrderEntity,
  EvacuationOrderHistoryEntity,
} from './evacuation/evacuation-order.entity';
import { EvacuationProposalEntity } from './evacuation/evacuation-proposal.entity';
import { EvacuationHandoffEntity } from './evacuation/evacuation-handoff.entity';
import { VisitorSubscriptionEntity } from './visitors/visitor-subscription.entity';

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
  EvacuationOrderEntity,
  EvacuationOrderDistrictEntity,
  EvacuationOrderHistoryEntity,
  EvacuationProposalEntity,
  EvacuationHandoffEntity,
  VisitorSubscriptionEntity,
];
