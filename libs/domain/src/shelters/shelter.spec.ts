import { ErrorCode } from '../errors';
import {
  admitCheckIn,
  closeShelter,
  Crowding,
  CrowdingSource,
  crowdingAfterCheckIn,
  crowdingFromCount,
  openShelter,
  setHeadCount,
  setStaffCrowding,
  type ShelterOperatingState,
  ShelterStatus,
} from './shelter';

const closed: ShelterOperatingState = {
  status: ShelterStatus.Closed,
  openedAt: null,
  crowding: null,
  crowdingSource: null,
  headCount: 0,
};
const NOW = new Date('2026-09-01T09:30:00Z');

describe(crowdingFromCount.name, () => {
  it.each([
    [0, Crowding.Available],
    [29, Crowding.Available],
    [30, Crowding.SomewhatCrowded],
    [59, Crowding.SomewhatCrowded],
    [60, Crowding.Crowded],
    [79, Crowding.Crowded],
    [80, Crowding.Full],
    [100, Crowding.Full],
    [150, Crowding.Full],
  ])('%i people in 100 places is %s (VACAN thresholds 30/60/80 %%)', (count, level) => {
    expect(crowdingFromCount(count, 100)).toBe(level);
  });

  it('meets a boundary exactly where a float would miss it: 3 of 10 is やや混雑, 24 of 30 is 満', () => {
    expect(crowdingFromCount(3, 10)).toBe(Crowding.SomewhatCrowded);
    expect(crowdingFromCount(24, 30)).toBe(Crowding.Full);
    expect(crowdingFromCount(23, 30)).toBe(Crowding.Crowded);
  });

  it('says nothing without a capacity', () => {
    expect(crowdingFromCount(50, null)).toBeNull();
    expect(crowdingFromCount(50, 0)).toBeNull();
  });

  it('refuses a negative or fractional count', () => {
    expect(() => crowdingFromCount(-1, 100)).toThrow(
      expect.objectContaining({ code: ErrorCode.ValidationFailed }),
    );
    expect(() => crowdingFromCount(1.5, 100)).toThrow(
      expect.objectContaining({ code: ErrorCode.ValidationFailed }),
    );
  });
});

describe('shelter status', () => {
  it('opens a closed shelter from zero and closes it again', () => {
    const open = openShelter(closed, NOW);
    expect(open).toEqual({ ...closed, status: ShelterStatus.Open, openedAt: NOW });
    expect(closeShelter({ ...open, headCount: 12, crowding: Crowding.Full })).toEqual(closed);
  });

  it('refuses to open an open shelter (its count would be lost) or to close a closed one', () => {
    const open = openShelter(closed, NOW);
    expect(() => openShelter(open, NOW)).toThrow(
      expect.objectContaining({ code: ErrorCode.IllegalTransition }),
    );
    expect(() => closeShelter(closed)).toThrow(
      expect.objectContaining({ code: ErrorCode.IllegalTransition }),
    );
  });

  it('keeps crowding and counts only while open', () => {
    expect(() => setStaffCrowding(closed, Crowding.Full)).toThrow(
      expect.objectContaining({ code: ErrorCode.IllegalTransition }),
    );
    expect(() => setHeadCount(closed, 3, 10)).toThrow(
      expect.objectContaining({ code: ErrorCode.IllegalTransition }),
    );
  });

  it('a staff level stands through check-ins until staff give a head count', () => {
    const open = openShelter(closed, NOW);
    const judged = setStaffCrowding(open, Crowding.Crowded);
    expect(judged).toMatchObject({ crowding: Crowding.Crowded, crowdingSource: CrowdingSource.Staff });
    expect(crowdingAfterCheckIn(judged, 1, 100)).toEqual({
      crowding: Crowding.Crowded,
      crowdingSource: CrowdingSource.Staff,
    });
    expect(setHeadCount(judged, 85, 100)).toMatchObject({
      headCount: 85,
      crowding: Crowding.Full,
      crowdingSource: CrowdingSource.Count,
    });
  });

  it('check-ins derive the level from the count, and leave it unknown without a capacity', () => {
    const open = openShelter(closed, NOW);
    expect(crowdingAfterCheckIn(open, 31, 100)).toEqual({
      crowding: Crowding.SomewhatCrowded,
      crowdingSource: CrowdingSource.Count,
    });
    expect(crowdingAfterCheckIn(open, 31, null)).toEqual({ crowding: null, crowdingSource: null });
  });
});

describe(admitCheckIn.name, () => {
  it('adds the people to the count and derives the level', () => {
    const open = openShelter(closed, NOW);
    expect(admitCheckIn({ ...open, headCount: 29 }, 1, 100)).toMatchObject({
      headCount: 30,
      crowding: Crowding.SomewhatCrowded,
      crowdingSource: CrowdingSource.Count,
    });
  });

  it('refuses a closed shelter', () => {
    expect(() => admitCheckIn(closed, 1, 100)).toThrow(
      expect.objectContaining({ code: ErrorCode.IllegalTransition }),
    );
  });
});
