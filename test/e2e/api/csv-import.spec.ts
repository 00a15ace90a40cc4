import * as iconv from 'iconv-lite';
import { Role } from '@bousai/domain';
import { startApi, type ApiHarness } from '../support/api-harness';

describe('roster CSV import over HTTP', () => {
  let sut: ApiHarness;
  let base: string;
  let op: [string, string];

  beforeAll(async () => {
    sut = await startApi({ CSV_MAX_BYTES: '4096' });
    const [yasugi] = sut.tenants;
    base = `/v1/municipalities/${yasugi.municipalityId}`;
    op = ['Authorization', `Bearer ${await sut.token(yasugi, Role.Operator)}`];
    const admin = ['Authorization', `Bearer ${await sut.token(yasugi, Role.Admin)}`] as const;
    expect(
      (
        await sut.http
          .post(`${base}/areas`)
          .set(...admin)
          .send({ code: '01', name: '安来' })
      ).status,
    ).toBe(201);
  });
  afterAll(() => sut.close());

  it('imports a Shift_JIS export: good rows land, bad rows come back with their line and reason, and it is audited', async () => {
    const csv = [
      '世帯番号,地区コード,住所,電話番号',
      'H1,01,島根県安来市安来町1,0854-00-0001',
      'H2,99,島根県安来市安来町2,',
      'H3,01,島根県安来市安来町3,',
      ',01,島根県安来市安来町4,',
    ].join('\r\n');
    const res = await sut.http
      .post(`${base}/imports/households`)
      .set(...op)
      .attach('file', iconv.encode(csv, 'cp932'), { filename: 'households.csv', contentType: 'text/csv' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'households',
      encoding: 'shift_jis',
      rows: 4,
      imported: 2,
      inserted: 2,
    });
    expect(res.body.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
      [3, 'UNKNOWN_AREA'],
      [5, 'MISSING_VALUE'],
    ]);
    const rows = await sut.db.dataSource.query(
      `SELECT external_id, address FROM household ORDER BY external_id`,
    );
    expect(rows).toEqual([
      { external_id: 'H1', address: '島根県安来市安来町1' },
      { external_id: 'H3', address: '島根県安来市安来町3' },
    ]);
    const [audit] = await sut.db.dataSource.query(
      `SELECT details FROM audit_log WHERE action = 'roster.import'`,
    );
    expect(audit.details).toMatchObject({ kind: 'households', rows: 4, inserted: 2, rejected: 2 });
  });

  it('answers 413 past CSV_MAX_BYTES and 422 without a file or with a wrong header', async () => {
    const big = Buffer.from(`世帯番号,地区コード,住所\n${'H,01,x\n'.repeat(1000)}`);
    const tooBig = await sut.http
      .post(`${base}/imports/households`)
      .set(...op)
      .attach('file', big, 'big.csv');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('PAYLOAD_TOO_LARGE');

    const none = await sut.http
      .post(`${base}/imports/households`)
      .set(...op)
      .field('x', '1');
    expect(none.status).toBe(422);
    expect(none.body.error.code).toBe('CSV_INVALID');

    const header = await sut.http
      .post(`${base}/imports/residents`)
      .set(...op)
      .attach('file', Buffer.from('foo,bar\n1,2\n'), 'r.csv');
    expect(header.status).toBe(422);
    expect(header.body.error.code).toBe('CSV_INVALID');
  });
});
