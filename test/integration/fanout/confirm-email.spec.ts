import { randomUUID } from 'node:crypto';
import { AddressConfirmationMailer } from '@bousai/channels/senders';
import { loadConfig } from '@bousai/config';
import { ErrorCode, OneTapPurpose, verifyOneTapToken } from '@bousai/domain';
import { RosterRepository } from '@bousai/persistence';
import { createTestDatabase, FakeSmtpServer, type TestDatabase } from '@bousai/testing';
import { ConfirmEmailUseCase } from '../../../apps/fanout/src/confirm-email/confirm-email.use-case';

const SECRET = 'confirm-email-test-secret-0123456789abcdef';

/** The fanout's half of address confirmation: it re-reads the endpoint, signs the link and mails it over SMTP. */
describe(ConfirmEmailUseCase.name, () => {
  let db: TestDatabase;
  let smtp: FakeSmtpServer;
  let mailer: AddressConfirmationMailer;
  let sut: ConfirmEmailUseCase;
  let municipalityId: string;
  let householdId: string;
  const q = <T = Record<string, unknown>[]>(sql: string, params: unknown[] = []) =>
    db.dataSource.query<T>(sql, params);

  async function resident(): Promise<string> {
    const [{ id }] = await q<{ id: string }[]>(
      `INSERT INTO resident (municipality_id, household_id, external_id, name)
       VALUES ($1, $2, $3, '住民') RETURNING id`,
      [municipalityId, householdId, `R-${randomUUID()}`],
    );
    return id;
  }

  async function email(residentId: string, address: string, confirmed = false): Promise<string> {
    const [{ id }] = await q<{ id: string }[]>(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address, confirmed_at)
       VALUES ($1, $2, 'email', $3, CASE WHEN $4::boolean THEN now() END) RETURNING id`,
      [municipalityId, residentId, address, confirmed],
    );
    return id;
  }

  const job = (residentId: string, endpointId: string) => ({
    requestId: randomUUID(),
    endpointId,
    municipalityId,
    residentId,
    language: 'en',
    baseUrl: 'https://bousai.example.jp',
  });

  const useCase = (env: Record<string, string>) =>
    new ConfirmEmailUseCase(loadConfig('fanout', env), new RosterRepository(db.dataSource), mailer);

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await FakeSmtpServer.start();
    mailer = AddressConfirmationMailer.fromSettings(
      loadConfig('fanout', { SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port) }),
    );
    sut = useCase({ ONE_TAP_SECRET: SECRET });
    [{ id: municipalityId }] = await q<{ id: string }[]>(
      `INSERT INTO municipality (code, name) VALUES ('999004', 'テスト町') RETURNING id`,
    );
    [{ id: householdId }] = await q<{ id: string }[]>(
      `INSERT INTO household (municipality_id, external_id, address) VALUES ($1, 'H-1', '住所') RETURNING id`,
      [municipalityId],
    );
  });
  afterAll(async () => {
    mailer.close();
    await smtp.close();
    await db.drop();
  });

  it('mails a link, in the resident’s language, that confirms exactly this endpoint for this resident', async () => {
    const residentId = await resident();
    const endpointId = await email(residentId, 'ken@example.jp');

    await sut.execute(job(residentId, endpointId));

    const [mail] = smtp.receivedFor('ken@example.jp');
    expect(mail.subject).toBe('Confirm your email address for disaster alerts');
    const token = /https:\/\/bousai\.example\.jp\/v1\/resident\/email\/confirm\?token=(\S+)/.exec(
      mail.text ?? '',
    )?.[1];
    expect(verifyOneTapToken(token!, SECRET, { purpose: OneTapPurpose.ConfirmEmail })).toMatchObject({
      residentId,
      answer: endpointId,
    });
  });

  it('throws on a transient SMTP answer, so the job is retried, and mails on the retry', async () => {
    const residentId = await resident();
    const endpointId = await email(residentId, 'busy@example.jp');
    smtp.setBehaviour('busy@example.jp', { kind: 'defer', code: 451, enhanced: '4.3.0', times: 1 });
    const payload = job(residentId, endpointId);

    await expect(sut.execute(payload)).rejects.toThrow(/not accepted yet/);
    expect(smtp.receivedFor('busy@example.jp')).toHaveLength(0);
    await sut.execute(payload);
    expect(smtp.receivedFor('busy@example.jp')).toHaveLength(1);
  });

  it('mails nothing to an endpoint confirmed meanwhile, gone, or not the resident’s the job names', async () => {
    const residentId = await resident();
    const confirmed = await email(residentId, 'done@example.jp', true);
    const theirs = await email(await resident(), 'theirs@example.jp');
    const gone = await email(residentId, 'gone@example.jp');
    await q(`DELETE FROM endpoint WHERE id = $1`, [gone]);

    await sut.execute(job(residentId, confirmed));
    await sut.execute(job(residentId, theirs));
    await sut.execute(job(residentId, gone));

    for (const address of ['done@example.jp', 'theirs@example.jp', 'gone@example.jp']) {
      expect(smtp.receivedFor(address)).toHaveLength(0);
    }
  });

  it('refuses to mail an unsigned link: without ONE_TAP_SECRET the job fails and is retried', async () => {
    const residentId = await resident();
    const endpointId = await email(residentId, 'later@example.jp');

    await expect(useCase({}).execute(job(residentId, endpointId))).rejects.toMatchObject({
      code: ErrorCode.Unavailable,
    });
    expect(smtp.receivedFor('later@example.jp')).toHaveLength(0);
  });
});
