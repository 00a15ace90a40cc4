import { hashDeviceSecret, newSecret } from '@bousai/domain';
import {
  type BenchCredentials,
  type BenchDataSource,
  recreateBenchDatabase,
  seedOperators,
} from './bench-database';

/**
 * 島根県's 19 municipalities with their 2020 census populations (rounded to the hundred): the roster of
 * `bench:prefecture` is split between them by population share.
 */
export const SHIMANE: readonly { code5: string; name: string; population: number }[] = [
  { code5: '32201', name: '松江市', population: 203_600 },
  { code5: '32202', name: '浜田市', population: 51_400 },
  { code5: '32203', name: '出雲市', population: 172_800 },
  { code5: '32204', name: '益田市', population: 45_000 },
  { code5: '32205', name: '大田市', population: 32_800 },
  { code5: '32206', name: '安来市', population: 36_900 },
  { code5: '32207', name: '江津市', population: 23_000 },
  { code5: '32209', name: '雲南市', population: 36_000 },
  { code5: '32343', name: '奥出雲町', population: 11_800 },
  { code5: '32386', name: '飯南町', population: 4_600 },
  { code5: '32441', name: '川本町', population: 3_100 },
  { code5: '32448', name: '美郷町', population: 4_400 },
  { code5: '32449', name: '邑南町', population: 10_300 },
  { code5: '32501', name: '津和野町', population: 6_900 },
  { code5: '32505', name: '吉賀町', population: 5_900 },
  { code5: '32525', name: '海士町', population: 2_300 },
  { code5: '32526', name: '西ノ島町', population: 2_800 },
  { code5: '32527', name: '知夫村', population: 600 },
  { code5: '32528', name: '隠岐の島町', population: 13_400 },
];

/** The 6-digit 全国地方公共団体コード: the 5 digits and their check digit (weights 6‥2, modulus 11). */
export function withCheckDigit(code5: string): string {
  const sum = [...code5].reduce((s, d, i) => s + Number(d) * (6 - i), 0);
  return `${code5}${(11 - (sum % 11)) % 10}`;
}

/** Endpoints of one municipality by channel: app users (FCM, Web Push, email) and household receivers. */
export interface MunicipalityMix {
  fcm: number;
  webpush: number;
  email: number;
  receivers: number;
}

/** Splits `total` by the weights, largest remainders first, so the parts add up exactly. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0, left = total - parts.reduce((a, b) => a + b, 0); k < left; k++) parts[order[k][1]]++;
  return parts;
}

/** Each municipality's mix: every channel's prefecture total split by population share. */
export function prefectureMix(totals: MunicipalityMix): MunicipalityMix[] {
  const weights = SHIMANE.map((m) => m.population);
  const by = (n: number) => apportion(n, weights);
  const [fcm, webpush, email, receivers] = [
    by(totals.fcm),
    by(totals.webpush),
    by(totals.email),
    by(totals.receivers),
  ];
  return SHIMANE.map((_, i) => ({
    fcm: fcm[i],
    webpush: webpush[i],
    email: email[i],
    receivers: receivers[i],
  }));
}

export interface PrefectureMunicipality {
  id: string;
  code: string;
  name: string;
  mix: MunicipalityMix;
  operator: BenchCredentials;
  approver: BenchCredentials;
}

export interface PrefectureWorld {
  url: string;
  dataSource: BenchDataSource;
  municipalities: PrefectureMunicipality[];
  /** Receivers are numbered across the prefecture: `<prefix><6 digits>`, 1‥total, as the simulator connects them. */
  receiverSerialPrefix: string;
  receiverSecret: string;
  close(): Promise<void>;
}

const SERIAL_PREFIX = 'PREF-';

/**
 * The prefecture's roster in a database of the benchmark's own (dropped, created and migrated): per municipality
 * one area, one household per app user or receiver (whichever is more), one resident per app user with one
 * endpoint each (FCM, then Web Push, then a confirmed email address), and receivers in the first households.
 * Set-based: one `INSERT … SELECT` over `generate_series` per table for all municipalities at once, as the other
 * benchmarks seed. `webpush`: the subscriptions the fake push service made, in municipality order.
 */
export async function preparePrefectureDatabase(
  serverUrl: string,
  name: string,
  mixes: readonly MunicipalityMix[],
  webpush: readonly { endpoint: string; keys: { p256dh: string; auth: string } }[],
): Promise<PrefectureWorld> {
  const { url, dataSource: ds } = await recreateBenchDatabase(serverUrl, name);
  const ids: string[] = [];
  for (const [i, m] of SHIMANE.entries()) {
    const [{ id }] = await ds.query<{ id: string }[]>(
      `INSERT INTO municipality (code, name, jma_city_codes) VALUES ($1, $2, $3) RETURNING id`,
      [withCheckDigit(m.code5), m.name, [`${m.code5}00`]],
    );
    await ds.query(`INSERT INTO area (municipality_id, code, name) VALUES ($1, 'all', $2)`, [id, m.name]);
    ids.push(id);
    if (mixes[i] === undefined) throw new Error(`no mix for ${m.name}`);
  }
  // per municipality: id, FCM, Web Push, email and receiver counts, and where its Web Push subscriptions and its
  // receivers' serials start (offsets over the prefecture)
  const offsets = (key: 'webpush' | 'receivers') => {
    let at = 0;
    return mixes.map((m) => ((at += m[key]), at - m[key]));
  };
  const roster = [
    ids,
    mixes.map((m) => m.fcm),
    mixes.map((m) => m.webpush),
    mixes.map((m) => m.email),
    mixes.map((m) => m.receivers),
    offsets('webpush'),
    offsets('receivers'),
  ];
  const m = `unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[])
               AS m(id, fcm, webpush, email, receivers, webpush_at, receivers_at)`;
  await ds.query(
    `INSERT INTO household (municipality_id, external_id, area_id, address)
     SELECT m.id, 'h' || i, a.id, '住所'
       FROM ${m} JOIN area a ON a.municipality_id = m.id,
            generate_series(1, greatest(m.fcm + m.webpush + m.email, m.receivers)) AS i`,
    roster,
  );
  // households carry their number (`h<n>`): residents, endpoints and receivers pick their households by it
  await ds.query(
    `INSERT INTO resident (municipality_id, external_id, household_id, name, language, consent_scopes)
     SELECT h.municipality_id, h.external_id, h.id, '住民', CASE WHEN h.n % 10 = 0 THEN 'en' ELSE 'ja' END, '{alerts}'
       FROM ${m}
       JOIN (SELECT id, municipality_id, external_id, substr(external_id, 2)::int AS n FROM household) h
         ON h.municipality_id = m.id AND h.n <= m.fcm + m.webpush + m.email`,
    roster,
  );
  const residents = `${m} JOIN (SELECT id, municipality_id, external_id, substr(external_id, 2)::int AS n FROM resident) r
                       ON r.municipality_id = m.id`;
  // registration tokens about as long as real ones (≈160 characters), unique across the prefecture
  await ds.query(
    `INSERT INTO endpoint (municipality_id, resident_id, channel, address)
     SELECT m.id, r.id, 'fcm', 'bench:' || m.id || ':' || r.external_id || ':' || repeat(md5(r.external_id), 4)
       FROM ${residents} WHERE r.n <= m.fcm`,
    roster,
  );
  if (webpush.length > 0) {
    await ds.query(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address, subscription)
       SELECT m.id, r.id, 'webpush', s.sub ->> 'endpoint', s.sub
         FROM ${residents}
         JOIN jsonb_array_elements($8::jsonb) WITH ORDINALITY AS s(sub, k) ON s.k = m.webpush_at + r.n - m.fcm
        WHERE r.n > m.fcm AND r.n <= m.fcm + m.webpush`,
      [...roster, JSON.stringify(webpush.map((w) => ({ endpoint: w.endpoint, keys: w.keys })))],
    );
  }
  await ds.query(
    `INSERT INTO endpoint (municipality_id, resident_id, channel, address, confirmed_at)
     SELECT m.id, r.id, 'email', 'resident-' || r.external_id || '@' || m.id || '.bench.example', now()
       FROM ${residents} WHERE r.n > m.fcm + m.webpush AND r.n <= m.fcm + m.webpush + m.email`,
    roster,
  );
  const receiverSecret = newSecret('rxs');
  await ds.query(
    `INSERT INTO endpoint (municipality_id, household_id, channel, address, secret_hash)
     SELECT m.id, h.id, 'receiver', $8 || lpad((m.receivers_at + h.n)::text, 6, '0'), $9
       FROM ${m}
       JOIN (SELECT id, municipality_id, substr(external_id, 2)::int AS n FROM household) h
         ON h.municipality_id = m.id AND h.n <= m.receivers`,
    [...roster, SERIAL_PREFIX, hashDeviceSecret(receiverSecret)],
  );
  await ds.query('ANALYZE');

  const municipalities: PrefectureMunicipality[] = [];
  for (const [i, id] of ids.entries()) {
    const who = await seedOperators(ds, id, `-${SHIMANE[i].code5}`);
    municipalities.push({
      id,
      code: withCheckDigit(SHIMANE[i].code5),
      name: SHIMANE[i].name,
      mix: mixes[i],
      ...who,
    });
  }
  return {
    url,
    dataSource: ds,
    municipalities,
    receiverSerialPrefix: SERIAL_PREFIX,
    receiverSecret,
    close: () => ds.destroy(),
  };
}
