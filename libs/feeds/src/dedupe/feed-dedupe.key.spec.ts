import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseFeedDocument } from '../feed-document.parser';
import { feedFixturesDir } from '../testing/feed-fixtures';
import { feedDedupeKey } from './feed-dedupe.key';

const dir = feedFixturesDir();
const keyOf = (file: string) => feedDedupeKey(parseFeedDocument(readFileSync(path.join(dir, file))));

describe(feedDedupeKey.name, () => {
  it('gives the same report the same key and a later serial of the same event a new key in the same stream', () => {
    const s1 = keyOf('jmaxml/eew/vxse44_20240417231454_s1.xml');
    const s10 = keyOf('jmaxml/eew/vxse44_20240417231454_s10.xml');

    expect(keyOf('jmaxml/eew/vxse44_20240417231454_s1.xml')).toEqual(s1);
    expect(s10?.key).not.toBe(s1?.key);
    expect(s10?.stream).toBe(s1?.stream);
    expect(s1?.eventIds).toEqual(['20240417231454']);
  });

  it('keeps EEW warning and forecast of one event in separate streams related by EventID', () => {
    const warning = keyOf('jmaxml/eew/vxse43_20240417231454_s1_bungo-channel.xml');
    const forecast = keyOf('jmaxml/eew/vxse44_20240417231454_s1.xml');

    expect(warning?.stream).not.toBe(forecast?.stream);
    expect(warning?.eventIds).toEqual(forecast?.eventIds);
  });

  it('keys a 取消 apart from the reports it withdraws, in their stream', () => {
    const issued = keyOf('jmaxml/eew/vxse43_20240417231454_s1_bungo-channel.xml');
    const cancel = keyOf('jmaxml/eew/vxse43_20240417231454_s2_cancel.xml');

    expect(cancel?.key).toContain('取消');
    expect(cancel?.stream).toBe(issued?.stream);
  });

  it('splits a multi-value EventID and keys event-less warnings by prefecture', () => {
    expect(keyOf('jmaxml/tsunami/vtse41_20151114061750_forecast-only_multi-eventid.xml')?.eventIds).toEqual([
      '20151114055157',
      '20151114061750',
    ]);
    const vpww53 = keyOf('jmaxml/weather/vpww53_shimane_20160212_heavy-rain-special-warning.xml');
    expect(vpww53?.eventIds).toEqual([]);
    expect(vpww53?.stream).toContain('松江地方気象台');
  });

  it('keys CAP on sender, identifier and sent', () => {
    expect(keyOf('cap/cap12_oasis-example_thunderstorm_polygon.xml')?.key).toBe(
      'cap|KSTO@NWS.NOAA.GOV|KSTO1055887203|2003-06-17T14:57:00-07:00',
    );
  });
});
