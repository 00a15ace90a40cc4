import type { PublicationTarget } from '@bousai/domain';

/** An alert for the whole municipality, as published for everyone. */
export interface PublicPost {
  alertId: string;
  isDrill: boolean;
  texts: Record<string, { title: string; body: string }>;
  /** The public page of the alert (full text, every language), when the municipality has one. */
  link?: string;
  /** A notice that an alert published earlier was withdrawn. */
  cancelsAlertId?: string;
}

export type PublishOutcome =
  | { kind: 'posted'; text: string; providerId?: string }
  | { kind: 'retry'; errorCode: string; retryAfterMs?: number }
  | { kind: 'failed'; errorCode: string };

/** One public target (LINE broadcast, X). `publish` reports failures as outcomes; it never throws for them. */
export interface PublicPublisher {
  readonly target: PublicationTarget;
  publish(post: PublicPost): Promise<PublishOutcome>;
}
