import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type IngestConfig } from '@bousai/config';
import { FeedSource } from '@bousai/domain';
import { type AtomEntry, FeedErrorCode, FeedParseError, parseFeedDocument } from '@bousai/feeds';
import { FeedDocumentRepository } from '@bousai/persistence';
import { DocumentIntakeUseCase } from '../intake/document-intake.use-case';
import { IngestMetrics } from '../intake/ingest.metrics';
import { FeedPollLock } from './feed-poll.lock';
import { JmaFetchError, jmaFetch } from './jma-http.client';
import { feedBackoffMs, nextPollDelayMs } from './poll-timing';

/** What one poll of one feed did; tests and logs read it. */
export interface FeedPollReport {
  feed: string;
  /** `locked`: another ingest process was polling this feed. */
  result: 'fetched' | 'not_modified' | 'error' | 'backing_off' | 'locked';
  /** Entries listed (high-frequency plus any back-filled ones). */
  entries: number;
  /** Telegrams fetched and handed to intake in this poll. */
  fetched: number;
  /** Telegrams that could not be fetched (they are tried again at the next poll). */
  failed: number;
  backfilled: boolean;
  error?: string;
}

interface FeedState {
  lastModified: string | null;
  etag: string | null;
  failures: number;
  nextAttemptAt: number;
  /** Newest entry `updated` (ms) at the last successful poll: the lag gauge's reference. */
  newestEntryAt: number | null;
  /** A back-fill that could not be completed: retried from here until the long-term feed answers. */
  backfillFrom: Date | null;
  backfillFailures: number;
  backfillNextAt: number;
}

interface Candidate {
  id: string;
  url: string;
  updated: Date | null;
}

/**
 * The JMA 防災情報XML PULL poller (docs/feeds.md §1). Each feed is read with `If-Modified-Since`/`If-None-Match`;
 * every entry not stored yet (entry id = telegram URL, remembered in `feed_document`) is fetched once, with
 * bounded concurrency, and handed to intake, which stores the raw telegram before parsing it. When the
 * high-frequency feed no longer reaches back to the newest stored entry (the process was down longer than the
 * feed covers), the long-term feed (`<name>_l.xml`) fills the gap. A feed that fails is left alone for a while
 * (doubling waits); a telegram that fails keeps the feed's validators unsaved, so the next poll lists it again.
 */
@Injectable()
export class JmaFeedPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JmaFeedPoller.name);
  private readonly states = new Map<string, FeedState>();
  /** Entries handled without a row of their own (duplicate bytes); pruned to what the feed still lists. */
  private readonly handledEntries = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  /** Set at shutdown: telegram workers finish the fetch in hand and take no more. */
  private shuttingDown = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: IngestConfig,
    private readonly intake: DocumentIntakeUseCase,
    private readonly documents: FeedDocumentRepository,
    private readonly metrics: IngestMetrics,
    private readonly lock: FeedPollLock,
  ) {}

  onApplicationBootstrap(): void {
    if (!(this.config.JMA_POLL_ENABLED ?? this.config.NODE_ENV !== 'test')) return;
    this.stopped = false;
    this.logger.log(
      { feeds: this.config.JMA_FEEDS, base: this.config.JMA_FEED_BASE_URL },
      'JMA poller started',
    );
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.shuttingDown = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One poll of every configured feed, one after the other. */
  async pollOnce(now: () => number = Date.now): Promise<FeedPollReport[]> {
    const reports: FeedPollReport[] = [];
    for (const feed of this.config.JMA_FEEDS) {
      const report = await this.lock.withLock(feed, () => this.pollFeed(feed, now));
      if (report === null) this.metrics.polls.inc({ feed, result: 'locked' });
      reports.push(report ?? { ...emptyReport(feed), result: 'locked' });
    }
    await this.reprocessStalled();
    return reports;
  }

  feedUrl(feed: string, longTerm = false): string {
    return new URL(`${feed}${longTerm ? '_l' : ''}.xml`, this.config.JMA_FEED_BASE_URL).toString();
  }

  private schedule(): void {
    if (this.stopped) return;
    const c = this.config;
    const delay = nextPollDelayMs(
      Date.now(),
      c.JMA_POLL_INTERVAL_MS,
      c.JMA_POLL_OFFSET_SECONDS,
      c.JMA_POLL_JITTER_MS,
    );
    // a poll that ended right on the boundary must not start the next one at once
    const wait = delay < 1_000 ? delay + c.JMA_POLL_INTERVAL_MS : delay;
    this.timer = setTimeout(() => {
      this.running = this.pollOnce()
        .catch((err: unknown) => this.logger.error({ err }, 'JMA poll failed; trying again at the next poll'))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, wait);
  }

  private state(feed: string): FeedState {
    let s = this.states.get(feed);
    if (!s) {
      s = {
        lastModified: null,
        etag: null,
        failures: 0,
        nextAttemptAt: 0,
        newestEntryAt: null,
        backfillFrom: null,
        backfillFailures: 0,
        backfillNextAt: 0,
      };
      this.states.set(feed, s);
    }
    return s;
  }

  private async pollFeed(feed: string, now: () => number): Promise<FeedPollReport> {
    const state = this.state(feed);
    const report = emptyReport(feed);
    if (now() < state.nextAttemptAt) {
      this.metrics.polls.inc({ feed, result: 'backing_off' });
      return { ...report, result: 'backing_off' };
    }
    try {
      // read before this poll stores anything: the newest entry stored so far decides whether to back-fill
      const lastSeen = await this.documents.newestEntryUpdatedAt(feed);
      const res = await jmaFetch(this.feedUrl(feed), {
        timeoutMs: this.config.JMA_FETCH_TIMEOUT_MS,
        maxBytes: this.config.JMA_FEED_MAX_BYTES,
        ifModifiedSince: state.lastModified,
        ifNoneMatch: state.etag,
      });
      if (res.status === 'not-modified') {
        this.succeeded(feed, state, now);
        this.metrics.polls.inc({ feed, result: 'not_modified' });
        return { ...report, result: 'not_modified' };
      }
      const entries = this.readFeed(feed, res.body);
      const newest = maxTime(entries);
      const candidates = this.fetchable(feed, toCandidates(entries));

      let backfill: Candidate[] = [];
      const oldest = minTime(entries);
      const gapFrom =
        state.backfillFrom ??
        (lastSeen !== null && oldest !== null && oldest > lastSeen.getTime() ? lastSeen : null);
      if (gapFrom !== null && now() < state.backfillNextAt) {
        state.backfillFrom = gapFrom;
      } else if (gapFrom !== null) {
        try {
          backfill = await this.readLongTerm(feed, gapFrom);
          state.backfillFrom = null;
          state.backfillFailures = 0;
          state.backfillNextAt = 0;
          report.backfilled = true;
          this.metrics.backfills.inc({ feed });
          this.logger.warn(
            { feed, since: gapFrom.toISOString(), entries: backfill.length },
            'back-filled from the long-term feed',
          );
        } catch (err) {
          // the current telegrams go ahead; the gap is filled at a later poll
          state.backfillFrom = gapFrom;
          state.backfillFailures += 1;
          // the long-term feed is large and regenerated hourly: do not ask for it again every minute
          state.backfillNextAt =
            now() +
            Math.max(
              this.config.JMA_POLL_INTERVAL_MS,
              feedBackoffMs(
                state.backfillFailures,
                this.config.JMA_POLL_INTERVAL_MS,
                this.config.JMA_BACKOFF_MAX_MS,
              ),
            );
          this.logger.warn({ feed, err: describe(err) }, 'long-term feed unavailable; back-fill postponed');
        }
      }

      // the current telegrams first (they matter most), then the back-fill
      const listed = dedupe([...candidates, ...backfill]);
      report.entries = listed.length;
      const known = await this.documents.knownEntryIds(
        FeedSource.JmaPull,
        listed.map((c) => c.id),
      );
      const handled = this.handled(feed);
      for (const id of handled) if (!listed.some((c) => c.id === id)) handled.delete(id);
      const fresh = listed.filter((c) => !known.has(c.id) && !handled.has(c.id));
      const outcomes = await this.fetchAll(feed, fresh);
      report.fetched = outcomes.filter(Boolean).length;
      report.failed = outcomes.length - report.fetched;

      if (report.failed === 0 && state.backfillFrom === null) {
        state.lastModified = res.lastModified;
        state.etag = res.etag;
      } else {
        // without validators the next poll reads the whole feed and lists the failed telegrams again
        state.lastModified = null;
        state.etag = null;
      }
      if (newest !== null) state.newestEntryAt = newest;
      this.succeeded(feed, state, now);
      this.metrics.polls.inc({ feed, result: 'fetched' });
      return report;
    } catch (err) {
      state.failures += 1;
      state.nextAttemptAt =
        now() +
        feedBackoffMs(state.failures, this.config.JMA_POLL_INTERVAL_MS, this.config.JMA_BACKOFF_MAX_MS);
      state.lastModified = null;
      state.etag = null;
      this.metrics.polls.inc({ feed, result: 'error' });
      this.logger.warn({ feed, failures: state.failures, err: describe(err) }, 'JMA feed poll failed');
      return { ...report, result: 'error', error: describe(err) };
    }
  }

  private succeeded(feed: string, state: FeedState, now: () => number): void {
    state.failures = 0;
    state.nextAttemptAt = 0;
    if (state.newestEntryAt !== null) {
      this.metrics.feedLag.set({ feed }, Math.max(0, (now() - state.newestEntryAt) / 1000));
    }
  }

  /** Parses an Atom feed (safe XML: no DOCTYPE, size-capped); a refused feed counts as a parse error. */
  private readFeed(feed: string, body: Buffer): AtomEntry[] {
    try {
      const message = parseFeedDocument(body, { maxBytes: this.config.JMA_FEED_MAX_BYTES });
      if (message.format !== 'atom') {
        throw new FeedParseError(
          FeedErrorCode.XmlUnknownRoot,
          `expected an Atom feed, got ${message.format}`,
        );
      }
      return message.entries;
    } catch (err) {
      if (err instanceof FeedParseError) {
        this.metrics.parseErrors.inc({ source: `${FeedSource.JmaPull}_feed`, code: err.code });
        this.logger.error({ feed, code: err.code, error: err.message }, 'JMA feed refused by the parser');
      }
      throw err;
    }
  }

  private async readLongTerm(feed: string, since: Date): Promise<Candidate[]> {
    const longTerm = `${feed}_l`;
    let res;
    try {
      res = await jmaFetch(this.feedUrl(feed, true), {
        timeoutMs: this.config.JMA_FETCH_TIMEOUT_MS,
        maxBytes: this.config.JMA_FEED_MAX_BYTES,
      });
    } catch (err) {
      if (err instanceof JmaFetchError) this.metrics.fetchErrors.inc({ feed: longTerm, reason: err.reason });
      throw err;
    }
    if (res.status !== 'ok') throw new Error(`${longTerm} answered 304 to an unconditional request`);
    return this.fetchable(feed, toCandidates(this.readFeed(longTerm, res.body))).filter(
      (c) => c.updated === null || c.updated.getTime() >= since.getTime(),
    );
  }

  /**
   * Only telegrams on the feed's own origin are fetched (JMA lists `…/developer/xml/data/…` beside
   * `…/developer/xml/feed/`): a tampered feed cannot make us request arbitrary URLs.
   */
  private fetchable(feed: string, candidates: Candidate[]): Candidate[] {
    const origin = new URL(this.config.JMA_FEED_BASE_URL).origin;
    return candidates.filter((c) => {
      if (new URL(c.url).origin === origin) return true;
      this.metrics.fetchErrors.inc({ feed, reason: 'foreign_link' });
      this.logger.warn({ feed, url: c.url }, 'feed entry links outside the feed origin; not fetched');
      return false;
    });
  }

  /** Fetches telegrams, at most JMA_FETCH_CONCURRENCY at once; resolves to one success flag per candidate. */
  private async fetchAll(feed: string, candidates: Candidate[]): Promise<boolean[]> {
    const outcomes: boolean[] = new Array<boolean>(candidates.length).fill(false);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < candidates.length && !this.shuttingDown) {
        const i = next++;
        outcomes[i] = await this.fetchTelegram(feed, candidates[i]);
      }
    };
    const workers = Math.min(this.config.JMA_FETCH_CONCURRENCY, candidates.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return outcomes;
  }

  private async fetchTelegram(feed: string, c: Candidate): Promise<boolean> {
    let res;
    try {
      res = await jmaFetch(c.url, {
        timeoutMs: this.config.JMA_FETCH_TIMEOUT_MS,
        maxBytes: this.config.FEED_MAX_BYTES,
      });
    } catch (err) {
      const reason = err instanceof JmaFetchError ? err.reason : 'unknown';
      this.metrics.fetchErrors.inc({ feed, reason });
      this.logger.warn(
        { feed, url: c.url, reason, err: describe(err) },
        'telegram fetch failed; retried at the next poll',
      );
      return false;
    }
    if (res.status !== 'ok') return false;
    try {
      const result = await this.intake.execute({
        source: FeedSource.JmaPull,
        format: 'xml',
        body: res.body,
        url: c.url,
        contentType: res.contentType,
        feedName: feed,
        entryId: c.id,
        entryUpdatedAt: c.updated,
      });
      // the same bytes under another entry id store no row for this entry: remember it here instead
      if (result.outcome === 'duplicate') this.handled(feed).add(c.id);
      return true;
    } catch (err) {
      // e.g. Postgres away: a stored document is processed again later, an unstored one fetched again
      this.logger.error({ feed, url: c.url, err }, 'telegram intake failed');
      return false;
    }
  }

  private handled(feed: string): Set<string> {
    let set = this.handledEntries.get(feed);
    if (!set) {
      set = new Set();
      this.handledEntries.set(feed, set);
    }
    return set;
  }

  /** Documents stored but never given a parse outcome (the process died in between) are processed again. */
  private async reprocessStalled(): Promise<void> {
    for (const id of await this.documents.pendingIds(20, 60)) {
      await this.intake.reprocess(id);
    }
  }
}

function emptyReport(feed: string): FeedPollReport {
  return { feed, result: 'fetched', entries: 0, fetched: 0, failed: 0, backfilled: false };
}

function parseTime(s: string | null): Date | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t);
}

function maxTime(entries: AtomEntry[]): number | null {
  const times = entries
    .map((e) => parseTime(e.updated)?.getTime())
    .filter((t): t is number => t !== undefined);
  return times.length ? Math.max(...times) : null;
}

function minTime(entries: AtomEntry[]): number | null {
  const times = entries
    .map((e) => parseTime(e.updated)?.getTime())
    .filter((t): t is number => t !== undefined);
  return times.length ? Math.min(...times) : null;
}

/** Entries with an http(s) telegram URL (`link`, else `id`); anything else is not something to fetch. */
function toCandidates(entries: AtomEntry[]): Candidate[] {
  const out: Candidate[] = [];
  for (const e of entries) {
    const url = e.link ?? e.id;
    if (!url || !URL.canParse(url) || !/^https?:\/\//i.test(url)) continue;
    out.push({ id: e.id ?? url, url, updated: parseTime(e.updated) });
  }
  return out;
}

function dedupe(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
