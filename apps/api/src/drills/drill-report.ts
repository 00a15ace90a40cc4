import {
  CONFIRMATION_MILESTONES,
  DRILL_REPORT_GROUPS,
  type DrillReportGroup,
  drillTarget,
  escalationSummary,
} from '@bousai/domain';
import type { DrillDistrictStats, DrillGroupStats, DrillNonResponder } from '@bousai/persistence';

export interface CurvePoint {
  /** Share of the asked: 0.25, 0.5, 0.75, 0.9, 1. */
  share: number;
  /** Minutes from launch until that share had answered; null when it was not reached. */
  minutes: number | null;
}

export interface GroupResult {
  group: DrillReportGroup;
  asked: number;
  answered: number;
  /** answered / asked; null when nobody of the group was asked. */
  rate: number | null;
  target: number | null;
  met: boolean | null;
  statuses: Record<string, number>;
  curve: CurvePoint[];
}

export interface DistrictResult {
  areaId: string | null;
  areaCode: string | null;
  areaName: string | null;
  asked: number;
  answered: number;
  rate: number | null;
  groups: Omit<GroupResult, 'statuses' | 'curve'>[];
}

export interface NonResponder extends DrillNonResponder {
  /** How the escalation ladder ended for them (see `escalationSummary`). */
  escalationOutcome: string;
}

export interface ComparedDrill {
  alertId: string;
  title: string | null;
  launchedAt: Date;
  groups: GroupResult[];
}

export interface DrillReport {
  drill: { alertId: string; title: string | null; status: string; launchedAt: Date | null };
  generatedAt: Date;
  groups: GroupResult[];
  districts: DistrictResult[];
  /** `{ [channel]: { [status]: n } }` from the live counters. */
  deliveries: Record<string, Record<string, number>>;
  nonResponders: NonResponder[];
  /** The municipality's earlier drills, newest first, with the same per-group figures. */
  comparison: ComparedDrill[];
}

const rate = (answered: number, asked: number) => (asked === 0 ? null : answered / asked);

function judged(group: DrillReportGroup, asked: number, answered: number, settings: Record<string, unknown>) {
  const r = rate(answered, asked);
  const target = drillTarget(group, settings);
  return { rate: r, target, met: target === null || r === null ? null : r >= target };
}

/** Every report group in a fixed order (absent groups as zero), with rates, targets and the curve. */
export function groupResults(
  rows: readonly DrillGroupStats[],
  settings: Record<string, unknown>,
): GroupResult[] {
  return DRILL_REPORT_GROUPS.map((group) => {
    const row = rows.find((r) => r.group === group);
    const asked = row?.asked ?? 0;
    const answered = row?.answered ?? 0;
    return {
      group,
      asked,
      answered,
      ...judged(group, asked, answered, settings),
      statuses: row?.statuses ?? {},
      curve: CONFIRMATION_MILESTONES.map((share) => ({ share, minutes: minutesAt(row, share) })),
    };
  });
}

function minutesAt(row: DrillGroupStats | undefined, share: number): number | null {
  if (!row) return null;
  const hit = Object.entries(row.curve).find(([p]) => Number(p) === share);
  return hit ? hit[1] : null;
}

export function districtResults(
  rows: readonly DrillDistrictStats[],
  settings: Record<string, unknown>,
): DistrictResult[] {
  const out: DistrictResult[] = [];
  for (const row of rows) {
    if (row.group === 'all') {
      out.push({
        areaId: row.areaId,
        areaCode: row.areaCode,
        areaName: row.areaName,
        asked: row.asked,
        answered: row.answered,
        rate: rate(row.answered, row.asked),
        groups: [],
      });
      continue;
    }
    const district = out.find((d) => d.areaId === row.areaId);
    const group = row.group as DrillReportGroup;
    district?.groups.push({
      group,
      asked: row.asked,
      answered: row.answered,
      ...judged(group, row.asked, row.answered, settings),
    });
  }
  return out;
}

export function nonResponders(rows: readonly DrillNonResponder[]): NonResponder[] {
  return rows.map((r) => ({ ...r, escalationOutcome: escalationSummary(r.escalation) }));
}
