// @ts-check
/// <reference lib="webworker" />
/**
 * The residents' app's service worker (scope /app/), hand-written to the contract of docs/web-push.md:
 *  - push: always show the alert (already in the holder's language), Level 4+ (severe/extreme, not a drill) stays
 *    until dismissed, safety answers as actions when the office asks; then acknowledge `delivered` with the token;
 *  - notificationclick: acknowledge `read`; an action answers the safety request; otherwise open the alert;
 *  - offline: the app shell, and the last answers of the api reads the app makes, from the Cache API.
 * The page keeps what the worker needs (language, resident credential, VAPID key) in the settings cache entry.
 */
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

const VERSION = 'v1';
const SHELL = `bousai-shell-${VERSION}`;
const DATA = `bousai-data-${VERSION}`;
const SETTINGS = 'bousai-settings';
const SETTINGS_URL = '/app/__settings';
const SHELL_FILES = ['/app/', '/app/manifest.webmanifest', '/app/icon-192.png', '/app/icon-512.png'];
/** The api reads the app shows offline: its alerts, profile, shelters and the orders in force. */
const CACHED_READS = [
  /^\/v1\/resident\/(me|alerts|shelters)$/,
  /^\/v1\/public\/municipalities\/\d{6}\/(shelters|evacuation)$/,
  /^\/v1\/public\/web-push$/,
];

/**
 * @typedef {{ code: string, id: string, secret: string, districts: string[], language: string }} VisitorHolding
 * @typedef {{ lang?: string, credential?: string, vapidPublicKey?: string, visitor?: VisitorHolding }} Settings
 */

/** @type {Record<string, { safe: string, need_help: string }>} */
const ACTION_TITLES = {
  ja: { safe: '無事です', need_help: '助けが必要' },
  'ja-easy': { safe: 'ぶじです', need_help: 'たすけて ください' },
  en: { safe: "I'm safe", need_help: 'I need help' },
};

/** @returns {Promise<Settings>} */
async function settings() {
  const cache = await caches.open(SETTINGS);
  const res = await cache.match(SETTINGS_URL);
  return res ? /** @type {Promise<Settings>} */ (res.json()) : {};
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      await cache.addAll(SHELL_FILES);
      // the hashed scripts and styles the page loads: named in its index.html
      const html = await (await fetch('/app/', { cache: 'no-cache' })).text();
      const assets = [...html.matchAll(/(?:src|href)="(\/app\/assets\/[^"]+)"/g)].map((m) => m[1]);
      await cache.addAll(assets);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== SHELL && name !== DATA && name !== SETTINGS) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (request.mode === 'navigate' && url.pathname.startsWith('/app/')) {
    event.respondWith(networkFirst(request, SHELL, '/app/'));
  } else if (url.pathname.startsWith('/app/assets/') || SHELL_FILES.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (CACHED_READS.some((re) => re.test(url.pathname))) {
    event.respondWith(networkFirst(request, DATA));
  }
});

/**
 * The network's answer, kept for later; without a network, the last one kept (for a page: the app shell).
 * @param {Request} request @param {string} cacheName @param {string} [fallback]
 */
async function networkFirst(request, cacheName, fallback) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(fallback ?? request, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(fallback ?? request);
    if (kept && cacheName === DATA) return markKept(kept);
    if (kept) return kept;
    throw error;
  }
}

/**
 * A kept api answer says so (`x-bousai-kept`), so the page shows its offline banner; its `date` header is still
 * the api's, the time the information was received.
 * @param {Response} kept
 */
function markKept(kept) {
  const headers = new Headers(kept.headers);
  headers.set('x-bousai-kept', '1');
  return new Response(kept.body, { status: kept.status, statusText: kept.statusText, headers });
}

/** @param {Request} request */
async function cacheFirst(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await (await caches.open(SHELL)).put(request, response.clone());
  return response;
}

/**
 * @typedef {{ v: number, alertId: string, deliveryId: string, title: string, body: string, severity: string,
 *   isDrill: boolean, safetyRequest: boolean, cancelsAlertId?: string, ackUrl?: string, ackToken?: string,
 *   expiresAt: number }} PushPayload
 */

sw.addEventListener('push', (event) => {
  event.waitUntil(handlePush(event.data ? /** @type {PushPayload} */ (event.data.json()) : undefined));
});

/** Shows the alert, then acknowledges `delivered`. @param {PushPayload | undefined} p */
async function handlePush(p) {
  if (!p) {
    // every push must show something (userVisibleOnly)
    await sw.registration.showNotification('bousai', { tag: 'bousai' });
    return;
  }
  const { lang = 'ja' } = await settings();
  const severe = (p.severity === 'extreme' || p.severity === 'severe') && !p.isDrill;
  const stale = Date.now() > p.expiresAt;
  if (p.cancelsAlertId) {
    for (const n of await sw.registration.getNotifications({ tag: p.cancelsAlertId })) n.close();
  }
  const titles = ACTION_TITLES[lang] ?? ACTION_TITLES.ja;
  /** @type {NotificationOptions & { renotify: boolean, actions: { action: string, title: string }[] }} */
  const options = {
    body: p.body,
    lang: lang === 'ja-easy' ? 'ja' : lang,
    tag: p.cancelsAlertId ?? p.alertId,
    renotify: true,
    requireInteraction: severe && !stale,
    silent: stale,
    icon: '/app/icon-192.png',
    data: p,
    actions:
      p.safetyRequest && !p.cancelsAlertId
        ? [
            { action: 'safe', title: titles.safe },
            { action: 'need_help', title: titles.need_help },
          ]
        : [],
  };
  await sw.registration.showNotification(p.title, options);
  // an open page reloads its alerts
  for (const client of await sw.clients.matchAll({ type: 'window' })) client.postMessage({ type: 'alert' });
  if (p.ackUrl && p.ackToken) await ack(p, 'delivered');
}

sw.addEventListener('notificationclick', (event) => {
  event.waitUntil(handleNotificationClick(event.notification, event.action));
});

/**
 * `read`, then the safety answer of an action button, or the alert's page.
 * @param {Notification} notification @param {string} action
 */
async function handleNotificationClick(notification, action) {
  const p = /** @type {PushPayload} */ (notification.data);
  notification.close();
  if (p.ackUrl && p.ackToken) await ack(p, 'read');
  if (action === 'safe' || action === 'need_help') {
    const answered = await answerSafety(p.alertId, action);
    if (answered) return;
  }
  const url = `/app/#/alerts/${p.alertId}`;
  const open = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const client = open.find((c) => new URL(c.url).pathname.startsWith('/app/'));
  try {
    if (client) {
      await client.focus();
      await client.navigate(url);
    } else {
      await sw.clients.openWindow(url);
    }
  } catch {
    // no window may be opened without the user's click (e.g. the page was closed meanwhile): nothing to do
  }
}

/** The one-tap answer with the holder's credential; false when it could not be recorded. */
async function answerSafety(/** @type {string} */ alertId, /** @type {string} */ answer) {
  const { credential } = await settings();
  if (!credential) return false;
  const res = await fetch(`/v1/resident/safety/${alertId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ answer, via: 'pwa' }),
  }).catch(() => undefined);
  return res !== undefined && res.ok;
}

/** At most two tries: a lost ack only understates the reach report (docs/web-push.md §4.3). */
async function ack(/** @type {PushPayload} */ p, /** @type {'delivered' | 'read'} */ stage) {
  const body = JSON.stringify({ token: p.ackToken, stage, deviceAt: new Date().toISOString() });
  const send = () =>
    fetch(/** @type {string} */ (p.ackUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  const res = await send().catch(() => undefined);
  if (res === undefined || res.status === 503) {
    await new Promise((r) => setTimeout(r, 2000 + Math.random() * 3000));
    await send().catch(() => undefined);
  }
}

sw.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(resubscribe());
});

/** The push service replaced the subscription: subscribe again and register the new one (docs/web-push.md §1.4). */
async function resubscribe() {
  const { credential, vapidPublicKey, visitor } = await settings();
  if (!vapidPublicKey || (!credential && !visitor)) return;
  const subscription = await sw.registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: vapidPublicKey,
  });
  if (visitor) {
    await resubscribeVisitor(visitor, subscription).catch(() => undefined);
    return;
  }
  await fetch('/v1/resident/endpoints', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ channel: 'webpush', subscription: subscription.toJSON(), label: 'PWA' }),
  }).catch(() => undefined);
}

/**
 * A visitor's subscription moves to the new push subscription: subscribed again with the same districts and
 * language, the old one removed with its secret; the page adopts the new id and secret from the settings entry.
 * @param {VisitorHolding} visitor @param {PushSubscription} subscription
 */
async function resubscribeVisitor(visitor, subscription) {
  const base = `/v1/public/municipalities/${visitor.code}/visitor-subscriptions`;
  const res = await fetch(base, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      subscription: subscription.toJSON(),
      districts: visitor.districts,
      language: visitor.language,
    }),
  });
  if (!res.ok) return;
  const created = /** @type {{ id: string, secret: string }} */ (await res.json());
  if (created.id !== visitor.id) {
    await fetch(`${base}/${visitor.id}`, {
      method: 'DELETE',
      headers: { 'x-visitor-secret': visitor.secret },
    });
  }
  const cache = await caches.open(SETTINGS);
  const next = { ...(await settings()), visitor: { ...visitor, id: created.id, secret: created.secret } };
  await cache.put(
    SETTINGS_URL,
    new Response(JSON.stringify(next), { headers: { 'content-type': 'application/json' } }),
  );
}
