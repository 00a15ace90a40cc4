import { randomBytes, randomUUID } from 'node:crypto';
// the default import is the module object itself (not an interop copy), so firebase-admin sees the redirect
import http2 from 'node:http2';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getMessaging } from 'firebase-admin/messaging';
import { type OutgoingMessage } from '@bousai/channels';
import { FcmRequestBodies, ServiceAccountJwtCredential, buildFcmMessage } from '@bousai/channels/senders';
import { Severity } from '@bousai/domain';
import { FakeFcmServer } from '@bousai/testing';

const fcmToken = () =>
  `${randomBytes(16).toString('base64url')}:APA91b${randomBytes(105).toString('base64url')}`;

/**
 * Our sender writes the FCM v1 JSON itself (firebase-admin keeps its converter private). This sends the same
 * `Message` through firebase-admin's own `sendEach` to the same fake and compares what arrived, field by field.
 */
describe('FCM v1 wire format', () => {
  let fake: FakeFcmServer;
  let app: App;
  const realConnect = http2.connect;

  beforeAll(async () => {
    fake = await FakeFcmServer.start({ projectId: 'bousai-fake' });
    app = initializeApp(
      {
        credential: new ServiceAccountJwtCredential(fake.serviceAccount(), fake.tokenUrl),
        projectId: fake.projectId,
      },
      'fcm-wire-format',
    );
    // firebase-admin connects to https://fcm.googleapis.com; send it to the fake (h2c) instead. It also sends
    // `:scheme: "https:"` (with the colon), which nghttp2 refuses, so that pseudo-header is corrected too.
    const redirected = (() => {
      const session = realConnect(fake.url);
      const request = session.request.bind(session);
      session.request = (headers, options) => request({ ...headers, ':scheme': 'http' }, options);
      return session;
    }) as unknown as typeof http2.connect;
    http2.connect = redirected;
  });

  afterAll(async () => {
    http2.connect = realConnect;
    await deleteApp(app);
    await fake.close();
  });

  it.each([
    ['a real, extreme alert', { severity: Severity.Extreme, isDrill: false }],
    ['a drill', { severity: Severity.Extreme, isDrill: true }],
    ['a cancellation notice', { severity: Severity.Moderate, cancelsAlertId: randomUUID() }],
  ])('for %s equals what firebase-admin sends for the same Message', async (_name, overrides) => {
    const now = Date.now();
    const alert: OutgoingMessage = {
      alertId: randomUUID(),
      isDrill: false,
      safetyRequest: true,
      texts: { ja: { title: '避難指示', body: '直ちに避難してください。' } },
      expiresAt: now + 3_600_500,
      ...overrides,
    };
    const ours = fcmToken();
    const theirs = fcmToken();

    const result = await getMessaging(app).sendEach([buildFcmMessage(theirs, alert, 'ja', now)]);
    expect(result.successCount).toBe(1);
    const sentByFirebaseAdmin = fake.receivedFor(theirs)[0].message;
    const sentByUs = (JSON.parse(new FcmRequestBodies(alert, now).body(ours, 'ja')) as { message: object })
      .message;

    expect(sentByUs).toEqual({ ...sentByFirebaseAdmin, token: ours });
  });
});
