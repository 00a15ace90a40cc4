import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { feedFixturesDir } from '../testing/feed-fixtures';
import {
  compareDocumented,
  compareEntry,
  formatVerificationReport,
  verifyAgainstExpected,
  verifyFile,
  type Mismatch,
} from './expected-verifier';

interface Entry {
  file: string;
  facts: unknown;
}

describe(verifyAgainstExpected.name, () => {
  const dir = feedFixturesDir();
  const expected = JSON.parse(readFileSync(path.join(dir, 'EXPECTED.json'), 'utf8')) as {
    files: Record<string, Entry>;
  };

  it('parses every file listed in test/fixtures/feeds/EXPECTED.json and matches every documented fact', async () => {
    const report = await verifyAgainstExpected(dir);

    expect(report.files).toBe(Object.keys(expected.files).length);
    expect(report.files).toBeGreaterThanOrEqual(56);
    expect(formatVerificationReport(report)).toBe(`verified: ${report.files} files, 0 mismatches\n`);
  });

  it('reports a documented fact that differs, with its path', () => {
    const name = 'jmaxml/earthquake/vxse53_20210217230627_s1_real.xml';
    const entry = structuredClone(expected.files[name]) as Entry & {
      facts: { cities: { maxInt: string }[] };
    };
    entry.facts.cities[3].maxInt = '5+';

    const mismatches = verifyFile(name, entry, readFileSync(path.join(dir, name)));

    expect(mismatches).toEqual([{ file: name, path: 'facts.cities[3].maxInt', expected: '5+', actual: '2' }]);
  });

  it('reports a file that is missing or parses although it is hostile', () => {
    const hostile = 'cap/cap12_hostile_xxe.xml';
    const benign = readFileSync(path.join(dir, 'cap/cap12_oasis-example_thunderstorm_polygon.xml'));

    expect(verifyFile('gone.xml', { file: 'gone.xml' }, null)).toHaveLength(1);
    expect(verifyFile(hostile, { file: hostile, hostile: true, facts: null }, benign)).toEqual([
      { file: hostile, path: '', expected: 'a FeedParseError', actual: 'parsed' },
    ]);
  });

  describe(compareDocumented.name, () => {
    it('compares documented keys and list lengths exactly, ignoring keys the parser adds', () => {
      const out: Omit<Mismatch, 'file'>[] = [];

      compareDocumented({ a: '01', b: [1, 2] }, { a: '01', b: [1, 2], extra: true }, '', out);
      expect(out).toEqual([]);

      compareDocumented({ a: '01', b: [1, 2], c: null }, { a: '1', b: [1], c: undefined }, '', out);
      expect(out).toEqual([
        { path: 'a', expected: '01', actual: '1' },
        { path: 'b.length', expected: 2, actual: 1 },
        { path: 'c', expected: null, actual: undefined },
      ]);
    });
  });

  describe(compareEntry.name, () => {
    const shape = {
      format: 'jmaxml',
      kind: 'weather',
      dataType: 'VXKOii',
      control: null,
      head: null,
      facts: null,
    };

    it("reads JMA's `ii` in a data-type code as two digits (VXKO50–89 by river)", () => {
      expect(compareEntry({ file: 'f', dataType: 'VXKO51' }, shape)).toEqual([]);
      expect(compareEntry({ file: 'f', dataType: 'VXKOii' }, shape)).toEqual([]);
      expect(compareEntry({ file: 'f', dataType: 'VXSE53' }, shape)).toEqual([
        { path: 'dataType', expected: 'VXSE53', actual: 'VXKOii' },
      ]);
    });

    it('compares the family of the kind', () => {
      expect(compareEntry({ file: 'f', kind: 'weather.designated_river_flood_forecast' }, shape)).toEqual([]);
      expect(compareEntry({ file: 'f', kind: 'volcano.eruption_flash' }, shape)).toHaveLength(1);
    });
  });
});
