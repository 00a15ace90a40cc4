import { Injectable } from '@nestjs/common';
import {
  EVACUATION_LEVEL_NAMES_EN,
  EVACUATION_LEVEL_NAMES_JA,
  HAZARD_NAMES_EN,
  HAZARD_NAMES_JA,
  NotFoundError,
  OrderStatus,
  ShelterStatus,
} from '@bousai/domain';
import { EvacuationOrderRepository, ShelterRepository } from '@bousai/persistence';
import { publicShelterView } from '../shelters/shelter-views';
import type { BoardOrderDto, EvacuationBoardDto } from './public-evacuation.dto';

/**
 * The public evacuation board of a municipality: the orders in force (per order, the districts and how many
 * households and people live there) and the open shelters. Nothing about any person.
 */
@Injectable()
export class PublicEvacuationUseCase {
  constructor(
    private readonly orders: EvacuationOrderRepository,
    private readonly shelters: ShelterRepository,
  ) {}

  async board(code: string): Promise<EvacuationBoardDto> {
    const municipality = /^\d{6}$/.test(code) ? await this.shelters.municipalityByCode(code) : undefined;
    if (!municipality) throw new NotFoundError('municipality', code);
    const at = new Date();
    const [issued, inForce, open] = await Promise.all([
      this.orders.listByStatus(municipality.id, OrderStatus.Issued),
      this.orders.inForceByDistrict(municipality.id),
      this.shelters.list(municipality.id, { status: ShelterStatus.Open }),
    ]);
    // the areas each order covers (a municipality-wide order: every area), as the in-force view has them
    const areasOf = new Map<string, string[]>();
    for (const district of inForce) {
      for (const o of district.orders)
        areasOf.set(o.orderId, [...(areasOf.get(o.orderId) ?? []), district.areaId]);
    }
    const counts = new Map(
      (
        await this.orders.counts(
          municipality.id,
          inForce.map((d) => d.areaId),
        )
      ).map((c) => [c.areaId, c]),
    );
    const orders: BoardOrderDto[] = issued.map((o) => {
      const areas = areasOf.get(o.id) ?? [];
      const level = o.level;
      return {
        id: o.id,
        level,
        levelName: EVACUATION_LEVEL_NAMES_JA[level],
        levelNameEn: EVACUATION_LEVEL_NAMES_EN[level],
        hazard: o.hazard,
        hazardName: HAZARD_NAMES_JA[o.hazard],
        hazardNameEn: HAZARD_NAMES_EN[o.hazard],
        wholeMunicipality: o.wholeMunicipality,
        districts: o.districts.map((d) => ({ code: d.code, name: d.name })),
        issuedAt: o.issuedAt,
        households: areas.reduce((n, a) => n + (counts.get(a)?.households ?? 0), 0),
        people: areas.reduce((n, a) => n + (counts.get(a)?.people ?? 0), 0),
      };
    });
    orders.sort((a, b) => b.level - a.level || (b.issuedAt?.getTime() ?? 0) - (a.issuedAt?.getTime() ?? 0));
    return {
      municipality: { code, name: municipality.name },
      orders,
      shelters: open.map(publicShelterView),
      at,
    };
  }
}
