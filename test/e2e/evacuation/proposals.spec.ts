import { Role } from '@bousai/domain';
import { startApi, type ApiHarness, type Tenant } from '../support/api-harness';

interface Proposal {
  id: string;
  kind: string;
  level: number;
  dismissedBy: string | null;
  dismissedByName: string | null;
  appliedBy: string | null;
  appliedByName: string | null;
}

describe('evacuation proposals: shown with the order, dismissed, or applied by the matching step', () => {
  let sut: ApiHarness;
  let yasugi: Tenant;
  let base: string;

  const bearer = async (role: Role) => ['Authorization', `Bearer ${await sut.token(yasugi, role)}`] as const;

  beforeAll(async () => {
    sut = await startApi();
    [yasugi] = sut.tenants;
    base = `/v1/municipalities/${yasugi.municipalityId}`;
    const res = await sut.http
      .post(`${base}/areas`)
      .set(...(await bearer(Role.Admin)))
      .send({ code: '01', name: '飯島町' });
    expect(res.status).toBe(201);
    // the operator has a display name; the approver has none, so goes by their e-mail
    await sut.db.dataSource.query(`UPDATE operator SET display_name = '防災 太郎' WHERE id = $1`, [
      yasugi.operators[Role.Operator].id,
    ]);
  });
  afterAll(() => sut.close());

  async function post(path: string, body: object, role: Role) {
    return sut.http
      .post(`${base}${path}`)
      .set(...(await bearer(role)))
      .send(body);
  }

  /** What the feeds record when a telegram proposes to lower or lift the order. */
  async function propose(orderId: string, kind: 'lower' | 'lift', level: number): Promise<string> {
    const [row] = await sut.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO evacuation_proposal (municipality_id, order_id, kind, hazard, level, district_codes)
       VALUES ($1, $2, $3, 'flood', $4, '{01}') RETURNING id`,
      [yasugi.municipalityId, orderId, kind, level],
    );
    return row.id;
  }

  async function openProposals(orderId: string): Promise<Proposal[]> {
    const res = await sut.http
      .get(`${base}/evacuation-orders/${orderId}`)
      .set(...(await bearer(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body.proposals as Proposal[];
  }

  /** Every proposal of the order, settled ones included, as the console lists them. */
  async function allProposals(orderId: string): Promise<Proposal[]> {
    const res = await sut.http
      .get(`${base}/evacuation-orders/proposals`)
      .query({ orderId })
      .set(...(await bearer(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body as Proposal[];
  }

  async function stored(id: string): Promise<{ dismissed_by: string | null; applied_by: string | null }> {
    const [row] = await sut.db.dataSource.query<{ dismissed_by: string | null; applied_by: string | null }[]>(
      'SELECT dismissed_by, applied_by FROM evacuation_proposal WHERE id = $1',
      [id],
    );
    return row;
  }

  it('a lower to the proposed level applies it; a dismissed one leaves the detail; the lift applies its proposal', async () => {
    const created = await post(
      '/evacuation-orders',
      { hazard: 'flood', level: 5, districtCodes: ['01'] },
      Role.Operator,
    );
    const orderId = created.body.id as string;
    expect(
      (await post(`/evacuation-orders/${orderId}/issue`, { expectedVersion: 1 }, Role.Admin)).status,
    ).toBe(200);

    const toFour = await propose(orderId, 'lower', 4);
    const toThree = await propose(orderId, 'lower', 3);
    expect((await openProposals(orderId)).map((p) => p.id).sort()).toEqual([toFour, toThree].sort());

    // a viewer cannot dismiss; an operator can, once
    expect((await post(`/evacuation-proposals/${toThree}/dismiss`, {}, Role.Viewer)).status).toBe(403);
    const dismissed = await post(`/evacuation-proposals/${toThree}/dismiss`, {}, Role.Operator);
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({
      id: toThree,
      dismissedBy: yasugi.operators[Role.Operator].id,
      dismissedByName: '防災 太郎',
      appliedBy: null,
      appliedByName: null,
    });
    expect((await post(`/evacuation-proposals/${toThree}/dismiss`, {}, Role.Operator)).status).toBe(409);
    expect((await openProposals(orderId)).map((p) => p.id)).toEqual([toFour]);

    // the operator applies the other one with the normal level command
    expect(
      (await post(`/evacuation-orders/${orderId}/level`, { expectedVersion: 2, level: 4 }, Role.Approver))
        .status,
    ).toBe(200);
    expect(await stored(toFour)).toEqual({
      dismissed_by: null,
      applied_by: yasugi.operators[Role.Approver].id,
    });
    expect(await openProposals(orderId)).toEqual([]);
    // the list names who settled each: the dismisser by display name, the approver by e-mail
    const byId = new Map((await allProposals(orderId)).map((p) => [p.id, p]));
    expect(byId.get(toThree)).toMatchObject({ dismissedByName: '防災 太郎', appliedByName: null });
    expect(byId.get(toFour)).toMatchObject({
      dismissedByName: null,
      appliedBy: yasugi.operators[Role.Approver].id,
      appliedByName: yasugi.operators[Role.Approver].email,
    });

    // a lift proposal of level 4: applied by the lift; one of another level is not
    const lift = await propose(orderId, 'lift', 4);
    const stale = await propose(orderId, 'lift', 5);
    expect(
      (await post(`/evacuation-orders/${orderId}/lift`, { expectedVersion: 3 }, Role.Approver)).status,
    ).toBe(200);
    expect((await stored(lift)).applied_by).toBe(yasugi.operators[Role.Approver].id);
    expect((await stored(stale)).applied_by).toBeNull();

    const audited = await sut.db.dataSource.query<{ action: string }[]>(
      `SELECT action FROM audit_log WHERE $1 = ANY (target_ids) ORDER BY id`,
      [toThree],
    );
    expect(audited.map((a) => a.action)).toEqual(['evacuation_proposal.dismiss']);

    // another municipality's operator: not found
    const other = sut.tenants[1];
    const res = await sut.http
      .post(`/v1/municipalities/${other.municipalityId}/evacuation-proposals/${stale}/dismiss`)
      .set('Authorization', `Bearer ${await sut.token(other, Role.Operator)}`)
      .send({});
    expect(res.status).toBe(404);
  });
});
