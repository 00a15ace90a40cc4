import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Channel, ConsentScope, EndpointStatus, LANGUAGES, SupporterRelation } from '@bousai/domain';
import type {
  AreaEntity,
  EndpointEntity,
  HouseholdEntity,
  MunicipalityEntity,
  Page,
  ResidentEntity,
  SupporterEntity,
} from '@bousai/persistence';

/*
 * What the roster api answers: each view lists its fields one by one, so a column added to a table is not
 * published (nor personal data exposed) until a view names it.
 */

const NEXT_CURSOR = { description: 'pass back as `cursor` for the next page; absent on the last page' };
const JSON_OBJECT = { type: 'object', additionalProperties: true } as const;

export class MunicipalityView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '322067', description: '全国地方公共団体コード' }) code: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) nameKana: string | null;
  @ApiProperty({ type: [String] }) jmaCityCodes: string[];
  @ApiProperty({ type: [String] }) jmaQuakeAreaCodes: string[];
  @ApiProperty({ type: [String] }) jmaTsunamiAreaCodes: string[];
  @ApiProperty({ type: [String] }) jmaEewAreaCodes: string[];
  @ApiProperty({ ...JSON_OBJECT, description: 'escalation timings, channel fallback, public posts…' })
  settings: Record<string, unknown>;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static of(e: MunicipalityEntity): MunicipalityView {
    return {
      id: e.id,
      code: e.code,
      name: e.name,
      nameKana: e.nameKana,
      jmaCityCodes: e.jmaCityCodes,
      jmaQuakeAreaCodes: e.jmaQuakeAreaCodes,
      jmaTsunamiAreaCodes: e.jmaTsunamiAreaCodes,
      jmaEewAreaCodes: e.jmaEewAreaCodes,
      settings: e.settings,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}

export class AreaView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) municipalityId: string;
  @ApiProperty({ example: '01' }) code: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) nameKana: string | null;
  @ApiProperty({ nullable: true, type: String }) jmaCityCode: string | null;
  @ApiProperty({ nullable: true, type: String }) jmaQuakeAreaCode: string | null;
  @ApiProperty({ nullable: true, type: String }) jmaTsunamiAreaCode: string | null;
  @ApiProperty({ nullable: true, type: String }) jmaEewAreaCode: string | null;
  @ApiProperty({ ...JSON_OBJECT, nullable: true, description: 'GeoJSON Polygon/MultiPolygon' })
  polygon: Record<string, unknown> | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static of(e: AreaEntity): AreaView {
    return {
      id: e.id,
      municipalityId: e.municipalityId,
      code: e.code,
      name: e.name,
      nameKana: e.nameKana,
      jmaCityCode: e.jmaCityCode,
      jmaQuakeAreaCode: e.jmaQuakeAreaCode,
      jmaTsunamiAreaCode: e.jmaTsunamiAreaCode,
      jmaEewAreaCode: e.jmaEewAreaCode,
      polygon: e.polygon,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}

export class HouseholdView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) municipalityId: string;
  @ApiProperty({ description: '世帯番号 in the municipal register' }) externalId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) areaId: string | null;
  @ApiProperty() address: string;
  @ApiProperty({ nullable: true, type: String }) postalCode: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: Number }) latitude: number | null;
  @ApiProperty({ nullable: true, type: Number }) longitude: number | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static of(e: HouseholdEntity): HouseholdView {
    return {
      id: e.id,
      municipalityId: e.municipalityId,
      externalId: e.externalId,
      areaId: e.areaId,
      address: e.address,
      postalCode: e.postalCode,
      phone: e.phone,
      latitude: e.latitude,
      longitude: e.longitude,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}

export class ResidentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) municipalityId: string;
  @ApiProperty({ description: '住民番号 in the municipal register' }) externalId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) householdId: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) nameKana: string | null;
  @ApiProperty({ enum: LANGUAGES }) language: string;
  @ApiProperty({ description: '要援護者' }) needsAssistance: boolean;
  @ApiProperty() staff: boolean;
  @ApiProperty({ enum: ConsentScope, isArray: true }) consentScopes: string[];
  @ApiProperty({ enum: Channel, isArray: true, nullable: true, description: 'null: the municipality order' })
  channelOrder: string[] | null;
  @ApiProperty({ nullable: true, type: Date }) consentAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static of(e: ResidentEntity): ResidentView {
    return {
      id: e.id,
      municipalityId: e.municipalityId,
      externalId: e.externalId,
      householdId: e.householdId,
      name: e.name,
      nameKana: e.nameKana,
      language: e.language,
      needsAssistance: e.needsAssistance,
      staff: e.staff,
      consentScopes: e.consentScopes,
      channelOrder: e.channelOrder,
      consentAt: e.consentAt,
      phone: e.phone,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}

export class SupporterView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) municipalityId: string;
  @ApiProperty({ format: 'uuid', description: 'the 要援護者 supported' }) residentId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) supporterResidentId: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SupporterRelation }) relation: string;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ description: 'tried in ascending order' }) priority: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static of(e: SupporterEntity): SupporterView {
    return {
      id: e.id,
      municipalityId: e.municipalityId,
      residentId: e.residentId,
      supporterResidentId: e.supporterResidentId,
      name: e.name,
      relation: e.relation,
      phone: e.phone,
      email: e.email,
      priority: e.priority,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}

/** What operators see of an endpoint: never the receiver secret hash. */
export class EndpointView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) municipalityId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) residentId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) householdId: string | null;
  @ApiProperty({ enum: Channel }) channel: string;
  @ApiProperty({
    description: 'FCM token, push endpoint URL, email address, LINE user id, or receiver serial',
  })
  address: string;
  @ApiProperty({ ...JSON_OBJECT, nullable: true, description: 'Web Push keys' })
  subscription: Record<string, unknown> | null;
  @ApiProperty({ enum: EndpointStatus }) status: string;
  @ApiProperty({ nullable: true, type: String }) deadReason: string | null;
  @ApiProperty({ nullable: true, type: Date }) deadAt: Date | null;
  @ApiProperty({ nullable: true, type: Date, description: 'last proof of life (ack, played, heartbeat)' })
  lastSeenAt: Date | null;
  @ApiProperty({ nullable: true, type: Date, description: 'email: when the address was confirmed' })
  confirmedAt: Date | null;
  @ApiProperty({ nullable: true, type: Number }) batteryPercent: number | null;
  @ApiProperty({ nullable: true, type: Number }) signalDbm: number | null;
  @ApiProperty({ nullable: true, type: String }) firmware: string | null;
  @ApiProperty({ nullable: true, type: String }) label: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static of(e: EndpointEntity): EndpointView {
    return {
      id: e.id,
      municipalityId: e.municipalityId,
      residentId: e.residentId,
      householdId: e.householdId,
      channel: e.channel,
      address: e.address,
      subscription: e.subscription,
      status: e.status,
      deadReason: e.deadReason,
      deadAt: e.deadAt,
      lastSeenAt: e.lastSeenAt,
      confirmedAt: e.confirmedAt,
      batteryPercent: e.batteryPercent,
      signalDbm: e.signalDbm,
      firmware: e.firmware,
      label: e.label,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}

function pageOf<E, V>(page: Page<E>, view: (e: E) => V): { items: V[]; nextCursor?: string } {
  return page.nextCursor === undefined
    ? { items: page.items.map(view) }
    : { items: page.items.map(view), nextCursor: page.nextCursor };
}

export class AreaPage {
  @ApiProperty({ type: [AreaView] }) items: AreaView[];
  @ApiPropertyOptional({ format: 'uuid', ...NEXT_CURSOR }) nextCursor?: string;
  static of = (page: Page<AreaEntity>): AreaPage => pageOf(page, (e) => AreaView.of(e));
}

export class HouseholdPage {
  @ApiProperty({ type: [HouseholdView] }) items: HouseholdView[];
  @ApiPropertyOptional({ format: 'uuid', ...NEXT_CURSOR }) nextCursor?: string;
  static of = (page: Page<HouseholdEntity>): HouseholdPage => pageOf(page, (e) => HouseholdView.of(e));
}

export class ResidentPage {
  @ApiProperty({ type: [ResidentView] }) items: ResidentView[];
  @ApiPropertyOptional({ format: 'uuid', ...NEXT_CURSOR }) nextCursor?: string;
  static of = (page: Page<ResidentEntity>): ResidentPage => pageOf(page, (e) => ResidentView.of(e));
}

export class EndpointPage {
  @ApiProperty({ type: [EndpointView] }) items: EndpointView[];
  @ApiPropertyOptional({ format: 'uuid', ...NEXT_CURSOR }) nextCursor?: string;
  static of = (page: Page<EndpointEntity>): EndpointPage => pageOf(page, (e) => EndpointView.of(e));
}
