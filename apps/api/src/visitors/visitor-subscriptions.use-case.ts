import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import {
  DomainError,
  ErrorCode,
  hashDeviceSecret,
  newSecret,
  NotFoundError,
  type OutboundAddressPolicy,
  parseWebPushSubscription,
  ValidationError,
  verifyDeviceSecret,
} from '@bousai/domain';
import {
  AudienceRepository,
  type PublicDistrict,
  ShelterRepository,
  type VisitorSubscription,
  VisitorSubscriptionRepository,
} from '@bousai/persistence';
import { pushEndpointPolicy } from '../resident/push-endpoint-policy';
import type {
  VisitorChangeDto,
  VisitorSubscribeDto,
  VisitorSubscriptionCreatedDto,
  VisitorSubscriptionDto,
} from './visitors.dto';

function view(s: VisitorSubscription): VisitorSubscriptionDto {
  return {
    id: s.id,
    districts: s.areaIds,
    language: s.language,
    status: s.status,
    createdAt: s.createdAt,
  };
}

/**
 * Visitors and family elsewhere subscribe a browser, without enrolment, to the public alerts of the districts
 * they choose. Nothing personal is asked or kept; the holder proves ownership with the secret shown once.
 */
@Injectable()
export class VisitorSubscriptionsUseCase {
  private readonly pushEndpoints: OutboundAddressPolicy;

  constructor(
    private readonly visitors: VisitorSubscriptionRepository,
    private readonly audience: AudienceRepository,
    /** The public pages' lookup of a municipality by its code (one owner). */
    private readonly municipalities: ShelterRepository,
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
  ) {
    this.pushEndpoints = pushEndpointPolicy(config);
  }

  async districts(code: string): Promise<PublicDistrict[]> {
    return this.visitors.districts(await this.municipalityId(code));
  }

  async subscribe(code: string, body: VisitorSubscribeDto): Promise<VisitorSubscriptionCreatedDto> {
    const municipalityId = await this.municipalityId(code);
    const parsed = parseWebPushSubscription(body.subscription, { policy: this.pushEndpoints });
    const districts = await this.knownDistricts(municipalityId, body.districts);
    const secret = newSecret('vs');
    const result = await this.visitors.subscribe(
      municipalityId,
      {
        areaIds: districts,
        endpoint: parsed.address,
        keys: parsed.subscription?.keys ?? {},
        language: body.language,
        secretHash: hashDeviceSecret(secret),
      },
      this.config.VISITOR_SUBSCRIPTIONS_MAX,
    );
    if (result === 'capped') {
      throw new DomainError(
        ErrorCode.VisitorLimitReached,
        'This municipality takes no more visitor subscriptions at the moment',
      );
    }
    const saved = await this.visitors.get(municipalityId, result.id);
    if (!saved) throw new NotFoundError('visitor subscription', result.id);
    return { ...view(saved), secret };
  }

  async get(code: string, id: string, secret: string | undefined): Promise<VisitorSubscriptionDto> {
    const { subscription } = await this.held(code, id, secret);
    return view(subscription);
  }

  async change(
    code: string,
    id: string,
    secret: string | undefined,
    body: VisitorChangeDto,
  ): Promise<VisitorSubscriptionDto> {
    const { municipalityId } = await this.held(code, id, secret);
    const areaIds = body.districts ? await this.knownDistricts(municipalityId, body.districts) : undefined;
    const changed = await this.visitors.update(municipalityId, id, { areaIds, language: body.language });
    if (!changed) throw new NotFoundError('visitor subscription', id);
    return view(changed);
  }

  async remove(code: string, id: string, secret: string | undefined): Promise<void> {
    const { municipalityId } = await this.held(code, id, secret);
    await this.visitors.remove(municipalityId, id);
  }

  private async municipalityId(code: string): Promise<string> {
    const municipality = /^\d{6}$/.test(code)
      ? await this.municipalities.municipalityByCode(code)
      : undefined;
    if (!municipality) throw new NotFoundError('municipality', code);
    return municipality.id;
  }

  /** The subscription, once the secret is checked against its hash (in constant time). */
  private async held(
    code: string,
    id: string,
    secret: string | undefined,
  ): Promise<{ municipalityId: string; subscription: VisitorSubscription }> {
    const municipalityId = await this.municipalityId(code);
    const subscription = await this.visitors.get(municipalityId, id);
    if (!subscription) throw new NotFoundError('visitor subscription', id);
    if (!secret || !(await verifyDeviceSecret(subscription.secretHash, secret))) {
      throw new DomainError(ErrorCode.InvalidCredentials, 'The subscription secret is missing or wrong');
    }
    return { municipalityId, subscription };
  }

  /** The districts, distinct, each one of the municipality's; otherwise a 400 naming the unknown ones. */
  private async knownDistricts(municipalityId: string, districts: readonly string[]): Promise<string[]> {
    const distinct = [...new Set(districts.map((d) => d.toLowerCase()))];
    const unknown = await this.audience.unknownTargets(municipalityId, {
      areaIds: distinct,
      householdIds: [],
      jmaCodes: [],
    });
    if (unknown.areaIds.length > 0) {
      throw new ValidationError('Unknown districts for this municipality', {
        field: 'districts',
        unknown: unknown.areaIds,
      });
    }
    return distinct;
  }
}
