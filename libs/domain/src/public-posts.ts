import { ValidationError } from './errors';

/** Where an alert for the whole municipality is published for everyone, not delivered per resident. */
export enum PublicationTarget {
  /** LINE official account broadcast: every friend of the account, linked to a resident or not. */
  LineBroadcast = 'line_broadcast',
  /** A post on the municipality's X account. */
  X = 'x',
}

export enum PublicationStatus {
  Queued = 'queued',
  Posted = 'posted',
  Failed = 'failed',
}

/**
 * `municipality.settings.publicPosts`: `{ lineBroadcast?: boolean, x?: boolean, drills?: boolean }`. Only alerts
 * for the whole municipality are published; drills only when `drills` is set (they are marked as drills anyway).
 */
export interface PublicPostSettings {
  lineBroadcast: boolean;
  x: boolean;
  drills: boolean;
}

export function parsePublicPostSettings(value: unknown): PublicPostSettings {
  const out: PublicPostSettings = { lineBroadcast: false, x: false, drills: false };
  if (value === undefined || value === null) return out;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError('settings.publicPosts must be an object');
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!(key in out)) throw new ValidationError(`settings.publicPosts: unknown field ${key}`);
    if (typeof v !== 'boolean')
      throw new ValidationError(`settings.publicPosts.${key} must be true or false`);
    out[key as keyof PublicPostSettings] = v;
  }
  return out;
}

/** Which public targets an alert goes to, given the municipality's settings (invalid stored settings: none). */
export function publicationTargets(
  settings: Readonly<Record<string, unknown>>,
  alert: { targetsEveryone: boolean; isDrill: boolean },
): PublicationTarget[] {
  let parsed: PublicPostSettings;
  try {
    parsed = parsePublicPostSettings(settings.publicPosts);
  } catch {
    return [];
  }
  if (!alert.targetsEveryone || (alert.isDrill && !parsed.drills)) return [];
  const targets: PublicationTarget[] = [];
  if (parsed.lineBroadcast) targets.push(PublicationTarget.LineBroadcast);
  if (parsed.x) targets.push(PublicationTarget.X);
  return targets;
}
