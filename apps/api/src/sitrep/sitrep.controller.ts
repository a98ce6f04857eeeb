import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LIVE_WORLD } from '@cad/domain';
import { ClientAddress } from '../auth/audit.service';
import { Allow, CurrentUser, DISPATCHERS, Principal, Public } from '../auth/principal';
import { uuidParam } from '../common/validation';
import { BriefingsService } from './briefings.service';
import { DamageReportsService } from './damage-reports.service';
import { CreateDamageReportDto } from './dto/damage-report.dto';
import { BriefingsQueryDto, DamageHistoryQueryDto, SitrepQueryDto } from './dto/sitrep-query.dto';
import { SITREP_CHARTS_JS, sitrepHtml } from './sitrep-html';
import { SituationReport, SitrepService } from './sitrep.service';

let chartJs: string | null = null;

/**
 * Situation reports (JSON and printable HTML), damage reports and daily briefings, each scoped to the
 * reader's jurisdiction: a district sees its streets, never another district's numbers.
 */
@Controller('sitrep')
export class SitrepController {
  constructor(
    private readonly sitrep: SitrepService,
    private readonly damage: DamageReportsService,
    private readonly briefings: BriefingsService,
  ) {}

  /** `GET /api/sitrep?jurisdictionId&from&to&world`: the situation report as JSON (EDXL-SitRep-like fields). */
  @Get()
  report(@CurrentUser() p: Principal, @Query() q: SitrepQueryDto): Promise<SituationReport> {
    return this.sitrep.forReader(p, q);
  }

  /** `GET /api/sitrep/html`: the same as a printable page with charts. */
  @Get('html')
  @Header('content-type', 'text/html; charset=utf-8')
  async html(@CurrentUser() p: Principal, @Query() q: SitrepQueryDto): Promise<string> {
    return sitrepHtml(await this.sitrep.forReader(p, q));
  }

  /** `GET /api/sitrep/assets/<file>`: Chart.js (the package's UMD build) and the page's chart script. */
  @Get('assets/:file')
  @Public()
  asset(@Param('file') file: string, @Res() res: Response): void {
    res.setHeader('cache-control', 'public, max-age=3600');
    if (file === 'chart.umd.js') {
      chartJs ??= readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
      res.type('application/javascript').send(chartJs);
    } else if (file === 'sitrep-charts.js') res.type('application/javascript').send(SITREP_CHARTS_JS);
    else res.status(404).json({ statusCode: 404, code: 'NOT_FOUND', message: `file: no asset ${file.slice(0, 60)}` });
  }

  /** `POST /api/sitrep/damage-reports`: a field report (the next version of its subject); `201` with the version and the road closures it offers. */
  @Post('damage-reports')
  @Allow(...DISPATCHERS, 'responder')
  file(@CurrentUser() p: Principal, @Body() dto: CreateDamageReportDto, @ClientAddress() source: string | null) {
    return this.damage.file(p, dto, source);
  }

  /** `GET /api/sitrep/damage-reports?incidentId|streetId`: every version, newest first. */
  @Get('damage-reports')
  history(@CurrentUser() p: Principal, @Query() q: DamageHistoryQueryDto) {
    return this.damage.history(p, q);
  }

  /** `GET /api/sitrep/briefings?world`: the kept daily briefings in the reader's post, newest first. */
  @Get('briefings')
  listBriefings(@CurrentUser() p: Principal, @Query() q: BriefingsQueryDto) {
    return this.briefings.list(p, q.world ?? LIVE_WORLD);
  }

  /** `GET /api/sitrep/briefings/:id`: one briefing with its report. */
  @Get('briefings/:id')
  oneBriefing(@CurrentUser() p: Principal, @Param('id', uuidParam('a briefing id')) id: string) {
    return this.briefings.one(p, id);
  }

  /** `GET /api/sitrep/briefings/:id/html`: one briefing as a printable page. */
  @Get('briefings/:id/html')
  @Header('content-type', 'text/html; charset=utf-8')
  async briefingHtml(@CurrentUser() p: Principal, @Param('id', uuidParam('a briefing id')) id: string): Promise<string> {
    return sitrepHtml((await this.briefings.one(p, id)).report as unknown as SituationReport);
  }

  /** `POST /api/sitrep/briefings/run`: produce the briefings due now in a world (what the worker does every 20 s); `200` with those made. */
  @Post('briefings/run')
  @Allow('city_commander', 'system')
  @HttpCode(200)
  run(@Body() q: BriefingsQueryDto) {
    return this.briefings.runNow(q.world ?? LIVE_WORLD);
  }
}
