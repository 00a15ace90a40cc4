import type { Channel } from '@bousai/domain';

/*
 * Whole rows for bulk writes of a roster (a seed, a migration from another system). They carry client-side uuids,
 * so rows can reference each other before anything is written.
 */

/** A municipality's identity and its JMA codes per system (docs/feeds.md §2); the code is its key. */
export interface MunicipalityIdentity {
  code: string;
  name: string;
  nameKana: string | null;
  jmaCityCodes: string[];
  jmaQuakeAreaCodes: string[];
  jmaTsunamiAreaCodes: string[];
  jmaEewAreaCodes: string[];
}

/** A district (地区); its code is its key within the municipality. */
export interface AreaIdentity {
  code: string;
  name: string;
  nameKana: string | null;
  jmaCityCode: string | null;
  jmaQuakeAreaCode: string | null;
  jmaTsunamiAreaCode: string | null;
  jmaEewAreaCode: string | null;
}

export interface NewHousehold {
  id: string;
  externalId: string;
  areaId: string | null;
  address: string;
  postalCode: string | null;
  phone: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface NewResident {
  id: string;
  externalId: string;
  householdId: string;
  name: string;
  nameKana: string | null;
  language: string;
  needsAssistance: boolean;
  staff: boolean;
  consentScopes: string[];
  consentAt: Date | null;
  phone: string | null;
}

export interface NewSupporter {
  id: string;
  residentId: string;
  supporterResidentId: string | null;
  name: string;
  relation: string;
  phone: string | null;
  email: string | null;
  priority: number;
}

export interface NewEndpoint {
  id: string;
  residentId: string | null;
  householdId: string | null;
  channel: Channel;
  address: string;
  subscription: Record<string, unknown> | null;
  secretHash: string | null;
  lastSeenAt: Date | null;
  confirmedAt: Date | null;
  batteryPercent: number | null;
  signalDbm: number | null;
  firmware: string | null;
  label: string | null;
}

/** Rows of a municipality's roster, per table. */
export interface RosterCounts {
  households: number;
  residents: number;
  supporters: number;
  endpoints: number;
}
