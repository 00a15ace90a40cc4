import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Role, OneTapPurpose, signOneTapToken } from '@bousai/domain';
import { FakeSmtpServer, testQueuePrefix } from '@bousai/testing';
import { FanoutModule } from '../../../apps/fanout/src/fanout.module';
import { dropQueueKeys, eventually, FAST_FANOUT } from '../../integration/fanout/support/fanout-harness';
import { startApi, type ApiHarness } from '../support/api-harness';

const SECRET = 'one-tap-secret-for-e2e-0123456789abcdef';

/**
 * The api stores the address and asks for the mail through the outbox; the fanout (here in process, with its real
 * email sender) signs the link and mails it over SMTP to the fake server.
 */
describe('resident email address confirmation', () => {
  let sut: ApiHarness;
  let fanout: INestApplication;
  let smtp: FakeSmtpServer;
  let base: string;
  const prefix = testQueuePrefix();

  async function enrol(externalId: string): Promise<{ credential: string; residentId: string }> {
    const op = ['Authorization', `Bearer ${await sut.token(sut.tenants[0], Role.Operator)}`] as const;
    const r = await sut.http
      .post(`${base}/residents`)
      .set(...op)
      .send({ externalId, name: '確認 テスト' });
    const code = await sut.http
      .post(`${base}/residents/${r.body.id}/enrolment-codes`)
      .set(...op)
      .send();
    const enrolled = await sut.http.post('/v1/resident/enrol').send({ code: code.body.code });
    return { credential: enrolled.body.credential as string, residentId: r.body.id as string };
  }

  const register = (credential: string, email: string) =>
    sut.http
      .post('/v1/resident/endpoints')
      .set('Authorization', `Bearer ${credential}`)
      .send({ channel: 'email', email });

  const confirmedAt = async (endpointId: string) =>
    (
      await sut.db.dataSource.query<{ confirmed_at: Date | null }[]>(
        `SELECT confirmed_at FROM endpoint WHERE id = $1`,
        [endpointId],
      )
    )[0].confirmed_at;

  /** The token in the link of the last confirmation mail to `address`, once the fanout has mailed it. */
  async function linkToken(address: string): Promise<string> {
    await eventually(() => smtp.receivedFor(address).length > 0);
    const mail = smtp.receivedFor(address).at(-1)!;
    const url = /https:\/\/bousai\.example\.jp\/v1\/resident\/email\/confirm\?token=(\S+)/.exec(
      mail.text ?? '',
    );
    return decodeURIComponent(url![1]);
  }

  beforeAll(async () => {
    smtp = await FakeSmtpServer.start();
    sut = await startApi({
      ONE_TAP_SECRET: SECRET,
      PUBLIC_BASE_URL: 'https://bousai.example.jp',
      QUEUE_PREFIX: prefix,
    });
    fanout = await NestFactory.create(
      FanoutModule.forRoot({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: sut.db.url,
        DATABASE_POOL_SIZE: '4',
        QUEUE_PREFIX: prefix,
        ...FAST_FANOUT,
        FANOUT_CHANNELS: 'email',
        ONE_TAP_SECRET: SECRET,
        SMTP_HOST: smtp.host,
        SMTP_PORT: String(smtp.port),
        SMTP_FROM: 'bousai@city.yasugi.example.jp',
      }),
      { logger: false },
    );
    await fanout.init();
    base = `/v1/municipalities/${sut.tenants[0].municipalityId}`;
  });
  afterAll(async () => {
    await fanout.close();
    await sut.close();
    await smtp.close();
    await dropQueueKeys(prefix);
  });

  it('mails a link; opening it confirms nothing, pressing its button does, and the address then gets alerts', async () => {
    const { credential } = await enrol('MAIL-1');
    const res = await register(credential, 'taro@example.jp');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ channel: 'email', confirmed: false, confirmation: 'queued' });
    // asked for durably with the registration: the job is in the outbox, without the address
    const [row] = await sut.db.dataSource.query<{ topic: string; payload: Record<string, unknown> }[]>(
      `SELECT topic, payload FROM outbox WHERE payload->>'endpointId' = $1`,
      [res.body.id],
    );
    expect(row.topic).toBe('email.confirm');
    expect(JSON.stringify(row.payload)).not.toContain('taro@');

    const token = await linkToken('taro@example.jp');
    expect(smtp.receivedFor('taro@example.jp')).toHaveLength(1);
    expect(smtp.receivedFor('taro@example.jp')[0].subject).toBe('【防災情報】メールアドレスの確認');
    // a mail scanner fetching the link sees a page, and nothing changes
    const page = await sut.http.get('/v1/resident/email/confirm').query({ token });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post" action="confirm">');
    expect(await confirmedAt(res.body.id)).toBeNull();

    const done = await sut.http.post('/v1/resident/email/confirm').type('form').send({ token });
    expect(done.status).toBe(200);
    expect(done.text).toContain('登録が完了しました');
    expect(await confirmedAt(res.body.id)).toBeInstanceOf(Date);
    const audit = await sut.db.dataSource.query(
      `SELECT 1 FROM audit_log WHERE action = 'endpoint.confirm_email'`,
    );
    expect(audit).toHaveLength(1);

    // registering the confirmed address again sends no second mail and keeps it confirmed
    const again = await register(credential, 'taro@example.jp');
    expect(again.body).toMatchObject({ confirmed: true });
    expect(again.body.confirmation).toBeUndefined();
    expect(smtp.receivedFor('taro@example.jp')).toHaveLength(1);
  });

  it('refuses forged, expired, altered and other-purpose tokens, and a token for someone else’s endpoint', async () => {
    const { credential, residentId } = await enrol('MAIL-2');
    const res = await register(credential, 'hanako@example.jp');
    const token = await linkToken('hanako@example.jp');
    const [payload, mac] = token.split('.');
    const cases = [
      'not-a-token',
      `${payload}.${mac.slice(0, -2)}AA`,
      signOneTapToken(
        {
          purpose: OneTapPurpose.ConfirmEmail,
          residentId,
          answer: res.body.id,
          expiresAt: Date.now() + 60_000,
        },
        'another-secret-of-the-same-length-000000',
      ),
      signOneTapToken(
        { purpose: OneTapPurpose.ConfirmEmail, residentId, answer: res.body.id, expiresAt: Date.now() - 1 },
        SECRET,
      ),
      signOneTapToken(
        {
          purpose: OneTapPurpose.SafetyAnswer,
          residentId,
          alertId: res.body.id,
          answer: 'safe',
          expiresAt: Date.now() + 60_000,
        },
        SECRET,
      ),
    ];
    for (const bad of cases) {
      const r = await sut.http
        .post('/v1/resident/email/confirm')
        .accept('json')
        .type('form')
        .send({ token: bad });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toMatch(/^TOKEN_/);
      // a browser gets a readable page with the same status, never the JSON
      const page = await sut.http
        .post('/v1/resident/email/confirm')
        .set('Accept-Language', 'en')
        .type('form')
        .send({ token: bad });
      expect(page.status).toBe(401);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toMatch(/This link (has expired|is not valid)/);
    }
    const { residentId: stranger } = await enrol('MAIL-3');
    const theirs = signOneTapToken(
      {
        purpose: OneTapPurpose.ConfirmEmail,
        residentId: stranger,
        answer: res.body.id,
        expiresAt: Date.now() + 60_000,
      },
      SECRET,
    );
    expect(
      (await sut.http.post('/v1/resident/email/confirm').type('form').send({ token: theirs })).status,
    ).toBe(404);
    expect(await confirmedAt(res.body.id)).toBeNull();
  });

  it('marks an address that does not exist dead', async () => {
    const { credential } = await enrol('MAIL-4');
    smtp.setBehaviour('nobody@example.jp', { kind: 'reject', code: 550, enhanced: '5.1.1' });
    const res = await register(credential, 'nobody@example.jp');
    expect(res.body).toMatchObject({ confirmation: 'queued' });
    const status = async () =>
      (
        await sut.db.dataSource.query<{ status: string }[]>(`SELECT status FROM endpoint WHERE id = $1`, [
          res.body.id,
        ])
      )[0].status;
    await eventually(async () => (await status()) === 'dead');
    const own = await sut.http.get('/v1/resident/endpoints').set('Authorization', `Bearer ${credential}`);
    expect(own.body).toEqual([expect.objectContaining({ id: res.body.id, status: 'dead' })]);
  });

  it('asks again for an unconfirmed address registered again, and mails each request once', async () => {
    const { credential } = await enrol('MAIL-5');
    const first = await register(credential, 'jiro@example.jp');
    await linkToken('jiro@example.jp');
    const again = await register(credential, 'jiro@example.jp');
    expect(again.body).toMatchObject({ id: first.body.id, confirmed: false, confirmation: 'queued' });
    await eventually(() => smtp.receivedFor('jiro@example.jp').length === 2);
    const jobs = await sut.db.dataSource.query<{ job_id: string }[]>(
      `SELECT job_id FROM outbox WHERE payload->>'endpointId' = $1`,
      [first.body.id],
    );
    expect(new Set(jobs.map((j) => j.job_id)).size).toBe(2);
  });
});
