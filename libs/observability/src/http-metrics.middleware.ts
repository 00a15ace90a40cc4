import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** What Express adds to the request once a route matched. */
interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/**
 * Times every request, including those a guard rejects or no route matches (an interceptor would miss both).
 * The route label is the matched template (`/alerts/:alertId`), or `unmatched`, so label cardinality stays
 * bounded whatever URLs clients send.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: RoutedRequest, res: ServerResponse, next: () => void): void {
    const end = this.metrics.httpRequestDuration.startTimer();
    // Nest mounts middleware as catch-all routes, so `req.route` carries their pattern until a handler matches
    const mountedAs = req.route?.path;
    res.once('finish', () => {
      end({
        method: req.method ?? 'UNKNOWN',
        route: routeOf(req, mountedAs),
        status: String(res.statusCode),
      });
    });
    next();
  }
}

function routeOf(req: RoutedRequest, mountedAs: unknown): string {
  const path = req.route?.path;
  return typeof path === 'string' && path !== mountedAs ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
}
