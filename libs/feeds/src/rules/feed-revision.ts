import { FeedSource } from '@bousai/domain';
import { feedDedupeKey } from '../dedupe/feed-dedupe.key';
import type { FeedMessage } from './evaluate-feed-rules';

/**
 * What happens to a message given what was seen before in its stream (docs/feeds.md §1):
 * `new` a newer report; `duplicate` the same report again; `correction` a 訂正 / CAP Update replacing an earlier
 * report; `retraction` a 取消 / CAP Cancel withdrawing the event's reports; `ignore-older` a report older than one
 * already applied (e.g. a long-term feed back-fill arriving after the high-frequency one).
 */
export type RevisionKind = 'new' | 'duplicate' | 'correction' | 'retraction' | 'ignore-older';

/** The newest report applied in a stream, as the event bookkeeping keeps it. */
export interface RevisionState {
  key: string;
  serial: string | null;
  reportDateTime: string | null;
  infoType: string | null;
}

export interface FeedIdentity {
  source: 'jma' | 'cap' | 'jalert';
  /** Reports of one stream supersede each other: revisions are ordered within it. */
  stream: string;
  /** This exact report: the same key twice is a duplicate. */
  key: string;
  /**
   * The events the message belongs to, across data types (VXSE43/44/45 and VXSE51/53 relate by EventID only);
   * one per EventID of a multi-value EventID. Alerts are suppressed per event, not per stream.
   */
  eventKeys: string[];
  revision: RevisionState;
  kind: 'issue' | 'correction' | 'retraction';
  /** When the report was made; the replay orders by it and suppression windows count from it. */
  reportedAt: string | null;
}

function jmaFamily(kind: string): string {
  return kind.split('.')[0];
}

/** The identity of a message for dedupe, revisions and suppression; null for an Atom feed. */
export function feedIdentity(msg: FeedMessage): FeedIdentity | null {
  switch (msg.format) {
    case 'atom':
      return null;
    case 'jalert': {
      const r = msg.relay;
      const kind =
        r.infoType === 'cancel' ? 'retraction' : r.infoType === 'correction' ? 'correction' : 'issue';
      const incident = r.incidentId ?? r.id;
      const key = `jalert|${r.status}|${incident}|${r.id}|${r.infoType}|${r.issuedAt}`;
      return {
        source: 'jalert',
        stream: `jalert|${r.status}|${incident}`,
        key,
        eventKeys: [`jalert:${r.status}:${incident}`],
        revision: { key, serial: null, reportDateTime: r.issuedAt, infoType: r.infoType },
        kind,
        reportedAt: r.issuedAt,
      };
    }
    case 'jmaxml': {
      const dk = feedDedupeKey(msg);
      if (!dk) return null;
      const status = msg.control.status ?? '';
      const family = jmaFamily(msg.kind);
      // VPWW53/54 have no EventID: the stream (type + prefecture) is the event, full state per telegram
      const eventKeys =
        dk.eventIds.length > 0
          ? dk.eventIds.map((id) => `jma:${status}:${family}:${id}`)
          : [`jma:${status}:${dk.stream}`];
      const infoType = msg.head.infoType;
      return {
        source: 'jma',
        stream: dk.stream,
        key: dk.key,
        eventKeys,
        revision: { key: dk.key, serial: msg.head.serial, reportDateTime: msg.head.reportDateTime, infoType },
        kind: infoType === '取消' ? 'retraction' : infoType === '訂正' ? 'correction' : 'issue',
        reportedAt: msg.head.reportDateTime ?? msg.control.dateTime,
      };
    }
    case 'cap': {
      const dk = feedDedupeKey(msg);
      if (!dk) return null;
      const a = msg.alert;
      // CAP 1.2 §3.2.1: Update / Cancel apply to the messages in `references`; relate them by identifier
      const refs = a.references.map((r) => `cap:${r.sender ?? ''}:${r.identifier ?? ''}`);
      const eventKeys = dk.eventIds.length > 0 ? dk.eventIds.map((i) => `cap:incident:${i}`) : [];
      const ownKey = `cap:${a.sender ?? ''}:${a.identifier ?? ''}`;
      return {
        source: 'cap',
        stream: dk.stream,
        key: dk.key,
        eventKeys: [...new Set([...eventKeys, ...refs, ownKey])],
        revision: { key: dk.key, serial: null, reportDateTime: a.sent, infoType: a.msgType },
        kind: a.msgType === 'Cancel' ? 'retraction' : a.msgType === 'Update' ? 'correction' : 'issue',
        reportedAt: a.sent,
      };
    }
  }
}

function serialOf(s: string | null): number | null {
  return s !== null && /^\d+$/.test(s) ? Number(s) : null;
}

/** Negative when `a` is older than `b`: by Serial where both have one (JMA counts per EventID and type), else time. */
function compareRevisions(a: RevisionState, b: RevisionState): number {
  const sa = serialOf(a.serial);
  const sb = serialOf(b.serial);
  if (sa !== null && sb !== null && sa !== sb) return sa - sb;
  const ta = a.reportDateTime ? Date.parse(a.reportDateTime) : NaN;
  const tb = b.reportDateTime ? Date.parse(b.reportDateTime) : NaN;
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta - tb;
  return 0;
}

export interface RevisionDecision {
  kind: RevisionKind;
  reason: string;
}

/**
 * Dedupe and revision order in one stream. JMA: a 訂正 replaces the report with the same EventID (and Serial);
 * a 取消 withdraws the event's reports — it carries the Serial of the last report it withdraws, so it is never
 * "older" than that report; the newest ReportDateTime per prefecture supersedes for VPWW53/54.
 */
export function decideRevision(identity: FeedIdentity, previous: RevisionState | null): RevisionDecision {
  if (previous && previous.key === identity.key)
    return { kind: 'duplicate', reason: 'same report seen before' };
  if (identity.kind === 'retraction') {
    if (previous?.infoType === identity.revision.infoType)
      return { kind: 'duplicate', reason: 'already retracted' };
    return { kind: 'retraction', reason: 'the event’s earlier reports are withdrawn' };
  }
  if (!previous) {
    return identity.kind === 'correction'
      ? { kind: 'correction', reason: 'correction of a report not seen here' }
      : { kind: 'new', reason: 'first report in its stream' };
  }
  if (previous.infoType === '取消' || previous.infoType === 'Cancel' || previous.infoType === 'cancel') {
    if (compareRevisions(identity.revision, previous) <= 0)
      return { kind: 'ignore-older', reason: 'the event was retracted' };
  }
  const order = compareRevisions(identity.revision, previous);
  if (order < 0) return { kind: 'ignore-older', reason: 'older than the report already applied' };
  if (identity.kind === 'correction') return { kind: 'correction', reason: 'replaces the earlier report' };
  if (order === 0) return { kind: 'duplicate', reason: 'same revision as the report already applied' };
  return { kind: 'new', reason: 'newer report' };
}

/** The `event.source` a stream is kept under: JMA telegrams dedupe across transports (PULL or J-ALERT relay). */
export function eventSourceOf(identity: FeedIdentity): FeedSource {
  switch (identity.source) {
    case 'jma':
      return FeedSource.JmaPull;
    case 'cap':
      return FeedSource.Cap;
    case 'jalert':
      return FeedSource.JAlert;
  }
}
