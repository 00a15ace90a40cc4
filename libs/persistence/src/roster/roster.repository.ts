import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Channel, NotFoundError } from '@bousai/domain';
import {
  AreaEntity,
  EndpointEntity,
  HouseholdEntity,
  MunicipalityEntity,
  ResidentEntity,
  SupporterEntity,
} from '../entities';
import { returnedRows, translatePgError } from '../sql/pg-errors';
import { ScopedCrud } from '../sql/scoped-crud';

/** The municipality's roster: districts, households, residents, supporters and their endpoints. */
@Injectable()
export class RosterRepository {
  readonly areas: ScopedCrud<AreaEntity>;
  readonly households: ScopedCrud<HouseholdEntity>;
  readonly residents: ScopedCrud<ResidentEntity>;
  readonly supporters: ScopedCrud<SupporterEntity>;
  readonly endpoints: ScopedCrud<EndpointEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.areas = new ScopedCrud(dataSource.getRepository(AreaEntity), 'area');
    this.households = new ScopedCrud(dataSource.getRepository(HouseholdEntity), 'household');
    this.residents = new ScopedCrud(dataSource.getRepository(ResidentEntity), 'resident');
    this.supporters = new ScopedCrud(dataSource.getRepository(SupporterEntity), 'supporter');
    this.endpoints = new ScopedCrud(dataSource.getRepository(EndpointEntity), 'endpoint');
  }

  async municipality(id: string): Promise<MunicipalityEntity> {
    const row = await this.dataSource
      .getRepository(MunicipalityEntity)
      .findOneBy({ id })
      .catch(translatePgError);
    if (!row) throw new NotFoundError('municipality', id);
    return row;
  }

  async updateMunicipality(id: string, patch: Partial<MunicipalityEntity>): Promise<MunicipalityEntity> {
    const row = await this.municipality(id);
    const { id: _id, code: _code, ...rest } = patch;
    Object.assign(row, rest);
    return this.dataSource.getRepository(MunicipalityEntity).save(row).catch(translatePgError);
  }

  /**
   * Marks a resident's email endpoint confirmed (the address proved it can read our mail). Resolves to false when
   * there is no such endpoint of that resident; confirming twice keeps the first time.
   */
  async confirmEmailEndpoint(residentId: string, endpointId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown>(
      `UPDATE endpoint SET confirmed_at = COALESCE(confirmed_at, now()), updated_at = now()
        WHERE id = $1 AND resident_id = $2 AND channel = $3 RETURNING id`,
      [endpointId, residentId, Channel.Email],
    );
    return returnedRows(rows).length > 0;
  }

  /** The language a resident chose (or the import set), for the pages their one-tap links open; null if gone. */
  async residentLanguage(residentId: string): Promise<string | null> {
    const row = await this.dataSource
      .getRepository(ResidentEntity)
      .findOne({ where: { id: residentId }, select: { id: true, language: true } })
      .catch(translatePgError);
    return row?.language ?? null;
  }

  /** Endpoint by (channel, address), whoever owns it: registration must not steal another resident's token. */
  findEndpointByAddress(channel: Channel, address: string): Promise<EndpointEntity | null> {
    return this.dataSource.getRepository(EndpointEntity).findOneBy({ channel, address });
  }
}
