import {
  CONFIRMATION_MILESTONES,
  type CsvCell,
  csvCode,
  type DrillReportGroup,
  writeCsv,
} from '@bousai/domain';
import type { DrillReport, GroupResult } from './drill-report';

/**
 * The report as one CSV that Excel opens correctly (see `writeCsv`: BOM, CRLF, formulas neutralised, codes kept as
 * text, times in JST), sections separated by an empty line, each with its own header row in Japanese and English.
 */

export const GROUP_LABELS: Readonly<Record<DrillReportGroup, string>> = {
  all: '全体 / all',
  needs_assistance: '要援護者 / needs assistance',
  staff: '職員 / staff',
  everyone: '一般 / others',
};

const pct = (rate: number | null) => (rate === null ? null : (rate * 100).toFixed(1));
const yesNo = (met: boolean | null) => (met === null ? null : met ? '達成 / met' : '未達 / not met');
const curveHeaders = CONFIRMATION_MILESTONES.map((p) => `${p * 100}%到達(分) / min to ${p * 100}%`);
const curveCells = (g: GroupResult) => g.curve.map((c) => c.minutes);

/** `heading`: what the first row calls the alert (a drill by default, any alert for the alert report). */
export function drillReportCsv(report: DrillReport, heading = '訓練 / drill'): string {
  const rows: CsvCell[][] = [];
  rows.push([heading, report.drill.title]);
  rows.push(['開始 / launched at', report.drill.launchedAt]);
  rows.push(['作成 / generated at', report.generatedAt]);
  rows.push([]);

  rows.push([
    '区分 / group',
    '対象者 / asked',
    '回答 / answered',
    '回答率(%) / rate (%)',
    '目標(%) / target (%)',
    '達成 / met',
    ...curveHeaders,
  ]);
  for (const g of report.groups) {
    rows.push([
      GROUP_LABELS[g.group],
      g.asked,
      g.answered,
      pct(g.rate),
      pct(g.target),
      yesNo(g.met),
      ...curveCells(g),
    ]);
  }
  rows.push([]);

  rows.push([
    '地区コード / district code',
    '地区 / district',
    '区分 / group',
    '対象者 / asked',
    '回答 / answered',
    '回答率(%) / rate (%)',
    '目標(%) / target (%)',
    '達成 / met',
  ]);
  for (const d of report.districts) {
    const name = d.areaName ?? '地区未設定 / no district';
    rows.push([csvCode(d.areaCode), name, GROUP_LABELS.all, d.asked, d.answered, pct(d.rate), null, null]);
    for (const g of d.groups) {
      rows.push([
        csvCode(d.areaCode),
        name,
        GROUP_LABELS[g.group],
        g.asked,
        g.answered,
        pct(g.rate),
        pct(g.target),
        yesNo(g.met),
      ]);
    }
  }
  rows.push([]);

  rows.push(['手段 / channel', '状態 / status', '件数 / count']);
  for (const [channel, statuses] of Object.entries(report.deliveries)) {
    for (const [status, n] of Object.entries(statuses)) rows.push([channel, status, n]);
  }
  rows.push([]);

  rows.push([
    '未回答者 区分 / non-responder group',
    '住民番号 / resident no.',
    '氏名 / name',
    '地区 / district',
    '住所 / address',
    '電話 / phone',
    '支援者 / supporters',
    'エスカレーション / escalation',
  ]);
  for (const r of report.nonResponders) {
    rows.push([
      GROUP_LABELS[r.group as DrillReportGroup] ?? r.group,
      csvCode(r.externalId),
      r.name,
      r.areaName,
      r.address,
      csvCode(r.phone),
      r.supporters.map((s) => `${s.priority}. ${s.name} (${s.relation})`).join('; '),
      r.escalationOutcome,
    ]);
  }
  rows.push([]);

  rows.push([
    '過去の訓練 / earlier drill',
    '開始 / launched at',
    '区分 / group',
    '対象者 / asked',
    '回答 / answered',
    '回答率(%) / rate (%)',
    ...curveHeaders,
  ]);
  for (const c of report.comparison) {
    for (const g of c.groups) {
      rows.push([
        c.title,
        c.launchedAt,
        GROUP_LABELS[g.group],
        g.asked,
        g.answered,
        pct(g.rate),
        ...curveCells(g),
      ]);
    }
  }
  return writeCsv(rows);
}
