import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';
import { OBSERVED_APP } from './observability.tokens';

type Config<C> = Omit<C, 'registers'>;

/**
 * The app's Prometheus registry: Node's default metrics, the HTTP request histogram, and whatever features add
 * through {@link counter}, {@link gauge} and {@link histogram}. One registry per app instance, never prom-client's
 * global one, so two apps booted in one test process do not collide.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();

  /** Seconds from request to response, by method, route template (never the raw URL) and status code. */
  readonly httpRequestDuration = this.histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });

  constructor(@Inject(OBSERVED_APP) private readonly app: string) {}

  onModuleInit(): void {
    this.registry.setDefaultLabels({ app: this.app });
    // starts the event-loop and GC observers, so it belongs here rather than in the constructor
    collectDefaultMetrics({ register: this.registry });
  }

  /** Text exposition for `GET /metrics`. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** A counter in this registry; asking twice for the same name returns the same counter. */
  counter<L extends string>(config: Config<CounterConfiguration<L>>): Counter<L> {
    return this.existing(config.name, Counter) ?? new Counter({ ...config, registers: [this.registry] });
  }

  gauge<L extends string>(config: Config<GaugeConfiguration<L>>): Gauge<L> {
    return this.existing(config.name, Gauge) ?? new Gauge({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: Config<HistogramConfiguration<L>>): Histogram<L> {
    return this.existing(config.name, Histogram) ?? new Histogram({ ...config, registers: [this.registry] });
  }

  private existing<M>(name: string, kind: abstract new (...args: never[]) => M): M | undefined {
    const found: unknown = this.registry.getSingleMetric(name);
    if (found === undefined) return undefined;
    if (found instanceof kind) return found;
    throw new Error(`metric ${name} is already registered as another kind`);
  }
}
