import { Hazard } from '../hazard';
import { ShelterHazard, ShelterStatus } from './shelter';
import { isSuitableFor, type ShelterForOrder, shelterNamesForOrder } from './suitability';

const site = (name: string, o: Partial<ShelterForOrder> = {}): ShelterForOrder => ({
  name,
  status: ShelterStatus.Open,
  hazards: [ShelterHazard.Flood],
  areaIds: [],
  ...o,
});

describe(isSuitableFor.name, () => {
  it('needs the flag of the hazard', () => {
    expect(isSuitableFor([ShelterHazard.Tsunami], Hazard.Tsunami)).toBe(true);
    expect(isSuitableFor([ShelterHazard.Earthquake], Hazard.Tsunami)).toBe(false);
  });

  it('大雨 needs 土砂災害, 洪水 and 内水氾濫 together', () => {
    const all = [ShelterHazard.Landslide, ShelterHazard.Flood, ShelterHazard.InlandFlood];
    expect(isSuitableFor(all, Hazard.HeavyRain)).toBe(true);
    expect(isSuitableFor([ShelterHazard.Flood, ShelterHazard.InlandFlood], Hazard.HeavyRain)).toBe(false);
  });
});

describe(shelterNamesForOrder.name, () => {
  it('names only open shelters designated for the hazard that serve the districts', () => {
    const shelters = [
      site('A', { areaIds: ['d1'] }),
      site('closed', { status: ShelterStatus.Closed, areaIds: ['d1'] }),
      site('wrong hazard', { hazards: [ShelterHazard.Earthquake], areaIds: ['d1'] }),
      site('other district', { areaIds: ['d2'] }),
      site('whole town'),
    ];
    expect(shelterNamesForOrder(shelters, { hazard: Hazard.Flood, areaIds: ['d1'] })).toEqual([
      'A',
      'whole town',
    ]);
    expect(shelterNamesForOrder(shelters, { hazard: Hazard.Flood, areaIds: null })).toEqual([
      'A',
      'other district',
      'whole town',
    ]);
  });

  it('names a place once even when listed twice (避難場所 and 避難所)', () => {
    expect(shelterNamesForOrder([site('A'), site('A')], { hazard: Hazard.Flood, areaIds: null })).toEqual([
      'A',
    ]);
  });
});
