import { Channel, Severity } from './enums';
import { ValidationError } from './errors';
import {
  DEFAULT_CHANNEL_ORDER,
  fallbackPolicy,
  parseChannelFallbackSettings,
  parseChannelOrder,
} from './channel-fallback';

describe('channel fallback settings', () => {
  it('default to every channel at once, whatever the severity', () => {
    for (const s of Object.values(Severity)) {
      expect(fallbackPolicy({}, s)).toEqual({
        mode: 'parallel',
        order: DEFAULT_CHANNEL_ORDER,
        ackTimeoutSeconds: 300,
      });
    }
  });

  it('apply the mode chosen for the severity, with the municipality order and timeout', () => {
    const settings = {
      channelFallback: {
        order: ['line', 'fcm', 'email'],
        ackTimeoutSeconds: 120,
        modeBySeverity: { moderate: 'ordered', minor: 'ordered' },
      },
    };
    expect(fallbackPolicy(settings, Severity.Moderate)).toEqual({
      mode: 'ordered',
      order: [Channel.Line, Channel.Fcm, Channel.Email],
      ackTimeoutSeconds: 120,
    });
    expect(fallbackPolicy(settings, Severity.Extreme).mode).toBe('parallel');
  });

  it('reject what a user could get wrong, naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ order: [] }, /order must be a non-empty list/],
      [{ order: ['fcm', 'receiver'] }, /"receiver" is not one of/],
      [{ order: ['fcm', 'fcm'] }, /fcm is listed twice/],
      [{ ackTimeoutSeconds: 0 }, /ackTimeoutSeconds must be an integer from 1/],
      [{ modeBySeverity: { urgent: 'ordered' } }, /unknown severity urgent/],
      [{ modeBySeverity: { minor: 'sometimes' } }, /minor must be parallel or ordered/],
      [{ ordr: ['fcm'] }, /unknown field\(s\) ordr/],
      ['ordered', /must be an object/],
    ];
    for (const [value, message] of bad) {
      expect(() => parseChannelFallbackSettings(value)).toThrow(ValidationError);
      expect(() => parseChannelFallbackSettings(value)).toThrow(message);
    }
    expect(parseChannelOrder(['email', 'line'], 'order')).toEqual(['email', 'line']);
  });

  it('fall back to the default for settings stored before they were validated', () => {
    expect(fallbackPolicy({ channelFallback: { order: 'fcm' } }, Severity.Minor).mode).toBe('parallel');
  });
});
