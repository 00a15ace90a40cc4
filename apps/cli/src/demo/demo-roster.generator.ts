import { Channel, ConsentScope, SupporterRelation, type Language } from '@bousai/domain';
import type { DemoEndpoint, DemoHousehold, DemoResident, DemoRoster, DemoSupporter } from './demo-data';
import { FOREIGN_NAMES, GIVEN_NAMES, SURNAMES } from './names.data';
import { Random } from './prng';
import { YASUGI_DISTRICTS, type YasugiDistrict } from './yasugi.data';

/** 要援護者 share of residents. */
export const NEEDS_ASSISTANCE_RATE = 0.05;
/** Municipal staff share: about 600 among Yasugi's ~38,000 residents. */
export const STAFF_RATE = 600 / 38_000;

export interface DemoRosterOptions {
  households: number;
  residents: number;
  seed: number;
  /** Reference time for consent, last-seen and confirmation stamps; fixed in tests for reproducibility. */
  now: Date;
}

/** Values that come from node:crypto; passed in so the generator stays pure and reproducible. */
export interface DemoRosterSecrets {
  /** One device-secret hash shared by every demo receiver. */
  receiverSecretHash: string;
  /** One real P-256 public key and 16-byte auth secret, base64url, shared by every demo Web Push subscription. */
  webPushKeys: { p256dh: string; auth: string };
}

const LANGUAGE_MIX: readonly (readonly [Language, number])[] = [
  ['ja', 940],
  ['ja-easy', 15],
  ['vi', 12],
  ['zh-CN', 10],
  ['en', 6],
  ['pt', 6],
  ['ko', 5],
  ['ne', 4],
];

/** Chance that a resident registered each channel, by kind of resident. */
const CHANNEL_ODDS = {
  resident: { fcm: 0.55, webpush: 0.07, email: 0.15, line: 0.25 },
  // 要援護者 are mostly elderly or disabled; the household's receiver is their main means
  needsAssistance: { fcm: 0.15, webpush: 0.02, email: 0.03, line: 0.1 },
  staff: { fcm: 1, webpush: 0, email: 1, line: 0.3 },
} as const;

const DAY_MS = 86_400_000;
const FIRMWARE: readonly (readonly [string, number])[] = [
  ['2.4.1', 8],
  ['2.3.7', 2],
];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * A synthetic resident register of 安来市 at the requested scale. Deterministic: the same options and secrets
 * give the same roster, ids included. No real personal data: names are random combinations of common names,
 * phone numbers are in the unassigned 0854-00 range, mail goes to the reserved .invalid TLD.
 */
export function generateDemoRoster(opts: DemoRosterOptions, secrets: DemoRosterSecrets): DemoRoster {
  if (!Number.isInteger(opts.households) || opts.households < 1) {
    throw new RangeError('households must be a positive integer');
  }
  if (!Number.isInteger(opts.residents) || opts.residents < opts.households) {
    throw new RangeError('residents must be an integer at least as large as households');
  }
  const rng = new Random(opts.seed);
  // ids come from their own stream, so changing what is drawn for the data does not renumber everything
  const ids = new Random(opts.seed ^ 0x5eed1d5);
  const now = opts.now.getTime();
  const ago = (maxDays: number) => new Date(now - rng.int(0, Math.round(maxDays * DAY_MS)));
  const phone = () => `0854-00-${pad(rng.int(0, 9999), 4)}`;

  // households, each with a district, a language and a family name
  const districtMix = YASUGI_DISTRICTS.map((d) => [d, d.weight] as const);
  const householdMeta: { district: YasugiDistrict; language: Language; surname: Surname }[] = [];
  const households: DemoHousehold[] = [];
  for (let i = 0; i < opts.households; i++) {
    const district = rng.weighted(districtMix);
    const language = rng.weighted(LANGUAGE_MIX);
    householdMeta.push({ district, language, surname: familyName(rng, language) });
    households.push({
      id: ids.uuid(),
      externalId: `H${pad(i + 1, 6)}`,
      areaCode: district.code,
      address: `島根県安来市${district.name}町${rng.int(1, 2400)}-${rng.int(1, 30)}`,
      postalCode: null,
      phone: rng.chance(0.65) ? phone() : null,
      latitude: Number((district.lat + (rng.float() - 0.5) * 0.02).toFixed(6)),
      longitude: Number((district.lon + (rng.float() - 0.5) * 0.02).toFixed(6)),
    });
  }

  // every household has at least one member; the rest are spread at random
  const size = new Array<number>(opts.households).fill(1);
  for (let i = opts.households; i < opts.residents; i++) size[rng.int(0, opts.households - 1)]++;

  const needsAssistanceCount = Math.round(opts.residents * NEEDS_ASSISTANCE_RATE);
  const staffCount = Math.round(opts.residents * STAFF_RATE);
  const chosen = rng.sample(opts.residents, needsAssistanceCount + staffCount);
  const needsAssistance = new Set(chosen.slice(0, needsAssistanceCount));
  const staff = new Set(chosen.slice(needsAssistanceCount));

  const residents: DemoResident[] = [];
  const householdOf: number[] = [];
  const membersOf: number[][] = households.map(() => []);
  for (let h = 0; h < opts.households; h++) {
    const meta = householdMeta[h];
    for (let j = 0; j < size[h]; j++) {
      const r = residents.length;
      const isNeedsAssistance = needsAssistance.has(r);
      const isStaff = staff.has(r);
      const { name, nameKana } = personName(rng, meta.language, meta.surname);
      const scopes: string[] = [ConsentScope.Alerts];
      if (isNeedsAssistance || isStaff || rng.chance(0.85)) scopes.push(ConsentScope.Safety);
      if (isNeedsAssistance) scopes.push(ConsentScope.ShareWithSupporters);
      residents.push({
        id: ids.uuid(),
        externalId: `R${pad(r + 1, 7)}`,
        householdId: households[h].id,
        name,
        nameKana,
        language: meta.language,
        needsAssistance: isNeedsAssistance,
        staff: isStaff,
        consentScopes: scopes,
        consentAt: ago(720),
        phone: rng.chance(0.25) ? phone() : null,
      });
      householdOf.push(h);
      membersOf[h].push(r);
    }
  }

  const endpoints: DemoEndpoint[] = [];
  const endpoint = (e: Partial<DemoEndpoint> & Pick<DemoEndpoint, 'channel' | 'address'>): DemoEndpoint => ({
    id: e.id ?? ids.uuid(),
    residentId: null,
    householdId: null,
    subscription: null,
    secretHash: null,
    lastSeenAt: null,
    confirmedAt: null,
    batteryPercent: null,
    signalDbm: null,
    firmware: null,
    label: null,
    ...e,
  });

  residents.forEach((res, r) => {
    const odds = res.needsAssistance
      ? CHANNEL_ODDS.needsAssistance
      : res.staff
        ? CHANNEL_ODDS.staff
        : CHANNEL_ODDS.resident;
    if (rng.chance(odds.fcm)) {
      endpoints.push(
        endpoint({
          residentId: res.id,
          channel: Channel.Fcm,
          // the shape getToken() returns: "<instance id>:APA91b<…>", URL-safe base64
          address: `${rng.chars(22)}:APA91b${rng.chars(140)}`,
          lastSeenAt: ago(14),
        }),
      );
    }
    if (rng.chance(odds.webpush)) {
      const id = ids.uuid();
      endpoints.push(
        endpoint({
          id,
          residentId: res.id,
          channel: Channel.WebPush,
          address: `https://push.example.invalid/wp/${id}`,
          subscription: { ...secrets.webPushKeys },
          lastSeenAt: ago(14),
        }),
      );
    }
    if (rng.chance(odds.email)) {
      endpoints.push(
        endpoint({
          residentId: res.id,
          channel: Channel.Email,
          address: `resident${r + 1}@example.invalid`,
          confirmedAt: rng.chance(0.9) ? ago(365) : null,
        }),
      );
    }
    if (rng.chance(odds.line)) {
      endpoints.push(endpoint({ residentId: res.id, channel: Channel.Line, address: `U${rng.hex(32)}` }));
    }
  });

  // one 専用戸別受信機 in every household with a 要援護者
  let serial = 0;
  households.forEach((household, h) => {
    if (!membersOf[h].some((r) => residents[r].needsAssistance)) return;
    endpoints.push(
      endpoint({
        householdId: household.id,
        channel: Channel.Receiver,
        address: `YSG-RX-${pad(++serial, 6)}`,
        secretHash: secrets.receiverSecretHash,
        lastSeenAt: new Date(now - rng.int(1, 360) * 60_000),
        batteryPercent: rng.int(55, 100),
        signalDbm: rng.int(-97, -55),
        firmware: rng.weighted(FIRMWARE),
        label: `${householdMeta[h].district.name}地区 戸別受信機`,
      }),
    );
  });

  // two supporters for each 要援護者: family or a neighbour first, then a neighbour or the 民生委員
  const byDistrict = new Map<string, number[]>();
  residents.forEach((res, r) => {
    if (res.needsAssistance) return;
    const code = householdMeta[householdOf[r]].district.code;
    const list = byDistrict.get(code) ?? [];
    list.push(r);
    byDistrict.set(code, list);
  });
  const supporters: DemoSupporter[] = [];
  let outsider = 0;
  residents.forEach((res, r) => {
    if (!res.needsAssistance) return;
    const h = householdOf[r];
    const meta = householdMeta[h];
    const first = rng.chance(0.6) ? SupporterRelation.Family : SupporterRelation.Neighbour;
    const second = rng.chance(0.45) ? SupporterRelation.Neighbour : SupporterRelation.WelfareCommissioner;
    [first, second].forEach((relation, i) => {
      let registered: number | undefined;
      if (relation === SupporterRelation.Family) {
        const others = membersOf[h].filter((m) => m !== r && !residents[m].needsAssistance);
        if (others.length > 0) registered = rng.pick(others);
      } else if (relation === SupporterRelation.Neighbour && rng.chance(0.5)) {
        const candidates = byDistrict.get(meta.district.code) ?? [];
        const pick = candidates.length > 0 ? rng.pick(candidates) : undefined;
        if (pick !== undefined && householdOf[pick] !== h) registered = pick;
      }
      const person = registered === undefined ? undefined : residents[registered];
      const name =
        person?.name ??
        (relation === SupporterRelation.Family
          ? personName(rng, meta.language, meta.surname)
          : personName(rng, 'ja', rng.pick(SURNAMES))
        ).name;
      supporters.push({
        id: ids.uuid(),
        residentId: res.id,
        supporterResidentId: person?.id ?? null,
        name,
        relation,
        phone: person?.phone ?? phone(),
        email: person === undefined && rng.chance(0.3) ? `supporter${++outsider}@example.invalid` : null,
        priority: i + 1,
      });
    });
  });

  return { households, residents, supporters, endpoints };
}

/** A family name and its katakana reading (none for names written as on a residence card). */
type Surname = readonly [string, string | null];

function familyName(rng: Random, language: Language): Surname {
  const foreign = FOREIGN_NAMES[language];
  return foreign ? [rng.pick(foreign.surnames), null] : rng.pick(SURNAMES);
}

function personName(
  rng: Random,
  language: Language,
  [surname, surnameKana]: Surname,
): { name: string; nameKana: string | null } {
  const foreign = FOREIGN_NAMES[language];
  if (foreign) return { name: `${surname} ${rng.pick(foreign.given)}`, nameKana: null };
  const [given, givenKana] = rng.pick(GIVEN_NAMES);
  return {
    name: `${surname} ${given}`,
    nameKana: surnameKana === null ? null : `${surnameKana} ${givenKana}`,
  };
}
