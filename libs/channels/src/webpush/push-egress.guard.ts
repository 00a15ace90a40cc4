import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { OutboundAddressPolicy, OutboundRefused, OutboundVerdict } from '@bousai/domain';

/** Every address a name resolves to (the shape of `dns.promises.lookup(name, { all: true })`). */
export type ResolveAll = (hostname: string) => Promise<readonly LookupAddress[]>;

const EGRESS_REFUSED = 'EGRESS_REFUSED_';

/**
 * The delivery error code of an endpoint the egress rule refuses, naming why: `EGRESS_REFUSED_LOOPBACK`,
 * `EGRESS_REFUSED_NOT_ALLOWED`… The sender fails such a delivery; it never retries it.
 */
export function egressErrorCode(reason: OutboundRefused['reason']): string {
  return `${EGRESS_REFUSED}${reason.toUpperCase().replace(/-/g, '_')}`;
}

export function isEgressErrorCode(code: string): boolean {
  return code.startsWith(EGRESS_REFUSED);
}

/** A connection the guard would not open; `code` is what socket errors carry, so it survives undici and http2. */
export class EgressRefusedError extends Error {
  readonly code: string;
  readonly reason: OutboundRefused['reason'];

  constructor(refusal: OutboundRefused) {
    super(`refused to connect: ${refusal.message}`);
    this.name = 'EgressRefusedError';
    this.reason = refusal.reason;
    this.code = egressErrorCode(refusal.reason);
  }
}

const systemResolve: ResolveAll = (hostname) => dnsLookup(hostname, { all: true, order: 'verbatim' });

/** Origins whose verdict is remembered; the allow-list keeps the real number to a handful. */
const MAX_CACHED_ORIGINS = 1_024;
/**
 * How long a name refused at connect time stays refused without asking the resolver again: every push to it
 * would otherwise look it up anew (a refused connection is never kept). Short, so a fixed resolver is seen soon.
 */
const REFUSED_NAME_TTL_MS = 30_000;

/**
 * The Web Push sender's side of `OutboundAddressPolicy`, applied where it cannot be bypassed:
 * - `refusal(endpoint)` before each push: the URL rules (allow-list, IP literals, local names), remembered per
 *   origin since they depend on nothing else, so a push costs a map lookup;
 * - `lookup`, given to every socket the sender opens (undici's agent, the ALPN handshake, each HTTP/2 session):
 *   the name is resolved and every answer checked in the same step that picks the address to dial, so a name that
 *   resolves inward later (DNS rebinding) can never be dialled. It runs once per new connection, not per push.
 */
export class PushEgressGuard {
  private readonly verdicts = new Map<string, OutboundVerdict>();
  private readonly refusedNames = new Map<string, { refusal: OutboundRefused; until: number }>();

  constructor(
    private readonly policy: OutboundAddressPolicy,
    private readonly resolve: ResolveAll = systemResolve,
  ) {}

  /** Why the sender may not post to `endpoint` at all (before any DNS), or undefined when it may. */
  refusal(endpoint: URL): OutboundRefused | undefined {
    // userinfo and length are not part of the origin: checked on each URL, cheaply
    const shape = this.policy.checkShape(endpoint);
    if (shape) return shape;
    let verdict = this.verdicts.get(endpoint.origin);
    if (!verdict) {
      verdict = this.policy.checkOrigin(endpoint);
      if (this.verdicts.size >= MAX_CACHED_ORIGINS) this.verdicts.clear();
      this.verdicts.set(endpoint.origin, verdict);
    }
    return verdict.ok ? undefined : verdict;
  }

  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const known = this.refusedNames.get(hostname);
    if (known && known.until > Date.now()) {
      process.nextTick(() => callback(new EgressRefusedError(known.refusal), ''));
      return;
    }
    this.resolve(hostname).then(
      (answers) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const usable = family ? answers.filter((a) => a.family === family) : [...answers];
        // the whole answer is checked, not only the family asked for: any internal address refuses the name
        const refused = this.policy.checkResolved(
          hostname,
          answers.map((a) => a.address),
        );
        if (refused) {
          if (this.refusedNames.size >= MAX_CACHED_ORIGINS) this.refusedNames.clear();
          this.refusedNames.set(hostname, { refusal: refused, until: Date.now() + REFUSED_NAME_TTL_MS });
          return callback(new EgressRefusedError(refused), '');
        }
        if (usable.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`${hostname} has no address of the family asked for`);
          err.code = 'ENOTFOUND';
          return callback(err, '');
        }
        if (options.all) return callback(null, usable);
        return callback(null, usable[0].address, usable[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}
