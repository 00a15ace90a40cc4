import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as iconv from 'iconv-lite';
import { parseFeedDocument } from './feed-document.parser';
import { FeedErrorCode, FeedParseError } from './feed-parse.error';
import type { CapMessage, JmaMessage, NormalisedMessage } from './normalised-message';
import { feedFixturesDir } from './testing/feed-fixtures';

const fixtures = feedFixturesDir();
const fixture = (name: string): Buffer => readFileSync(path.join(fixtures, name));

function jma(msg: NormalisedMessage): JmaMessage {
  if (msg.format !== 'jmaxml') throw new Error(`expected a JMA message, got ${msg.format}`);
  return msg;
}

function cap(msg: NormalisedMessage): CapMessage {
  if (msg.format !== 'cap') throw new Error(`expected a CAP message, got ${msg.format}`);
  return msg;
}

function parseError(input: Uint8Array | string, maxBytes?: number): FeedParseError {
  try {
    parseFeedDocument(input, { maxBytes });
  } catch (err) {
    if (err instanceof FeedParseError) return err;
    throw new Error(`expected a FeedParseError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected the document to be refused');
}

const MINIMAL_REPORT = `<?xml version="1.0" encoding="UTF-8"?>
<Report xmlns="http://xml.kishou.go.jp/jmaxml1/">
  <Control><Title>震度速報</Title><DateTime>2024-01-01T07:10:00Z</DateTime><Status>通常</Status>
    <EditorialOffice>気象庁本庁</EditorialOffice><PublishingOffice>気象庁</PublishingOffice></Control>
  <Head xmlns="http://xml.kishou.go.jp/jmaxml1/informationBasis1/"><Title>震度速報</Title>
    <ReportDateTime>2024-01-01T16:10:00+09:00</ReportDateTime><TargetDateTime>2024-01-01T16:10:00+09:00</TargetDateTime>
    <EventID>20240101161006</EventID><InfoType>発表</InfoType><Serial/><InfoKind>震度速報</InfoKind>
    <InfoKindVersion>1.0_0</InfoKindVersion><Headline><Text>TEXT</Text></Headline></Head>
  <Body xmlns="http://xml.kishou.go.jp/jmaxml1/body/seismology1/"/>
</Report>`;

describe(parseFeedDocument.name, () => {
  describe('JMA XML', () => {
    it('keeps area codes as strings with their leading zeros and intensities as JMA strings', () => {
      const sut = jma(parseFeedDocument(fixture('jmaxml/earthquake/vxse53_20210217230627_s1_real.xml')));

      expect(sut.dataType).toBe('VXSE53');
      expect(sut.body.family).toBe('earthquake');
      if (sut.body.family !== 'earthquake') return;
      expect(sut.body.prefectures[0]).toEqual({ code: '04', name: '宮城県', maxInt: '3' });
      expect(sut.body.cities[0]).toMatchObject({ code: '0420200', areaCode: '222', maxInt: '3' });
      expect(sut.control.dateTime).toBe('2021-02-17T14:09:58Z');
      expect(sut.head.reportDateTime).toBe('2021-02-17T23:09:00+09:00');
    });

    it('splits a multi-value EventID and keeps the raw value', () => {
      const sut = jma(
        parseFeedDocument(fixture('jmaxml/tsunami/vtse41_20151114061750_forecast-only_multi-eventid.xml')),
      );

      expect(sut.head.eventId).toBe('20151114055157 20151114061750');
      expect(sut.head.eventIds).toEqual(['20151114055157', '20151114061750']);
    });

    it.each([
      [
        'jmaxml/earthquake/vxse52_20091001134500_drill.xml',
        { isActual: false, isTraining: true, isTest: false },
      ],
      ['jmaxml/eew/vxse42_20090811050000_s1_test.xml', { isActual: false, isTraining: false, isTest: true }],
      ['jmaxml/eew/vxse43_20240116184216_s1_real.xml', { isActual: true, isTraining: false, isTest: false }],
    ])('flags %s from Control/Status', (file, flags) => {
      expect(jma(parseFeedDocument(fixture(file))).status).toEqual(flags);
    });

    it('parses a telegram of a type it has no body parser for down to its Control and Head', () => {
      const doc = MINIMAL_REPORT.replace(/震度速報/g, '未知の地震関連情報').replace(
        '<Body xmlns="http://xml.kishou.go.jp/jmaxml1/body/seismology1/"/>',
        '<Body xmlns="http://xml.kishou.go.jp/jmaxml1/body/other1/"><Text>本文</Text></Body>',
      );

      const sut = jma(parseFeedDocument(doc));

      expect(sut.dataType).toBeNull();
      expect(sut.kind).toBe('other');
      expect(sut.body).toEqual({ family: 'other', bodyText: '本文' });
      expect(sut.head).toMatchObject({ eventIds: ['20240101161006'], serial: null, headlineText: 'TEXT' });
    });

    /** MINIMAL_REPORT under another title, with a seismology body of our own making (shapes as in JMA's notes). */
    const seismology = (title: string, body: string, name?: string) =>
      jma(
        parseFeedDocument(
          MINIMAL_REPORT.replace(/震度速報/g, title).replace(
            '<Body xmlns="http://xml.kishou.go.jp/jmaxml1/body/seismology1/"/>',
            `<Body xmlns="http://xml.kishou.go.jp/jmaxml1/body/seismology1/">${body}</Body>`,
          ),
          { name },
        ),
      );

    it('VXSE62 長周期地震動に関する観測情報: gives its long-period class (MaxLgInt, LgCategory, per area)', () => {
      const sut = seismology(
        '長周期地震動に関する観測情報',
        `<Intensity><Observation><MaxInt>4</MaxInt><MaxLgInt>3</MaxLgInt><LgCategory>3</LgCategory>
          <Pref><Name>宮城県</Name><Code>04</Code><MaxInt>4</MaxInt><MaxLgInt>3</MaxLgInt>
            <Area><Name>宮城県北部</Name><Code>220</Code><MaxInt>4</MaxInt><MaxLgInt>3</MaxLgInt></Area></Pref>
        </Observation></Intensity>`,
      );

      expect(sut).toMatchObject({ dataType: 'VXSE62', kind: 'earthquake.long_period_observation' });
      expect(sut.body).toMatchObject({
        family: 'earthquake',
        maxInt: '4',
        maxLgInt: '3',
        lgCategory: '3',
        areas: [{ code: '220', maxLgInt: '3' }],
      });
    });

    it.each([
      [
        '南海トラフ地震臨時情報',
        '巨大地震注意',
        '130',
        undefined,
        'VYSE50',
        'earthquake.nankai_trough_extraordinary',
      ],
      [
        '南海トラフ地震関連解説情報',
        '臨時解説',
        '210',
        undefined,
        null,
        'earthquake.nankai_trough_explanation',
      ],
      [
        '南海トラフ地震関連解説情報',
        '定例解説',
        '200',
        'https://www.data.jma.go.jp/developer/xml/data/20260601000000_0_VYSE52_010000.xml',
        'VYSE52',
        'earthquake.nankai_trough_explanation',
      ],
    ])('%s (%s): gives its kind code %s', (title, name, code, url, dataType, kind) => {
      const sut = seismology(
        title,
        `<EarthquakeInfo type="南海トラフ地震に関連する情報"><InfoKind>${title}</InfoKind>
          <InfoSerial codeType="地震関連情報番号コード"><Name>${name}</Name><Code>${code}</Code></InfoSerial>
          <Text>本文</Text></EarthquakeInfo>`,
        url,
      );

      expect(sut).toMatchObject({ dataType, kind });
      expect(sut.body.family === 'earthquake' && sut.body.earthquakeInfo).toEqual({
        type: '南海トラフ地震に関連する情報',
        infoKind: title,
        infoSerial: { name, code },
      });
    });

    it('VYSE60 北海道・三陸沖後発地震注意情報: its kind, without a 情報番号', () => {
      const sut = seismology(
        '北海道・三陸沖後発地震注意情報',
        `<EarthquakeInfo type="北海道・三陸沖後発地震注意情報"><InfoKind>北海道・三陸沖後発地震注意情報</InfoKind>
          <Text>本文</Text></EarthquakeInfo>`,
      );

      expect(sut).toMatchObject({ dataType: 'VYSE60', kind: 'earthquake.subsequent_quake_advisory' });
      expect(sut.body.family === 'earthquake' && sut.body.earthquakeInfo).toEqual({
        type: '北海道・三陸沖後発地震注意情報',
        infoKind: '北海道・三陸沖後発地震注意情報',
        infoSerial: null,
      });
    });

    it('takes the data type from the telegram’s name over its title', () => {
      const sut = seismology('緊急地震速報（予報）', '', '20240417141455_0_VXSE44_010000.xml');
      expect(sut.dataType).toBe('VXSE44');
      const renamed = seismology('震源・震度に関する情報', '', '20260101000000_0_VXSE41_010000.xml');
      expect(renamed).toMatchObject({ dataType: 'VXSE41', kind: 'earthquake.hypocenter_intensity' });
    });

    it('refuses a Report without Control as JMA_MISSING_FIELD', () => {
      const doc = MINIMAL_REPORT.replace(/<Control>[\s\S]*<\/Control>/, '');

      expect(parseError(doc).code).toBe(FeedErrorCode.JmaMissingField);
    });
  });

  describe('CAP', () => {
    it('reads a prefixed CAP 1.2 alert and a signed cancel without info', () => {
      const prefixed = cap(parseFeedDocument(fixture('cap/cap12_australia_prefixed-namespace.xml')));
      const cancel = cap(parseFeedDocument(fixture('cap/cap12_ipaws_cancel_signed.xml')));

      expect(prefixed.capVersion).toBe('1.2');
      expect(prefixed.infos[0].categories).toEqual(['Fire', 'Met']);
      expect(cancel.alert).toMatchObject({ msgType: 'Cancel', hasSignature: true });
      expect(cancel.infos).toEqual([]);
    });

    it('reads CAP 1.1 and flags a non-Actual status', () => {
      const doc = readFileSync(path.join(fixtures, 'cap/cap12_philippines_status-test.xml'), 'utf8').replace(
        'urn:oasis:names:tc:emergency:cap:1.2',
        'urn:oasis:names:tc:emergency:cap:1.1',
      );

      const sut = cap(parseFeedDocument(doc));

      expect(sut.capVersion).toBe('1.1');
      expect(sut.status).toEqual({ isActual: false, isTraining: false, isTest: true });
    });
  });

  describe('Atom', () => {
    it('reads a JMA PULL feed', () => {
      const feed = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" lang="ja"><title>高頻度（地震火山）</title><subtitle>JMAXML publishing feed</subtitle>
<updated>2024-04-17T14:15:21Z</updated><id>https://www.data.jma.go.jp/developer/xml/feed/eqvol.xml#short_1713363321</id>
<link rel="hub" href="http://alert-hub.appspot.com/"/>
<entry><title>震源・震度に関する情報</title><id>https://www.data.jma.go.jp/developer/xml/data/20240417141800_0_VXSE53_010000.xml</id>
<updated>2024-04-17T14:18:00Z</updated><author><name>気象庁</name></author>
<link type="application/xml" href="https://www.data.jma.go.jp/developer/xml/data/20240417141800_0_VXSE53_010000.xml"/>
<content type="text">豊後水道で地震</content></entry></feed>`;

      const sut = parseFeedDocument(feed);

      expect(sut.format).toBe('atom');
      if (sut.format !== 'atom') return;
      expect(sut.entries).toEqual([
        {
          id: 'https://www.data.jma.go.jp/developer/xml/data/20240417141800_0_VXSE53_010000.xml',
          title: '震源・震度に関する情報',
          updated: '2024-04-17T14:18:00Z',
          author: '気象庁',
          link: 'https://www.data.jma.go.jp/developer/xml/data/20240417141800_0_VXSE53_010000.xml',
          content: '豊後水道で地震',
        },
      ]);
    });
  });

  describe('safe XML', () => {
    it('refuses the hostile XXE fixture before parsing', () => {
      expect(parseError(fixture('cap/cap12_hostile_xxe.xml')).code).toBe(FeedErrorCode.XmlDoctypeForbidden);
    });

    it('refuses an internal entity declaration (billion laughs) without expanding it', () => {
      const doc = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>`;

      expect(parseError(doc).code).toBe(FeedErrorCode.XmlDoctypeForbidden);
    });

    it('refuses a reference to an undeclared entity but decodes predefined and character references', () => {
      expect(parseError(MINIMAL_REPORT.replace('TEXT', '&xxe;')).code).toBe(FeedErrorCode.XmlEntityForbidden);

      const sut = jma(
        parseFeedDocument(MINIMAL_REPORT.replace('TEXT', 'a&amp;b &#x3042;&#12354;<![CDATA[<&x;>]]>')),
      );

      expect(sut.head.headlineText).toBe('a&b ああ<&x;>');
    });

    it('normalises literal whitespace in attribute values but keeps character references', () => {
      const doc = MINIMAL_REPORT.replace(
        '<Text>TEXT</Text>',
        '<Text>TEXT</Text><Information type="a\tb\nc&#10;d"><Item><Areas codeType="x"/></Item></Information>',
      );

      expect(jma(parseFeedDocument(doc)).head.information[0].type).toBe('a b c\nd');
    });

    it('treats names from the document as data, never as object prototype keys', () => {
      for (const title of ['constructor', '__proto__', 'toString']) {
        const doc = MINIMAL_REPORT.replace(/<Title>震度速報<\/Title>/, `<Title>${title}</Title>`);

        expect(jma(parseFeedDocument(doc))).toMatchObject({ dataType: null, kind: 'earthquake' });
      }
      expect(parseError('<alert xmlns="constructor"><identifier>1</identifier></alert>').code).toBe(
        FeedErrorCode.XmlUnknownRoot,
      );
      // fast-xml-parser refuses these element names outright; no JMA or CAP vocabulary uses them
      expect(parseError('<Report><__proto__/></Report>').code).toBe(FeedErrorCode.XmlMalformed);
      expect(parseError('<Report><constructor/></Report>').code).toBe(FeedErrorCode.XmlMalformed);
    });

    it('accepts by default a telegram the size of the largest real one (VPWS50, ≈ 4.6 MB), with headroom', () => {
      const big = MINIMAL_REPORT.replace(
        '<Body xmlns="http://xml.kishou.go.jp/jmaxml1/body/seismology1/"/>',
        `<Body xmlns="http://xml.kishou.go.jp/jmaxml1/body/meteorology1/"><Text>${'x'.repeat(6_000_000)}</Text></Body>`,
      );

      expect(jma(parseFeedDocument(big)).body.family).toBe('weather');
      expect(parseError(big + ' '.repeat(3_000_000)).code).toBe(FeedErrorCode.XmlTooLarge);
    });

    it('refuses a document over the size cap', () => {
      const err = parseError(MINIMAL_REPORT, 100);

      expect(err.code).toBe(FeedErrorCode.XmlTooLarge);
      expect(err.details).toMatchObject({ maxBytes: 100 });
    });

    it.each([
      ['a truncated document', MINIMAL_REPORT.slice(0, 300)],
      [
        'two document elements',
        `${MINIMAL_REPORT}<Report/>`.replace('<?xml version="1.0" encoding="UTF-8"?>', ''),
      ],
      ['a bare ampersand', MINIMAL_REPORT.replace('TEXT', 'a & b')],
      [
        'an undeclared prefix',
        MINIMAL_REPORT.replace('<Title>震度速報</Title>', '<x:Title>震度速報</x:Title>'),
      ],
      ['nesting deeper than allowed', `${'<a>'.repeat(500)}${'</a>'.repeat(500)}`],
      ['a NUL character', MINIMAL_REPORT.replace('震度速報', '震度\u0000速報')],
      ['a C0 control character', MINIMAL_REPORT.replace('震度速報', '震度\u0001速報')],
      ['a lone surrogate in a string document', MINIMAL_REPORT.replace('震度速報', '震度\ud800速報')],
    ])('refuses %s as XML_MALFORMED', (_, doc) => {
      expect(parseError(doc).code).toBe(FeedErrorCode.XmlMalformed);
    });

    it('refuses bytes that are not in the declared encoding', () => {
      const bytes = Buffer.concat([
        Buffer.from(MINIMAL_REPORT.slice(0, 200)),
        Buffer.from([0xff, 0xfe, 0xfd]),
      ]);

      expect(parseError(bytes).code).toBe(FeedErrorCode.XmlEncoding);
    });

    it('decodes a declared legacy encoding (Shift_JIS)', () => {
      const doc = MINIMAL_REPORT.replace('encoding="UTF-8"', 'encoding="Shift_JIS"').replace(
        'TEXT',
        '安来市',
      );
      const sut = jma(parseFeedDocument(iconv.encode(doc, 'Shift_JIS')));

      expect(sut.head.headlineText).toBe('安来市');
    });

    it('refuses a well-formed document of another vocabulary as XML_UNKNOWN_ROOT', () => {
      expect(parseError('<html><body/></html>').code).toBe(FeedErrorCode.XmlUnknownRoot);
    });
  });
});
