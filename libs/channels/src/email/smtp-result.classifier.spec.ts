import { classifySmtpResult } from './smtp-result.classifier';

const rcpt = (responseCode: number, response: string) =>
  classifySmtpResult('d-1', { error: { code: 'EENVELOPE', responseCode, response, command: 'RCPT TO' } });

describe(classifySmtpResult.name, () => {
  it('counts an accepted recipient as sent with its Message-ID', () => {
    expect(classifySmtpResult('d-1', { accepted: true, messageId: '<m@x>' })).toEqual({
      deliveryId: 'd-1',
      kind: 'sent',
      providerMessageId: '<m@x>',
    });
  });

  it('marks the address dead when a permanent refusal names it', () => {
    expect(rcpt(550, '550 5.1.1 <a@x.jp>: Recipient address rejected: User unknown')).toEqual({
      deliveryId: 'd-1',
      kind: 'failed',
      errorCode: 'SMTP_550_5.1.1',
      endpointDead: true,
    });
    expect(rcpt(550, '550 5.2.1 Mailbox disabled')).toMatchObject({ endpointDead: true });
    expect(rcpt(553, '553 mailbox name not allowed')).toMatchObject({
      errorCode: 'SMTP_553',
      endpointDead: true,
    });
  });

  it('keeps the address on policy refusals, content refusals and a refused sender', () => {
    expect(rcpt(550, '550 5.7.1 Relaying denied')).toMatchObject({ kind: 'failed', endpointDead: false });
    expect(rcpt(554, '554 Transaction failed')).toMatchObject({ kind: 'failed', endpointDead: false });
    expect(
      classifySmtpResult('d-1', {
        error: {
          code: 'EMESSAGE',
          responseCode: 554,
          response: '554 5.6.0 Message rejected',
          command: 'DATA',
        },
      }),
    ).toMatchObject({ kind: 'failed', errorCode: 'SMTP_554_5.6.0', endpointDead: false });
    expect(
      classifySmtpResult('d-1', {
        error: {
          code: 'EENVELOPE',
          responseCode: 550,
          response: '550 5.1.8 Bad sender',
          command: 'MAIL FROM',
        },
      }),
    ).toMatchObject({ kind: 'failed', endpointDead: false });
  });

  it('retries 4xx, 503, a refused login and errors without a reply', () => {
    expect(rcpt(451, '451 4.3.0 Try again later')).toEqual({
      deliveryId: 'd-1',
      kind: 'retry',
      errorCode: 'SMTP_451',
    });
    expect(rcpt(503, '503 5.5.1 Bad sequence')).toMatchObject({ kind: 'retry' });
    expect(
      classifySmtpResult('d-1', {
        error: { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Bad', command: 'AUTH PLAIN' },
      }),
    ).toEqual({ deliveryId: 'd-1', kind: 'retry', errorCode: 'SMTP_535' });
    expect(classifySmtpResult('d-1', { error: { code: 'ECONNECTION' } })).toEqual({
      deliveryId: 'd-1',
      kind: 'retry',
      errorCode: 'ECONNECTION',
    });
    expect(classifySmtpResult('d-1', { error: {} })).toMatchObject({
      kind: 'retry',
      errorCode: 'SMTP_ERROR',
    });
  });
});
