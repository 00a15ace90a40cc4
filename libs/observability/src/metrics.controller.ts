import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from './public.decorator';
import { MetricsService } from './metrics.service';

/** The part of the response this controller touches; keeps the library free of Express types. */
interface ContentTypedResponse {
  setHeader(name: string, value: string): unknown;
}

@ApiTags('ops')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4.', schema: { type: 'string' } })
  async scrape(@Res({ passthrough: true }) res: ContentTypedResponse): Promise<string> {
    const { contentType, body } = await this.metrics.exposition();
    res.setHeader('Content-Type', contentType);
    return body;
  }
}
