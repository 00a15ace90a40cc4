import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators';
import { BOARD_HEADERS, type BoardLanguage, evacuationBoardPage } from './evacuation-board.page';
import { EvacuationBoardDto } from './public-evacuation.dto';
import { PublicEvacuationUseCase } from './public-evacuation.use-case';

/**
 * Anyone: the evacuation orders in force and the open shelters of a municipality, as JSON and as a plain page for
 * any phone. Deliberately public; nothing about any person (counts only).
 */
@ApiTags('public')
@Controller('v1/public/municipalities/:code')
export class PublicEvacuationController {
  constructor(private readonly useCase: PublicEvacuationUseCase) {}

  @Get('evacuation')
  @Public()
  @Header('cache-control', 'public, max-age=30')
  @ApiOkResponse({ type: EvacuationBoardDto })
  board(@Param('code') code: string): Promise<EvacuationBoardDto> {
    return this.useCase.board(code);
  }

  @Get('evacuation.html')
  @Public()
  @ApiProduces('text/html')
  @ApiQuery({
    name: 'lang',
    required: false,
    enum: ['ja', 'en'],
    description: 'page language; Japanese by default',
  })
  @ApiOkResponse({ schema: { type: 'string' }, description: 'the board as a plain HTML page (no script)' })
  async page(
    @Param('code') code: string,
    @Query('lang') lang: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const board = await this.useCase.board(code);
    // set here, not by decorator: an error keeps its JSON content type
    res.set(BOARD_HEADERS);
    const language: BoardLanguage = lang === 'en' ? 'en' : 'ja';
    return evacuationBoardPage(board, language);
  }
}
