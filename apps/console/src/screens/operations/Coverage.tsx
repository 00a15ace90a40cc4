import { useInfiniteQuery, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type Schemas, unwrap } from '../../../../../libs/web-client/src';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { session } from '../../session';

type Area = Schemas['AreaCoverageDto'];
type Household = Schemas['UncoveredHouseholdDto'];
const DAYS = [7, 30, 90, 365];
const PAGE = 50;

const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;

/** 到達カバー率: the KPI per district against 100 %, and the households to follow up, 要援護者 first. */
export function CoverageScreen({ municipalityId }: { municipalityId: string }) {
  const { t } = useI18n();
  const [days, setDays] = useState(30);
  return (
    <>
      <h1>{t('coverageTitle')}</h1>
      <div className="field inline-field">
        <label htmlFor="coverage-days">{t('coverageDays')}</label>
        <select id="coverage-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {DAYS.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </div>
      <p>{t('coverageIntro', { days })}</p>
      <CoverageByArea municipalityId={municipalityId} days={days} />
      <Uncovered municipalityId={municipalityId} days={days} />
    </>
  );
}

function CoverageByArea({ municipalityId, days }: { municipalityId: string; days: number }) {
  const { t } = useI18n();
  const query = useQuery({
    queryKey: ['coverage', municipalityId, days],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/coverage', {
          params: { path: { municipalityId }, query: { days } },
        }),
      ),
  });
  const areaName = (a: Area) => a.areaName ?? t('noDistrict');
  return (
    <Panel id="coverage-areas" title="coverageAreasTitle">
      <QueryState query={query} empty="coverageEmpty" isEmpty={(c) => c.households === 0}>
        {(coverage) => (
          <>
            <p id="coverage-visitors">{t('coverageVisitors', { count: coverage.visitorSubscriptions })}</p>
            <DataTable
              rows={coverage.areas}
              rowKey={(a) => a.areaId ?? 'none'}
              caption={t('coverageTotal', {
                covered: coverage.covered,
                households: coverage.households,
                rate: percent(coverage.rate),
              })}
              columns={[
                { header: 'district', rowHeader: true, cell: areaName },
                { header: 'households', numeric: true, cell: (a) => a.households },
                { header: 'covered', numeric: true, cell: (a) => a.covered },
                { header: 'visitorSubscriptions', numeric: true, cell: (a) => a.visitorSubscriptions },
                {
                  header: 'rate',
                  cell: (a) => (
                    <span className="kpi">
                      <meter
                        min={0}
                        max={1}
                        low={0.8}
                        high={0.99}
                        optimum={1}
                        value={a.rate}
                        aria-label={t('coverageBar', { area: areaName(a) })}
                      />{' '}
                      <span className="num">{percent(a.rate)}</span>
                    </span>
                  ),
                },
              ]}
            />
          </>
        )}
      </QueryState>
    </Panel>
  );
}

/** The 要援護者 households page by page, then the others: the api filters, this screen orders. */
function Uncovered({ municipalityId, days }: { municipalityId: string; days: number }) {
  const { t } = useI18n();
  const query = useInfiniteQuery({
    queryKey: ['uncovered', municipalityId, days],
    initialPageParam: { needsAssistance: true, cursor: undefined as string | undefined },
    queryFn: async ({ pageParam }) => {
      const page = await unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/coverage/uncovered', {
          params: {
            path: { municipalityId },
            query: {
              days,
              limit: PAGE,
              needsAssistance: pageParam.needsAssistance,
              cursor: pageParam.cursor,
            },
          },
        }),
      );
      return { ...page, needsAssistance: pageParam.needsAssistance };
    },
    getNextPageParam: (last) => {
      if (last.nextCursor) return { needsAssistance: last.needsAssistance, cursor: last.nextCursor };
      return last.needsAssistance ? { needsAssistance: false, cursor: undefined } : undefined;
    },
  });
  const rows: Household[] = query.data?.pages.flatMap((p) => p.items) ?? [];
  // the first page of 要援護者 may be empty: fetch on until something shows or the list ends
  const waiting = query.isSuccess && rows.length === 0 && query.hasNextPage;
  const { fetchNextPage, isFetchingNextPage } = query;
  useEffect(() => {
    if (waiting && !isFetchingNextPage) void fetchNextPage();
  }, [waiting, isFetchingNextPage, fetchNextPage]);
  const list = { ...query, data: rows, isPending: query.isPending || waiting } as unknown as UseQueryResult<
    Household[]
  >;
  return (
    <Panel id="coverage-uncovered" title="uncoveredTitle">
      <QueryState query={list} empty="uncoveredEmpty">
        {(households) => (
          <>
            <DataTable
              rows={households}
              rowKey={(h) => h.householdId}
              columns={[
                { header: 'externalId', rowHeader: true, cell: (h) => h.externalId },
                { header: 'address', cell: (h) => h.address },
                { header: 'district', cell: (h) => h.areaName ?? t('noDistrict') },
                { header: 'endpoints', numeric: true, cell: (h) => h.endpoints },
                {
                  header: 'needsAssistance',
                  cell: (h) =>
                    h.needsAssistance ? <span className="badge">{t('needsAssistance')}</span> : '—',
                },
              ]}
            />
            {query.hasNextPage && (
              <button
                type="button"
                disabled={query.isFetchingNextPage}
                onClick={() => void query.fetchNextPage()}
              >
                {t('more')}
              </button>
            )}
          </>
        )}
      </QueryState>
    </Panel>
  );
}
