import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@bousai/domain';
import { startApi, type ApiHarness } from '../support/api-harness';

const SAMPLES = join(__dirname, '../../../docs/samples');

/** docs/roster-csv.md promises that its sample files import as they are: they go through the real upload. */
describe('the roster CSV samples in docs/samples', () => {
  let sut: ApiHarness;
  let base: string;
  let op: [string, string];

  beforeAll(async () => {
    sut = await startApi();
    const [yasugi] = sut.tenants;
    base = `/v1/municipalities/${yasugi.municipalityId}`;
    op = ['Authorization', `Bearer ${await sut.token(yasugi, Role.Operator)}`];
    const admin = ['Authorization', `Bearer ${await sut.token(yasugi, Role.Admin)}`] as const;
    for (const area of [
      { code: '01', name: '安来' },
      { code: '02', name: '十神' },
    ]) {
      expect(
        (
          await sut.http
            .post(`${base}/areas`)
            .set(...admin)
            .send(area)
        ).status,
      ).toBe(201);
    }
  });
  afterAll(() => sut.close());

  it.each([
    ['households', 'roster-households.csv', 3],
    ['residents', 'roster-residents.csv', 4],
    ['supporters', 'roster-supporters.csv', 4],
  ])('imports the %s sample with every row and column read, none rejected', async (kind, file, rows) => {
    const res = await sut.http
      .post(`${base}/imports/${kind}`)
      .set(...op)
      .attach('file', readFileSync(join(SAMPLES, file)), { filename: file, contentType: 'text/csv' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind, encoding: 'utf-8', rows, imported: rows, inserted: rows });
    expect(res.body.errors).toEqual([]);
    expect(res.body.ignoredColumns).toEqual([]);
  });

  it('stores what the samples say: leading zeros, the two-line address, flags, languages, supporters', async () => {
    const q = <T>(sql: string) => sut.db.dataSource.query<T[]>(sql);
    expect(await q(`SELECT external_id, address, postal_code FROM household ORDER BY external_id`)).toEqual([
      { external_id: '000101', address: '島根県安来市安来町1001', postal_code: '692-0011' },
      { external_id: '000102', address: '島根県安来市安来町1002 安来ハイツ201', postal_code: '692-0011' },
      { external_id: '000201', address: '島根県安来市十神町205', postal_code: '692-0012' },
    ]);
    expect(
      await q(`SELECT external_id, language, needs_assistance, staff FROM resident ORDER BY external_id`),
    ).toEqual([
      { external_id: '0001001', language: 'ja', needs_assistance: true, staff: false },
      { external_id: '0001002', language: 'ja', needs_assistance: false, staff: true },
      { external_id: '0001003', language: 'vi', needs_assistance: true, staff: false },
      { external_id: '0002001', language: 'ja-easy', needs_assistance: true, staff: false },
    ]);
    const [{ n }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM supporter`);
    expect(n).toBe(4);
  });
});
