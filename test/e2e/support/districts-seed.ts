import { Role } from '@bousai/domain';
import type { ApiHarness, Tenant } from './api-harness';

/**
 * Districts and the households living in them, through the api as an office would enter them: areas by an admin
 * (with the JMA 市町村等 code a telegram names them by, if given), households and their residents by an operator.
 * Answers the area id of each district code.
 */
export async function seedDistricts(
  sut: ApiHarness,
  tenant: Tenant,
  districts: readonly (readonly [code: string, name: string, jmaCityCode?: string])[],
  households: readonly (readonly [externalId: string, districtCode: string, people: number])[],
): Promise<Record<string, string>> {
  const base = `/v1/municipalities/${tenant.municipalityId}`;
  const admin = ['Authorization', `Bearer ${await sut.token(tenant, Role.Admin)}`] as const;
  const op = ['Authorization', `Bearer ${await sut.token(tenant, Role.Operator)}`] as const;
  const areas: Record<string, string> = {};
  for (const [code, name, jmaCityCode] of districts) {
    const res = await sut.http
      .post(`${base}/areas`)
      .set(...admin)
      .send({ code, name, ...(jmaCityCode ? { jmaCityCode } : {}) });
    if (res.status !== 201) throw new Error(`area ${code}: ${res.status} ${JSON.stringify(res.body)}`);
    areas[code] = res.body.id as string;
  }
  for (const [household, code, people] of households) {
    const h = await sut.http
      .post(`${base}/households`)
      .set(...op)
      .send({ externalId: household, areaId: areas[code], address: `島根県安来市 ${household}` });
    if (h.status !== 201) throw new Error(`household ${household}: ${h.status} ${JSON.stringify(h.body)}`);
    for (let i = 0; i < people; i++) {
      const r = await sut.http
        .post(`${base}/residents`)
        .set(...op)
        .send({ externalId: `${household}-${i}`, name: `住民 ${household}-${i}`, householdId: h.body.id });
      if (r.status !== 201) throw new Error(`resident of ${household}: ${r.status}`);
    }
  }
  return areas;
}
