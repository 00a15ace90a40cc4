import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Hazard } from '@bousai/domain';
import { parseFeedDocument } from '../feed-document.parser';
import type { JmaMessage } from '../normalised-message';
import { feedFixturesDir } from '../testing/feed-fixtures';
import { dataTypeFromName } from './jma-report.parser';
import { levelledWarnings } from './levelled-warnings';
import { hazardInText, kindChange, kindLevel, levelInText, ratingLevel } from './warning-level';

const dir = feedFixturesDir();
const read = (file: string, name?: string) =>
  parseFeedDocument(readFileSync(path.join(dir, file)), { name }) as JmaMessage;

interface ExpectedKind {
  code: string | null;
  name: string | null;
  status: string | null;
}
interface ExpectedFile {
  facts: { municipalities?: { code: string | null; kinds: ExpectedKind[] }[] };
  head: { information: { items: { kind: ExpectedKind | null; areaCodes: string[] }[] }[] };
}
const expected = JSON.parse(readFileSync(path.join(dir, 'EXPECTED.json'), 'utf8')) as {
  files: Record<string, ExpectedFile>;
};

/** The R06 telegrams and the river forecasts of the shared fixtures (test/fixtures/feeds/SOURCES.md). */
const R06_FILES = Object.keys(expected.files).filter((f) => /r06|vxko/.test(f));

/** The digit JMA writes in a level-named kind, read here without the parser's helpers. */
function writtenLevel(name: string): number | null {
  const m = /レベル([1-5１-５])/.exec(name);
  return m ? Number(m[1].normalize('NFKC')) : null;
}

describe('reading 警戒レベル and phenomenon from kind names and codes', () => {
  it.each([
    ['レベル５大雨特別警報', '33', 5, Hazard.HeavyRain],
    ['レベル４大雨危険警報', '43', 4, Hazard.HeavyRain],
    ['レベル4大雨危険警報', '43', 4, Hazard.HeavyRain],
    ['レベル３大雨警報', '03', 3, Hazard.HeavyRain],
    ['レベル２大雨注意報', '10', 2, Hazard.HeavyRain],
    ['レベル４土砂災害危険警報', '49', 4, Hazard.Landslide],
    ['レベル４高潮危険警報', '48', 4, Hazard.StormSurge],
    ['レベル５氾濫特別警報', null, 5, Hazard.Flood],
    ['レベル２氾濫注意報解除', null, 2, Hazard.Flood],
    ['氾濫危険情報', '41', 4, Hazard.Flood],
    ['氾濫警戒情報', '30', 3, Hazard.Flood],
    ['浸水想定地区', '1', null, Hazard.Inundation],
    ['暴風警報', '05', null, Hazard.Other],
    ['大雨警報', '03', null, Hazard.HeavyRain],
  ])('%s (%s) → level %s, %s', (name, code, level, hazard) => {
    expect(kindLevel(name, code)).toEqual({ level, hazard });
  });

  it('a danger word is not a level: 危険警報 contains 警報 but is level 4', () => {
    expect(levelInText('レベル４大雨危険警報')).toBe(4);
    expect(kindLevel('レベル４大雨危険警報', '43').level).not.toBe(3);
  });

  it('a nameless kind falls back to its code', () => {
    expect(kindLevel(null, '43')).toEqual({ level: 4, hazard: Hazard.HeavyRain });
    expect(kindLevel(null, '99')).toEqual({ level: null, hazard: Hazard.Other });
  });

  it('reads the 警戒レベル相当 ratings by name or code (21/31/41/51)', () => {
    expect(ratingLevel('警戒レベル３相当', '31')).toBe(3);
    expect(ratingLevel(null, '51')).toBe(5);
    expect(ratingLevel('警報級', '30')).toBeNull();
  });

  it.each([
    ['発表', null, null, 'issued'],
    ['継続', 3, 3, 'continued'],
    ['継続', 4, 3, 'raised'],
    ['解除', 2, 2, 'lifted'],
    ['警報から注意報', 2, 3, 'lowered'],
    ['特別警報から警報', null, null, 'lowered'],
    ['注意報から危険警報', null, null, 'raised'],
    ['なし', null, null, 'none'],
    ['発表警報・注意報はなし', null, null, 'none'],
    ['何か新しい状態', null, null, 'unknown'],
  ] as const)('status %s (level %s, before %s) → %s', (status, level, last, change) => {
    expect(kindChange(status, level, last)).toBe(change);
  });

  it('names phenomena', () => {
    expect(['大雨', '土砂災害', '浸水', '洪水', '氾濫', '高潮', '津波', '暴風'].map(hazardInText)).toEqual([
      Hazard.HeavyRain,
      Hazard.Landslide,
      Hazard.Inundation,
      Hazard.Flood,
      Hazard.Flood,
      Hazard.StormSurge,
      Hazard.Tsunami,
      Hazard.Other,
    ]);
  });
});

describe('the R06 fixtures against EXPECTED.json', () => {
  it('covers the R06 and river fixtures', () => {
    expect(R06_FILES.length).toBeGreaterThanOrEqual(5);
  });

  it.each(R06_FILES)('%s: every municipality kind carries the level its name states', (file) => {
    const msg = read(file);
    const levelled = levelledWarnings(msg);
    for (const city of expected.files[file].facts.municipalities ?? []) {
      for (const kind of city.kinds.filter((k) => k.name && k.name !== 'なし')) {
        const got = levelled.find((w) => w.areaCode === city.code && w.kindName === kind.name);
        expect({ code: city.code, name: kind.name, level: got?.level }).toEqual({
          code: city.code,
          name: kind.name,
          level: writtenLevel(kind.name!) ?? (kind.name === '解除' ? null : got?.level),
        });
      }
    }
    // and every level-named kind of the headline reads the same number
    for (const item of expected.files[file].head.information.flatMap((i) => i.items)) {
      const name = item.kind?.name ?? null;
      if (name && writtenLevel(name) !== null)
        expect(kindLevel(name, item.kind?.code).level).toBe(writtenLevel(name));
    }
  });

  it('VPWW55 Shimane: レベル３大雨警報 (03) for 安来市, レベル２大雨注意報 (10) elsewhere, with their ratings', () => {
    const w = levelledWarnings(read('jmaxml/weather/vpww55_shimane_20241102_r06-heavy-rain.xml'));
    expect(w.find((x) => x.areaCode === '3220600')).toMatchObject({
      kindName: 'レベル３大雨警報',
      kindCode: '03',
      level: 3,
      hazard: Hazard.HeavyRain,
      lastLevel: 3,
      change: 'continued',
      inForce: true,
      ratings: [{ type: '大雨浸水危険度', name: '警戒レベル３相当', code: '31', level: 3 }],
    });
    const advisories = w.filter((x) => x.kindCode === '10');
    expect(advisories.length).toBeGreaterThan(0);
    expect(advisories.every((x) => x.level === 2 && x.hazard === Hazard.HeavyRain)).toBe(true);
    // 解除 of a レベル２ is lifted, not in force
    expect(advisories.filter((x) => x.change === 'lifted').every((x) => !x.inForce)).toBe(true);
    expect(w.some((x) => x.level === 4 || x.level === 5)).toBe(false);
  });

  it('VPWW57 Kyoto: レベル４高潮危険警報 (48) is level 4, never level 3; レベル３高潮警報 (08) is 3', () => {
    const w = levelledWarnings(read('jmaxml/weather/vpww57_kyoto_20200622_r06-storm-surge.xml'));
    const danger = w.filter((x) => x.kindCode === '48');
    expect(danger.map((x) => x.areaCode)).toEqual(['2620200', '2620500', '2646500']);
    expect(
      danger.every((x) => x.level === 4 && x.hazard === Hazard.StormSurge && x.change === 'issued'),
    ).toBe(true);
    expect(danger.flatMap((x) => x.ratings.map((r) => r.level))).toContain(4);
    expect(w.filter((x) => x.kindCode === '08').map((x) => [x.areaCode, x.level, x.lastLevel])).toEqual([
      ['2621200', 3, 3],
      ['2646300', 3, 3],
    ]);
  });

  it('VXWW50 Kanagawa (R06): 警戒 is the level-4 landslide information for its three municipalities', () => {
    const w = levelledWarnings(read('jmaxml/weather/vxww50_kanagawa_20241102_s1_r06-level4.xml'));
    const inForce = w.filter((x) => x.inForce);
    expect(inForce.map((x) => x.areaCode)).toEqual(['1420600', '1438300', '1438400']);
    expect(inForce.every((x) => x.level === 4 && x.hazard === Hazard.Landslide)).toBe(true);
    expect(w.filter((x) => x.kindName === 'なし').every((x) => !x.inForce && x.level === null)).toBe(true);
  });

  it('VXKO 六角川: 氾濫警戒情報 is flood level 3 for the five municipalities that may flood', () => {
    const msg = read('jmaxml/weather/vxkoii_890904000100_s1_rokkaku-river.xml');
    expect(msg.body.family === 'weather' && msg.body.river).toMatchObject({
      kind: { code: '30', name: '氾濫警戒情報' },
      level: 3,
      hazard: Hazard.Flood,
      lifted: false,
      rivers: [{ code: '8909040001', name: '六角川' }],
    });
    const w = levelledWarnings(msg);
    expect(w.map((x) => [x.areaCode, x.areaName, x.level, x.hazard])).toEqual([
      ['4120600', '武雄市', 3, Hazard.Flood],
      ['4120900', '嬉野市', 3, Hazard.Flood],
      ['4142300', '大町町', 3, Hazard.Flood],
      ['4142400', '江北町', 3, Hazard.Flood],
      ['4142500', '白石町', 3, Hazard.Flood],
    ]);
  });

  it('VXKO placeholder river: 氾濫危険情報 is flood level 4', () => {
    const msg = read('jmaxml/weather/vxkoii_123456789012_s4_placeholder-river_level4.xml');
    expect(msg.body.family === 'weather' && msg.body.river?.level).toBe(4);
    expect(levelledWarnings(msg).every((x) => x.level === 4 && x.hazard === Hazard.Flood)).toBe(true);
  });

  it('the older VPWW54 kinds carry no 警戒レベル (大雨特別警報 stays a special warning by its word)', () => {
    const w = levelledWarnings(read('jmaxml/weather/vpww54_shimane_20160212_heavy-rain-special-warning.xml'));
    expect(w.length).toBeGreaterThan(0);
    expect(w.every((x) => x.level === null)).toBe(true);
  });
});

describe('the data type from the telegram’s own name', () => {
  it.each([
    ['https://www.data.jma.go.jp/developer/xml/data/20240101000000_0_VXKO70_270000.xml', 'VXKO70'],
    ['20230410231623_04156158_VXSE53.xml', 'VXSE53'],
    ['16_02_02_220728_VXKOii.xml', 'VXKOii'],
    ['/tmp/x/20260601000000_0_VYSE52_010000.xml', 'VYSE52'],
    ['vxse53_20080614084350_s1_iwate-miyagi_large.xml', null],
    ['notes.xml', null],
  ])('%s → %s', (name, type) => {
    expect(dataTypeFromName(name)).toBe(type);
  });

  it('wins over the title: a 指定河川洪水予報 fetched as VXKO70 is VXKO70, not the generic VXKOii', () => {
    const file = 'jmaxml/weather/vxkoii_890904000100_s1_rokkaku-river.xml';
    expect(read(file).dataType).toBe('VXKOii');
    expect(read(file, 'https://example.invalid/xml/data/20210813062131_0_VXKO70_850000.xml').dataType).toBe(
      'VXKO70',
    );
  });
});
