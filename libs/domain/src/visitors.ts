import { Channel } from './enums';
import { storedTargeting, type Targeting } from './targeting';

/**
 * Visitor subscriptions (旅行者・離れて暮らす家族): a browser subscribed without enrolment to the public alerts of
 * the districts its holder chose. What such a subscription may receive is decided here, once, for the planner.
 */

/** The part of an alert a visitor subscription is planned from. */
export interface VisitorAlertFacts {
  targeting: Targeting;
  channels: readonly string[];
  isDrill: boolean;
}

/**
 * The places an alert reaches visitors in: every district of the municipality (`everywhere`), or the districts
 * named by id or by a JMA code one of them carries.
 */
export interface VisitorAudience {
  everywhere: boolean;
  areaIds: readonly string[];
  jmaCodes: readonly string[];
}

/** A visitor's chosen district, with the JMA codes it carries (市町村等, 地震/EEW 細分区域, 津波予報区). */
export interface VisitorDistrict {
  id: string;
  jmaCodes: readonly string[];
}

/**
 * Which visitors an alert goes to, or `null` for none. Visitors get **public** alerts only:
 *
 * - the whole municipality (`all`) or districts (area ids, JMA codes) — never an alert that narrows its audience
 *   to groups (要援護者, staff) or names households, even beside districts (its text may be about those people);
 * - never a drill (訓練 is rehearsed with the residents on the roster; a visitor would take it for real);
 * - never when the alert does not go out by Web Push (the only way a visitor is reached).
 *
 * A cancellation notice follows its original: it goes to the visitors the original possibly reached.
 */
export function visitorAudience(alert: VisitorAlertFacts): VisitorAudience | null {
  if (alert.isDrill || !alert.channels.includes(Channel.WebPush)) return null;
  const t = storedTargeting(alert.targeting);
  if ((t.groups?.length ?? 0) > 0 || (t.householdIds?.length ?? 0) > 0) return null;
  if (t.all === true) return { everywhere: true, areaIds: [], jmaCodes: [] };
  const areaIds = t.areaIds ?? [];
  const jmaCodes = t.jmaCodes ?? [];
  if (areaIds.length + jmaCodes.length === 0) return null;
  return { everywhere: false, areaIds, jmaCodes };
}

/** Whether a visitor who chose `districts` receives the alert (the planner's SQL applies the same rule). */
export function visitorReceives(alert: VisitorAlertFacts, districts: readonly VisitorDistrict[]): boolean {
  const audience = visitorAudience(alert);
  if (!audience || districts.length === 0) return false;
  if (audience.everywhere) return true;
  return districts.some(
    (d) => audience.areaIds.includes(d.id) || d.jmaCodes.some((c) => audience.jmaCodes.includes(c)),
  );
}

/** Languages a visitor may choose: the PWA's (日本語, やさしい日本語, English). */
export const VISITOR_LANGUAGES = ['ja', 'ja-easy', 'en'] as const;
export type VisitorLanguage = (typeof VISITOR_LANGUAGES)[number];

/** The most districts one subscription may name. */
export const VISITOR_MAX_DISTRICTS = 20;
