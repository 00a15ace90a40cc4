import { unwrap } from '../../../libs/web-client/src';
import { api, shareWithWorker } from './resident';

export type PushState = 'unsupported' | 'blocked' | 'off' | 'on';

/** The service worker controls /app/: the page's registration of /app/sw.js. */
export function registerWorker(): Promise<ServiceWorkerRegistration | undefined> {
  if (!('serviceWorker' in navigator)) return Promise.resolve(undefined);
  return navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' });
}

export async function pushState(): Promise<PushState> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window))
    return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  const registration = await navigator.serviceWorker.getRegistration('/app/');
  const subscription = await registration?.pushManager.getSubscription();
  return subscription ? 'on' : 'off';
}

/**
 * Asks for permission and subscribes this browser with the office's VAPID key (docs/web-push.md §1); the worker
 * gets the key (it subscribes again on `pushsubscriptionchange`). Throws when any step is refused.
 */
export async function subscribeBrowser(): Promise<{
  endpoint: string;
  keys: { p256dh: string; auth: string };
}> {
  const { vapidPublicKey } = await unwrap(api.GET('/v1/public/web-push'));
  if (!vapidPublicKey) throw new Error('PUSH_NOT_CONFIGURED');
  if ((await Notification.requestPermission()) !== 'granted') throw new Error('PERMISSION_DENIED');
  await registerWorker();
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: vapidPublicKey,
  });
  await shareWithWorker({ vapidPublicKey });
  const { endpoint = '', keys = {} } = subscription.toJSON();
  return { endpoint, keys: { p256dh: keys.p256dh ?? '', auth: keys.auth ?? '' } };
}

/** Subscribes this browser and registers the subscription as the resident's `webpush` endpoint. */
export async function enablePush(): Promise<void> {
  const subscription = await subscribeBrowser();
  await unwrap(
    api.POST('/v1/resident/endpoints', { body: { channel: 'webpush', subscription, label: 'PWA' } }),
  );
}
