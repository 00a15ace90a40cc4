import { ValidationError } from './errors';
import { parsePublicPostSettings, PublicationTarget, publicationTargets } from './public-posts';

describe('public posts', () => {
  const settings = { publicPosts: { lineBroadcast: true, x: true } };

  it('publish alerts for the whole municipality on the targets the municipality turned on', () => {
    expect(publicationTargets(settings, { targetsEveryone: true, isDrill: false })).toEqual([
      PublicationTarget.LineBroadcast,
      PublicationTarget.X,
    ]);
    expect(
      publicationTargets({ publicPosts: { x: true } }, { targetsEveryone: true, isDrill: false }),
    ).toEqual([PublicationTarget.X]);
    expect(publicationTargets({}, { targetsEveryone: true, isDrill: false })).toEqual([]);
  });

  it('never publish a targeted alert, nor a drill unless drills are turned on', () => {
    expect(publicationTargets(settings, { targetsEveryone: false, isDrill: false })).toEqual([]);
    expect(publicationTargets(settings, { targetsEveryone: true, isDrill: true })).toEqual([]);
    expect(
      publicationTargets(
        { publicPosts: { x: true, drills: true } },
        { targetsEveryone: true, isDrill: true },
      ),
    ).toEqual([PublicationTarget.X]);
  });

  it('reject settings a user could get wrong', () => {
    expect(() => parsePublicPostSettings({ twitter: true })).toThrow(ValidationError);
    expect(() => parsePublicPostSettings({ x: 'yes' })).toThrow(/x must be true or false/);
    expect(() => parsePublicPostSettings([])).toThrow(/must be an object/);
    expect(
      publicationTargets({ publicPosts: { x: 'yes' } }, { targetsEveryone: true, isDrill: false }),
    ).toEqual([]);
  });
});
