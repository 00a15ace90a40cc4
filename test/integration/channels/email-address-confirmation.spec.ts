import { randomUUID } from 'node:crypto';
import { AddressConfirmationMailer, createSmtpTransport } from '@bousai/channels/senders';
import { loadConfig } from '@bousai/config';
import { OneTapPurpose, signOneTapToken, verifyOneTapToken } from '@bousai/domain';
import { FakeSmtpServer } from '@bousai/testing';

const SECRET = 'confirmation-test-secret-0123456789abcdef';

/**
 * The mail half of address confirmation: the link a resident receives carries a one-tap token that verifies for
 * exactly that resident and endpoint. (The api route that consumes it is not built yet.)
 */
describe(AddressConfirmationMailer.name, () => {
  let smtp: FakeSmtpServer;
  let sut: AddressConfirmationMailer;

  beforeAll(async () => {
    smtp = await FakeSmtpServer.start();
    const config = loadConfig('fanout', { SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port) });
    sut = new AddressConfirmationMailer(createSmtpTransport(config), 'bousai@city.example.jp');
  });
  afterAll(async () => {
    sut.close();
    await smtp.close();
  });

  it('mails a link whose token confirms this resident’s endpoint, and nothing else', async () => {
    const residentId = randomUUID();
    const endpointId = randomUUID();
    const token = signOneTapToken(
      {
        purpose: OneTapPurpose.ConfirmEmail,
        residentId,
        answer: endpointId,
        expiresAt: Date.now() + 86_400_000,
      },
      SECRET,
    );
    const link = `https://bousai.example.jp/v1/resident/endpoints/confirm?token=${token}`;

    const outcome = await sut.send('taro@example.jp', link, 'ja', endpointId);

    expect(outcome).toMatchObject({ deliveryId: endpointId, kind: 'sent' });
    const [mail] = smtp.receivedFor('taro@example.jp');
    expect(mail.subject).toBe('【防災情報】メールアドレスの確認');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    const found = /token=([A-Za-z0-9_.-]+)/.exec(mail.text ?? '')?.[1];
    expect(found).toBe(token);
    expect(mail.html).toContain(`href="${link}"`);
    expect(verifyOneTapToken(found!, SECRET, { purpose: OneTapPurpose.ConfirmEmail })).toMatchObject({
      residentId,
      answer: endpointId,
    });
    expect(() => verifyOneTapToken(found!, SECRET, { purpose: OneTapPurpose.SafetyAnswer })).toThrow(
      /another purpose/,
    );
  });

  it('reports an address the server does not know as dead', async () => {
    smtp.setBehaviour('nobody@example.jp', { kind: 'reject', code: 550, enhanced: '5.1.1' });
    expect(await sut.send('nobody@example.jp', 'https://x.example/c', 'en', 'e-1')).toEqual({
      deliveryId: 'e-1',
      kind: 'failed',
      errorCode: 'SMTP_550_5.1.1',
      endpointDead: true,
    });
  });
});
