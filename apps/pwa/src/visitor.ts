import { unwrap } from '../../../libs/web-client/src';
import type { Lang } from './i18n';
import { subscribeBrowser } from './push';
import { api, SETTINGS_CACHE, SETTINGS_URL, shareWithWorker } from './resident';

/**
 * A visitor's subscription (public alerts of chosen districts, no enrolment): its id and the secret shown once,
 * kept in this browser's storage only; the worker gets a copy to subscribe again when the push service replaces
 * the subscription (`pushsubscriptionchange`).
 */
export interface VisitorHolding {
  code: string;
  id: string;
  secret: string;
  districts: string[];
  language: Lang;
}

const VISITOR_KEY = 'bousai.app.visitor';
type Listener = () => void;
const listeners = new Set<Listener>();
let cachedRaw: string | null = null;
let cached: VisitorHolding | undefined;

export const visitor = {
  holding: (): VisitorHolding | undefined => {
    const raw = localStorage.getItem(VISITOR_KEY);
    if (raw !== cachedRaw) {
      cachedRaw = raw;
      try {
        cached = raw ? (JSON.parse(raw) as VisitorHolding) : undefined;
      } catch {
        cached = undefined;
      }
    }
    return cached;
  },
  set: (holding: VisitorHolding | undefined): void => {
    if (holding) localStorage.setItem(VISITOR_KEY, JSON.stringify(holding));
    else localStorage.removeItem(VISITOR_KEY);
    void shareWithWorker({ visitor: holding }).catch(() => undefined);
    for (const l of listeners) l();
  },
  subscribe: (listener: Listener): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

const path = '/v1/public/municipalities/{code}/visitor-subscriptions/{id}' as const;

/** Subscribes this browser to the office's pushes and to the chosen districts' public alerts. */
export async function subscribeVisitor(code: string, districts: string[], language: Lang): Promise<void> {
  const subscription = await subscribeBrowser();
  const created = await unwrap(
    api.POST('/v1/public/municipalities/{code}/visitor-subscriptions', {
      params: { path: { code } },
      body: { subscription, districts, language },
    }),
  );
  visitor.set({ code, id: created.id, secret: created.secret, districts, language });
}

export function visitorStatus(h: VisitorHolding) {
  return unwrap(
    api.GET(path, {
      params: { path: { code: h.code, id: h.id }, header: { 'X-Visitor-Secret': h.secret } },
    }),
  );
}

export async function changeVisitor(h: VisitorHolding, districts: string[], language: Lang): Promise<void> {
  await unwrap(
    api.PATCH(path, {
      params: { path: { code: h.code, id: h.id }, header: { 'X-Visitor-Secret': h.secret } },
      body: { districts, language: language as 'ja' },
    }),
  );
  visitor.set({ ...h, districts, language });
}

/** Removes the subscription with its secret, then this browser's push subscription. */
export async function removeVisitor(h: VisitorHolding): Promise<void> {
  await unwrap(
    api.DELETE(path, {
      params: { path: { code: h.code, id: h.id }, header: { 'X-Visitor-Secret': h.secret } },
    }),
  );
  const registration = await navigator.serviceWorker?.getRegistration('/app/');
  await (await registration?.pushManager.getSubscription())?.unsubscribe().catch(() => undefined);
  visitor.set(undefined);
}

/** The worker subscribed a visitor again (`pushsubscriptionchange`): the page adopts the new id and secret. */
export async function adoptWorkerVisitor(): Promise<void> {
  const held = visitor.holding();
  if (!held || !('caches' in window)) return;
  const kept = await (await caches.open(SETTINGS_CACHE)).match(SETTINGS_URL);
  const shared = kept ? ((await kept.json()) as { visitor?: VisitorHolding }).visitor : undefined;
  if (shared && shared.id !== held.id) visitor.set(shared);
}
