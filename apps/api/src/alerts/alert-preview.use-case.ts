import { Injectable } from '@nestjs/common';
import { previewChannelText, type ChannelTextPreview } from '@bousai/channels';
import {
  type AlertProblem,
  AlertProblemCode,
  AlertSource,
  audienceOf,
  Channel,
  DomainError,
  ErrorCode,
  fallbackPolicy,
  type FallbackMode,
  PublicationTarget,
  publicationTargets,
  visitorAudience,
} from '@bousai/domain';
import {
  AlertRepository,
  type AudienceCounts,
  type AudienceGroupCounts,
  AudienceRepository,
  RosterRepository,
} from '@bousai/persistence';
import { FanoutPresence } from '@bousai/queue';
import type { OperatorPrincipal } from '../auth/principal';
import { AlertChecks } from './alert-checks.service';
import { AlertLifecycleUseCase, type DraftAlert } from './alert-lifecycle.use-case';
import type { CreateAlertDto } from './alerts.dto';

export interface ChannelPreview {
  channel: Channel;
  /** A running fanout sends on it; when false its deliveries are recorded as undeliverable. */
  served: boolean;
  audience: AudienceGroupCounts;
  /** What the channel sends a reader of each language the alert has. */
  texts: ChannelTextPreview[];
}

export interface AlertPreview {
  /** `parallel`: every channel of a resident at once; `ordered`: their first usable channel first. */
  mode: FallbackMode;
  /** Who the served channels reach, each person and household once. */
  audience: AudienceGroupCounts;
  /**
   * Visitor subscriptions (旅行者) the alert reaches by Web Push besides: public alerts of their districts only
   * (`visitorAudience`: never a group or household alert, never a drill, only when Web Push is served).
   */
  visitors: number;
  channels: ChannelPreview[];
  unservedChannels: Channel[];
  /** Public posts the alert goes out on (a LINE broadcast replaces the LINE multicast). */
  publications: PublicationTarget[];
  /** Errors refuse the alert at create and on the way to sending; warnings let it go out. */
  problems: AlertProblem[];
}

const EMPTY: AudienceCounts = {
  total: {
    everyone: { endpoints: 0, residents: 0, households: 0 },
    needs_assistance: { endpoints: 0, residents: 0, households: 0 },
    staff: { endpoints: 0, residents: 0, households: 0 },
  },
  byChannel: {},
};
const NO_ALERT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * What an alert would do if it were sent now: who it reaches per channel and group, which of its channels no
 * fanout sends on, each channel's text after rendering and limits, and every problem the checks find — for a
 * create request (nothing stored) or a stored alert. Audience counts use the planner's own definition of the
 * audience and mode, so the preview and the plan agree.
 */
@Injectable()
export class AlertPreviewUseCase {
  constructor(
    private readonly lifecycle: AlertLifecycleUseCase,
    private readonly checks: AlertChecks,
    private readonly alerts: AlertRepository,
    private readonly audience: AudienceRepository,
    private readonly roster: RosterRepository,
    private readonly presence: FanoutPresence,
  ) {}

  ofRequest(op: OperatorPrincipal, body: CreateAlertDto): Promise<AlertPreview> {
    return this.preview(this.lifecycle.compose(op, body), NO_ALERT_ID);
  }

  async ofAlert(op: OperatorPrincipal, alertId: string): Promise<AlertPreview> {
    const alert = await this.alerts.get(op.municipalityId, alertId);
    return this.preview(
      {
        municipalityId: alert.municipalityId,
        source: alert.source,
        templateKey: alert.templateKey,
        severity: alert.severity,
        targeting: alert.targeting,
        isDrill: alert.isDrill,
        safetyRequest: alert.safetyRequest,
        expiresAt: alert.expiresAt,
        texts: alert.texts,
        channels: alert.channels,
      },
      alert.id,
    );
  }

  private async preview(draft: DraftAlert, alertId: string): Promise<AlertPreview> {
    const { settings } = await this.roster.municipality(draft.municipalityId);
    const publications = publicationTargets(settings, {
      targetsEveryone: draft.targeting.all === true,
      isDrill: draft.isDrill,
    });
    // as the planner: a LINE broadcast reaches every friend of the account, so no multicast on top
    const wanted = [...new Set(draft.channels)].filter(
      (c) => !(c === Channel.Line && publications.includes(PublicationTarget.LineBroadcast)),
    );
    const served = await this.servedChannels();
    const sent = wanted.filter((c) => served.has(c));
    const unserved = wanted.filter((c) => !served.has(c));
    const policy = fallbackPolicy(settings, draft.severity);
    const ordered = policy.mode === 'ordered';
    const audience = audienceOf(draft.targeting);
    // under ordered fallback a resident counts on the first of `among` they can be reached on
    const count = (channels: Channel[], among: Channel[]) =>
      channels.length > 0
        ? this.audience.counts(
            draft.municipalityId,
            audience,
            channels,
            ordered ? { channels: among, order: policy.order } : undefined,
          )
        : Promise.resolve(EMPTY);
    const reached = await count(sent, sent);
    const lost = await count(unserved, wanted);
    // as the planner: visitors are planned on a served Web Push only, by the domain's rule and the planner's SQL
    const toVisitors = visitorAudience({
      targeting: draft.targeting,
      channels: sent,
      isDrill: draft.isDrill,
    });
    const visitors = toVisitors ? await this.audience.visitors(draft.municipalityId, toVisitors) : 0;

    const message = {
      alertId,
      severity: draft.severity,
      isDrill: draft.isDrill,
      safetyRequest: draft.safetyRequest,
      texts: draft.texts as Record<string, { title: string; body: string }>,
      expiresAt: draft.expiresAt?.getTime() ?? Date.now() + 3_600_000,
    };
    // a text that is not { title, body } is a problem below, not something to render
    const languages = Object.entries(draft.texts as Record<string, unknown>)
      .filter(([, t]) => {
        const text = t as { title?: unknown; body?: unknown } | null;
        return typeof text?.title === 'string' && typeof text.body === 'string';
      })
      .map(([language]) => language);
    const channels: ChannelPreview[] = wanted.map((channel) => ({
      channel,
      served: served.has(channel),
      audience: (served.has(channel) ? reached : lost).byChannel[channel] ?? EMPTY.total,
      texts: languages.map((language) => previewChannelText(channel, message, language)),
    }));

    // only an operator's alert is refused on the way out (see AlertLifecycleUseCase.recheck): for one the feed
    // rules made, the same findings are warnings
    const refuses = draft.source === AlertSource.Operator;
    const problems = (await this.checks.problems(draft)).map((p) =>
      refuses ? p : { ...p, severity: 'warning' as const },
    );
    for (const c of channels) {
      if (!c.served) {
        problems.push({
          code: AlertProblemCode.ChannelUnserved,
          severity: 'warning',
          channel: c.channel,
          message: `No running fanout sends on ${c.channel}: its ${c.audience.everyone.endpoints} deliveries would be recorded as undeliverable`,
        });
      }
      for (const t of c.texts) {
        if (!t.shortened || !t.limit) continue;
        problems.push({
          code: AlertProblemCode.TextShortened,
          severity: 'warning',
          channel: c.channel,
          language: t.language,
          limit: t.limit,
          message: `texts.${t.language} is shortened on ${c.channel} to fit its limit of ${t.limit.max} (${t.limit.unit}, ${t.limit.applies})`,
        });
      }
    }
    if (reached.total.everyone.endpoints === 0 && visitors === 0) {
      problems.push({
        code: AlertProblemCode.NobodyReached,
        severity: 'warning',
        message: 'No endpoint on a served channel is in this audience: the alert would reach nobody',
      });
    }
    return {
      mode: policy.mode,
      audience: reached.total,
      visitors,
      channels,
      unservedChannels: unserved,
      publications,
      problems,
    };
  }

  private async servedChannels(): Promise<Set<Channel>> {
    try {
      return await this.presence.servedChannels();
    } catch {
      throw new DomainError(
        ErrorCode.Unavailable,
        'Redis is unreachable: cannot tell which channels a running fanout sends on; try again',
      );
    }
  }
}
