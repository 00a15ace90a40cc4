import { generateVapidKeys } from '@bousai/channels/senders';

/**
 * Prints a fresh VAPID key pair (RFC 8292) in .env form. The public key is also the browsers'
 * `applicationServerKey`: every subscription is bound to it, so replacing the pair later means every browser must
 * subscribe again. Keep the private key as secret as a database password.
 */
export function vapidGenerateCommand(): number {
  const { publicKey, privateKey } = generateVapidKeys();
  process.stdout.write(
    [
      "# Web Push VAPID keys (npm run vapid:generate); the public key is the service worker's applicationServerKey",
      `WEBPUSH_VAPID_PUBLIC_KEY=${publicKey}`,
      `WEBPUSH_VAPID_PRIVATE_KEY=${privateKey}`,
      'WEBPUSH_VAPID_SUBJECT=mailto:bousai@city.example.jp',
      '',
    ].join('\n'),
  );
  return 0;
}
