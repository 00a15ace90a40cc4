import * as path from 'node:path';

/**
 * The real JMA telegrams and CAP messages the specs read, with their oracle `EXPECTED.json`
 * (`test/fixtures/feeds`, origin and terms in its SOURCES.md). Used by the specs only.
 */
export function feedFixturesDir(): string {
  return path.resolve(__dirname, '../../../../test/fixtures/feeds');
}
