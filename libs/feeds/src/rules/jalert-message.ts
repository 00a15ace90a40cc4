import { z } from 'zod';
import type { StatusFlags } from '../normalised-message';

/**
 * J-ALERT 国民保護 messages as the project's relay contract carries them (docs/architecture.md §7: JMA XML is posted as
 * is; civil-protection messages come as JSON). docs/feeds.md §3: there is no public machine-readable J-ALERT format, so
 * the types are the 有事関連 kinds of the 業務規程 and every one of them is sent without approval.
 */
export enum JAlertType {
  /** 弾道ミサイル情報 */
  BallisticMissile = 'ballistic_missile',
  /** 航空攻撃情報 */
  AirAttack = 'air_attack',
  /** ゲリラ・特殊部隊攻撃情報 */
  GuerrillaAttack = 'guerrilla_attack',
  /** 大規模テロ情報 */
  LargeScaleTerrorism = 'large_scale_terrorism',
  /** その他の国民保護情報 */
  OtherCivilProtection = 'other_civil_protection',
}

export const JALERT_TYPE_NAMES: Readonly<Record<JAlertType, string>> = {
  [JAlertType.BallisticMissile]: '弾道ミサイル情報',
  [JAlertType.AirAttack]: '航空攻撃情報',
  [JAlertType.GuerrillaAttack]: 'ゲリラ・特殊部隊攻撃情報',
  [JAlertType.LargeScaleTerrorism]: '大規模テロ情報',
  [JAlertType.OtherCivilProtection]: 'その他の国民保護情報',
};

export const JAlertRelaySchema = z.object({
  /** The relay's id of the message; a repeat with the same id and issuedAt is a duplicate. */
  id: z.string().min(1).max(200),
  /** Relates the messages of one incident (発射情報 → 屋内退避 → 落下場所); defaults to `id`. */
  incidentId: z.string().min(1).max(200).optional(),
  type: z.enum(JAlertType),
  /** actual / exercise (訓練) / test (全国一斉情報伝達試験): only actual reaches residents as real. */
  status: z.enum(['actual', 'exercise', 'test']),
  /** issue, correction (訂正) or cancel (誤報の取消). */
  infoType: z.enum(['issue', 'correction', 'cancel']).default('issue'),
  /** 市町村等 codes (7 digits) the message is addressed to. */
  areaCodes: z.array(z.string().regex(/^\d{7}$/)).min(1),
  text: z.string().min(1).max(2000),
  issuedAt: z.iso.datetime({ offset: true }),
});
export type JAlertRelay = z.infer<typeof JAlertRelaySchema>;

/** The J-ALERT JSON as the rules see it, next to the normalised JMA XML / CAP messages. */
export interface JAlertMessage {
  source: 'jalert';
  format: 'jalert';
  kind: `jalert.${JAlertType}`;
  status: StatusFlags;
  relay: JAlertRelay;
}

export function toJAlertMessage(relay: JAlertRelay): JAlertMessage {
  return {
    source: 'jalert',
    format: 'jalert',
    kind: `jalert.${relay.type}`,
    status: {
      isActual: relay.status === 'actual',
      isTraining: relay.status === 'exercise',
      isTest: relay.status === 'test',
    },
    relay,
  };
}
