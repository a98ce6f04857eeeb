import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { briefingDue, briefingPeriod, LIVE_WORLD } from '@cad/domain';
import { DataSource } from 'typeorm';
import { BriefingRow } from '@cad/db';
import { AccessService } from '../auth/access.service';
import { Principal } from '../auth/principal';
import { NotFound } from '../common/errors';
import { AppConfig } from '../config/config';
import { ClockService } from '../platform/clock/clock.service';
import { SitrepService } from './sitrep.service';

/** How often the worker looks for a briefing due, seconds of real time. */
export const BRIEFING_CHECK_S = 20;

/** A kept briefing as listed (the report itself from {@link BriefingsService.one}). */
export interface BriefingListItem {
  id: string;
  jurisdictionId: string;
  world: string;
  localDate: string;
  periodFrom: string;
  periodTo: string;
  createdAt: string;
}

/**
 * Daily briefings: for the city and each district, the situation report of the last day, produced at
 * `BRIEFING_LOCAL_TIME` in the city's zone on the system's clock: the wall clock live, each running
 * drill's own clock in its world (a drill produces its own briefings, `Exercise`). Exactly once per
 * (jurisdiction, world, local date): the unique key holds it whichever worker gets there first, and the
 * local instant is defined on daylight-saving days too (see `localTimeInstant`).
 */
@Injectable()
export class BriefingsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Briefings');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly ds: DataSource,
    private readonly sitrep: SitrepService,
    private readonly clock: ClockService,
    private readonly access: AccessService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.RUN_WORKERS) return;
    this.timer = setInterval(() => void this.tick(), BRIEFING_CHECK_S * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One check of every world this process has a clock for; failures are logged and retried at the next check. */
  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.produceDue(LIVE_WORLD, new Date());
      for (const drill of this.clock.state().drills ?? []) await this.produceDue(drill, this.clock.now(drill));
    } catch (e) {
      this.log.warn(`briefing check failed: ${(e as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  /**
   * Produces every briefing due at `now` in one world (the city's and each district's), each once.
   * @param now the world's clock (wall clock live, the drill's simulated time in a drill)
   * @returns the briefings made by this call (none when another worker made them first)
   */
  async produceDue(world: string, now: Date): Promise<BriefingListItem[]> {
    const made: BriefingListItem[] = [];
    const tiers: { id: string }[] = await this.ds.query(`SELECT id FROM jurisdiction WHERE level IN ('city', 'district') ORDER BY level, id`);
    const last: { id: string; d: string }[] = await this.ds.query(`SELECT jurisdiction_id AS id, MAX(local_date) AS d FROM briefing WHERE world = $1 GROUP BY jurisdiction_id`, [world]);
    const lastOf = new Map(last.map((r) => [r.id, r.d]));
    for (const { id } of tiers) {
      const due = briefingDue(now, this.config.BRIEFING_LOCAL_TIME, this.config.DATA_TIME_ZONE, lastOf.get(id) ?? null);
      if (!due) continue;
      const { from, to } = briefingPeriod(due, this.config.BRIEFING_LOCAL_TIME, this.config.DATA_TIME_ZONE);
      const report = await this.sitrep.report(id, world, from, to, 'system:briefing', 'DailyBriefing');
      const rows: BriefingRow[] = await this.ds.query(
        `INSERT INTO briefing (jurisdiction_id, world, local_date, period_from, period_to, report) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (jurisdiction_id, world, local_date) DO NOTHING RETURNING id, created_at AS "createdAt"`,
        [id, world, due, from, to, report],
      );
      if (rows.length) made.push({ id: rows[0].id, jurisdictionId: id, world, localDate: due, periodFrom: from.toISOString(), periodTo: to.toISOString(), createdAt: new Date(rows[0].createdAt).toISOString() });
    }
    return made;
  }

  /** Produces the briefings due now on the world's clock (the drill's simulated time in a drill); see {@link produceDue}. */
  runNow(world: string): Promise<BriefingListItem[]> {
    return this.produceDue(world, this.clock.now(world === LIVE_WORLD ? null : world));
  }

  /** The briefings of one world in jurisdictions the reader covers, newest local date first, at most 200. */
  async list(p: Principal, world: string): Promise<BriefingListItem[]> {
    const rows = await this.ds.getRepository(BriefingRow).find({ where: { world }, order: { localDate: 'DESC', jurisdictionId: 'ASC' }, take: 2000, select: { id: true, jurisdictionId: true, world: true, localDate: true, periodFrom: true, periodTo: true, createdAt: true } });
    return rows
      .filter((r) => this.access.coversJurisdiction(p, r.jurisdictionId))
      .slice(0, 200)
      .map((r) => ({ id: r.id, jurisdictionId: r.jurisdictionId, world: r.world, localDate: r.localDate, periodFrom: r.periodFrom.toISOString(), periodTo: r.periodTo.toISOString(), createdAt: r.createdAt.toISOString() }));
  }

  /** One briefing with its report. @throws NotFound (404) when unknown or outside the reader's post */
  async one(p: Principal, id: string): Promise<BriefingRow> {
    const r = await this.ds.getRepository(BriefingRow).findOneBy({ id });
    if (!r || !this.access.coversJurisdiction(p, r.jurisdictionId)) throw new NotFound('briefing', id);
    return r;
  }
}
