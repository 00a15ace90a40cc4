import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { ResidentAuthRepository, type ResidentPrincipal } from '@bousai/persistence';
import { GroupCommit } from '../acks/group-commit';

/** Most credentials one statement looks up. */
const MAX_LOOKUPS_PER_STATEMENT = 500;

/**
 * Resident credentials checked in batches: every request with a resident credential waits for one look-up that
 * answers all the requests that arrived meanwhile (the same group commit as the acks', started at once when idle).
 * A storm of phones each acking one delivery then costs the database one statement per batch instead of one per
 * request (docs/performance.md, "One ack per request"). Each request is still checked against the database after
 * it arrived, so a revoked credential is refused from the moment its revocation committed.
 */
@Injectable()
export class ResidentPrincipals implements OnModuleDestroy {
  private readonly group: GroupCommit<string, ResidentPrincipal | undefined>;

  constructor(residents: ResidentAuthRepository, @Inject(APP_CONFIG) config: ApiConfig) {
    this.group = new GroupCommit({
      name: ResidentPrincipals.name,
      flushMs: config.ACK_FLUSH_MS,
      lingerMs: 0,
      maxRows: MAX_LOOKUPS_PER_STATEMENT,
      writers: config.ACK_FLUSH_WRITERS,
      commit: (tokenHashes) => residents.principals(tokenHashes),
      unavailableMessage: 'credentials cannot be checked now; try again',
      describeFailure: (tokenHashes) => ({ lookups: tokenHashes.length }),
    });
  }

  /** The credential's holder, or undefined when it is unknown or revoked; rejects with UNAVAILABLE on failure. */
  of(tokenHash: string): Promise<ResidentPrincipal | undefined> {
    return this.group.submitOne(tokenHash);
  }

  async onModuleDestroy(): Promise<void> {
    await this.group.drain();
  }
}
