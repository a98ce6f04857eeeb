import { BadRequestException, Body, Controller, Get, Header, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { AuditService, ClientAddress } from '../auth/audit.service';
import type { DrillReportView } from '@cad/contracts';
import { Allow, CurrentUser, Principal } from '../auth/principal';
import { DomainError } from '../common/errors';
import { DrillReportService } from './drill-report.service';
import { DrillService } from './drill.service';
import { PatchDrillDto, StartDrillDto } from './dto/drill.dto';
import { reportHtml, reportLocale } from './report';

/**
 * Drills: start, watch, pause, resume, change speed, stop, and the after-action report.
 * A run's id is its exercise id: `GET /api/incidents?drillId=<id>` lists its incidents. Starting and
 * controlling a drill moves the shared unit rows, so only a city commander may do it; anyone signed
 * in may watch and read reports.
 */
@Controller('drills')
export class DrillsController {
  constructor(
    private readonly drills: DrillService,
    private readonly reports: DrillReportService,
    private readonly audit: AuditService,
  ) {}

  /** `POST /api/drills` `{ day, speed, policy?, seed?, scenario?, toDay?, limit?, surge? }` → `201` the run (409 when one is running). */
  @Post()
  @Allow('city_commander')
  async start(@Body() dto: StartDrillDto, @CurrentUser() user: Principal, @ClientAddress() source: string | null) {
    try {
      const run = await this.drills.start(dto);
      await this.audit.record({ actor: user, action: 'drill.start', subject: `drill:${run.id}`, source, after: { ...dto } });
      return run;
    } catch (e) {
      // Unknown scenario, day without calls: the request names something that cannot be replayed.
      if (e instanceof DomainError) throw e;
      throw new BadRequestException((e as Error).message);
    }
  }

  /** `GET /api/drills`: runs newest first, this API process's and those recorded earlier (they survive a restart). */
  @Get()
  list() {
    return this.drills.list();
  }

  /** `GET /api/drills/:id`: state, simulated time, progress, calls posted, calibration (as recorded for a run of an earlier process). */
  @Get(':id')
  one(@Param('id') id: string) {
    return this.drills.viewOf(id);
  }

  @Post(':id/pause')
  @Allow('city_commander')
  @HttpCode(200)
  pause(@Param('id') id: string) {
    return this.drills.pause(id);
  }

  @Post(':id/resume')
  @Allow('city_commander')
  @HttpCode(200)
  resume(@Param('id') id: string) {
    return this.drills.resume(id);
  }

  /** `POST /api/drills/:id/stop`: answers when the run has stopped. */
  @Post(':id/stop')
  @Allow('city_commander')
  @HttpCode(200)
  async stop(@Param('id') id: string, @CurrentUser() user: Principal, @ClientAddress() source: string | null) {
    const run = await this.drills.stop(id);
    await this.audit.record({ actor: user, action: 'drill.stop', subject: `drill:${id}`, source });
    return run;
  }

  /** `PATCH /api/drills/:id { speed }`: simulated seconds per real second, or `"max"`. */
  @Patch(':id')
  @Allow('city_commander')
  speed(@Param('id') id: string, @Body() dto: PatchDrillDto) {
    return this.drills.setSpeed(id, dto.speed);
  }

  /**
   * `GET /api/drills/:id/report.json?compare=<otherId>`: the after-action report as JSON (`DrillReportView`
   * of `@cad/contracts`). With `?policies=<otherId>[,<otherId>...]` (up to 5 other runs of the same calls)
   * it carries the per-policy comparison (`policies`; with one other run also `comparison`) instead.
   * @throws 400 for more than 5 other runs; 404 for an unknown run; 409 when the runs replayed different calls
   */
  @Get(':id/report.json')
  async reportJson(
    @Param('id') id: string,
    @CurrentUser() user: Principal,
    @ClientAddress() source: string | null,
    @Query('compare') compare?: string,
    @Query('policies') policies?: string,
  ): Promise<DrillReportView> {
    const others = (policies ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    if (others.length > 5) throw new BadRequestException('policies: at most 5 other runs');
    const report = others.length ? await this.reports.comparePolicies([id, ...others]) : await this.reports.report(id, compare || undefined);
    await this.audit.record({ actor: user, action: 'export.drill-report', subject: `drill:${id}`, source, after: { format: 'json', compare: compare || null, ...(others.length ? { policies: others } : {}) } });
    return report;
  }

  /**
   * `GET /api/drills/:id/report` or `/report.html?compare=<otherId>&lang=<locale>`: the report as an HTML
   * page with charts, in `lang` when a locale file offers it, else in the `Accept-Language` header's
   * first language offered, else English.
   */
  @Get([':id/report', ':id/report.html'])
  @Header('content-type', 'text/html; charset=utf-8')
  async reportPage(
    @Param('id') id: string,
    @CurrentUser() user: Principal,
    @ClientAddress() source: string | null,
    @Query('compare') compare?: string,
    @Query('lang') lang?: string,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    const html = reportHtml(await this.reports.report(id, compare || undefined), reportLocale(lang, acceptLanguage));
    await this.audit.record({ actor: user, action: 'export.drill-report', subject: `drill:${id}`, source, after: { format: 'html', compare: compare || null } });
    return html;
  }
}
