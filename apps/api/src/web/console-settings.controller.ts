import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { Role } from '@bousai/domain';
import { Roles } from '../auth/access.decorators';

export class MapTilesDto {
  @ApiProperty({
    description: "Leaflet URL template of the map's background tiles ({s}, {z}, {x}, {y}, {r})",
    example: 'https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png',
  })
  urlTemplate: string;
  @ApiProperty({
    description: "the tiles' source, shown under the map as plain text",
    example: '地理院タイル',
  })
  attribution: string;
}

export class ConsoleSettingsDto {
  @ApiProperty({
    type: MapTilesDto,
    nullable: true,
    description:
      'null: no tile source is configured; the district map draws its polygons on a plain background',
  })
  mapTiles: MapTilesDto | null;
}

/** What the operator console takes from the api's configuration (not per municipality): its map's tile source. */
@ApiTags('console')
@Controller('v1/console/settings')
export class ConsoleSettingsController {
  constructor(@Inject(APP_CONFIG) private readonly config: ApiConfig) {}

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: ConsoleSettingsDto })
  settings(): ConsoleSettingsDto {
    const { CONSOLE_MAP_TILES_URL: urlTemplate, CONSOLE_MAP_TILES_ATTRIBUTION: attribution } = this.config;
    return { mapTiles: urlTemplate && attribution ? { urlTemplate, attribution } : null };
  }
}
