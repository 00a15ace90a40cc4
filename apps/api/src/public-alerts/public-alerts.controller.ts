import { Controller, Get, Header, Inject, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import {
  buildCapAlert,
  buildCapAtomFeed,
  CAP_CONTENT_TYPE,
  type CapGeocode,
  type CapMsgType,
  type CapOutReference,
} from '@bousai/feeds';
import type { PublicAlert } from '@bousai/persistence';
import { Public } from '../auth/access.decorators';
import { publicBaseUrl } from '../public-base-url';
import { PublicAlertsUseCase } from './public-alerts.use-case';

const CODE_SYSTEMS: Record<keyof PublicAlert['codes'], string> = {
  city: 'JMA-CITY',
  quake: 'JMA-QUAKE-AREA',
  tsunami: 'JMA-TSUNAMI-AREA',
  eew: 'JMA-EEW-AREA',
  other: 'JMA',
};

/**
 * CAP 1.2 out, deliberately public: an Atom feed per municipality of the alerts it sent to places (real ones and,
 * on their own feed, drills with status `Exercise`), and each alert as a CAP document — corrections as `Update`,
 * cancellation notices as `Cancel`, both referencing what they replace.
 */
@ApiTags('public')
@Controller('v1/public')
export class PublicAlertsController {
  constructor(
    private readonly publicAlerts: PublicAlertsUseCase,
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get('municipalities/:code/cap.atom')
  @Public()
  @Header('cache-control', 'public, max-age=30')
  @ApiProduces('application/atom+xml')
  @ApiQuery({ name: 'drills', required: false, description: 'true: the drills feed (CAP status Exercise)' })
  @ApiOkResponse({ schema: { type: 'string' }, description: 'Atom feed of CAP 1.2 alerts, newest first' })
  async feed(
    @Param('code') code: string,
    @Query('drills') drills: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const exercise = drills === 'true';
    const { name, alerts } = await this.publicAlerts.feed(code, exercise);
    const base = publicBaseUrl(this.config, req);
    // set here, not by decorator: an error keeps its JSON content type
    res.type('application/atom+xml; charset=utf-8');
    return buildCapAtomFeed({
      id: `${base}/v1/public/municipalities/${code}/cap.atom${exercise ? '?drills=true' : ''}`,
      title: `${name} ${exercise ? '訓練' : '防災'}情報 (CAP)`,
      selfUrl: `${base}/v1/public/municipalities/${code}/cap.atom${exercise ? '?drills=true' : ''}`,
      updated: alerts[0]?.dispatchedAt ?? new Date(0),
      author: name,
      entries: alerts.map((a) => ({
        identifier: identifier(a.id),
        title: a.texts.ja?.title ?? Object.values(a.texts)[0]?.title ?? '',
        updated: a.dispatchedAt,
        capUrl: `${base}/v1/public/alerts/${a.id}/cap`,
        summary: a.texts.ja?.body ?? Object.values(a.texts)[0]?.body ?? '',
      })),
    });
  }

  @Get('alerts/:id/cap')
  @Public()
  @Header('cache-control', 'public, max-age=30')
  @ApiProduces(CAP_CONTENT_TYPE)
  @ApiOkResponse({ schema: { type: 'string' }, description: 'the alert as a CAP 1.2 document' })
  async cap(
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    // a cancellation notice concerns the places of the alert it withdraws
    const { alert, places } = await this.publicAlerts.alert(id);
    res.type(`${CAP_CONTENT_TYPE}; charset=utf-8`);
    const { msgType, references } = messageOf(alert);
    const geocodes: CapGeocode[] = [];
    for (const [system, codes] of Object.entries(places.codes) as [keyof PublicAlert['codes'], string[]][]) {
      for (const value of codes) geocodes.push({ valueName: CODE_SYSTEMS[system], value });
    }
    return buildCapAlert({
      identifier: identifier(alert.id),
      sender: `bousai.${alert.municipalityCode}`,
      senderName: alert.municipalityName,
      sent: alert.dispatchedAt,
      status: alert.isDrill ? 'Exercise' : 'Actual',
      msgType,
      references,
      allClear: alert.evacuation?.kind === 'lift',
      severity: alert.severity,
      texts: alert.texts,
      expires: alert.expiresAt,
      areaDesc:
        places.areaNames.length > 0
          ? `${alert.municipalityName} ${places.areaNames.join('、')}`
          : alert.municipalityName,
      geocodes,
    });
  }
}

/**
 * What the CAP message is: a correction updates, a cancellation notice cancels, what it replaces. An evacuation
 * order's step (docs/evacuation.md) is part of the order's thread: its issue an `Alert`; raise, lower, extend,
 * shrink and lift `Update`s (the lift with responseType AllClear); a retraction a `Cancel` — each referencing the
 * order's earlier messages.
 */
function messageOf(alert: PublicAlert): { msgType: CapMsgType; references: CapOutReference[] } {
  const ref = (r: { id: string; dispatchedAt: Date }): CapOutReference => ({
    identifier: identifier(r.id),
    sent: r.dispatchedAt,
  });
  if (alert.evacuation) {
    const { kind, earlier } = alert.evacuation;
    const msgType: CapMsgType = kind === 'retract' ? 'Cancel' : kind === 'issue' ? 'Alert' : 'Update';
    return { msgType, references: earlier.map(ref) };
  }
  const referenced = alert.cancels ?? alert.supersedes;
  return {
    msgType: alert.cancels ? 'Cancel' : alert.supersedes ? 'Update' : 'Alert',
    references: referenced ? [ref(referenced)] : [],
  };
}

function identifier(alertId: string): string {
  return `bousai-${alertId}`;
}
