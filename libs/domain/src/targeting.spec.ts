import { ValidationError } from './errors';
import { parseTargeting, selectsSomeone, storedTargeting } from './targeting';

const A = '3f0c2a9e-1b2c-4d5e-8f90-123456789abc';
const H = '9a0c2a9e-1b2c-4d5e-8f90-123456789abc';

describe(parseTargeting.name, () => {
  it('accepts the whole municipality, areas, JMA codes, groups and households, deduplicated', () => {
    expect(parseTargeting({ all: true })).toEqual({ all: true });
    expect(
      parseTargeting({
        areaIds: [A, A],
        jmaCodes: ['3220600'],
        groups: ['needs_assistance', 'staff'],
        householdIds: [H],
      }),
    ).toEqual({
      areaIds: [A],
      jmaCodes: ['3220600'],
      groups: ['needs_assistance', 'staff'],
      householdIds: [H],
    });
    expect(parseTargeting({ all: false, groups: ['staff'], areaIds: [] })).toEqual({ groups: ['staff'] });
  });

  it.each([
    [{}, /selects nobody/],
    [{ all: false, areaIds: [] }, /selects nobody/],
    [{ areaIds: ['not-a-uuid'] }, /areaIds/],
    [{ groups: ['everyone'] }, /groups/],
    [{ jmaCodes: [' '] }, /jmaCodes/],
    [{ householdIds: 'x' }, /householdIds must be a list/],
    [{ all: 'yes' }, /all must be a boolean/],
    [{ all: true, cancellationOf: A }, /Unknown targeting keys/],
    [null, /must be an object/],
    [[A], /must be an object/],
  ])('refuses %j', (raw, message) => {
    expect(() => parseTargeting(raw)).toThrow(ValidationError);
    expect(() => parseTargeting(raw)).toThrow(message);
  });
});

describe(storedTargeting.name, () => {
  it('reads a stored value without throwing, dropping what is not valid', () => {
    expect(storedTargeting({ all: 'yes', areaIds: [A, 7, 'x'], other: 1 })).toEqual({ areaIds: [A] });
    expect(storedTargeting('nonsense')).toEqual({});
    expect(selectsSomeone(storedTargeting({}))).toBe(false);
    expect(selectsSomeone(storedTargeting({ groups: ['staff'] }))).toBe(true);
  });
});
