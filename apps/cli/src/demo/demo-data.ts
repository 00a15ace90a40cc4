import type { Role } from '@bousai/domain';
import type {
  AreaIdentity,
  MunicipalityIdentity,
  NewEndpoint,
  NewHousehold,
  NewResident,
  NewSupporter,
  RosterCounts,
} from '@bousai/persistence';

/** The demo municipality's identity and JMA codes (docs/feeds.md §2). */
export type DemoMunicipality = MunicipalityIdentity;

export type DemoArea = AreaIdentity;

/** A household of the synthetic roster; its district is named by code and resolved to the area's id when written. */
export type DemoHousehold = Omit<NewHousehold, 'areaId'> & { areaCode: string };

export type DemoResident = NewResident;
export type DemoSupporter = NewSupporter;
export type DemoEndpoint = NewEndpoint;

/** The synthetic resident register of the demo municipality. */
export interface DemoRoster {
  households: DemoHousehold[];
  residents: DemoResident[];
  supporters: DemoSupporter[];
  endpoints: DemoEndpoint[];
}

export interface DemoOperator {
  email: string;
  displayName: string;
  role: Role;
}

export type DemoRosterCounts = RosterCounts;

export interface DemoSeedResult {
  municipalityId: string;
  municipalityCreated: boolean;
  areas: number;
  /** The previous roster of the municipality, deleted before the new one was written. */
  removed: DemoRosterCounts;
  inserted: DemoRosterCounts;
  operators: {
    created: string[];
    /** Existing demo operators whose password was reset. */
    reset: string[];
    /** Existing demo operators left as they were. */
    kept: string[];
    /** Emails already used by an operator of another municipality: left alone. */
    taken: string[];
  };
}
