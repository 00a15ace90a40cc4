/**
 * Glossary: the Japanese terms of the domain mapped once to English identifiers.
 *
 * 要援護者 → `needsAssistance`; 職員 → `staff`; 専用戸別受信機 → `Channel.Receiver`;
 * 到達確認 → `DeliveryStatus.Delivered`; 鳴動確認 → `DeliveryStatus.Played`; 安否確認 → safety confirmation;
 * 無事 → `SafetyStatus.Safe`; 要救助/支援が必要 → `SafetyStatus.NeedHelp`; 負傷 → `SafetyStatus.Injured`;
 * 地区 → `Area`; 世帯 → `Household`; 支援者 → `Supporter`; 民生委員 → `SupporterRelation.WelfareCommissioner`;
 * 訓練 → drill (`isDrill`); 危険警報 (レベル４, 2026 scheme) → `danger_warning` (a feed rule's warning level).
 *
 * Evacuation orders (`evacuation/`): 避難情報 → `EvacuationOrder`; 警戒レベル → `AlertLevel`; 災害種別 → `Hazard`;
 * 高齢者等避難 (警戒レベル３) → `EvacuationLevel.ElderlyEvacuation`; 避難指示 (４) →
 * `EvacuationLevel.EvacuationInstruction`; 緊急安全確保 (５) → `EvacuationLevel.EmergencySafety`; 発令 → issue;
 * 引上げ/引下げ → raise/lower; 解除 → lift (`OrderStatus.Lifted`); 取消 of an order → retract
 * (`OrderStatus.Retracted`; of an alert → cancel); 全域 → `wholeMunicipality`; 対象世帯数/対象者数 →
 * households/people; 避難所 → shelter; L-Alert (災害情報共有システム) → `LAlertRecord`; 緊急速報メール/エリアメール →
 * area mail (`AreaMailDraft`).
 *
 * Shelters (`shelters/`): 指定緊急避難場所 → `ShelterKind.EmergencySite`; 指定避難所 → `ShelterKind.Shelter`;
 * 開設/閉鎖 → `ShelterStatus.Open`/`Closed`; 想定収容人数 → `capacity`; 対象となる町会・自治会 → `districts`;
 * 混雑状況 → `Crowding` (空き `Available`, やや混雑 `SomewhatCrowded`, 混雑 `Crowded`, 満 `Full`); 避難者数 →
 * `headCount`; the eight 災害種別 → `ShelterHazard` (洪水 `Flood`, 崖崩れ・土石流・地滑り `Landslide`, 高潮
 * `StormSurge`, 地震 `Earthquake`, 津波 `Tsunami`, 大規模な火事 `LargeFire`, 内水氾濫 `InlandFlood`, 火山現象
 * `Volcano`); 受付 (check-in) → `shelter_checkin`, answered as `ResponseChannel.Shelter`.
 */

/** Operator roles, ordered by privilege: each role may do everything the ones before it may. */
export enum Role {
  Viewer = 'viewer',
  Operator = 'operator',
  Approver = 'approver',
  Admin = 'admin',
}

export const ROLE_RANK: Readonly<Record<Role, number>> = {
  [Role.Viewer]: 0,
  [Role.Operator]: 1,
  [Role.Approver]: 2,
  [Role.Admin]: 3,
};

/** True when `held` grants at least the privileges of `required`. */
export function roleSatisfies(held: Role, required: Role): boolean {
  return ROLE_RANK[held] >= ROLE_RANK[required];
}

export enum Channel {
  Fcm = 'fcm',
  WebPush = 'webpush',
  Receiver = 'receiver',
  Email = 'email',
  Line = 'line',
}

export enum EndpointStatus {
  Active = 'active',
  Dead = 'dead',
}

/** Alert lifecycle: draft → pending_approval → approved → dispatching → sent → closed, plus cancelled/superseded. */
export enum AlertStatus {
  Draft = 'draft',
  PendingApproval = 'pending_approval',
  Approved = 'approved',
  Dispatching = 'dispatching',
  Sent = 'sent',
  Closed = 'closed',
  Cancelled = 'cancelled',
  Superseded = 'superseded',
}

export enum DeliveryStatus {
  Queued = 'queued',
  /**
   * A household receiver that stayed offline through every attempt: parked for its reconnect (the api forwards
   * it then), not reached until the device acknowledges it. Never counted as sent.
   */
  Waiting = 'waiting',
  Sent = 'sent',
  Delivered = 'delivered',
  Played = 'played',
  Read = 'read',
  Failed = 'failed',
  Expired = 'expired',
  Cancelled = 'cancelled',
  /**
   * Never sent: no running fanout sends on the channel (see `FANOUT_CHANNELS`). Recorded instead of leaving the
   * channel out, so the live view and reports count these residents as not reached.
   */
  Undeliverable = 'undeliverable',
}

/** CAP 1.2 severity, which JMA's 特別警報/警報/注意報 map onto. */
export enum Severity {
  Extreme = 'extreme',
  Severe = 'severe',
  Moderate = 'moderate',
  Minor = 'minor',
  Unknown = 'unknown',
}

export enum AlertSource {
  Operator = 'operator',
  Jma = 'jma',
  JAlert = 'jalert',
  Cap = 'cap',
}

export enum SafetyStatus {
  Safe = 'safe',
  NeedHelp = 'need_help',
  Injured = 'injured',
  Other = 'other',
}

/** How a safety answer reached us. Phone and visit answers are recorded by an operator. */
export enum ResponseChannel {
  App = 'app',
  Pwa = 'pwa',
  Link = 'link',
  Receiver = 'receiver',
  Phone = 'phone',
  Visit = 'visit',
  /** Checked in at a shelter (QR code in the app, or staff at the desk): safe, at that shelter. */
  Shelter = 'shelter',
}

export enum SupporterRelation {
  Family = 'family',
  Neighbour = 'neighbour',
  WelfareCommissioner = 'welfare_commissioner',
  Staff = 'staff',
  Other = 'other',
}

export enum EscalationStep {
  Resend = 'resend',
  Supporter = 'supporter',
  StaffFollowUp = 'staff_follow_up',
}

export enum EscalationState {
  Pending = 'pending',
  Open = 'open',
  Done = 'done',
  Cancelled = 'cancelled',
}

export enum EscalationOutcome {
  Safe = 'safe',
  NeedsHelp = 'needs_help',
  NotHome = 'not_home',
}

export enum FeedSource {
  JmaPull = 'jma_pull',
  JAlert = 'jalert',
  Cap = 'cap',
}

export enum ParseStatus {
  Pending = 'pending',
  Parsed = 'parsed',
  Failed = 'failed',
  Duplicate = 'duplicate',
}

export enum EventStatus {
  Active = 'active',
  Cancelled = 'cancelled',
}

export enum ActorType {
  Operator = 'operator',
  Resident = 'resident',
  Receiver = 'receiver',
  System = 'system',
}

/** What a resident agreed to. `alerts` is needed to be reached at all; the others are opt-in. */
export enum ConsentScope {
  Alerts = 'alerts',
  Safety = 'safety',
  ShareWithSupporters = 'share_with_supporters',
}

/** Languages texts may be written in. `ja-easy` is やさしい日本語. */
export const LANGUAGES = [
  'ja',
  'ja-easy',
  'en',
  'zh-CN',
  'zh-TW',
  'ko',
  'vi',
  'pt',
  'ne',
  'tl',
  'id',
  'es',
  'th',
] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** Postgres CHECK lists are generated from these, so the schema and the code share one source. */
export function enumValues<T extends Record<string, string>>(e: T): string[] {
  return Object.values(e);
}

/**
 * Delivery statuses only move forward along this order (queued < waiting < sent < delivered < played < read); a
 * status outside it (failed, expired, cancelled, undeliverable) is final. Acks and reports from any channel follow
 * this rule.
 */
export const DELIVERY_FORWARD_ORDER: readonly DeliveryStatus[] = [
  DeliveryStatus.Queued,
  DeliveryStatus.Waiting,
  DeliveryStatus.Sent,
  DeliveryStatus.Delivered,
  DeliveryStatus.Played,
  DeliveryStatus.Read,
];
