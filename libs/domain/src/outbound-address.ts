import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The special-purpose address kinds of IANA's registries (RFC 6890) an outbound connection must never reach: a
 * resident's push subscription must not make the fanout reach the municipality's own network, the cloud metadata
 * service (169.254.169.254) or the host itself.
 */
export type InternalRange =
  | 'loopback'
  /** RFC 1918, IPv6 unique local (fc00::/7) and the deprecated site-local (fec0::/10). */
  | 'private'
  | 'link-local'
  /** RFC 6598 shared address space, 100.64/10. */
  | 'carrier-grade-nat'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  /** Documentation, benchmarking, future use, IPv4-compatible IPv6, tunnels and other special-purpose ranges. */
  | 'reserved';

/** Why an address the server was asked to connect to is refused. */
export type OutboundRefusal =
  | 'too-long'
  | 'not-a-url'
  | 'scheme'
  | 'userinfo'
  /** `localhost`, `*.localhost`, `.local`, `.internal`, `.home.arpa`, a single label: names for this host or LAN. */
  | 'local-name'
  /** Not on the configured allow-list (known push services by default). */
  | 'not-allowed'
  | InternalRange;

export interface OutboundRefused {
  ok: false;
  reason: OutboundRefusal;
  /** For people: what was refused and why (never contains the URL's path or query, which carry secrets). */
  message: string;
  /** The IP address that was refused, when one was. */
  address?: string;
}

export type OutboundVerdict = { ok: true; url: URL } | OutboundRefused;

const IPV4_RANGES: Record<string, InternalRange | undefined> = {
  unicast: undefined,
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade-nat',
  multicast: 'multicast',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
};

const IPV6_RANGES: Record<string, InternalRange | undefined> = {
  loopback: 'loopback',
  uniqueLocal: 'private',
  deprecatedSiteLocal: 'private',
  linkLocal: 'link-local',
  multicast: 'multicast',
  unspecified: 'unspecified',
};

function embeddedIpv4(v6: ipaddr.IPv6): ipaddr.IPv4 {
  const [hi, lo] = v6.parts.slice(-2);
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

function rangeOfIpv4(v4: ipaddr.IPv4): InternalRange | undefined {
  const name = v4.range();
  // anything ipaddr.js names that is not plain unicast (reserved, as112, amt, benchmarking…) is no push service
  return name in IPV4_RANGES ? IPV4_RANGES[name] : 'reserved';
}

function rangeOfIpv6(v6: ipaddr.IPv6): InternalRange | undefined {
  const name: string = v6.range();
  // RFC 4291 §2.5.5.2 mapped and RFC 6145 translated forms reach the IPv4 address they carry
  if (name === 'ipv4Mapped' || name === 'rfc6145') return rangeOfIpv4(embeddedIpv4(v6));
  if (name === 'rfc6052') {
    // RFC 6052 well-known NAT64 prefix 64:ff9b::/96 carries the IPv4 address in its last 32 bits; the RFC 8215
    // local-use prefix 64:ff9b:1::/48 is a network's own translator, internal by definition
    const wellKnown = v6.parts[2] === 0 && v6.parts[3] === 0 && v6.parts[4] === 0 && v6.parts[5] === 0;
    return wellKnown ? rangeOfIpv4(embeddedIpv4(v6)) : 'reserved';
  }
  if (name in IPV6_RANGES) return IPV6_RANGES[name];
  // only 2000::/3 is allocated as global unicast (RFC 4291 §2.4): this also refuses the deprecated
  // IPv4-compatible form ::a.b.c.d, which ipaddr.js calls unicast
  if (name === 'unicast' && v6.parts[0] >= 0x2000 && v6.parts[0] <= 0x3fff) return undefined;
  // 6to4 and Teredo tunnel to an embedded IPv4 address; documentation, ORCHID, discard and the like
  return 'reserved';
}

/**
 * The internal range `address` (an IPv4 or IPv6 literal, brackets and zone id allowed) belongs to, or undefined
 * for a public unicast address. Anything that does not parse counts as reserved.
 */
export function internalRangeOf(address: string): InternalRange | undefined {
  // a zone id (fe80::1%eth0) picks an interface, not an address: the range is in the bits before it
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  switch (isIP(bare)) {
    case 4:
      return rangeOfIpv4(ipaddr.IPv4.parse(bare));
    case 6:
      // through the WHATWG serialiser first: ipaddr.js reads the deprecated "::a.b.c.d" as IPv4-mapped, which it
      // is not (RFC 4291 §2.5.5.1); the serialiser writes it as "::7f00:1"
      return rangeOfIpv6(ipaddr.IPv6.parse(new URL(`http://[${bare}]`).hostname.slice(1, -1)));
    default:
      return 'reserved';
  }
}

/** RFC 6761/6762/8375 and ICANN's `.internal`: names that mean this host or the local network. */
function isLocalName(host: string): boolean {
  if (!host.includes('.')) return true;
  return /(^|\.)(localhost|local|internal|home\.arpa|localdomain)$/.test(host);
}

interface OriginPattern {
  scheme?: 'https:' | 'http:';
  /** Lower-case host; `*.suffix` matches any name under suffix (not suffix itself). */
  host: string;
  /** undefined: the scheme's default port; '*': any port. */
  port?: string;
}

// `*`, a host (`fcm.googleapis.com`, `*.push.apple.com`: https on 443), or an origin (`https://127.0.0.1:8443`,
// `https://127.0.0.1:*`); the scheme defaults to https
const PATTERN = /^(?:(https?):\/\/)?(\*\.[a-z0-9.-]+|[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?\/?$/;

/** Whether `entry` is an allow-list entry `OutboundAddressPolicy` understands (config validation uses it). */
export function isOutboundOriginPattern(entry: string): boolean {
  return entry === '*' || PATTERN.test(entry.toLowerCase());
}

function parsePattern(entry: string): OriginPattern {
  const m = PATTERN.exec(entry.trim().toLowerCase());
  if (!m) throw new RangeError(`not a host or origin pattern: ${entry}`);
  const [, scheme, host, port] = m;
  // a URL's port is empty when it is the scheme's default: so is the pattern's
  const implicit = port === (scheme === 'http' ? '80' : '443');
  return {
    ...(scheme ? { scheme: scheme === 'http' ? ('http:' as const) : ('https:' as const) } : {}),
    host,
    ...(port !== undefined && !implicit ? { port } : {}),
  };
}

function matches(p: OriginPattern, url: URL, host: string): boolean {
  if ((p.scheme ?? 'https:') !== url.protocol) return false;
  if (p.port === undefined ? url.port !== '' : p.port !== '*' && p.port !== url.port) return false;
  return hostMatches(p, host);
}

function hostMatches(p: OriginPattern, host: string): boolean {
  return p.host.startsWith('*.') ? host.endsWith(p.host.slice(1)) : host === p.host;
}

export interface OutboundAddressPolicyOptions {
  /**
   * Where the server may connect: `*` (any public host), host names (`fcm.googleapis.com`, `*.push.apple.com`;
   * https on the default port) or origins (`https://push.example.jp:8443`, a port of `*` for any).
   */
  allowedOrigins: readonly string[];
  /** Allowed origins that may be (or resolve to) loopback: local fakes and development only. */
  loopbackOrigins?: readonly string[];
  /** Accept `http:` (local fakes only); the origin must still be allowed. */
  allowHttp?: boolean;
  /** Longest URL accepted. */
  maxLength?: number;
}

/**
 * The one rule for addresses a user supplies and the server then connects to (Web Push endpoints): https, no
 * userinfo, a bounded length, a host on the allow-list, and never an internal address — checked on the URL at
 * registration (without resolving it) and on every resolved address at connect time, so a name that later
 * resolves inward (DNS rebinding) is still refused.
 */
export class OutboundAddressPolicy {
  private readonly allowed: OriginPattern[];
  private readonly anyHost: boolean;
  private readonly loopback: OriginPattern[];
  private readonly maxLength: number;

  constructor(private readonly options: OutboundAddressPolicyOptions) {
    this.anyHost = options.allowedOrigins.includes('*');
    this.allowed = options.allowedOrigins.filter((e) => e !== '*').map(parsePattern);
    this.loopback = (options.loopbackOrigins ?? []).map(parsePattern);
    this.maxLength = options.maxLength ?? 2048;
  }

  /** Any public https host: the syntactic rules without an allow-list. */
  static anyPublicHost(): OutboundAddressPolicy {
    return new OutboundAddressPolicy({ allowedOrigins: ['*'] });
  }

  /** Every rule that needs no DNS: parse, length, scheme, userinfo, IP literal, local names, allow-list. */
  checkUrl(raw: string | URL): OutboundVerdict {
    let url: URL;
    if (typeof raw === 'string') {
      if (raw.length > this.maxLength) return this.tooLong();
      try {
        url = new URL(raw);
      } catch {
        return refuse('not-a-url', 'not a URL');
      }
    } else {
      url = raw;
    }
    return this.checkShape(url) ?? this.checkOrigin(url);
  }

  /** The part of `checkUrl` that is not about the origin: length and userinfo. */
  checkShape(url: URL): OutboundRefused | undefined {
    if (url.href.length > this.maxLength) return this.tooLong();
    if (url.username !== '' || url.password !== '')
      return refuse('userinfo', 'the URL must not carry a user name or password');
    return undefined;
  }

  /** The part of `checkUrl` that depends on the origin alone (scheme, host, port): what a sender may cache. */
  checkOrigin(url: URL): OutboundVerdict {
    if (url.protocol !== 'https:' && !(this.options.allowHttp && url.protocol === 'http:'))
      return refuse('scheme', 'the URL must use https');
    const host = url.hostname.toLowerCase().replace(/\.$/, '');
    if (host === '') return refuse('not-a-url', 'the URL has no host');
    const literal = host.replace(/^\[|\]$/g, '');
    if (isIP(literal) !== 0) {
      const range = internalRangeOf(literal);
      if (range && !(range === 'loopback' && this.loopbackAllowed(url, host)))
        return refuse(range, `${literal} is a ${range} address`, literal);
    } else if (isLocalName(host) && !this.loopbackAllowed(url, host)) {
      return refuse('local-name', `${host} names this host or a local network`);
    }
    if (!this.anyHost && !this.allowed.some((p) => matches(p, url, host)))
      return refuse('not-allowed', `${url.origin} is not an allowed push service`);
    return { ok: true, url };
  }

  /**
   * The connect-time rule: every address `hostname` resolved to must be public (loopback only for a host named
   * in the loopback origins). One internal answer refuses them all: the client could pick any of them.
   */
  checkResolved(hostname: string, addresses: readonly string[]): OutboundRefused | undefined {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    const loopbackOk = this.loopback.some((p) => hostMatches(p, host));
    for (const address of addresses) {
      const range = internalRangeOf(address);
      if (range && !(range === 'loopback' && loopbackOk))
        return refuse(range, `${host} resolves to ${address}, a ${range} address`, address);
    }
    return undefined;
  }

  private tooLong(): OutboundRefused {
    return refuse('too-long', `the URL is longer than ${this.maxLength} characters`);
  }

  private loopbackAllowed(url: URL, host: string): boolean {
    return this.loopback.some((p) => matches(p, url, host));
  }
}

function refuse(reason: OutboundRefusal, message: string, address?: string): OutboundRefused {
  return { ok: false, reason, message, ...(address !== undefined ? { address } : {}) };
}
