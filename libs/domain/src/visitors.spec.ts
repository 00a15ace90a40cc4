import { Channel } from './enums';
import { visitorAudience, visitorReceives, type VisitorAlertFacts } from './visitors';

const A = '3f0c2a9e-1b2c-4d5e-8f90-123456789abc';
const B = '4f0c2a9e-1b2c-4d5e-8f90-123456789abc';
const H = '9a0c2a9e-1b2c-4d5e-8f90-123456789abc';

const alert = (over: Partial<VisitorAlertFacts>): VisitorAlertFacts => ({
  targeting: { areaIds: [A] },
  channels: [Channel.WebPush, Channel.Fcm],
  isDrill: false,
  ...over,
});
const inA = [{ id: A, jmaCodes: ['3220600'] }];
const inB = [{ id: B, jmaCodes: ['3220700'] }];

describe(visitorAudience.name, () => {
  it('gives the whole municipality or the named districts', () => {
    expect(visitorAudience(alert({ targeting: { all: true } }))).toEqual({
      everywhere: true,
      areaIds: [],
      jmaCodes: [],
    });
    expect(visitorAudience(alert({ targeting: { areaIds: [A], jmaCodes: ['3220700'] } }))).toEqual({
      everywhere: false,
      areaIds: [A],
      jmaCodes: ['3220700'],
    });
  });

  it('gives nobody for groups, households, drills, or an alert without Web Push', () => {
    expect(visitorAudience(alert({ targeting: { areaIds: [A], groups: ['needs_assistance'] } }))).toBeNull();
    expect(visitorAudience(alert({ targeting: { all: true, groups: ['staff'] } }))).toBeNull();
    expect(visitorAudience(alert({ targeting: { groups: ['needs_assistance'] } }))).toBeNull();
    expect(visitorAudience(alert({ targeting: { areaIds: [A], householdIds: [H] } }))).toBeNull();
    expect(visitorAudience(alert({ isDrill: true }))).toBeNull();
    expect(visitorAudience(alert({ channels: [Channel.Fcm, Channel.Email] }))).toBeNull();
    expect(visitorAudience(alert({ targeting: {} }))).toBeNull();
  });
});

describe(visitorReceives.name, () => {
  it('reaches a visitor whose districts intersect the alert, by id or by JMA code', () => {
    expect(visitorReceives(alert({}), inA)).toBe(true);
    expect(visitorReceives(alert({}), inB)).toBe(false);
    expect(visitorReceives(alert({}), [...inB, ...inA])).toBe(true);
    expect(visitorReceives(alert({ targeting: { jmaCodes: ['3220700'] } }), inB)).toBe(true);
    expect(visitorReceives(alert({ targeting: { all: true } }), inB)).toBe(true);
  });

  it('never reaches a visitor with a 要援護者-only alert of their district, a drill, or without districts', () => {
    expect(visitorReceives(alert({ targeting: { areaIds: [A], groups: ['needs_assistance'] } }), inA)).toBe(
      false,
    );
    expect(visitorReceives(alert({ isDrill: true }), inA)).toBe(false);
    expect(visitorReceives(alert({ targeting: { all: true } }), [])).toBe(false);
  });
});
