import {
  Channel,
  isLanguage,
  parseEmail,
  parseFcmToken,
  parseLineUserId,
  parseWebPushSubscription,
} from '@bousai/domain';
import { generateDemoRoster, NEEDS_ASSISTANCE_RATE, STAFF_RATE } from './demo-roster.generator';
import { mulberry32, ORDERED_ID_EPOCH_MS, Random } from './prng';

// a real uncompressed P-256 point and a 16-byte auth secret (fixed so the roster is reproducible)
const secrets = {
  receiverSecretHash:
    '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA',
  webPushKeys: {
    p256dh: 'BM6Kdj3mkdhxxem3ibcQImyGHCukmfp7Rykn9wPVkhNtcjEdY3yCYTvzJ-EllntW3rCzgfYO5R8WzRxQRBJFWBg',
    auth: '61lzeEjs2iYTVAOaoCsXAQ',
  },
};
const now = new Date('2026-04-01T00:00:00Z');

describe(generateDemoRoster.name, () => {
  const opts = { households: 400, residents: 1000, seed: 42, now };

  it('is deterministic: the same seed gives the same roster, ids included', () => {
    expect(generateDemoRoster(opts, secrets)).toEqual(generateDemoRoster(opts, secrets));
  });

  it('gives a different roster for a different seed', () => {
    const a = generateDemoRoster(opts, secrets);
    const b = generateDemoRoster({ ...opts, seed: 43 }, secrets);
    expect(b.residents[0].id).not.toBe(a.residents[0].id);
    expect(b.endpoints.map((e) => e.address)).not.toEqual(a.endpoints.map((e) => e.address));
  });

  it('has the requested size and shares of 要援護者 and staff', () => {
    const sut = generateDemoRoster(opts, secrets);
    expect(sut.households).toHaveLength(400);
    expect(sut.residents).toHaveLength(1000);
    expect(sut.residents.filter((r) => r.needsAssistance)).toHaveLength(
      Math.round(1000 * NEEDS_ASSISTANCE_RATE),
    );
    expect(sut.residents.filter((r) => r.staff)).toHaveLength(Math.round(1000 * STAFF_RATE));
    expect(sut.residents.some((r) => r.staff && r.needsAssistance)).toBe(false);
    const householdIds = new Set(sut.households.map((h) => h.id));
    expect(sut.residents.every((r) => householdIds.has(r.householdId))).toBe(true);
    expect(new Set(sut.residents.map((r) => r.householdId)).size).toBe(400);
    expect(sut.residents.every((r) => isLanguage(r.language))).toBe(true);
  });

  it('gives every 要援護者 two supporters in priority order and one receiver on the household', () => {
    const sut = generateDemoRoster(opts, secrets);
    const receivers = sut.endpoints.filter((e) => e.channel === Channel.Receiver);
    for (const r of sut.residents.filter((x) => x.needsAssistance)) {
      expect(
        sut.supporters
          .filter((s) => s.residentId === r.id)
          .map((s) => s.priority)
          .sort(),
      ).toEqual([1, 2]);
      expect(receivers.filter((e) => e.householdId === r.householdId)).toHaveLength(1);
    }
    expect(receivers.every((e) => e.secretHash === secrets.receiverSecretHash && e.residentId === null)).toBe(
      true,
    );
  });

  it('writes only endpoint addresses the domain validators accept, each unique per channel', () => {
    const sut = generateDemoRoster(opts, secrets);
    for (const e of sut.endpoints) {
      switch (e.channel) {
        case Channel.Fcm:
          expect(parseFcmToken(e.address).address).toBe(e.address);
          break;
        case Channel.WebPush:
          expect(parseWebPushSubscription({ endpoint: e.address, keys: e.subscription }).address).toBe(
            e.address,
          );
          break;
        case Channel.Email:
          expect(parseEmail(e.address).address).toBe(e.address);
          expect(e.address.endsWith('.invalid')).toBe(true);
          break;
        case Channel.Line:
          expect(parseLineUserId(e.address).address).toBe(e.address);
          break;
        case Channel.Receiver:
          expect(e.address).toMatch(/^YSG-RX-\d{6}$/);
          break;
      }
    }
    const keys = sut.endpoints.map((e) => `${e.channel} ${e.address}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('rejects fewer residents than households', () => {
    expect(() => generateDemoRoster({ ...opts, residents: 399 }, secrets)).toThrow(RangeError);
  });
});

describe(mulberry32.name, () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe(Random.name, () => {
  it('issues version-7 uuids without repeats, ascending in the order they are drawn, the same for the same seed', () => {
    const sut = new Random(1);
    const ids = Array.from({ length: 20_000 }, () => sut.uuid());
    expect(
      ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)),
    ).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // the time field counts milliseconds from the epoch: 4096 ids a millisecond
    expect(parseInt(ids[4096].replace(/-/g, '').slice(0, 12), 16)).toBe(ORDERED_ID_EPOCH_MS + 1);
    const again = new Random(1);
    expect(Array.from({ length: 100 }, () => again.uuid())).toEqual(ids.slice(0, 100));
  });
});
