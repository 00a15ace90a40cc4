import { createApiClient, type ApiClient } from '../../../libs/web-client/src';
import { watchConnection } from './connection';

/**
 * The holder's device credential (rc_…), from enrolment. It stays in this browser's storage, and a copy goes to
 * the service worker's settings entry so it can record a safety answer from a notification button.
 */
const CREDENTIAL_KEY = 'bousai.app.credential';
export const SETTINGS_CACHE = 'bousai-settings';
export const SETTINGS_URL = '/app/__settings';

type Listener = () => void;
const listeners = new Set<Listener>();

export const resident = {
  credential: (): string | undefined => localStorage.getItem(CREDENTIAL_KEY) ?? undefined,
  set: (credential: string | undefined): void => {
    if (credential) localStorage.setItem(CREDENTIAL_KEY, credential);
    else localStorage.removeItem(CREDENTIAL_KEY);
    for (const l of listeners) l();
  },
  subscribe: (listener: Listener): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** Every call with the holder's credential (none before enrolment). */
export const api: ApiClient = createApiClient({
  current: () => Promise.resolve(resident.credential()),
  renew: () => Promise.resolve(undefined),
});
watchConnection(api);

/**
 * What the service worker reads: the language of its action buttons, the credential, the VAPID key, and a
 * visitor's subscription (to subscribe again on `pushsubscriptionchange`).
 */
export async function shareWithWorker(settings: {
  lang?: string;
  credential?: string;
  vapidPublicKey?: string;
  visitor?: { code: string; id: string; secret: string; districts: string[]; language: string };
}): Promise<void> {
  if (!('caches' in window)) return;
  const cache = await caches.open(SETTINGS_CACHE);
  const kept = await cache.match(SETTINGS_URL);
  const current = kept ? ((await kept.json()) as Record<string, unknown>) : {};
  const next = { ...current, ...settings };
  await cache.put(
    SETTINGS_URL,
    new Response(JSON.stringify(next), { headers: { 'content-type': 'application/json' } }),
  );
}

/** This device is removed: the worker forgets the credential and the holder's kept api answers go. */
export async function forgetHolder(): Promise<void> {
  await shareWithWorker({ credential: undefined });
  for (const name of await caches.keys()) {
    if (name.startsWith('bousai-data-')) await caches.delete(name);
  }
}
