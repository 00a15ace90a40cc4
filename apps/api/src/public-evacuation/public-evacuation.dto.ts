import { ApiProperty } from '@nestjs/swagger';
import { EVACUATION_LEVELS, Hazard } from '@bousai/domain';
import { PublicShelterDto } from '../shelters/shelters.dto';

export class BoardMunicipalityDto {
  @ApiProperty({ example: '322067', description: '全国地方公共団体コード' }) code: string;
  @ApiProperty({ example: '安来市' }) name: string;
}

export class BoardDistrictDto {
  @ApiProperty({ example: '07' }) code: string;
  @ApiProperty({ example: '荒島' }) name: string;
}

/** An evacuation order in force, as the public may see it: where, what, since when, how many people. */
export class BoardOrderDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: EVACUATION_LEVELS, example: 4, description: '警戒レベル' }) level: number;
  @ApiProperty({ example: '避難指示' }) levelName: string;
  @ApiProperty({ example: 'Evacuation instruction' }) levelNameEn: string;
  @ApiProperty({ enum: Hazard }) hazard: Hazard;
  @ApiProperty({ example: '洪水' }) hazardName: string;
  @ApiProperty({ example: 'Flood' }) hazardNameEn: string;
  @ApiProperty({ description: 'the whole municipality (全域); `districts` is then empty' })
  wholeMunicipality: boolean;
  @ApiProperty({ type: [BoardDistrictDto] }) districts: BoardDistrictDto[];
  @ApiProperty({ type: Date, nullable: true }) issuedAt: Date | null;
  @ApiProperty({ description: 'households the roster has in the districts covered' }) households: number;
  @ApiProperty({ description: 'people the roster has in the districts covered' }) people: number;
}

export class EvacuationBoardDto {
  @ApiProperty({ type: BoardMunicipalityDto }) municipality: BoardMunicipalityDto;
  @ApiProperty({ type: [BoardOrderDto], description: 'orders in force, highest level first, newest first' })
  orders: BoardOrderDto[];
  @ApiProperty({ type: [PublicShelterDto], description: 'open shelters only' }) shelters: PublicShelterDto[];
  @ApiProperty({ description: 'when this view was read' }) at: Date;
}
