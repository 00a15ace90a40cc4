import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  Channel,
  EndpointStatus,
  escalationTimings,
  hashDeviceSecret,
  newSecret,
  NotFoundError,
  parseChannelFallbackSettings,
  parseEvacuationDraftSettings,
  parsePublicPostSettings,
  sha256,
} from '@bousai/domain';
import {
  type AreaEntity,
  type EndpointEntity,
  type Filter,
  type HouseholdEntity,
  type MunicipalityEntity,
  type Page,
  type PageRequest,
  type ResidentEntity,
  ResidentAuthRepository,
  RosterRepository,
  type SupporterEntity,
} from '@bousai/persistence';
import { newEnrolmentCode, normaliseEnrolmentCode } from './enrolment-code';

const ENROLMENT_TTL_MS = 30 * 86_400_000;

/**
 * A request DTO declares every field, so the ones a client left out are present as undefined: merged into a
 * loaded row they would blank it in the answer (the database keeps them, `save` skips undefined).
 */
function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface EndpointPatch {
  status?: EndpointStatus;
  deadReason?: string;
  label?: string;
}

/**
 * The municipal roster: the municipality, its districts, households, residents, their supporters and endpoints,
 * and the credentials operators hand out (receiver secrets, enrolment codes). Every read and write is scoped by
 * the municipality; a reference to another municipality's row is simply not found.
 */
@Injectable()
export class RosterUseCase {
  constructor(
    private readonly roster: RosterRepository,
    private readonly residentAuth: ResidentAuthRepository,
  ) {}

  municipality(id: string): Promise<MunicipalityEntity> {
    return this.roster.municipality(id);
  }

  updateMunicipality(id: string, patch: Partial<MunicipalityEntity>): Promise<MunicipalityEntity> {
    // settings the fan-out reads are checked here, where an admin can still correct them
    if (patch.settings) {
      parseChannelFallbackSettings(patch.settings.channelFallback);
      parsePublicPostSettings(patch.settings.publicPosts);
      parseEvacuationDraftSettings(patch.settings.evacuationDrafts);
      escalationTimings(patch.settings);
    }
    return this.roster.updateMunicipality(id, defined(patch));
  }

  readonly areas = {
    list: (mid: string, filter: Filter<AreaEntity>, page: PageRequest): Promise<Page<AreaEntity>> =>
      this.roster.areas.list(mid, filter, page),
    get: (mid: string, id: string): Promise<AreaEntity> => this.roster.areas.get(mid, id),
    create: (mid: string, data: Partial<AreaEntity>): Promise<AreaEntity> =>
      this.roster.areas.create(mid, data),
    update: (mid: string, id: string, patch: Partial<AreaEntity>): Promise<AreaEntity> =>
      this.roster.areas.update(mid, id, defined(patch)),
    remove: (mid: string, id: string): Promise<void> => this.roster.areas.remove(mid, id),
  };

  readonly households = {
    list: (mid: string, filter: Filter<HouseholdEntity>, page: PageRequest): Promise<Page<HouseholdEntity>> =>
      this.roster.households.list(mid, filter, page),
    get: (mid: string, id: string): Promise<HouseholdEntity> => this.roster.households.get(mid, id),
    create: async (mid: string, data: Partial<HouseholdEntity>): Promise<HouseholdEntity> => {
      if (data.areaId) await this.roster.areas.get(mid, data.areaId);
      return this.roster.households.create(mid, data);
    },
    update: async (mid: string, id: string, patch: Partial<HouseholdEntity>): Promise<HouseholdEntity> => {
      if (patch.areaId) await this.roster.areas.get(mid, patch.areaId);
      return this.roster.households.update(mid, id, defined(patch));
    },
    remove: (mid: string, id: string): Promise<void> => this.roster.households.remove(mid, id),
  };

  readonly residents = {
    list: (mid: string, filter: Filter<ResidentEntity>, page: PageRequest): Promise<Page<ResidentEntity>> =>
      this.roster.residents.list(mid, filter, page),
    get: (mid: string, id: string): Promise<ResidentEntity> => this.roster.residents.get(mid, id),
    create: async (mid: string, data: Partial<ResidentEntity>): Promise<ResidentEntity> => {
      if (data.householdId) await this.roster.households.get(mid, data.householdId);
      return this.roster.residents.create(mid, {
        ...data,
        consentAt: data.consentScopes ? new Date() : null,
      });
    },
    update: async (mid: string, id: string, patch: Partial<ResidentEntity>): Promise<ResidentEntity> => {
      if (patch.householdId) await this.roster.households.get(mid, patch.householdId);
      return this.roster.residents.update(mid, id, {
        ...defined(patch),
        ...(patch.consentScopes ? { consentAt: new Date() } : {}),
      });
    },
    remove: (mid: string, id: string): Promise<void> => this.roster.residents.remove(mid, id),
  };

  readonly supporters = {
    /** A resident's supporters in the order the escalation ladder tries them. */
    of: async (mid: string, residentId: string): Promise<SupporterEntity[]> => {
      await this.roster.residents.get(mid, residentId);
      const page = await this.roster.supporters.list(mid, { residentId }, { limit: 100 });
      return page.items.sort((a, b) => a.priority - b.priority);
    },
    create: async (
      mid: string,
      residentId: string,
      data: Partial<SupporterEntity>,
    ): Promise<SupporterEntity> => {
      await this.roster.residents.get(mid, residentId);
      if (data.supporterResidentId) await this.roster.residents.get(mid, data.supporterResidentId);
      return this.roster.supporters.create(mid, { ...data, residentId });
    },
    update: async (
      mid: string,
      residentId: string,
      id: string,
      patch: Partial<SupporterEntity>,
    ): Promise<SupporterEntity> => {
      await this.supporterOf(mid, residentId, id);
      if (patch.supporterResidentId) await this.roster.residents.get(mid, patch.supporterResidentId);
      return this.roster.supporters.update(mid, id, defined(patch));
    },
    remove: async (mid: string, residentId: string, id: string): Promise<void> => {
      await this.supporterOf(mid, residentId, id);
      await this.roster.supporters.remove(mid, id);
    },
  };

  readonly endpoints = {
    list: (mid: string, filter: Filter<EndpointEntity>, page: PageRequest): Promise<Page<EndpointEntity>> =>
      this.roster.endpoints.list(mid, filter, page),
    get: (mid: string, id: string): Promise<EndpointEntity> => this.roster.endpoints.get(mid, id),
    update: (mid: string, id: string, body: EndpointPatch): Promise<EndpointEntity> => {
      const patch: Partial<EndpointEntity> = defined(body);
      if (body.status === EndpointStatus.Dead) {
        patch.deadAt = new Date();
        patch.deadReason = body.deadReason ?? 'marked dead by an operator';
      } else if (body.status === EndpointStatus.Active) {
        patch.deadAt = null;
        patch.deadReason = null;
      }
      return this.roster.endpoints.update(mid, id, patch);
    },
    remove: (mid: string, id: string): Promise<void> => this.roster.endpoints.remove(mid, id),
  };

  /** A household receiver (専用戸別受信機): its secret is returned once and stored as an argon2id hash. */
  async provisionReceiver(
    mid: string,
    input: { householdId: string; serial?: string; label?: string },
  ): Promise<{ id: string; serial: string; secret: string }> {
    await this.roster.households.get(mid, input.householdId);
    const serial = input.serial ?? `RX-${randomBytes(5).toString('hex').toUpperCase()}`;
    const secret = newSecret('rxs', 24);
    const endpoint = await this.roster.endpoints.create(mid, {
      householdId: input.householdId,
      channel: Channel.Receiver,
      address: serial,
      secretHash: hashDeviceSecret(secret),
      status: EndpointStatus.Active,
      label: input.label ?? null,
    });
    return { id: endpoint.id, serial, secret };
  }

  async rotateReceiverSecret(
    mid: string,
    id: string,
  ): Promise<{ id: string; serial: string; secret: string }> {
    const endpoint = await this.roster.endpoints.get(mid, id);
    if (endpoint.channel !== Channel.Receiver) throw new NotFoundError('receiver', id);
    const secret = newSecret('rxs', 24);
    await this.roster.endpoints.update(mid, id, { secretHash: hashDeviceSecret(secret) });
    return { id, serial: endpoint.address, secret };
  }

  /** A one-time code the resident types into the app to register their own devices; only its hash is kept. */
  async enrolmentCode(
    mid: string,
    residentId: string,
  ): Promise<{ id: string; code: string; expiresAt: Date }> {
    await this.roster.residents.get(mid, residentId);
    const code = newEnrolmentCode();
    const expiresAt = new Date(Date.now() + ENROLMENT_TTL_MS);
    const row = await this.residentAuth.createEnrolmentCode(
      residentId,
      mid,
      sha256(normaliseEnrolmentCode(code)),
      expiresAt,
    );
    return { id: row.id, code, expiresAt };
  }

  private async supporterOf(mid: string, residentId: string, id: string): Promise<SupporterEntity> {
    const s = await this.roster.supporters.get(mid, id);
    if (s.residentId !== residentId) throw new NotFoundError('supporter', id);
    return s;
  }
}
