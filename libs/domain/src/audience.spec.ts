import { audienceOf } from './audience';
import type { Targeting } from './targeting';

const A = '3f0c2a9e-1b2c-4d5e-8f90-123456789abc';
const H = '9a0c2a9e-1b2c-4d5e-8f90-123456789abc';

describe(audienceOf.name, () => {
  it('lifts the place restriction for all, and keeps groups as a narrowing', () => {
    expect(audienceOf({ all: true })).toEqual({
      everywhere: true,
      areaIds: [],
      householdIds: [],
      jmaCodes: [],
      groups: [],
    });
    expect(audienceOf({ all: true, groups: ['staff'] })).toMatchObject({
      everywhere: true,
      groups: ['staff'],
    });
  });

  it('treats groups alone as the whole municipality narrowed to those groups', () => {
    expect(audienceOf({ groups: ['needs_assistance'] })).toMatchObject({
      everywhere: true,
      groups: ['needs_assistance'],
    });
  });

  it('restricts to the named places, which add up', () => {
    expect(audienceOf({ areaIds: [A], jmaCodes: ['3220600'], householdIds: [H], groups: ['staff'] })).toEqual(
      {
        everywhere: false,
        areaIds: [A],
        householdIds: [H],
        jmaCodes: ['3220600'],
        groups: ['staff'],
      },
    );
  });

  it('selects nobody when nothing is named, and drops values it cannot use', () => {
    expect(audienceOf({})).toMatchObject({ everywhere: false, areaIds: [], jmaCodes: [], groups: [] });
    expect(
      // as a column written by hand or by an older version may hold it
      audienceOf({
        all: 'yes',
        areaIds: ['not-a-uuid', 7, A, A],
        groups: ['everyone', 'staff'],
        jmaCodes: [' '],
      } as unknown as Targeting),
    ).toEqual({ everywhere: false, areaIds: [A], householdIds: [], jmaCodes: [], groups: ['staff'] });
  });
});
