import { pipesAccept } from '../input/pipes.testing';
import { AcksDto, isPlainAcks, isPlainSignedAck, SignedAckDto } from './acks.dto';

const TOKEN = 'eyJkIjoiMTIzIiwiZSI6MTc2NDU1MDAwMDAwMH0.b64url-mac_value';

const SIGNED_BODIES: unknown[] = [
  { token: TOKEN, stage: 'delivered' },
  { token: TOKEN, stage: 'read', deviceAt: '2026-11-24T09:00:01.000Z' },
  { token: TOKEN, stage: 'read', deviceAt: '2026-11-24T18:00:01+09:00' },
  { token: TOKEN, stage: 'read', deviceAt: '1970-01-01T00:00:00Z' },
  { token: TOKEN, stage: 'sent' },
  { token: TOKEN, stage: 'read', deviceAt: '2026-02-30T09:00:00Z' },
  { token: TOKEN, stage: 'read', deviceAt: '2026-11-24 09:00:00Z' },
  { token: TOKEN, stage: 'read', deviceAt: '2026-11-24' },
  { token: TOKEN, stage: 'read', deviceAt: '1969-12-31T23:59:59Z' },
  { token: TOKEN, stage: 'read', deviceAt: '2026-11-24T24:00:00Z' },
  { token: TOKEN, stage: 'read', deviceAt: null },
  { token: TOKEN, stage: 'read', deviceAt: 1764000000 },
  { token: '', stage: 'read' },
  { token: 'x'.repeat(256), stage: 'read' },
  { token: 'x'.repeat(257), stage: 'read' },
  { token: 'tok\u0000en', stage: 'read' },
  { token: 'トークン', stage: 'read' },
  { token: 42, stage: 'read' },
  { token: TOKEN, stage: 'read', extra: 1 },
  JSON.parse(`{"token":"${TOKEN}","stage":"read","__proto__":{"x":1}}`),
  { stage: 'read' },
  [{ token: TOKEN, stage: 'read' }],
  null,
  'text',
];

const ack = (fields: object) => ({ deliveryId: '1234567', stage: 'delivered', ...fields });
const ACKS_BODIES: unknown[] = [
  { acks: [ack({})] },
  { acks: [ack({ stage: 'read', deviceAt: '2026-11-24T09:00:01.000Z' }), ack({ deliveryId: '9' })] },
  { acks: Array.from({ length: 500 }, () => ack({})) },
  { acks: Array.from({ length: 501 }, () => ack({})) },
  { acks: [] },
  { acks: [ack({ deliveryId: '0123' })] },
  { acks: [ack({ deliveryId: '12345678901234567890' })] },
  { acks: [ack({ deliveryId: 1234567 })] },
  { acks: [ack({ stage: 'failed' })] },
  { acks: [ack({ deviceAt: 'yesterday' })] },
  { acks: [ack({ other: true })] },
  { acks: [ack({}), null] },
  { acks: ack({}) },
  { acks: [ack({})], more: [] },
  {},
];

describe('plain ack bodies (served before express)', () => {
  it.each(SIGNED_BODIES.map((b) => [JSON.stringify(b), b]))(
    'accepts a signed ack only when the pipes would: %s',
    (_, body) => {
      expect(isPlainSignedAck(body) && !pipesAccept(SignedAckDto, body)).toBe(false);
    },
  );

  it.each(ACKS_BODIES.map((b) => [JSON.stringify(b).slice(0, 120), b]))(
    "accepts a resident's acks only when the pipes would: %s",
    (_, body) => {
      expect(isPlainAcks(body) && !pipesAccept(AcksDto, body)).toBe(false);
    },
  );

  it('accepts the bodies phones send, so that they are served before express', () => {
    expect(SIGNED_BODIES.slice(0, 4).map(isPlainSignedAck)).toEqual([true, true, true, true]);
    expect(ACKS_BODIES.slice(0, 3).map(isPlainAcks)).toEqual([true, true, true]);
  });

  it('is tried on bodies the pipes refuse as well as on those they accept', () => {
    expect(SIGNED_BODIES.filter((b) => !pipesAccept(SignedAckDto, b)).length).toBeGreaterThanOrEqual(10);
    expect(ACKS_BODIES.filter((b) => !pipesAccept(AcksDto, b)).length).toBeGreaterThanOrEqual(10);
  });
});
