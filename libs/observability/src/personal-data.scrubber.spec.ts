import { MASK, scrubPersonalData, scrubText } from './personal-data.scrubber';

describe(scrubText.name, () => {
  it.each([
    ['SMTP 550 for taro.yamada+alerts@example.co.jp', 'SMTP 550 for [email]'],
    ['連絡先：hanako@city.yasugi.shimane.jp まで', '連絡先：[email] まで'],
    ['call 090-1234-5678 now', 'call [phone] now'],
    ['固定 0854-23-3000、携帯 09012345678', '固定 [phone]、携帯 [phone]'],
    ['03(1234)5678', '[phone]'],
    ['0120 123 456', '[phone]'],
    ['全角 ０９０−１２３４−５６７８', '全角 [phone]'],
    ['ダッシュ 090ー1234ー5678', 'ダッシュ [phone]'],
    ['Tel.0312345678', 'Tel.[phone]'],
    ['E.164 +819012345678 and +81 90-1234-5678', 'E.164 [phone] and [phone]'],
    ['+1 415-555-2671', '[phone]'],
    ['Authorization: Bearer eyJhbGciOi.eyJzdWIiOiIx.sig_-x', 'Authorization: Bearer [redacted]'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc_DEF-123', 'token [redacted]'],
    ['Basic dXNlcjpwYXNzd29yZA==', 'Basic [redacted]'],
    ['postgres://bousai:s3cret@db:5432/bousai', 'postgres://[redacted]@db:5432/bousai'],
    ['GET /safety/answer?token=abc.def&choice=safe', 'GET /safety/answer?token=[redacted]&choice=safe'],
    [
      'push to https://fcm.googleapis.com/fcm/send/dXk6:APA91bHun4',
      'push to https://fcm.googleapis.com/[redacted]',
    ],
    [
      'gone: https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk',
      'gone: https://updates.push.services.mozilla.com/[redacted]',
    ],
    ['token dKx7_abcdefgh:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx', 'token [redacted]'],
  ])('masks %j', (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });

  it.each([
    'alert 3f0c2a9e-0312-4567-8901-123456789abc queued',
    'batch 0 of 12, 500 sent in 1234 ms',
    'event 20240101000000 at 2024-05-12T09:00:00+09:00',
    'area 3220600, intensity 5-',
    'took 0.0123456789 s',
    'UTC+9 2024-05-01',
    'code 0001-01-01',
    'user 1715000000000',
    'job delivery.send-batch attempt 3',
  ])('keeps %j', (input) => {
    expect(scrubText(input)).toBe(input);
  });

  it('keeps JSON valid when run over a serialised line, escapes included', () => {
    const record = {
      msg: 'line1\ntaro@example.jp\n09012345678\ttab\\Bearer abc.def',
      err: { message: '"quoted" hanako@example.org', stack: 'Error\n    at x (/a.ts:1:1)' },
      time: 1715000000000,
      ratio: 0.0123456789,
      big: 1e21,
      neg: -0.012345678901,
    };
    const out = scrubText(JSON.stringify(record));
    const parsed = JSON.parse(out) as typeof record;
    expect(parsed.msg).toBe(`line1\n${MASK.email}\n${MASK.phone}\ttab\\Bearer ${MASK.secret}`);
    expect(parsed.err.message).toBe(`"quoted" ${MASK.email}`);
    expect([parsed.time, parsed.ratio, parsed.big, parsed.neg]).toEqual([
      record.time,
      record.ratio,
      record.big,
      record.neg,
    ]);
  });
});

describe(scrubPersonalData.name, () => {
  it('masks sensitive keys at any depth and scrubs every string, without touching its input', () => {
    const input = {
      alertId: 'a-1',
      resident: { email: 'a@example.jp', phone: '090-1234-5678', Name: 'x' },
      endpoints: [{ channel: 'webpush', subscription: { endpoint: 'https://x', keys: { p256dh: 'k' } } }],
      note: 'free text',
      detail: 'reply to b@example.jp',
      when: new Date(0),
    };
    const copy = structuredClone(input);
    expect(scrubPersonalData(input)).toEqual({
      alertId: 'a-1',
      resident: { email: MASK.secret, phone: MASK.secret, Name: 'x' },
      endpoints: [{ channel: 'webpush', subscription: MASK.secret }],
      note: MASK.secret,
      detail: `reply to ${MASK.email}`,
      when: new Date(0),
    });
    expect(input).toEqual(copy);
  });

  it('flattens errors with their messages and stacks scrubbed', () => {
    const err = Object.assign(new Error('no mailbox c@example.jp'), { code: 'EENVELOPE' });
    const out = scrubPersonalData({ err }) as unknown as { err: Record<string, unknown> };
    expect(out.err).toMatchObject({ type: 'Error', message: `no mailbox ${MASK.email}`, code: 'EENVELOPE' });
    expect(out.err.stack).not.toContain('c@example.jp');
  });

  it('survives cycles and returns primitives unchanged', () => {
    const a: Record<string, unknown> = { email: 'x@y.jp' };
    a.self = a;
    expect(scrubPersonalData(a)).toEqual({ email: MASK.secret, self: '[Circular]' });
    expect(scrubPersonalData(42)).toBe(42);
    expect(scrubPersonalData(null)).toBeNull();
  });
});
