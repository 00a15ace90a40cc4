import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import { startApi, type ApiHarness } from '../support/api-harness';

const CAP_XSD = {
  fileName: 'cap-1.2.xsd',
  contents: readFileSync(join(__dirname, '../../fixtures/cap-schema/cap-1.2.xsd'), 'utf8'),
};

async function capErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'alert.xml', contents: xml }], schema: [CAP_XSD] });
  return result.errors.map((e) => e.message);
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (n) => ['entry', 'info', 'geocode'].includes(n),
});

interface Entry {
  id: string;
  title: string;
  link: { href: string; type: string };
}

describe('CAP 1.2 out: public Atom feeds and CAP documents', () => {
  let sut: ApiHarness;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    sut = await startApi({ PUBLIC_BASE_URL: 'https://bousai.example.jp' });
    const mid = sut.tenants[0].municipalityId;
    const q = sut.db.dataSource.query.bind(sut.db.dataSource);
    const [{ id: areaId }] = await q(
      `INSERT INTO area (municipality_id, code, name, jma_city_code, jma_quake_area_code, jma_tsunami_area_code)
       VALUES ($1, '07', '荒島', '3220600', '570', '550') RETURNING id`,
      [mid],
    );
    const alert = async (
      key: string,
      o: {
        targeting: unknown;
        status?: string;
        drill?: boolean;
        at: string;
        supersedes?: string;
        cancels?: string;
        texts?: unknown;
      },
    ) => {
      const [{ id }] = await q(
        `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, is_drill,
                            dispatched_at, expires_at, supersedes_alert_id, cancels_alert_id)
         VALUES ($1, 'operator', $2, 'extreme', $3, '{fcm}', $4, $5, $6,
                 CASE WHEN $7 = 'draft' THEN NULL ELSE $6::timestamptz + interval '3 hours' END, $8, $9)
         RETURNING id`,
        [
          mid,
          JSON.stringify(
            o.texts ?? {
              ja: { title: '避難指示', body: '荒島地区に避難指示を発令しました。' },
              en: { title: 'Evacuation order', body: 'Evacuate now <now> & calmly.' },
            },
          ),
          JSON.stringify(o.targeting),
          o.status ?? 'sent',
          o.drill ?? false,
          o.status === 'draft' ? null : o.at,
          o.status ?? 'sent',
          o.supersedes ?? null,
          o.cancels ?? null,
        ],
      );
      ids[key] = id;
    };
    await alert('areas', {
      targeting: { areaIds: [areaId] },
      at: '2026-11-20T10:00:00Z',
      status: 'superseded',
    });
    await alert('correction', {
      targeting: { areaIds: [areaId] },
      at: '2026-11-20T10:05:00Z',
      supersedes: ids.areas,
    });
    await alert('all', { targeting: { all: true }, at: '2026-11-20T11:00:00Z', status: 'cancelled' });
    await alert('notice', {
      targeting: { all: true },
      cancels: ids.all,
      at: '2026-11-20T11:10:00Z',
      texts: { ja: { title: '【取消】避難指示', body: '先ほどの避難指示は取り消されました。' } },
    });
    await alert('groups', { targeting: { groups: ['needs_assistance'] }, at: '2026-11-20T12:00:00Z' });
    await alert('draft', { targeting: { all: true }, status: 'draft', at: '2026-11-20T12:30:00Z' });
    await alert('drill', {
      targeting: { all: true },
      drill: true,
      at: '2026-11-20T13:00:00Z',
      texts: { ja: { title: '【訓練】避難指示', body: '【訓練】これは訓練です。' } },
    });
  });
  afterAll(() => sut.close());

  async function feed(query = ''): Promise<Entry[]> {
    const res = await sut.http.get(`/v1/public/municipalities/322067/cap.atom${query}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/atom\+xml/);
    return (parser.parse(res.text) as { feed: { entry?: Entry[] } }).feed.entry ?? [];
  }

  async function cap(entry: Entry): Promise<{ xml: string; alert: Record<string, unknown> }> {
    const path = entry.link.href.replace('https://bousai.example.jp', '');
    const res = await sut.http.get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/cap\+xml/);
    return { xml: res.text, alert: (parser.parse(res.text) as { alert: Record<string, unknown> }).alert };
  }

  it('lists public real alerts newest first, without drafts, drills or group alerts, needing no login', async () => {
    const entries = await feed();
    expect(entries.map((e) => e.id)).toEqual(
      ['notice', 'all', 'correction', 'areas'].map((k) => `bousai-${ids[k]}`),
    );
    expect(entries[0].link).toEqual({
      rel: 'alternate',
      type: 'application/cap+xml',
      href: `https://bousai.example.jp/v1/public/alerts/${ids.notice}/cap`,
    });
  });

  it('serves every entry as CAP 1.2 that the schema accepts, with the right message types and references', async () => {
    const byKey: Record<string, Record<string, unknown>> = {};
    for (const entry of await feed()) {
      const { xml, alert } = await cap(entry);
      expect(await capErrors(xml)).toEqual([]);
      byKey[Object.keys(ids).find((k) => entry.id === `bousai-${ids[k]}`)!] = alert;
    }
    expect(byKey.areas).toMatchObject({
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
      sender: 'bousai.322067',
    });
    expect(byKey.areas.sent).toBe('2026-11-20T19:00:00+09:00');
    expect(byKey.correction).toMatchObject({
      msgType: 'Update',
      references: `bousai.322067,bousai-${ids.areas},2026-11-20T19:00:00+09:00`,
    });
    expect(byKey.notice).toMatchObject({
      msgType: 'Cancel',
      references: `bousai.322067,bousai-${ids.all},2026-11-20T20:00:00+09:00`,
    });

    const infos = byKey.areas.info as Record<string, unknown>[];
    expect(infos.map((i) => i.language)).toEqual(['ja-JP', 'en']);
    expect(infos[0]).toMatchObject({
      event: '避難指示',
      severity: 'Extreme',
      urgency: 'Immediate',
      category: 'Safety',
    });
    expect(infos[1].description).toBe('Evacuate now <now> & calmly.');
    const area = infos[0].area as { areaDesc: string; geocode: { valueName: string; value: string }[] };
    expect(area.areaDesc).toBe('安来市 荒島');
    expect(area.geocode.map((g) => [g.valueName, String(g.value)])).toEqual([
      ['JMA-CITY', '3220600'],
      ['JMA-QUAKE-AREA', '570'],
      ['JMA-TSUNAMI-AREA', '550'],
    ]);
  });

  it('keeps drills on their own feed, as Exercise', async () => {
    const entries = await feed('?drills=true');
    expect(entries.map((e) => e.id)).toEqual([`bousai-${ids.drill}`]);
    const { xml, alert } = await cap(entries[0]);
    expect(await capErrors(xml)).toEqual([]);
    expect(alert.status).toBe('Exercise');
  });

  it('answers 404 for alerts that are not public and for unknown municipalities', async () => {
    for (const key of ['groups', 'draft']) {
      expect((await sut.http.get(`/v1/public/alerts/${ids[key]}/cap`)).status).toBe(404);
    }
    expect((await sut.http.get('/v1/public/municipalities/999999/cap.atom')).status).toBe(404);
  });

  it('the schema is strict: it refuses a CAP document with a wrong value or order', async () => {
    const { xml } = await cap((await feed())[0]);
    expect(await capErrors(xml.replace('<scope>Public</scope>', '<scope>Everyone</scope>'))).not.toEqual([]);
    expect(
      await capErrors(
        xml.replace(
          /<status>(\w+)<\/status>\s*<msgType>(\w+)<\/msgType>/,
          '<msgType>$2</msgType><status>$1</status>',
        ),
      ),
    ).not.toEqual([]);
  });
});
