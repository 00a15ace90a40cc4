import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { type DeliveryOutcome, type DeliveryTarget, type OutgoingMessage } from '@bousai/channels';
import { EmailChannelAdapter, EmailChannelModule, createEmailChannelAdapter } from '@bousai/channels/senders';
import { ConfigModule, loadConfig, type Env } from '@bousai/config';
import {
  cancellationNoticeTexts,
  Channel,
  OneTapPurpose,
  SAFETY_LINK_TTL_MS,
  verifyOneTapToken,
} from '@bousai/domain';
import { FakeSmtpServer } from '@bousai/testing';
import { evacuationAlert } from './support/evacuation-alert';

let serial = 0;
function target(overrides: Partial<DeliveryTarget> = {}): DeliveryTarget {
  serial++;
  return {
    deliveryId: String(1_000 + serial),
    endpointId: randomUUID(),
    address: `resident${serial}-${randomUUID().slice(0, 8)}@example.jp`,
    language: 'ja',
    ...overrides,
  };
}

/** The evacuation order with a two-line Japanese body (paragraph handling in the HTML part). */
function alert(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  const base = evacuationAlert();
  return evacuationAlert({
    texts: {
      ...base.texts,
      ja: { title: '避難指示', body: '中央地区に避難指示を発令しました。\n直ちに避難してください。' },
    },
    ...overrides,
  });
}

const byKind = (outcomes: DeliveryOutcome[]) =>
  outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.kind]: (acc[o.kind] ?? 0) + 1 }), {});

describe(EmailChannelAdapter.name, () => {
  let smtp: FakeSmtpServer;
  let env: Env;
  const adapters: EmailChannelAdapter[] = [];

  /** The adapter exactly as the fanout app builds it, from its validated configuration. */
  function sutFromConfig(overrides: Env = {}): EmailChannelAdapter {
    const sut = createEmailChannelAdapter(loadConfig('fanout', { ...env, ...overrides }));
    adapters.push(sut);
    return sut;
  }

  beforeAll(async () => {
    smtp = await FakeSmtpServer.start();
    env = {
      SMTP_HOST: smtp.host,
      SMTP_PORT: String(smtp.port),
      SMTP_FROM: '安来市防災 <bousai@city.example.jp>',
      SMTP_POOL_MAX: '3',
      SMTP_TIMEOUT_MS: '5000',
    };
  });

  afterAll(async () => {
    for (const a of adapters) a.onModuleDestroy();
    await smtp.close();
  });

  beforeEach(() => smtp.reset());

  it('is the email channel', () => {
    expect(sutFromConfig().channel).toBe(Channel.Email);
  });

  it('sends one message per recipient, text and HTML, in their language, through a pool of connections', async () => {
    const sut = sutFromConfig();
    const targets = Array.from({ length: 30 }, () => target());
    targets[1] = target({ language: 'en' });
    const message = alert();

    const outcomes = await sut.send(targets, message);

    expect(byKind(outcomes)).toEqual({ sent: 30 });
    expect(outcomes[0]).toMatchObject({
      providerMessageId: `<${targets[0].deliveryId}.${message.alertId}@city.example.jp>`,
    });
    expect(smtp.received).toHaveLength(30);
    expect(smtp.received.every((m) => m.to.length === 1)).toBe(true);
    // the pool: never more connections than SMTP_POOL_MAX for the whole batch
    expect(smtp.stats().connections).toBeLessThanOrEqual(3);
    const [ja] = smtp.receivedFor(targets[0].address);
    expect(ja.from).toBe('bousai@city.example.jp');
    expect(ja.subject).toBe('避難指示');
    expect(ja.text).toContain('直ちに避難してください。');
    expect(ja.html).toContain('<p>中央地区に避難指示を発令しました。<br>直ちに避難してください。</p>');
    expect(ja.headers.get('auto-submitted')).toBe('auto-generated');
    expect(ja.headers.get('x-bousai-alert-id')).toBe(message.alertId);
    expect(ja.headers.get('x-bousai-delivery-id')).toBe(targets[0].deliveryId);
    expect(ja.headers.get('importance')).toBe('high');
    const [en] = smtp.receivedFor(targets[1].address);
    expect(en.subject).toBe('Evacuation order');
    expect(smtp.stats().duplicates).toBe(0);
  });

  it("carries each resident's own signed one-tap answer links when the alert asks for a safety confirmation", async () => {
    const secret = 'one-tap-secret-for-email-tests-0123456789';
    const sut = sutFromConfig({ ONE_TAP_SECRET: secret, PUBLIC_BASE_URL: 'https://bousai.city.example.jp/' });
    const [resident, english, household] = [
      target({ residentId: randomUUID() }),
      target({ residentId: randomUUID(), language: 'en' }),
      target({ residentId: null }),
    ];
    const message = alert();
    await sut.send([resident, english, household], message);

    const [ja] = smtp.receivedFor(resident.address);
    const text = ja.text ?? '';
    expect(text).toContain('安否確認：');
    const links = [
      ...text.matchAll(
        /^(.+):\r?\n(https:\/\/bousai\.city\.example\.jp\/v1\/safety\/answer\?token=(\S+))\r?$/gm,
      ),
    ];
    // labelled as the one-tap page that confirms them labels them
    expect(links.map((m) => m[1])).toEqual(['無事です', '助けが必要です', 'けがをしています']);
    expect(
      links.map((m) => {
        const claims = verifyOneTapToken(m[3], secret, { purpose: OneTapPurpose.SafetyAnswer });
        expect(claims.expiresAt).toBeGreaterThan(Date.now() + SAFETY_LINK_TTL_MS - 60_000);
        return [claims.residentId, claims.alertId, claims.answer];
      }),
    ).toEqual(
      ['safe', 'need_help', 'injured'].map((answer) => [resident.residentId, message.alertId, answer]),
    );
    for (const m of links) expect(ja.html).toContain(`<a href="${m[2]}">${m[1]}</a>`);
    // one resident's link answers for nobody else
    const [en] = smtp.receivedFor(english.address);
    expect(en.text).toMatch(/I am safe:\r?\nhttps:\/\/bousai\.city\.example\.jp\/v1\/safety\/answer\?token=/);
    expect(en.text).not.toContain(links[0][3]);

    // no links where nobody can answer with them: a household endpoint, an alert that asks nothing, a notice
    expect(smtp.receivedFor(household.address)[0].text).not.toContain('/v1/safety/answer');
    smtp.reset();
    await sut.send([resident], alert({ safetyRequest: false }));
    await sut.send([english], alert({ cancelsAlertId: randomUUID() }));
    // nor for a resident who already answered (a correction carries the answer to what it corrects)
    await sut.send([target({ residentId: randomUUID(), safetyStatus: 'safe' })], alert());
    expect(smtp.received.map((m) => (m.text ?? '').includes('/v1/safety/answer'))).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('escapes alert text in the HTML part and marks drills and cancellations in the subject, once', async () => {
    const sut = sutFromConfig();
    const t = target();
    await sut.send(
      [t],
      alert({
        isDrill: true,
        cancelsAlertId: randomUUID(),
        texts: cancellationNoticeTexts({ ja: { title: '訓練<script>', body: 'A & B <b>"x"</b>' } }, true),
      }),
    );
    const [got] = smtp.receivedFor(t.address);
    expect(got.subject).toBe('【訓練】【取消】訓練<script>');
    expect(got.html).toContain('「訓練&lt;script&gt;」');
    expect(got.html).not.toContain('<script>');
    expect(got.text).toContain('「訓練<script>」は取り消されました');
  });

  it('marks an address dead on a permanent refusal that names it, and keeps it on policy or content refusals', async () => {
    const sut = sutFromConfig();
    const [ok, unknown, bare, policy, content] = Array.from({ length: 5 }, () => target());
    smtp.setBehaviour(unknown.address, { kind: 'reject', code: 550, enhanced: '5.1.1' });
    smtp.setBehaviour(bare.address, { kind: 'reject', code: 553, enhanced: '' });
    smtp.setBehaviour(policy.address, {
      kind: 'reject',
      code: 550,
      enhanced: '5.7.1',
      message: 'Relaying denied',
    });
    smtp.setBehaviour(content.address, { kind: 'reject-message', code: 554 });

    const outcomes = await sut.send([ok, unknown, bare, policy, content], alert());

    expect(outcomes).toEqual([
      expect.objectContaining({ kind: 'sent' }),
      { deliveryId: unknown.deliveryId, kind: 'failed', errorCode: 'SMTP_550_5.1.1', endpointDead: true },
      { deliveryId: bare.deliveryId, kind: 'failed', errorCode: 'SMTP_553', endpointDead: true },
      { deliveryId: policy.deliveryId, kind: 'failed', errorCode: 'SMTP_550_5.7.1', endpointDead: false },
      { deliveryId: content.deliveryId, kind: 'failed', errorCode: 'SMTP_554_5.6.0', endpointDead: false },
    ]);
    expect(smtp.receivedFor(ok.address)).toHaveLength(1);
    expect(smtp.receivedFor(unknown.address)).toHaveLength(0);
  });

  it('retries a temporary refusal, and sends once the server accepts', async () => {
    const sut = sutFromConfig();
    const t = target();
    smtp.setBehaviour(t.address, { kind: 'defer', code: 451, times: 1 });

    expect(await sut.send([t], alert())).toEqual([
      { deliveryId: t.deliveryId, kind: 'retry', errorCode: 'SMTP_451' },
    ]);
    expect(await sut.send([t], alert())).toEqual([expect.objectContaining({ kind: 'sent' })]);
  });

  it('retries every recipient when the server cannot be reached', async () => {
    const gone = await FakeSmtpServer.start();
    const port = String(gone.port);
    await gone.close();
    const sut = sutFromConfig({ SMTP_PORT: port, SMTP_TIMEOUT_MS: '2000' });

    const outcomes = await sut.send([target(), target()], alert());

    expect(outcomes.map((o) => o.kind)).toEqual(['retry', 'retry']);
    expect(outcomes[0]).toMatchObject({ errorCode: expect.stringMatching(/^E[A-Z]+$/) });
  });

  it('does not send an expired alert', async () => {
    const sut = sutFromConfig();
    expect(await sut.send([target()], alert({ expiresAt: Date.now() - 1 }))).toEqual([
      expect.objectContaining({ kind: 'failed', errorCode: 'EXPIRED', endpointDead: false }),
    ]);
    expect(smtp.received).toHaveLength(0);
  });

  it('logs in over STARTTLS with the configured credentials, and retries when they are refused', async () => {
    const secure = await FakeSmtpServer.start({ starttls: true, users: { bousai: 'correct horse battery' } });
    try {
      const base = {
        SMTP_HOST: secure.host,
        SMTP_PORT: String(secure.port),
        SMTP_USER: 'bousai',
        SMTP_TLS_INSECURE: 'true',
      };
      const sut = sutFromConfig({ ...base, SMTP_PASS: 'correct horse battery' });
      const wrong = sutFromConfig({ ...base, SMTP_PASS: 'wrong password' });
      const t = target();

      expect(await sut.send([t], alert())).toEqual([expect.objectContaining({ kind: 'sent' })]);
      expect(secure.receivedFor(t.address)[0]).toMatchObject({ secure: true, user: 'bousai' });
      expect(await wrong.send([target()], alert())).toEqual([
        expect.objectContaining({ kind: 'retry', errorCode: 'SMTP_535' }),
      ]);
    } finally {
      await secure.close();
    }
  });

  it('is provided by EmailChannelModule from the fanout configuration', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forApp('fanout', env), EmailChannelModule],
    }).compile();
    const sut = moduleRef.get(EmailChannelAdapter);
    const t = target();
    expect(await sut.send([t], alert())).toEqual([expect.objectContaining({ kind: 'sent' })]);
    await moduleRef.close();
  });
});
