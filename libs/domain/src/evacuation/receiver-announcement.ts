import { languageFallbackChain } from '../alert-rendering';
import { Severity } from '../enums';
import { EvacuationLevel, fullWidthDigit } from './levels';
import { type OrderMessage, OrderMessageKind } from './order';

/**
 * How a household receiver (and any speaker) announces an evacuation order, before its title and body: the
 * priority it plays with and the spoken lead-in. Documented for device makers in docs/receiver-protocol.md §3.1.
 *
 * - `emergency`: interrupts whatever plays, maximum volume, even in a device's quiet hours (Level 4 and 5);
 * - `urgent`: interrupts ordinary announcements, raised volume (Level 3, and the retraction of a Level 4 or 5
 *   sent by mistake, so that everyone who heard it hears it withdrawn);
 * - `normal`: queued after what plays (lifts, other retractions).
 */
export enum ReceiverPriority {
  Emergency = 'emergency',
  Urgent = 'urgent',
  Normal = 'normal',
}

export interface ReceiverAnnouncement {
  priority: ReceiverPriority;
  /** Spoken (or shown) before the title; null when the message has none. */
  leadIn: string | null;
  /** How many times the lead-in is said: 2 for Level 4 and 5 (「緊急放送、緊急放送、…」 twice), else 1. */
  leadInRepeat: number;
  /** The language of `leadIn`. */
  language: 'ja' | 'ja-easy' | 'en';
}

type LeadLang = ReceiverAnnouncement['language'];

function warningLeadIn(lang: LeadLang, level: EvacuationLevel): string {
  const n = fullWidthDigit(level);
  const leads: Record<LeadLang, Record<EvacuationLevel, string>> = {
    ja: {
      [EvacuationLevel.ElderlyEvacuation]: `警戒レベル${n}、高齢者等避難。`,
      [EvacuationLevel.EvacuationInstruction]: `緊急放送、緊急放送、警戒レベル${n}、避難開始。`,
      [EvacuationLevel.EmergencySafety]: `緊急放送、緊急放送、警戒レベル${n}、緊急安全確保。`,
    },
    'ja-easy': {
      [EvacuationLevel.ElderlyEvacuation]: `けいかいレベル${n}。おとしより などは にげて ください。`,
      [EvacuationLevel.EvacuationInstruction]: `きんきゅう ほうそう、きんきゅう ほうそう。けいかいレベル${n}。にげて ください。`,
      [EvacuationLevel.EmergencySafety]: `きんきゅう ほうそう、きんきゅう ほうそう。けいかいレベル${n}。いのちを まもって ください。`,
    },
    en: {
      [EvacuationLevel.ElderlyEvacuation]: `Alert Level ${level}. Older people and others who need time: evacuate.`,
      [EvacuationLevel.EvacuationInstruction]: `Emergency broadcast, emergency broadcast. Alert Level ${level}. Evacuate now.`,
      [EvacuationLevel.EmergencySafety]: `Emergency broadcast, emergency broadcast. Alert Level ${level}. Save your life now.`,
    },
  };
  return leads[lang][level];
}

const RETRACT_LEAD: Record<LeadLang, string> = {
  ja: '避難情報の取り消しをお知らせします。',
  'ja-easy': 'ひなんの おしらせの とりけしです。',
  en: 'Correction: an evacuation notice is withdrawn.',
};

const LIFT_LEAD: Record<LeadLang, string> = {
  ja: '避難情報の解除をお知らせします。',
  'ja-easy': 'ひなんの おしらせが おわりました。',
  en: 'An evacuation notice has been lifted.',
};

/**
 * The announcement of an order message on a receiver set to `language` (the lead-in follows the renderer's
 * fallback chain, so a Vietnamese receiver hears English; one without a language hears Japanese).
 */
export function receiverAnnouncement(
  message: Pick<OrderMessage, 'kind' | 'level'>,
  language: string | null | undefined,
): ReceiverAnnouncement {
  const lang = languageFallbackChain(language || 'ja').find(
    (l): l is LeadLang => l === 'ja' || l === 'ja-easy' || l === 'en',
  )!;
  const { kind, level } = message;
  switch (kind) {
    case OrderMessageKind.Issue:
    case OrderMessageKind.Raise:
    case OrderMessageKind.Lower:
    case OrderMessageKind.Extend: {
      const high = level >= EvacuationLevel.EvacuationInstruction;
      return {
        priority: high ? ReceiverPriority.Emergency : ReceiverPriority.Urgent,
        leadIn: warningLeadIn(lang, level),
        leadInRepeat: high ? 2 : 1,
        language: lang,
      };
    }
    case OrderMessageKind.Retract:
      return {
        priority:
          level >= EvacuationLevel.EvacuationInstruction ? ReceiverPriority.Urgent : ReceiverPriority.Normal,
        leadIn: RETRACT_LEAD[lang],
        leadInRepeat: 1,
        language: lang,
      };
    case OrderMessageKind.Lift:
    case OrderMessageKind.Shrink:
      return { priority: ReceiverPriority.Normal, leadIn: LIFT_LEAD[lang], leadInRepeat: 1, language: lang };
  }
}

/**
 * What an alert made by an evacuation order step carries (stored with the alert) so that receivers can announce
 * it: the message's kind and the level it speaks of.
 */
export type AlertEvacuationMessage = Pick<OrderMessage, 'kind' | 'level'>;

/** The announcement fields every receiver alert carries; `leadIn` is null when the alert has none. */
export type ReceiverAlertAnnouncement = Pick<ReceiverAnnouncement, 'priority' | 'leadIn' | 'leadInRepeat'>;

/** Alerts that are not evacuation orders play by severity: 特別警報-class `extreme` interrupts everything. */
function priorityOfSeverity(severity: string): ReceiverPriority {
  if (severity === (Severity.Extreme as string)) return ReceiverPriority.Emergency;
  if (severity === (Severity.Severe as string)) return ReceiverPriority.Urgent;
  return ReceiverPriority.Normal;
}

/**
 * How a receiver announces any alert, in the language its title and body are in: an evacuation order's message
 * by {@link receiverAnnouncement}; any other alert at the priority of its severity, without a lead-in.
 */
export function alertReceiverAnnouncement(
  alert: { severity: string; evacuationMessage?: AlertEvacuationMessage | null },
  language: string | null | undefined,
): ReceiverAlertAnnouncement {
  if (alert.evacuationMessage) {
    const { priority, leadIn, leadInRepeat } = receiverAnnouncement(alert.evacuationMessage, language);
    return { priority, leadIn, leadInRepeat };
  }
  return { priority: priorityOfSeverity(alert.severity), leadIn: null, leadInRepeat: 1 };
}
