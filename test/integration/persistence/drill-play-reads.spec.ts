import { Channel } from '@bousai/domain';
import { DeliveryAckRepository, SafetyRepository } from '@bousai/persistence';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';

/** The reads `npm run demo` plays a drill's residents with (apps/cli demo:drill), on real Postgres. */
describe('who a safety request asked, and which pushes await an ack', () => {
  let db: TestDatabase;
  let municipalityId: string;
  let householdId: string;
  const q = <T = Record<string, unknown>[]>(sql: string, params: unknown[] = []) =>
    db.dataSource.query<T>(sql, params);

  async function alert(): Promise<string> {
    const [{ id }] = await q<{ id: string }[]>(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status)
       VALUES ($1, 'operator', '{}', 'extreme', '{"all": true}', '{fcm,line}', 'dispatching') RETURNING id`,
      [municipalityId],
    );
    return id;
  }

  async function residents(n: number): Promise<string[]> {
    const rows = await q<{ id: string }[]>(
      `INSERT INTO resident (municipality_id, household_id, external_id, name)
       SELECT $1, $2, 'R-' || gen_random_uuid(), '住民' FROM generate_series(1, $3::int) RETURNING id`,
      [municipalityId, householdId, n],
    );
    return rows.map((r) => r.id);
  }

  /** One delivery per status on `channel`; resolves to their ids (bigint text) by status. */
  async function deliveries(alertId: string, channel: Channel, statuses: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const status of statuses) {
      const [{ id: endpointId }] = await q<{ id: string }[]>(
        `INSERT INTO endpoint (municipality_id, household_id, channel, address)
         VALUES ($1, $2, $3, 'addr-' || gen_random_uuid()) RETURNING id`,
        [municipalityId, householdId, channel],
      );
      const [{ id }] = await q<{ id: string }[]>(
        `INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no, status)
         VALUES ($1, $2, $3, 0, $4) RETURNING id::text AS id`,
        [alertId, endpointId, channel, status],
      );
      ids.push(id);
    }
    return ids;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    [{ id: municipalityId }] = await q<{ id: string }[]>(
      `INSERT INTO municipality (code, name) VALUES ('999003', 'テスト村') RETURNING id`,
    );
    [{ id: householdId }] = await q<{ id: string }[]>(
      `INSERT INTO household (municipality_id, external_id, address) VALUES ($1, 'H-1', '住所') RETURNING id`,
      [municipalityId],
    );
  });
  afterAll(() => db.drop());

  it('lists the residents an alert asked, with the group each was asked as, and no one another alert asked', async () => {
    const [a, b, c] = await residents(3);
    const drill = await alert();
    const other = await alert();
    await q(
      `INSERT INTO safety_request (alert_id, resident_id, target_group)
       VALUES ($1, $2, 'needs_assistance'), ($1, $3, 'staff'), ($4, $5, 'everyone')`,
      [drill, a, b, other, c],
    );

    const asked = await new SafetyRepository(db.dataSource).asked(drill);

    expect(asked).toEqual(
      expect.arrayContaining([
        { residentId: a, group: 'needs_assistance' },
        { residentId: b, group: 'staff' },
      ]),
    );
    expect(asked).toHaveLength(2);
  });

  it('pages through the accepted pushes of a channel no device acknowledged yet, in id order', async () => {
    const alertId = await alert();
    const [sent1, , , sent2, sent3] = await deliveries(alertId, Channel.Fcm, [
      'sent',
      'delivered',
      'failed',
      'sent',
      'sent',
    ]);
    await deliveries(alertId, Channel.Line, ['sent']);
    await deliveries(await alert(), Channel.Fcm, ['sent']);
    const sut = new DeliveryAckRepository(db.dataSource);

    expect(await sut.awaitingAck(alertId, Channel.Fcm, '0')).toEqual([sent1, sent2, sent3]);
    const first = await sut.awaitingAck(alertId, Channel.Fcm, '0', 2);
    expect(first).toEqual([sent1, sent2]);
    expect(await sut.awaitingAck(alertId, Channel.Fcm, first[1], 2)).toEqual([sent3]);
  });
});
