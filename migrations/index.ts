import type { MigrationInterface } from 'typeorm';
import { InitialSchema1795540564914 } from './1795540564914-initial-schema';
import { ForeignKeyIndexes1795541480016 } from './1795541480016-foreign-key-indexes';
import { ResidentChannelOrder1795550301967 } from './1795550301967-resident-channel-order';
import { Publications1795550764069 } from './1795550764069-publications';
import { FeedDocumentEntries1795551042026 } from './1795551042026-feed-document-entries';
import { DeliveryDeviceReadAt1795551075641 } from './1795551075641-delivery-device-read-at';
import { FeedDocumentBodyEncoding1795551152209 } from './1795551152209-feed-document-body-encoding';
import { DeliveryCounters1795551772423 } from './1795551772423-delivery-counters';
import { FeedRules1795551809653 } from './1795551809653-feed-rules';
import { DeliveryHotUpdates1795553518747 } from './1795553518747-delivery-hot-updates';
import { SafetyRequestEscalationRung1795553573537 } from './1795553573537-safety-request-escalation-rung';
import { DrillSchedule1795553791185 } from './1795553791185-drill-schedule';
import { SafetyCounters1795554447554 } from './1795554447554-safety-counters';
import { DeliveryStatementReferences1795560000000 } from './1795560000000-delivery-statement-references';
import { TimeOrderedIds1795570000000 } from './1795570000000-time-ordered-ids';
import { DeliveryRoomForHotUpdates1795571000000 } from './1795571000000-delivery-room-for-hot-updates';
import { OutboxNotify1795572000000 } from './1795572000000-outbox-notify';
import { FeedDocumentMunicipality1795579000000 } from './1795579000000-feed-document-municipality';
import { FanoutLeases1795580000000 } from './1795580000000-fanout-leases';
import { DeliveryWaiting1795581000000 } from './1795581000000-delivery-waiting';
import { DeliveryUndeliverable1795582000000 } from './1795582000000-delivery-undeliverable';
import { AlertRelations1795583000000 } from './1795583000000-alert-relations';
import { OutboxLease1795584000000 } from './1795584000000-outbox-lease';
import { Shelters1795585000000 } from './1795585000000-shelters';
import { SafetyResponseShelterChannel1795586000000 } from './1795586000000-safety-response-shelter-channel';
import { EvacuationOrders1795587000000 } from './1795587000000-evacuation-orders';
import { AlertEvacuationMessage1795588000000 } from './1795588000000-alert-evacuation-message';
import { EvacuationProposals1795588100000 } from './1795588100000-evacuation-proposals';
import { EvacuationHandoffs1795589500000 } from './1795589500000-evacuation-handoffs';
import { VisitorSubscriptions1795591000000 } from './1795591000000-visitor-subscriptions';
import { HouseholdSafetySettings1795592000000 } from './1795592000000-household-safety-settings';
import { DeliveryPartitions1795593000000 } from './1795593000000-delivery-partitions';

/** Every migration, oldest first. `npm run db:migration:generate -- NAME` writes a new file; add it here. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  InitialSchema1795540564914,
  ForeignKeyIndexes1795541480016,
  ResidentChannelOrder1795550301967,
  Publications1795550764069,
  FeedDocumentEntries1795551042026,
  DeliveryDeviceReadAt1795551075641,
  FeedDocumentBodyEncoding1795551152209,
  DeliveryCounters1795551772423,
  FeedRules1795551809653,
  DeliveryHotUpdates1795553518747,
  SafetyRequestEscalationRung1795553573537,
  DrillSchedule1795553791185,
  SafetyCounters1795554447554,
  DeliveryStatementReferences1795560000000,
  TimeOrderedIds1795570000000,
  DeliveryRoomForHotUpdates1795571000000,
  OutboxNotify1795572000000,
  FeedDocumentMunicipality1795579000000,
  FanoutLeases1795580000000,
  DeliveryWaiting1795581000000,
  DeliveryUndeliverable1795582000000,
  AlertRelations1795583000000,
  OutboxLease1795584000000,
  Shelters1795585000000,
  SafetyResponseShelterChannel1795586000000,
  EvacuationOrders1795587000000,
  AlertEvacuationMessage1795588000000,
  EvacuationProposals1795588100000,
  EvacuationHandoffs1795589500000,
  VisitorSubscriptions1795591000000,
  HouseholdSafetySettings1795592000000,
  DeliveryPartitions1795593000000,
];
