import { randomUUID } from 'node:crypto';
import { Role, roleSatisfies } from '@bousai/domain';
import { RouteAccessCatalog, type RouteAccess } from '../../../apps/api/src/auth/route-access.check';
import { startApi, type ApiHarness } from '../support/api-harness';

const ROLES = [Role.Viewer, Role.Operator, Role.Approver, Role.Admin];

describe('access rules over every route', () => {
  let sut: ApiHarness;
  let routes: RouteAccess[];

  beforeAll(async () => {
    sut = await startApi();
    routes = sut.app.get(RouteAccessCatalog).routes();
  });
  afterAll(() => sut.close());

  function url(route: RouteAccess, municipalityId: string): string {
    return route.path.replace(/:(\w+)/g, (_m, name: string) =>
      name === 'municipalityId' ? municipalityId : name === 'kind' ? 'households' : randomUUID(),
    );
  }

  function call(route: RouteAccess, municipalityId: string, token?: string) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const req = sut.http[method](url(route, municipalityId));
    if (token) req.set('Authorization', `Bearer ${token}`);
    return method === 'get' || method === 'delete' ? req : req.send({});
  }

  it('every route declares exactly one kind of access, and there are routes of each kind', () => {
    for (const r of routes) {
      const kinds = [r.access.public, Boolean(r.access.role), r.access.resident].filter(Boolean);
      expect({ route: `${r.method} ${r.path}`, kinds: kinds.length }).toEqual({
        route: `${r.method} ${r.path}`,
        kinds: 1,
      });
    }
    expect(routes.some((r) => r.access.public)).toBe(true);
    expect(routes.some((r) => r.access.resident)).toBe(true);
    expect(routes.filter((r) => r.access.role).length).toBeGreaterThan(20);
  });

  it('operator routes: 401 without a token, 403 below the required role or for another municipality, allowed otherwise', async () => {
    const [yasugi, matsue] = sut.tenants;
    const failures: string[] = [];
    // logging out ends sessions (every one of the operator's, everywhere): those routes go last, on fresh sessions
    const isLogout = (r: RouteAccess) => /\/logout(-everywhere)?$/.test(r.path);
    const ordered = routes.filter((r) => r.access.role && !isLogout(r));
    for (const route of [...ordered, ...routes.filter((r) => r.access.role && isLogout(r))]) {
      const required = route.access.role;
      if (!required) continue; // both lists hold routes with a role only
      const name = `${route.method} ${route.path}`;
      const anonymous = await call(route, yasugi.municipalityId);
      if (anonymous.status !== 401) failures.push(`${name} without token → ${anonymous.status}`);
      for (const role of ROLES) {
        const token = isLogout(route)
          ? (await sut.login(yasugi.operators[role].email)).accessToken
          : await sut.token(yasugi, role);
        const res = await call(route, yasugi.municipalityId, token);
        const allowed = roleSatisfies(role, required);
        if (allowed && (res.status === 401 || res.status === 403))
          failures.push(`${name} as ${role} → ${res.status}`);
        if (!allowed && res.status !== 403) failures.push(`${name} as ${role} → ${res.status}, expected 403`);
        if (res.status >= 500)
          failures.push(`${name} as ${role} → ${res.status} ${JSON.stringify(res.body)}`);
      }
      if (route.path.includes(':municipalityId')) {
        const other = await call(route, yasugi.municipalityId, await sut.token(matsue, Role.Admin));
        if (other.status !== 403) failures.push(`${name} from another municipality → ${other.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('resident routes refuse operator tokens and anonymous calls; public routes need no token', async () => {
    const [yasugi] = sut.tenants;
    const operatorToken = await sut.token(yasugi, Role.Admin);
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.access.resident)) {
      for (const token of [undefined, operatorToken]) {
        const res = await call(route, yasugi.municipalityId, token);
        if (res.status !== 401) failures.push(`${route.method} ${route.path} → ${res.status}`);
      }
    }
    for (const route of routes.filter((r) => r.access.public)) {
      const res = await call(route, yasugi.municipalityId);
      // the browser session's refresh is authenticated by its cookie and CSRF header instead of a bearer token
      if (route.path === '/v1/auth/browser/refresh') {
        if (res.status !== 403)
          failures.push(`${route.method} ${route.path} without its CSRF header → ${res.status}`);
        continue;
      }
      if (res.status === 401 || res.status === 403 || res.status >= 500) {
        failures.push(`${route.method} ${route.path} (public) → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
