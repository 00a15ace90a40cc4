import { EVACUATION_LEVELS } from './levels';
import { OrderMessageKind } from './order';
import { Severity } from '../enums';
import { alertReceiverAnnouncement, receiverAnnouncement, ReceiverPriority } from './receiver-announcement';

describe(receiverAnnouncement.name, () => {
  it('leads a Level 4 order with 「緊急放送、緊急放送、警戒レベル４、避難開始。」 said twice, at emergency priority', () => {
    expect(receiverAnnouncement({ kind: OrderMessageKind.Issue, level: 4 }, 'ja')).toEqual({
      priority: ReceiverPriority.Emergency,
      leadIn: '緊急放送、緊急放送、警戒レベル４、避難開始。',
      leadInRepeat: 2,
      language: 'ja',
    });
    expect(receiverAnnouncement({ kind: OrderMessageKind.Raise, level: 5 }, 'ja')).toMatchObject({
      priority: ReceiverPriority.Emergency,
      leadIn: '緊急放送、緊急放送、警戒レベル５、緊急安全確保。',
      leadInRepeat: 2,
    });
  });

  it('says a Level 3 lead-in once, at urgent priority', () => {
    for (const kind of [OrderMessageKind.Issue, OrderMessageKind.Lower, OrderMessageKind.Extend]) {
      expect(receiverAnnouncement({ kind, level: 3 }, 'ja')).toEqual({
        priority: ReceiverPriority.Urgent,
        leadIn: '警戒レベル３、高齢者等避難。',
        leadInRepeat: 1,
        language: 'ja',
      });
    }
  });

  it('plays lifts at normal priority, and a retraction as loud as the mistake it withdraws', () => {
    for (const level of EVACUATION_LEVELS) {
      expect(receiverAnnouncement({ kind: OrderMessageKind.Lift, level }, 'ja')).toMatchObject({
        priority: ReceiverPriority.Normal,
        leadIn: '避難情報の解除をお知らせします。',
        leadInRepeat: 1,
      });
      expect(receiverAnnouncement({ kind: OrderMessageKind.Shrink, level }, 'ja').priority).toBe(
        ReceiverPriority.Normal,
      );
    }
    expect(receiverAnnouncement({ kind: OrderMessageKind.Retract, level: 5 }, 'ja')).toMatchObject({
      priority: ReceiverPriority.Urgent,
      leadIn: '避難情報の取り消しをお知らせします。',
    });
    expect(receiverAnnouncement({ kind: OrderMessageKind.Retract, level: 3 }, 'ja').priority).toBe(
      ReceiverPriority.Normal,
    );
  });

  it("speaks the receiver's language through the renderer's fallback; Japanese when it has none", () => {
    expect(receiverAnnouncement({ kind: OrderMessageKind.Issue, level: 4 }, 'ja-easy')).toMatchObject({
      language: 'ja-easy',
      leadIn: 'きんきゅう ほうそう、きんきゅう ほうそう。けいかいレベル４。にげて ください。',
      leadInRepeat: 2,
    });
    expect(receiverAnnouncement({ kind: OrderMessageKind.Issue, level: 4 }, 'vi')).toMatchObject({
      language: 'en',
      leadIn: 'Emergency broadcast, emergency broadcast. Alert Level 4. Evacuate now.',
    });
    expect(receiverAnnouncement({ kind: OrderMessageKind.Issue, level: 4 }, null).language).toBe('ja');
  });
});

describe(alertReceiverAnnouncement.name, () => {
  it("announces an order's alert by its message, in the language of its text", () => {
    expect(
      alertReceiverAnnouncement(
        { severity: Severity.Extreme, evacuationMessage: { kind: OrderMessageKind.Issue, level: 4 } },
        'ja',
      ),
    ).toEqual({
      priority: ReceiverPriority.Emergency,
      leadIn: '緊急放送、緊急放送、警戒レベル４、避難開始。',
      leadInRepeat: 2,
    });
    expect(
      alertReceiverAnnouncement(
        { severity: Severity.Minor, evacuationMessage: { kind: OrderMessageKind.Lift, level: 4 } },
        'en',
      ).leadIn,
    ).toBe('An evacuation notice has been lifted.');
  });

  it('plays every other alert at the priority of its severity, without a lead-in', () => {
    const of = (severity: Severity) => alertReceiverAnnouncement({ severity, evacuationMessage: null }, 'ja');
    expect(of(Severity.Extreme)).toEqual({
      priority: ReceiverPriority.Emergency,
      leadIn: null,
      leadInRepeat: 1,
    });
    expect(of(Severity.Severe).priority).toBe(ReceiverPriority.Urgent);
    for (const s of [Severity.Moderate, Severity.Minor, Severity.Unknown]) {
      expect(of(s).priority).toBe(ReceiverPriority.Normal);
    }
  });
});
