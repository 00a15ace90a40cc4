import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Hazard } from '@bousai/domain';
import { parseFeedDocument } from '../feed-document.parser';
import type { JmaMessage, WeatherKind } from '../normalised-message';
import { feedFixturesDir } from '../testing/feed-fixtures';
import { proposeEvacuationDrafts } from './evacuation-proposals';

const dir = feedFixturesDir();
const jma = (file: string) => parseFeedDocument(readFileSync(path.join(dir, file))) as JmaMessage;

const KYOTO = 'jmaxml/weather/vpww57_kyoto_20200622_r06-storm-surge.xml';

/** Rewrites the kinds one municipality has in a parsed telegram. */
function withKinds(
  msg: JmaMessage,
  code: string,
  change: (k: WeatherKind) => Partial<WeatherKind>,
): JmaMessage {
  if (msg.body.family !== 'weather') throw new Error('not a weather telegram');
  for (const city of msg.body.municipalities.filter((c) => c.code === code)) {
    city.kinds = city.kinds.map((k) => ({ ...k, ...change(k as WeatherKind) }));
  }
  return msg;
}

describe(proposeEvacuationDrafts.name, () => {
  it('VPWW55: the レベル３大雨警報 in force for 安来市 proposes 高齢者等避難 (level 3, heavy rain)', () => {
    expect(
      proposeEvacuationDrafts(jma('jmaxml/weather/vpww55_shimane_20241102_r06-heavy-rain.xml'), ['3220600']),
    ).toEqual([{ level: 3, hazard: Hazard.HeavyRain, jmaAreaCodes: ['3220600'], kind: 'issue' }]);
  });

  it('VPWW57: level 4 and level 3 storm surge for different districts, none where nothing is in force', () => {
    expect(proposeEvacuationDrafts(jma(KYOTO), ['2620200', '2646500', '2621200', '2610000'])).toEqual([
      { level: 4, hazard: Hazard.StormSurge, jmaAreaCodes: ['2620200', '2646500'], kind: 'issue' },
      { level: 3, hazard: Hazard.StormSurge, jmaAreaCodes: ['2621200'], kind: 'issue' },
    ]);
    expect(proposeEvacuationDrafts(jma(KYOTO), ['2610000'])).toEqual([]);
  });

  it('proposes lowering when JMA goes down to level 3, lifting when it goes below 3 or lifts', () => {
    const lowered = withKinds(jma(KYOTO), '2620200', () => ({
      name: 'レベル３高潮警報',
      code: '08',
      level: 3,
      lastLevel: 4,
      status: '危険警報から警報',
    }));
    expect(proposeEvacuationDrafts(lowered, ['2620200'])).toEqual([
      { level: 3, hazard: Hazard.StormSurge, jmaAreaCodes: ['2620200'], kind: 'lower' },
    ]);

    const belowThree = withKinds(jma(KYOTO), '2620200', () => ({
      name: 'レベル２高潮注意報',
      level: 2,
      lastLevel: 4,
      status: '危険警報から注意報',
    }));
    expect(proposeEvacuationDrafts(belowThree, ['2620200'])).toEqual([
      { level: 4, hazard: Hazard.StormSurge, jmaAreaCodes: ['2620200'], kind: 'lift' },
    ]);

    const lifted = withKinds(jma(KYOTO), '2621200', () => ({ status: '解除' }));
    expect(proposeEvacuationDrafts(lifted, ['2621200'])).toEqual([
      { level: 3, hazard: Hazard.StormSurge, jmaAreaCodes: ['2621200'], kind: 'lift' },
    ]);
  });

  it('VXWW50 (level-4 landslide) and VXKO (river level 3) propose for their municipalities', () => {
    expect(
      proposeEvacuationDrafts(jma('jmaxml/weather/vxww50_kanagawa_20241102_s1_r06-level4.xml'), [
        '1420600',
        '1410011',
      ]),
    ).toEqual([{ level: 4, hazard: Hazard.Landslide, jmaAreaCodes: ['1420600'], kind: 'issue' }]);
    expect(
      proposeEvacuationDrafts(jma('jmaxml/weather/vxkoii_890904000100_s1_rokkaku-river.xml'), ['4120600']),
    ).toEqual([{ level: 3, hazard: Hazard.Flood, jmaAreaCodes: ['4120600'], kind: 'issue' }]);
  });

  it('proposes nothing for drills, withdrawals, older level-less kinds or other formats', () => {
    const drill = jma(KYOTO);
    drill.status = { isActual: false, isTraining: true, isTest: false };
    expect(proposeEvacuationDrafts(drill, ['2620200'])).toEqual([]);

    const cancel = jma(KYOTO);
    cancel.head.infoType = '取消';
    expect(proposeEvacuationDrafts(cancel, ['2620200'])).toEqual([]);

    // VPWW54 2016: 浜田市's 大雨特別警報 has no 警戒レベル in its name
    expect(
      proposeEvacuationDrafts(jma('jmaxml/weather/vpww54_shimane_20160212_heavy-rain-special-warning.xml'), [
        '3220200',
      ]),
    ).toEqual([]);
    expect(
      proposeEvacuationDrafts(
        parseFeedDocument(readFileSync(path.join(dir, 'cap/cap12_nws_blizzard-warning.xml'))),
        ['3220600'],
      ),
    ).toEqual([]);
  });
});
