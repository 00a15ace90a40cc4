import {
  Channel,
  CHANNEL_TEXT_LIMITS,
  type ChannelTextLimit,
  lineMessageText,
  renderAlertText,
} from '@bousai/domain';
import type { OutgoingMessage } from './channel-adapter';
import { renderAlertEmail } from './email/alert-email.renderer';
import { buildFcmMessage } from './fcm/fcm-message.builder';
import { fitLineText } from './line/line-api.client';
import { receiverAlert } from './receiver/receiver-protocol';
import { MAX_PUSH_PLAINTEXT } from './webpush/push-encryption';
import { WebPushPayloads, type WebPushPayload } from './webpush/webpush-payload';

/** What one channel sends a reader of one language: the senders' own rendering, limits applied. */
export interface ChannelTextPreview {
  channel: Channel;
  /** The reader's language asked for; `rendered` says which text they get. */
  language: string;
  rendered: string;
  title: string;
  body: string;
  /** The channel cut the text to fit its limit. */
  shortened: boolean;
  limit: ChannelTextLimit | null;
}

/** Web Push: the body is shortened so the whole encrypted payload fits one push message (RFC 8291). */
const WEB_PUSH_LIMIT: ChannelTextLimit = {
  kind: 'soft',
  applies: 'payload',
  unit: 'utf8-bytes',
  max: MAX_PUSH_PLAINTEXT,
};

/** A delivery id as long as real ones get (bigint identity), so the payload is sized like a real one. */
const SAMPLE_DELIVERY_ID = '9'.repeat(19);

/**
 * The text `channel` sends for `message` to a reader of `language`, built by the same functions the sender uses,
 * so a preview shows exactly the cut a resident would see. Web Push is rendered without the per-delivery
 * acknowledgement token, which takes a few hundred bytes more of the payload in a real send.
 */
export function previewChannelText(
  channel: Channel,
  message: OutgoingMessage,
  language: string,
): ChannelTextPreview {
  const full = renderAlertText(message.texts, language, { isDrill: message.isDrill });
  const base = { channel, language, rendered: full.language };
  switch (channel) {
    case Channel.Fcm: {
      const data = buildFcmMessage('preview', message, language, Date.now()).data ?? {};
      const body = data.body ?? '';
      return {
        ...base,
        title: data.title ?? '',
        body,
        shortened: body !== full.body,
        limit: CHANNEL_TEXT_LIMITS[channel] ?? null,
      };
    }
    case Channel.WebPush: {
      const payload = JSON.parse(
        new WebPushPayloads(message).render(SAMPLE_DELIVERY_ID, language),
      ) as WebPushPayload;
      return {
        ...base,
        title: payload.title,
        body: payload.body,
        shortened: payload.body !== full.body,
        limit: WEB_PUSH_LIMIT,
      };
    }
    case Channel.Line: {
      const whole = lineMessageText(full.title, full.body);
      const sent = fitLineText(whole);
      const prefix = lineMessageText(full.title, '');
      return {
        ...base,
        title: full.title,
        body: sent.startsWith(prefix) ? sent.slice(prefix.length) : sent,
        shortened: sent !== whole,
        limit: CHANNEL_TEXT_LIMITS[channel] ?? null,
      };
    }
    case Channel.Email: {
      const mail = renderAlertEmail(message, SAMPLE_DELIVERY_ID, language);
      return { ...base, title: mail.subject, body: full.body, shortened: false, limit: null };
    }
    case Channel.Receiver: {
      const alert = receiverAlert({ deliveryId: SAMPLE_DELIVERY_ID, language }, message);
      return { ...base, title: alert.title, body: alert.body, shortened: false, limit: null };
    }
  }
}
