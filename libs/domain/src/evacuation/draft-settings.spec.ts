import { ValidationError } from '../errors';
import { evacuationDraftLevels, parseEvacuationDraftSettings } from './draft-settings';

describe(parseEvacuationDraftSettings.name, () => {
  it('drafts at levels 3, 4 and 5 unless told otherwise', () => {
    expect(parseEvacuationDraftSettings(undefined)).toEqual({ levels: [3, 4, 5] });
    expect(parseEvacuationDraftSettings({})).toEqual({ levels: [3, 4, 5] });
  });

  it('takes a subset of the levels, sorted, and an empty list to turn drafts off', () => {
    expect(parseEvacuationDraftSettings({ levels: [5, 4] })).toEqual({ levels: [4, 5] });
    expect(parseEvacuationDraftSettings({ levels: [] })).toEqual({ levels: [] });
  });

  it('refuses other levels, repeats, other shapes and any option to issue by itself', () => {
    const refused = (value: unknown) => () => parseEvacuationDraftSettings(value);
    expect(refused({ levels: [2, 3] })).toThrow(/levels 3, 4 and 5/);
    expect(refused({ levels: ['4'] })).toThrow(ValidationError);
    expect(refused({ levels: 4 })).toThrow(ValidationError);
    expect(refused({ levels: [4, 4] })).toThrow(/twice/);
    expect(refused([3, 4])).toThrow(/must be an object/);
    expect(refused({ levels: [4], autoIssue: true })).toThrow(/unknown field\(s\) autoIssue/);
  });
});

describe(evacuationDraftLevels.name, () => {
  it('reads the stored setting, and the default when it is missing or was stored invalid', () => {
    expect(evacuationDraftLevels({ evacuationDrafts: { levels: [4] } })).toEqual([4]);
    expect(evacuationDraftLevels({})).toEqual([3, 4, 5]);
    expect(evacuationDraftLevels({ evacuationDrafts: 'all' })).toEqual([3, 4, 5]);
  });
});
