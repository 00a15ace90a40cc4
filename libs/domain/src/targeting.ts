import { ValidationError } from './errors';

/** The groups an alert may narrow its audience to: 要援護者 and staff. */
export const TARGET_GROUPS = ['needs_assistance', 'staff'] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];

/**
 * Who an alert goes to, as every caller (api, ingest, fanout, persistence) holds it. Places (areas, JMA codes,
 * households) add up; groups narrow whatever the places selected, or the whole municipality when no place is
 * named; `all` lifts the place restriction. A targeting that names nobody is refused by {@link parseTargeting}.
 */
export interface Targeting {
  all?: boolean;
  areaIds?: string[];
  /** Any JMA code system: 市町村等 (7 digits), 地震/EEW 細分区域, 津波予報区. */
  jmaCodes?: string[];
  groups?: TargetGroup[];
  householdIds?: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEYS: ReadonlySet<string> = new Set(['all', 'areaIds', 'jmaCodes', 'groups', 'householdIds']);

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

function isTargetGroup(value: string): value is TargetGroup {
  return (TARGET_GROUPS as readonly string[]).includes(value);
}

/** The distinct strings of `value` that `keep` accepts; anything that is not a list is empty. */
function strings(value: unknown, keep: (s: string) => boolean): string[] {
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((v): v is string => typeof v === 'string' && keep(v)))];
}

/** What each list of a targeting may hold. */
const VALID: Readonly<Record<'areaIds' | 'jmaCodes' | 'groups' | 'householdIds', (s: string) => boolean>> = {
  areaIds: (s) => UUID.test(s),
  jmaCodes: (s) => s.trim().length > 0,
  groups: isTargetGroup,
  householdIds: (s) => UUID.test(s),
};
const LISTS = Object.keys(VALID) as (keyof typeof VALID)[];

function normalised(raw: Record<string, unknown>): Targeting {
  const out: Targeting = {};
  if (raw.all === true) out.all = true;
  for (const key of LISTS) {
    const list = strings(raw[key], VALID[key]);
    if (list.length > 0) (out as Record<typeof key, string[]>)[key] = list;
  }
  return out;
}

/** Whether a targeting selects anyone at all. */
export function selectsSomeone(t: Targeting): boolean {
  return (
    t.all === true ||
    [t.areaIds, t.jmaCodes, t.groups, t.householdIds].some((list) => list !== undefined && list.length > 0)
  );
}

/**
 * The targeting a caller asked for, checked: an object of the known keys only, lists of the right kind of value
 * (uuids, non-blank codes, known groups), naming someone. Throws a {@link ValidationError} naming the problem.
 */
export function parseTargeting(raw: unknown): Targeting {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ValidationError('Targeting must be an object');
  }
  const record = raw as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !KEYS.has(k));
  if (unknown.length > 0) throw new ValidationError('Unknown targeting keys', { keys: unknown });
  if (record.all !== undefined && typeof record.all !== 'boolean') {
    throw new ValidationError('targeting.all must be a boolean');
  }
  for (const key of LISTS) {
    const given = record[key];
    if (given === undefined) continue;
    if (!Array.isArray(given)) throw new ValidationError(`targeting.${key} must be a list`);
    const invalid = given.filter((v) => typeof v !== 'string' || !VALID[key](v));
    if (invalid.length > 0) {
      throw new ValidationError(`targeting.${key} holds values that are not valid`, { key });
    }
  }
  const t = normalised(record);
  if (!selectsSomeone(t)) {
    throw new ValidationError(
      'Targeting selects nobody: set all=true or name areas, JMA codes, groups or households',
    );
  }
  return t;
}

/** Throws a {@link ValidationError} unless `t` is a targeting that selects someone. */
export function validateTargeting(t: Targeting): void {
  parseTargeting(t);
}

/**
 * A targeting as stored (a JSON column written by an older version, a test or a hand edit): the same shape with
 * whatever is not valid dropped, never guessed. Reading never throws; a stored targeting that names nobody
 * selects nobody.
 */
export function storedTargeting(raw: unknown): Targeting {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  return normalised(raw as Record<string, unknown>);
}
