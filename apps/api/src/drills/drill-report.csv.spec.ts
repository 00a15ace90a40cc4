import { parse } from 'csv-parse/sync';
import type { DrillReport, GroupResult } from './drill-report';
import { drillReportCsv } from './drill-report.csv';

const group = (g: GroupResult['group']): GroupResult => ({
  group: g,
  asked: 2,
  answered: 1,
  rate: 0.5,
  target: 1,
  met: false,
  statuses: {},
  curve: [{ share: 0.25, minutes: 1.5 }],
});

function report(overrides: Partial<DrillReport> = {}): DrillReport {
  return {
    drill: {
      alertId: '00000000-0000-7000-8000-000000000001',
      title: '=訓練',
      status: 'sent',
      launchedAt: new Date('2026-09-01T00:30:00Z'),
    },
    generatedAt: new Date('2026-09-01T15:05:00Z'),
    groups: [group('all')],
    districts: [
      { areaId: 'a', areaCode: '0123', areaName: '安来', asked: 2, answered: 1, rate: 0.5, groups: [] },
    ],
    deliveries: { receiver: { played: 3 } },
    nonResponders: [
      {
        residentId: 'r1',
        externalId: '000120',
        name: '=HYPERLINK("https://evil.example","開く")',
        group: 'needs_assistance',
        areaName: '安来',
        address: '@SUM(1+1)',
        phone: '+1-2|cmd',
        supporters: [],
        escalation: [],
        escalationOutcome: 'none',
      },
      {
        residentId: 'r2',
        externalId: '000121',
        name: '-山田',
        group: 'staff',
        areaName: '安来',
        address: '+島根県安来市',
        phone: '0854-23-1234',
        supporters: [],
        escalation: [],
        escalationOutcome: 'none',
      },
    ],
    comparison: [],
    ...overrides,
  };
}

function rowsOf(csv: string): string[][] {
  const rows: string[][] = parse(csv.slice(1), { relaxColumnCount: true, skipEmptyLines: true });
  return rows;
}

describe(drillReportCsv.name, () => {
  it('neutralises names, addresses and phones that start with =, +, - or @', () => {
    const rows = rowsOf(drillReportCsv(report()));
    const header = rows.findIndex((r) => r[0] === '未回答者 区分 / non-responder group');
    const [first, second] = rows.slice(header + 1, header + 3);
    expect(first.slice(2, 6)).toEqual([
      '\'=HYPERLINK("https://evil.example","開く")',
      '安来',
      "'@SUM(1+1)",
      "'+1-2|cmd",
    ]);
    expect(second.slice(2, 6)).toEqual(["'-山田", '安来', "'+島根県安来市", '="0854-23-1234"']);
    expect(rows[0]).toEqual(['訓練 / drill', "'=訓練"]);
    // nothing in the file starts like a formula except the codes' ="…" constants
    for (const cell of rows.flat()) if (/^[=+\-@]/.test(cell)) expect(cell).toMatch(/^="[^"]*"$/);
  });

  it('keeps the district code 0123 and resident numbers as text with their leading zeros', () => {
    const rows = rowsOf(drillReportCsv(report()));
    const district = rows.find((r) => r[1] === '安来' && r[2] === '全体 / all');
    expect(district?.[0]).toBe('="0123"');
    const header = rows.findIndex((r) => r[0] === '未回答者 区分 / non-responder group');
    expect(rows[header + 1][1]).toBe('="000120"');
  });

  it('gives times in JST', () => {
    const rows = rowsOf(drillReportCsv(report()));
    expect(rows[1]).toEqual(['開始 / launched at', '2026-09-01T09:30:00+09:00']);
    expect(rows[2]).toEqual(['作成 / generated at', '2026-09-02T00:05:00+09:00']);
  });
});
