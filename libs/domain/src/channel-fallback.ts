import { Channel, Severity } from './enums';
import { ValidationError } from './errors';

/** `parallel`: every means of a resident at once. `ordered`: one at a time, the next when the last one failed. */
export type FallbackMode = 'parallel' | 'ordered';

/** How an alert of one severity reaches residents who registered several personal channels. */
export interface FallbackPolicy {
  mode: FallbackMode;
  /** The municipality's order; a resident's own order, when set, replaces it. */
  order: readonly Channel[];
  /** A delivery the provider accepted but no device acknowledged after this long counts as not reached. */
  ackTimeoutSeconds: number;
}

/** Channels a resident may put in an order: their own devices and accounts (receivers serve the household). */
export const PERSONAL_CHANNELS: readonly Channel[] = [
  Channel.Fcm,
  Channel.WebPush,
  Channel.Line,
  Channel.Email,
];
export const DEFAULT_CHANNEL_ORDER: readonly Channel[] = PERSONAL_CHANNELS;
export const DEFAULT_ACK_TIMEOUT_SECONDS = 300;

/**
 * `municipality.settings.channelFallback`, as stored:
 * `{ order?: Channel[], ackTimeoutSeconds?: number, modeBySeverity?: { [severity]: 'parallel' | 'ordered' } }`.
 * A severity not named is `parallel`: every working means at once is the safe default for a life-safety message;
 * a municipality opts into `ordered` (less noise, fewer paid messages) for the severities it chooses.
 */
export interface ChannelFallbackSettings {
  order?: Channel[];
  ackTimeoutSeconds?: number;
  modeBySeverity?: Partial<Record<Severity, FallbackMode>>;
}

/** A resident's or municipality's channel order: personal channels, each once. */
export function parseChannelOrder(value: unknown, field: string): Channel[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ValidationError(
      `${field} must be a non-empty list of channels (${PERSONAL_CHANNELS.join(', ')})`,
    );
  }
  const seen = new Set<string>();
  for (const c of value) {
    if (typeof c !== 'string' || !(PERSONAL_CHANNELS as readonly string[]).includes(c)) {
      throw new ValidationError(
        `${field}: ${JSON.stringify(c)} is not one of ${PERSONAL_CHANNELS.join(', ')}`,
      );
    }
    if (seen.has(c)) throw new ValidationError(`${field}: ${c} is listed twice`);
    seen.add(c);
  }
  return value as Channel[];
}

/** Validates the stored settings object; throws a ValidationError naming the bad field. */
export function parseChannelFallbackSettings(value: unknown): ChannelFallbackSettings {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError('settings.channelFallback must be an object');
  }
  const raw = value as Record<string, unknown>;
  const unknownKeys = Object.keys(raw).filter(
    (k) => !['order', 'ackTimeoutSeconds', 'modeBySeverity'].includes(k),
  );
  if (unknownKeys.length > 0) {
    throw new ValidationError(`settings.channelFallback: unknown field(s) ${unknownKeys.join(', ')}`);
  }
  const out: ChannelFallbackSettings = {};
  if (raw.order !== undefined) out.order = parseChannelOrder(raw.order, 'settings.channelFallback.order');
  if (raw.ackTimeoutSeconds !== undefined) {
    const t = raw.ackTimeoutSeconds;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 86_400) {
      throw new ValidationError(
        'settings.channelFallback.ackTimeoutSeconds must be an integer from 1 to 86400',
      );
    }
    out.ackTimeoutSeconds = t;
  }
  if (raw.modeBySeverity !== undefined) {
    const modes = raw.modeBySeverity;
    if (typeof modes !== 'object' || modes === null || Array.isArray(modes)) {
      throw new ValidationError('settings.channelFallback.modeBySeverity must be an object');
    }
    out.modeBySeverity = {};
    for (const [severity, mode] of Object.entries(modes as Record<string, unknown>)) {
      if (!(Object.values(Severity) as string[]).includes(severity)) {
        throw new ValidationError(`settings.channelFallback.modeBySeverity: unknown severity ${severity}`);
      }
      if (mode !== 'parallel' && mode !== 'ordered') {
        throw new ValidationError(
          `settings.channelFallback.modeBySeverity.${severity} must be parallel or ordered`,
        );
      }
      out.modeBySeverity[severity as Severity] = mode;
    }
  }
  return out;
}

/** The policy for an alert of `severity` in a municipality with these settings (already validated on write). */
export function fallbackPolicy(
  settings: Readonly<Record<string, unknown>>,
  severity: string,
): FallbackPolicy {
  let parsed: ChannelFallbackSettings;
  try {
    parsed = parseChannelFallbackSettings(settings.channelFallback);
  } catch {
    // settings written before validation existed: the safe default rather than a stuck alert
    parsed = {};
  }
  return {
    mode: parsed.modeBySeverity?.[severity as Severity] ?? 'parallel',
    order: parsed.order ?? DEFAULT_CHANNEL_ORDER,
    ackTimeoutSeconds: parsed.ackTimeoutSeconds ?? DEFAULT_ACK_TIMEOUT_SECONDS,
  };
}
