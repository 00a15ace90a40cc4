import { Injectable } from '@nestjs/common';
import type { Counter, Gauge } from 'prom-client';
import { MetricsService } from '@bousai/observability';

/** Ingest's Prometheus series, declared once. */
@Injectable()
export class IngestMetrics {
  /** Documents received, by source and what became of them (`parsed`, `failed`, `duplicate`). */
  readonly documents: Counter<'source' | 'outcome'>;
  /** Documents (telegrams, relay bodies, feeds) the parser refused, by its error code. */
  readonly parseErrors: Counter<'source' | 'code'>;
  /** Polls of each JMA feed by result (`fetched`, `not_modified`, `error`, `backing_off`, `locked`). */
  readonly polls: Counter<'feed' | 'result'>;
  /** Failed HTTP fetches of feeds and telegrams, by reason (`timeout`, `http_503`, `too_large` …). */
  readonly fetchErrors: Counter<'feed' | 'reason'>;
  /** Long-term feeds read because the high-frequency feed no longer reached back to the last stored entry. */
  readonly backfills: Counter<'feed'>;
  /** Now minus the newest entry's `updated` in the feed at its last successful poll. */
  readonly feedLag: Gauge<'feed'>;
  /** Relay requests by outcome (`accepted`, `duplicate`, or the refusal code). */
  readonly relayRequests: Counter<'outcome'>;

  constructor(metrics: MetricsService) {
    this.documents = metrics.counter({
      name: 'ingest_feed_documents_total',
      help: 'Raw documents received, by source and outcome (parsed, failed, duplicate).',
      labelNames: ['source', 'outcome'] as const,
    });
    this.parseErrors = metrics.counter({
      name: 'ingest_feed_parse_errors_total',
      help: 'Documents the parser refused, by source and error code.',
      labelNames: ['source', 'code'] as const,
    });
    this.polls = metrics.counter({
      name: 'ingest_jma_feed_polls_total',
      help: 'JMA PULL feed polls, by feed and result.',
      labelNames: ['feed', 'result'] as const,
    });
    this.fetchErrors = metrics.counter({
      name: 'ingest_jma_fetch_errors_total',
      help: 'Failed fetches of JMA feeds and telegrams, by feed and reason.',
      labelNames: ['feed', 'reason'] as const,
    });
    this.backfills = metrics.counter({
      name: 'ingest_jma_backfills_total',
      help: 'Long-term feed reads after the high-frequency feed no longer reached the last stored entry.',
      labelNames: ['feed'] as const,
    });
    this.feedLag = metrics.gauge({
      name: 'ingest_jma_feed_lag_seconds',
      help: "Seconds between now and the newest entry's updated time at the feed's last successful poll.",
      labelNames: ['feed'] as const,
    });
    this.relayRequests = metrics.counter({
      name: 'ingest_jalert_relay_requests_total',
      help: 'J-ALERT relay requests, by outcome or refusal code.',
      labelNames: ['outcome'] as const,
    });
  }
}
