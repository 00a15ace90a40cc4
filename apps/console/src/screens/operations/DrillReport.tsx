import { useMutation, useQuery } from '@tanstack/react-query';
import { apiError, type Schemas, unwrap } from '../../../../../libs/web-client/src';
import { type Column, DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { saveBlob } from '../../components/saveBlob';
import { type MessageKey, useI18n } from '../../i18n';
import { REACHED_STATUSES } from '../../live';
import { session } from '../../session';
import { ActionMessage } from './ActionMessage';

type Report = Schemas['DrillReportDto'];
type GroupResult = Schemas['GroupResultDto'];

const SHARES: readonly [number, MessageKey][] = [
  [0.25, 'share25'],
  [0.5, 'share50'],
  [0.75, 'share75'],
  [0.9, 'share90'],
  [1, 'share100'],
];
/** One colour and one dash per group, so the lines differ without colour too. */
const LINE_STYLES: Record<string, { colour: string; dash?: string }> = {
  all: { colour: '#0b4f8a' },
  needs_assistance: { colour: '#a4161a', dash: '6 3' },
  staff: { colour: '#1f6b2e', dash: '2 3' },
  everyone: { colour: '#6b3a00', dash: '10 3 2 3' },
};

const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`;

/** A drill's report: per group against the target, the confirmation curves, districts, deliveries, earlier drills. */
export function DrillReport({ municipalityId, alertId }: { municipalityId: string; alertId: string }) {
  const { t, dateTime } = useI18n();
  const params = { params: { path: { municipalityId, alertId } } };
  const query = useQuery({
    queryKey: ['drill-report', municipalityId, alertId],
    // without format=csv the answer is the JSON report (the document lists both media types for the route)
    queryFn: async () =>
      (await unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/drills/{alertId}/report', params),
      )) as Report,
    refetchInterval: 15_000,
  });
  const csv = useMutation({
    mutationFn: async () => {
      const { data, error, response } = await session.api.GET(
        '/v1/municipalities/{municipalityId}/drills/{alertId}/report',
        { params: { ...params.params, query: { format: 'csv' } }, parseAs: 'blob' },
      );
      if (!response.ok || !data) throw apiError(response, error);
      saveBlob(data, `drill-${alertId}.csv`);
    },
  });
  const title = (r: Report) => r.drill.title ?? r.drill.alertId;
  return (
    <QueryState query={query} empty="drillsEmpty" isEmpty={() => false}>
      {(report) => (
        <section className="drill-report" aria-labelledby="drill-report-title">
          <h2 id="drill-report-title">{t('reportTitle', { title: title(report) })}</h2>
          <p className="detail">
            {t('reportGenerated', { at: dateTime(report.generatedAt) })}{' '}
            <button type="button" onClick={() => csv.mutate()} disabled={csv.isPending}>
              {t('downloadCsv')}
            </button>
          </p>
          <ActionMessage error={csv.error} />
          <div className="report-grid">
            <Panel id="report-groups" title="groupsTitle">
              <GroupTable groups={report.groups} />
            </Panel>
            <Panel id="report-curve" title="curveTitle">
              <ConfirmationChart groups={report.groups} />
            </Panel>
            <Panel id="report-districts" title="districtsTitle">
              <DataTable
                rows={report.districts}
                rowKey={(d) => d.areaId ?? 'none'}
                columns={[
                  { header: 'district', rowHeader: true, cell: (d) => d.areaName ?? t('noDistrict') },
                  { header: 'asked', numeric: true, cell: (d) => d.asked },
                  { header: 'answered', numeric: true, cell: (d) => d.answered },
                  { header: 'rate', numeric: true, cell: (d) => percent(d.rate) },
                ]}
              />
            </Panel>
            <Panel id="report-deliveries" title="deliveriesTitle">
              <DataTable
                rows={Object.entries(report.deliveries).map(([channel, statuses]) => ({ channel, statuses }))}
                rowKey={(d) => d.channel}
                columns={[
                  { header: 'channel', rowHeader: true, cell: (d) => d.channel },
                  {
                    header: 'planned',
                    numeric: true,
                    cell: (d) => Object.values(d.statuses).reduce((s, n) => s + n, 0),
                  },
                  {
                    header: 'reached',
                    numeric: true,
                    cell: (d) => REACHED_STATUSES.reduce((s, k) => s + (d.statuses[k] ?? 0), 0),
                  },
                  { header: 'failed', numeric: true, cell: (d) => d.statuses.failed ?? 0 },
                ]}
              />
            </Panel>
            <Panel id="report-comparison" title="comparisonTitle">
              {report.comparison.length === 0 ? (
                <p className="empty">{t('comparisonEmpty')}</p>
              ) : (
                <DataTable
                  rows={report.comparison}
                  rowKey={(c) => c.alertId}
                  columns={[
                    { header: 'drillTitle', rowHeader: true, cell: (c) => c.title ?? c.alertId },
                    { header: 'launchedAt', cell: (c) => dateTime(c.launchedAt) },
                    { header: 'asked', numeric: true, cell: (c) => groupOf(c.groups, 'all')?.asked ?? '—' },
                    { header: 'rate', numeric: true, cell: (c) => percent(groupOf(c.groups, 'all')?.rate) },
                  ]}
                />
              )}
            </Panel>
            <Panel id="report-non-responders" title="nonRespondersTitle">
              {report.nonResponders.length === 0 ? (
                <p className="empty">{t('nonRespondersEmpty')}</p>
              ) : (
                <NonResponders rows={report.nonResponders} />
              )}
            </Panel>
          </div>
        </section>
      )}
    </QueryState>
  );
}

const groupOf = (groups: GroupResult[], group: string) => groups.find((g) => g.group === group);

function GroupTable({ groups }: { groups: GroupResult[] }) {
  const { t, label } = useI18n();
  return (
    <DataTable
      rows={groups}
      rowKey={(g) => g.group}
      columns={[
        { header: 'group', rowHeader: true, cell: (g) => label('group', g.group) },
        { header: 'asked', numeric: true, cell: (g) => g.asked },
        { header: 'answered', numeric: true, cell: (g) => g.answered },
        { header: 'rate', numeric: true, cell: (g) => percent(g.rate) },
        { header: 'target', numeric: true, cell: (g) => percent(g.target) },
        { header: 'met', cell: (g) => (g.met === null ? '—' : g.met ? t('yes') : t('no')) },
      ]}
    />
  );
}

function NonResponders({ rows }: { rows: Schemas['NonResponderDto'][] }) {
  const { label } = useI18n();
  return (
    <DataTable
      rows={rows}
      rowKey={(r) => r.residentId}
      columns={[
        { header: 'name', rowHeader: true, cell: (r) => r.name },
        { header: 'group', cell: (r) => label('group', r.group) },
        { header: 'district', cell: (r) => r.areaName ?? '—' },
        { header: 'escalationOutcome', cell: (r) => label('escalation', r.escalationOutcome) },
      ]}
    />
  );
}

const W = 480;
const H = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 32 };

/**
 * The confirmation curves as a small SVG: share confirmed (y, to the 100 % target) against minutes since launch
 * (x), one line per group. The table under it gives the same numbers for a screen reader or a keyboard user.
 */
function ConfirmationChart({ groups }: { groups: GroupResult[] }) {
  const { t, label } = useI18n();
  const withAsked = groups.filter((g) => g.asked > 0);
  const maxMinutes = Math.max(1, ...withAsked.flatMap((g) => g.curve.map((p) => p.minutes ?? 0)));
  const x = (minutes: number) => PAD.left + (minutes / maxMinutes) * (W - PAD.left - PAD.right);
  const y = (share: number) => H - PAD.bottom - share * (H - PAD.top - PAD.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const minuteTicks = [0, maxMinutes / 2, maxMinutes].map((m) => Math.round(m));
  const columns: Column<GroupResult>[] = [
    { header: 'group', rowHeader: true, cell: (g) => label('group', g.group) },
    ...SHARES.map(([share, header]) => ({
      header,
      numeric: true,
      cell: (g: GroupResult) => {
        const m = g.curve.find((p) => p.share === share)?.minutes;
        return m === null || m === undefined ? t('notReached') : t('minutes', { n: m });
      },
    })),
  ];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="curve-desc">
        <desc id="curve-desc">{t('curveDesc')}</desc>
        {ticks.map((s) => (
          <g key={s}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(s)} y2={y(s)} className="grid" />
            <text x={PAD.left - 6} y={y(s) + 4} textAnchor="end" className="tick">
              {s * 100}%
            </text>
          </g>
        ))}
        {minuteTicks.map((m) => (
          <text key={m} x={x(m)} y={H - PAD.bottom + 16} textAnchor="middle" className="tick">
            {t('minutes', { n: m })}
          </text>
        ))}
        <line x1={PAD.left} x2={W - PAD.right} y1={y(1)} y2={y(1)} className="target" />
        {withAsked.map((g) => {
          const style = LINE_STYLES[g.group] ?? LINE_STYLES.all;
          const points = [
            [0, 0] as const,
            ...g.curve.filter((p) => p.minutes !== null).map((p) => [p.minutes ?? 0, p.share] as const),
          ];
          return (
            <polyline
              key={g.group}
              points={points.map(([m, s]) => `${x(m)},${y(s)}`).join(' ')}
              fill="none"
              stroke={style.colour}
              strokeWidth={2}
              strokeDasharray={style.dash}
            />
          );
        })}
      </svg>
      <figcaption>
        <ul className="legend">
          {withAsked.map((g) => {
            const style = LINE_STYLES[g.group] ?? LINE_STYLES.all;
            return (
              <li key={g.group}>
                <svg width="28" height="10" aria-hidden="true">
                  <line
                    x1="0"
                    x2="28"
                    y1="5"
                    y2="5"
                    stroke={style.colour}
                    strokeWidth={2}
                    strokeDasharray={style.dash}
                  />
                </svg>{' '}
                {label('group', g.group)}
              </li>
            );
          })}
          <li>
            <svg width="28" height="10" aria-hidden="true">
              <line x1="0" x2="28" y1="5" y2="5" className="target" />
            </svg>{' '}
            {t('targetLine')}
          </li>
        </ul>
      </figcaption>
      <DataTable
        rows={withAsked}
        rowKey={(g) => g.group}
        caption={t('curveTableCaption')}
        columns={columns}
      />
    </figure>
  );
}
