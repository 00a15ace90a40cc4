import { Injectable } from '@nestjs/common';
import { type AreaCoverage, CoverageRepository, type UncoveredHousehold } from '@bousai/persistence';

export interface CoverageSummary {
  days: number;
  households: number;
  covered: number;
  rate: number;
  /** Active visitor subscriptions, apart from the households (never in `covered` or `rate`). */
  visitorSubscriptions: number;
  areas: (AreaCoverage & { rate: number; visitorSubscriptions: number })[];
}

const rate = (covered: number, households: number) =>
  households === 0 ? 1 : Math.round((covered / households) * 10_000) / 10_000;

const since = (days: number) => new Date(Date.now() - days * 86_400_000);

/**
 * The plan's first target: every household reached by a working means. A household counts as covered when one of
 * its endpoints proved delivery within the window (a device ack, a played report, a read, a receiver heartbeat);
 * the rest are listed for follow-up, households with 要援護者 marked.
 */
@Injectable()
export class CoverageReportUseCase {
  constructor(private readonly coverage: CoverageRepository) {}

  async summary(municipalityId: string, days: number): Promise<CoverageSummary> {
    const [areas, visitors] = await Promise.all([
      this.coverage.byArea(municipalityId, since(days)),
      this.coverage.visitors(municipalityId),
    ]);
    const visitorsIn = new Map(visitors.byArea.map((v) => [v.areaId, v.visitors]));
    const households = areas.reduce((s, a) => s + a.households, 0);
    const covered = areas.reduce((s, a) => s + a.covered, 0);
    return {
      days,
      households,
      covered,
      rate: rate(covered, households),
      visitorSubscriptions: visitors.total,
      areas: areas.map((a) => ({
        ...a,
        rate: rate(a.covered, a.households),
        visitorSubscriptions: a.areaId === null ? 0 : (visitorsIn.get(a.areaId) ?? 0),
      })),
    };
  }

  /** A page of uncovered households, keyset on the household id; `nextCursor` null on the last page. */
  async uncovered(
    municipalityId: string,
    days: number,
    page: { cursor?: string; limit: number; areaId?: string; needsAssistance?: boolean },
  ): Promise<{ items: UncoveredHousehold[]; nextCursor: string | null }> {
    const items = await this.coverage.uncovered(municipalityId, since(days), {
      after: page.cursor,
      limit: page.limit,
      areaId: page.areaId,
      needsAssistance: page.needsAssistance,
    });
    return { items, nextCursor: items.length === page.limit ? items[items.length - 1].householdId : null };
  }
}
