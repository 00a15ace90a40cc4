import * as argon2 from 'argon2';
import { loadConfig } from '@bousai/config';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';
import { operatorCreate } from '../../../apps/cli/src/commands/operator-create.command';

describe('operator:create', () => {
  let db: TestDatabase;
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    log.mockRestore();
    err.mockRestore();
    await db.drop();
  });

  const config = (password?: string) =>
    loadConfig('cli', { DATABASE_URL: db.url, ...(password ? { OPERATOR_PASSWORD: password } : {}) });

  it('creates the municipality and an admin with an argon2id hash of the password from the environment', async () => {
    const code = await operatorCreate(config('a-long-enough-secret'), [
      '--email',
      'Chief@Yasugi.example',
      '--role',
      'admin',
      '--municipality',
      '322067',
      '--municipality-name',
      '安来市',
    ]);
    expect(code).toBe(0);
    const [op] = await db.dataSource.query(
      `SELECT o.role, o.password_hash, m.name FROM operator o JOIN municipality m ON m.id = o.municipality_id`,
    );
    expect(op).toMatchObject({ role: 'admin', name: '安来市' });
    expect(op.password_hash).toMatch(/^\$argon2id\$/);
    expect(await argon2.verify(op.password_hash, 'a-long-enough-secret')).toBe(true);
    const [audit] = await db.dataSource.query(`SELECT action, details FROM audit_log`);
    expect(audit).toEqual({ action: 'operator.create', details: { role: 'admin', via: 'cli' } });
  });

  it('refuses a password given as an argument, a short password and an unknown role', async () => {
    expect(
      await operatorCreate(config('a-long-enough-secret'), [
        '--email',
        'x@y.jp',
        '--role',
        'admin',
        '--password',
        'p',
      ]),
    ).toBe(2);
    expect(
      await operatorCreate(config('a-long-enough-secret'), ['--email', 'x@y.jp', '--role', 'superuser']),
    ).toBe(2);
    expect(() => config('short')).toThrow(/OPERATOR_PASSWORD/);
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM operator`);
    expect(n).toBe(1);
  });

  it('resets the password and role of an existing operator (same email, any case)', async () => {
    expect(
      await operatorCreate(config('another-long-secret'), [
        '--email',
        'chief@yasugi.example',
        '--role',
        'approver',
      ]),
    ).toBe(0);
    const [op] = await db.dataSource.query(`SELECT role, password_hash FROM operator`);
    expect(op.role).toBe('approver');
    expect(await argon2.verify(op.password_hash, 'another-long-secret')).toBe(true);
    const actions = await db.dataSource.query(`SELECT action FROM audit_log ORDER BY id`);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['operator.create', 'operator.reset']);
  });
});
