import { generateVapidKeys } from '@bousai/channels/senders';
import { Role } from '@bousai/domain';
import { FAKE_PUSH_EGRESS_ENV, FakePushService, type FakePushSubscription } from '@bousai/testing';
import type { CDPSession, Worker } from 'playwright-core';
import { eventually, type Stack, startStack } from '../../e2e/fanout/support/fanout-stack';
import { type Browser, launchChromium, PWA_DIR } from './browser';

/** The api serving the PWA, the fanout sending Web Push for real, and the fake push service they reach. */
export interface PwaStack {
  sut: Stack;
  push: FakePushService;
  /** The api's origin (the app is at `${base}/app/`). */
  base: string;
}

/**
 * The stack of the PWA's browser tests: a VAPID key pair, the fake push service, the api with the app and the
 * signed-ack secret, and the fanout on `channels` acknowledging to this api.
 */
export async function startPwaStack(
  secret: string,
  channels: string,
  api: Record<string, string> = {},
): Promise<PwaStack> {
  const vapid = generateVapidKeys();
  const push = await FakePushService.start({ vapidPublicKey: vapid.publicKey });
  const sut = await startStack({
    inProcessFanout: false,
    api: {
      PWA_DIR,
      WEBPUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
      ACK_TOKEN_SECRET: secret,
      ...FAKE_PUSH_EGRESS_ENV,
      ...api,
    },
  });
  const base = sut.url;
  Object.assign(sut.fanoutEnv, {
    FANOUT_CHANNELS: channels,
    WEBPUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
    WEBPUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
    WEBPUSH_TLS_INSECURE: 'true',
    WEBPUSH_ACK_URL: `${base}/v1/acks/signed`,
    ACK_TOKEN_SECRET: secret,
    ...FAKE_PUSH_EGRESS_ENV,
    ...api,
  });
  await sut.startFanout();
  return { sut, push, base };
}

/** A new enrolment code of the resident, as the office's letter carries it. */
export async function enrolmentCode(sut: Stack, m: string, residentId: string): Promise<string> {
  const issued = await sut.api.http
    .post(`/v1/municipalities/${m}/residents/${residentId}/enrolment-codes`)
    .set(...(await sut.auth(Role.Operator)))
    .send();
  return issued.body.code as string;
}

/** An open shelter, 安来市民会館: its id. */
export async function openShelter(sut: Stack, m: string, externalId: string): Promise<string> {
  const [shelter] = await sut.api.db.dataSource.query<{ id: string }[]>(
    `INSERT INTO shelter (municipality_id, kind, external_id, name, address, latitude, longitude, capacity,
                          status, opened_at, hazards)
     VALUES ($1, 'shelter', $2, '安来市民会館', '安来市安来町', 35.43, 133.25, 300, 'open', now(), '{flood}')
     RETURNING id`,
    [m, externalId],
  );
  return shelter.id;
}

/**
 * The stand-in for the browser's push service, as an init script: Chromium in a test has none (and must reach no
 * real one), so PushManager.subscribe resolves to `subscription` of the local fake, whose keys the fake holds.
 */
function fakePushManager(subscription: FakePushSubscription): string {
  return `{
    const sub = ${JSON.stringify(subscription)};
    const fake = {
      endpoint: sub.endpoint,
      expirationTime: null,
      toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: sub.keys }),
      unsubscribe: () => Promise.resolve(true),
    };
    PushManager.prototype.subscribe = function () {
      localStorage.setItem('test.subscribed', 'yes');
      return Promise.resolve(fake);
    };
    PushManager.prototype.getSubscription = function () {
      return Promise.resolve(localStorage.getItem('test.subscribed') === 'yes' ? fake : null);
    };
  }`;
}

/** The registration of the app's service worker, as the DevTools protocol names it (to deliver pushes). */
export async function workerRegistrationId(cdp: CDPSession, base: string): Promise<string> {
  const found = new Promise<string>((resolve) => {
    cdp.on(
      'ServiceWorker.workerRegistrationUpdated',
      (event: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
        const r = event.registrations.find((x) => x.scopeURL === `${base}/app/` && !x.isDeleted);
        if (r) resolve(r.registrationId);
      },
    );
  });
  await cdp.send('ServiceWorker.enable');
  return found;
}

/**
 * Chromium for the app: `permissions` granted to the api's origin, the fake push manager for `subscription`, every
 * request to another origin refused (a request anywhere else fails the test), and a DevTools session.
 */
export async function launchPwaBrowser(
  base: string,
  subscription: FakePushSubscription,
  permissions: string[],
): Promise<{ browser: Browser; cdp: CDPSession }> {
  const browser = await launchChromium();
  await browser.context.grantPermissions(permissions, { origin: base });
  await browser.context.addInitScript(fakePushManager(subscription));
  await browser.context.route(
    (url) => url.origin !== base,
    (route) => route.abort('blockedbyclient'),
  );
  return { browser, cdp: await browser.context.newCDPSession(browser.page) };
}

/** The app's service worker, once it runs. */
export async function appWorker(browser: Browser): Promise<Worker> {
  await eventually(() => browser.context.serviceWorkers().length > 0);
  return browser.context.serviceWorkers()[0];
}
