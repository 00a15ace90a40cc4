import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateVapidKeys } from '@bousai/channels/senders';
import { FAKE_PUSH_EGRESS_ENV } from '@bousai/testing';
import type { TimedFakeFcm } from './processes';

/**
 * The senders' settings against the timed fakes on 127.0.0.1: FCM (its service account written into `dir`, the
 * client-side quota lifted: the fake answers in microseconds), Web Push (fresh VAPID keys, the fake's self-signed
 * certificate accepted), SMTP, and the ack token secret every app and browser payload is signed with, as deployed.
 */
export async function benchSenderEnv(
  fake: TimedFakeFcm,
  smtpPort: number | undefined,
  dir: string,
): Promise<Record<string, string>> {
  const credentialsFile = join(dir, 'service-account.json');
  writeFileSync(credentialsFile, JSON.stringify(await fake.serviceAccount()));
  const vapid = generateVapidKeys();
  return {
    FCM_BASE_URL: fake.url,
    FCM_TOKEN_URL: fake.tokenUrl,
    FCM_CREDENTIALS_FILE: credentialsFile,
    FCM_QUOTA_PER_MINUTE: String(1e9),
    WEBPUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
    WEBPUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
    WEBPUSH_VAPID_SUBJECT: 'mailto:bench@bousai.example.jp',
    // the fake push service's certificate is self-signed
    WEBPUSH_TLS_INSECURE: 'true',
    ...FAKE_PUSH_EGRESS_ENV,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort ?? 2525),
    SMTP_FROM: 'bousai bench <alerts@bench.example>',
    ACK_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    WEBPUSH_ACK_URL: 'https://bousai.bench.example/v1/acks/signed',
  };
}
