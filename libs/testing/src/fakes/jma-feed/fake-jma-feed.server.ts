import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export interface FakeJmaFeedOptions {
  /** Entries the high-frequency feed (`<feed>.xml`) lists, newest first (JMA: at least the last 10 minutes). */
  highFrequencyLimit?: number;
  /** Entries the long-term feed (`<feed>_l.xml`) lists (JMA: the last few days); unlimited by default. */
  longTermLimit?: number;
  /** The fake clock's start: each publication is one minute after the previous one. */
  startAt?: Date;
}

export interface PublishOptions {
  /** Entry title; defaults to the telegram's Control/Title. */
  title?: string;
  /** Entry author; defaults to the telegram's Control/EditorialOffice. */
  author?: string;
}

export interface FakeJmaEntry {
  feed: string;
  /** The telegram URL: entry id and link. */
  url: string;
  updated: Date;
  title: string;
}

interface Entry extends FakeJmaEntry {
  path: string;
  author: string;
  body: Buffer;
}

const FEED_PATH = '/developer/xml/feed/';
const DATA_PATH = '/developer/xml/data/';

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function firstText(body: Buffer, element: string): string | null {
  const m = new RegExp(`<${element}>([^<]*)</${element}>`).exec(body.toString('utf8'));
  return m ? m[1] : null;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * JMA's PULL distribution on localhost (docs/feeds.md §1): Atom feeds `<base>/<feed>.xml` (high-frequency, the last
 * few entries) and `<feed>_l.xml` (long-term), telegrams under `…/developer/xml/data/`. Feeds carry
 * `Last-Modified` and an `ETag` and answer 304 to a matching `If-Modified-Since` / `If-None-Match`. A fake clock
 * dates the entries (one minute apart), so conditional requests are deterministic. Every request is counted by
 * path; faults can be scripted per path.
 */
export class FakeJmaFeedServer {
  /** Every request in order: path, status and the conditional headers it carried. */
  readonly requests: { path: string; status: number; ifModifiedSince?: string; ifNoneMatch?: string }[] = [];
  private readonly entries: Entry[] = [];
  private readonly faults = new Map<string, { status: number; times: number }>();
  private readonly overrides = new Map<string, Buffer>();
  private clock: number;
  private server?: Server;

  private readonly options: FakeJmaFeedOptions;

  private constructor(options: FakeJmaFeedOptions) {
    this.options = options;
    this.clock = (options.startAt ?? new Date('2026-11-24T00:00:00Z')).getTime();
  }

  static async start(options: FakeJmaFeedOptions = {}): Promise<FakeJmaFeedServer> {
    const fake = new FakeJmaFeedServer(options);
    fake.server = createServer((req, res) => fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server!.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** What to configure as JMA_FEED_BASE_URL. */
  get baseUrl(): string {
    return `${this.url}${FEED_PATH}`;
  }

  /** Lists a telegram in `feed` (eqvol, extra …), dated one minute after the previous publication. */
  publish(feed: string, body: Buffer | string, name: string, options: PublishOptions = {}): FakeJmaEntry {
    this.clock += 60_000;
    const updated = new Date(this.clock);
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const file = `${stamp(updated)}_0_${name}`;
    const entry: Entry = {
      feed,
      path: `${DATA_PATH}${file}`,
      url: `${this.url}${DATA_PATH}${file}`,
      updated,
      title: options.title ?? firstText(bytes, 'Title') ?? name,
      author: options.author ?? firstText(bytes, 'EditorialOffice') ?? '気象庁',
      body: bytes,
    };
    this.entries.push(entry);
    return { feed, url: entry.url, updated, title: entry.title };
  }

  /** Lists a telegram read from a file (e.g. the real telegrams in test/fixtures/feeds/jmaxml; read only). */
  publishFile(feed: string, file: string, options: PublishOptions = {}): FakeJmaEntry {
    return this.publish(feed, readFileSync(file), path.basename(file), options);
  }

  /** Serves these bytes instead of the generated feed document (hostile or broken feeds); null restores it. */
  overrideFeed(file: string, body: Buffer | string | null): void {
    if (body === null) this.overrides.delete(`${FEED_PATH}${file}`);
    else this.overrides.set(`${FEED_PATH}${file}`, typeof body === 'string' ? Buffer.from(body) : body);
  }

  /** Answers the next `times` requests for this path (or URL) with `status`. */
  fail(pathOrUrl: string, status: number, times = 1): void {
    this.faults.set(this.pathOf(pathOrUrl), { status, times });
  }

  /** How many requests reached this path (or URL), whatever their status. */
  requestCount(pathOrUrl: string): number {
    const p = this.pathOf(pathOrUrl);
    return this.requests.filter((r) => r.path === p).length;
  }

  /** Statuses answered for this path (or URL), in order. */
  statuses(pathOrUrl: string): number[] {
    const p = this.pathOf(pathOrUrl);
    return this.requests.filter((r) => r.path === p).map((r) => r.status);
  }

  feedUrl(feed: string, longTerm = false): string {
    return `${this.baseUrl}${feed}${longTerm ? '_l' : ''}.xml`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private pathOf(pathOrUrl: string): string {
    return pathOrUrl.startsWith('http') ? new URL(pathOrUrl).pathname : pathOrUrl;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const pathname = new URL(req.url ?? '/', this.url).pathname;
    const ims = req.headers['if-modified-since'];
    const inm = req.headers['if-none-match'];
    const reply = (status: number, body?: Buffer, headers: Record<string, string> = {}): void => {
      this.requests.push({
        path: pathname,
        status,
        ...(ims ? { ifModifiedSince: ims } : {}),
        ...(inm ? { ifNoneMatch: inm } : {}),
      });
      res.writeHead(status, headers);
      res.end(body);
    };
    const fault = this.faults.get(pathname);
    if (fault && fault.times > 0) {
      fault.times -= 1;
      return reply(fault.status, Buffer.from('fault'), { 'content-type': 'text/plain' });
    }
    if (req.method !== 'GET') return reply(405);

    if (pathname.startsWith(DATA_PATH)) {
      const entry = this.entries.find((e) => e.path === pathname);
      if (!entry) return reply(404);
      return reply(200, entry.body, { 'content-type': 'application/xml' });
    }
    const m = new RegExp(`^${FEED_PATH}([a-z]+)(_l)?\\.xml$`).exec(pathname);
    if (!m) return reply(404);
    const [, feed, longTerm] = m;
    const file = `${feed}${longTerm ?? ''}.xml`;
    const own = this.entries.filter((e) => e.feed === feed);
    const newest = own.length ? own[own.length - 1].updated.getTime() : this.clock;
    // HTTP dates have whole seconds
    const lastModified = new Date(Math.floor(newest / 1000) * 1000);
    const etag = `"${file}-${own.length}"`;
    const headers = {
      'content-type': 'application/atom+xml',
      'last-modified': lastModified.toUTCString(),
      etag,
    };
    const override = this.overrides.get(pathname);
    if (override) return reply(200, override, headers);
    const notModified =
      inm !== undefined ? inm === etag : ims !== undefined && Date.parse(ims) >= lastModified.getTime();
    if (notModified) return reply(304, undefined, headers);
    const limit = longTerm
      ? (this.options.longTermLimit ?? Infinity)
      : (this.options.highFrequencyLimit ?? 10);
    const listed = own.slice(-limit).reverse();
    return reply(
      200,
      Buffer.from(this.atom(file, longTerm !== undefined, listed, lastModified), 'utf8'),
      headers,
    );
  }

  private atom(file: string, longTerm: boolean, entries: Entry[], updated: Date): string {
    const title = `${longTerm ? '長期' : '高頻度'}（${file}）`;
    const items = entries
      .map(
        (e) => `  <entry>
    <title>${escapeXml(e.title)}</title>
    <id>${escapeXml(e.url)}</id>
    <updated>${e.updated.toISOString().replace('.000Z', 'Z')}</updated>
    <author><name>${escapeXml(e.author)}</name></author>
    <link type="application/xml" href="${escapeXml(e.url)}"/>
    <content type="text">${escapeXml(e.title)}</content>
  </entry>`,
      )
      .join('\n');
    return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" lang="ja">
  <title>${title}</title>
  <subtitle>JMAXML publishing feed</subtitle>
  <updated>${updated.toISOString().replace('.000Z', 'Z')}</updated>
  <id>${this.baseUrl}${file}#${longTerm ? 'long' : 'short'}_${Math.floor(updated.getTime() / 1000)}</id>
  <link href="${this.baseUrl}${file}" rel="self"/>
  <link href="http://alert-hub.appspot.com/" rel="hub"/>
  <rights type="html">掲載されている情報は気象庁の防災情報XMLです。</rights>
${items}
</feed>
`;
  }
}
