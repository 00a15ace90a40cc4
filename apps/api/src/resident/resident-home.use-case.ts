import { Injectable } from '@nestjs/common';
import { NotFoundError, renderAlertText, ValidationError } from '@bousai/domain';
import { type ResidentAreaChoice, ResidentHomeRepository, type ResidentProfile } from '@bousai/persistence';
import type { ResidentCaller } from '../auth/principal';
import type { ResidentAlertDto } from './resident.dto';

/** How many alerts the residents' app lists: the recent history, not an archive. */
const ALERT_HISTORY = 30;

/** What the residents' app shows its holder: who they are to the office, and the alerts sent to them. */
@Injectable()
export class ResidentHomeUseCase {
  constructor(private readonly home: ResidentHomeRepository) {}

  async profile(me: ResidentCaller): Promise<ResidentProfile> {
    const profile = await this.home.profile(me.municipalityId, me.residentId);
    if (!profile) throw new NotFoundError('resident', me.residentId);
    return profile;
  }

  areas(me: ResidentCaller): Promise<ResidentAreaChoice[]> {
    return this.home.areas(me.municipalityId);
  }

  /**
   * The resident's own settings: the language of their alerts (one owner: `resident.language`, which the fanout
   * renders their deliveries in) and districts besides their home one, which must be their municipality's.
   */
  async updateSettings(
    me: ResidentCaller,
    settings: { language?: string; extraAreaIds?: string[] },
  ): Promise<ResidentProfile> {
    if (settings.extraAreaIds) {
      const known = new Set((await this.home.areas(me.municipalityId)).map((a) => a.id));
      const unknown = settings.extraAreaIds.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw new ValidationError('extraAreaIds must be districts of your municipality', {
          field: 'extraAreaIds',
          unknown,
        });
      }
    }
    const extraAreaIds = settings.extraAreaIds && [...new Set(settings.extraAreaIds)];
    await this.home.updateSettings(me.municipalityId, me.residentId, { ...settings, extraAreaIds });
    return this.profile(me);
  }

  /** The alerts that reached the resident, newest first, each in `lang` (default: the resident's language). */
  async alerts(me: ResidentCaller, lang: string | undefined): Promise<ResidentAlertDto[]> {
    const language = lang ?? (await this.profile(me)).language;
    const rows = await this.home.alerts(me.municipalityId, me.residentId, ALERT_HISTORY);
    return rows.map(({ texts, ...row }) => {
      const text = renderAlertText(texts, language, { isDrill: row.isDrill });
      return { ...row, title: text.title, body: text.body, language: text.language };
    });
  }
}
