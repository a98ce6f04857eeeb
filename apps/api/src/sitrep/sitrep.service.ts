import { Injectable } from '@nestjs/common';
import { JurisdictionIndex, LIVE_WORLD, ResponseIntervals, responseIntervals, rollUpSituation, SitrepSummary } from '@cad/domain';
import { AccessService } from '../auth/access.service';
import { Principal, actorOf } from '../auth/principal';
import { Forbidden, InvalidInput } from '../common/errors';
import { AppConfig } from '../config/config';
import { ClockService } from '../platform/clock/clock.service';
import { SitrepQueryDto } from './dto/sitrep-query.dto';
import { SitrepRepository } from './sitrep.repository';

/**
 * A situation report, with fields after OASIS EDXL-SitRep 1.0 (report type, period, incident
 * summaries, casualty and damage summaries, resources). Instants are ISO-8601 UTC; the period is
 * `[from, to)`.
 */
export interface SituationReport {
  /** `SituationReport` on request, `DailyBriefing` for the one produced at BRIEFING_LOCAL_TIME. */
  reportType: 'SituationReport' | 'DailyBriefing';
  /** CAP/EDXL status of the world it covers: `Actual` live, `Exercise` for a drill. */
  status: 'Actual' | 'Exercise';
  world: string;
  jurisdiction: { id: string; name: string; level: string };
  period: { from: string; to: string; timeZone: string };
  preparedAt: string;
  preparedBy: string;
  /** Incidents, escalations, damage and units, rolled up street → district → city (children down to streets). */
  summary: SitrepSummary;
  /** Units with an active task in the jurisdiction, by capability. */
  resources: { unitsCommitted: number; committedByCapability: Record<string, number> };
  /** Response intervals of the period's incidents at the NFPA 1710 90th percentile (travel target FIRST_ENGINE_TRAVEL_S). */
  responseIntervals: ResponseIntervals;
  /** The city's public alerts in force at the period's end (Exercise ones for a drill). */
  activeAlerts: { id: string; status: string; areaDesc: string; headline: string | null; severity: string | null }[];
}

/** Builds situation reports from the record: the queries are the repository's, the arithmetic `rollUpSituation`'s. */
@Injectable()
export class SitrepService {
  constructor(
    private readonly repo: SitrepRepository,
    private readonly config: AppConfig,
    private readonly access: AccessService,
    private readonly index: JurisdictionIndex,
    private readonly clock: ClockService,
  ) {}

  /**
   * The situation report a reader asked for, within their post: their own jurisdiction by default, or
   * one inside it; the period defaults to the 24 hours before now on the world's clock.
   * @throws Forbidden (403) for a responder, or naming `jurisdictionId` when it lies outside the reader's post
   * @throws InvalidInput (400) naming `jurisdictionId` when unknown, or `from` when it is not before `to` or more than 31 days before it
   */
  async forReader(p: Principal, q: SitrepQueryDto): Promise<SituationReport> {
    if (p.role === 'responder') throw new Forbidden('situation reports are for command posts; a crew files damage reports');
    const id = q.jurisdictionId ?? p.jurisdictionId;
    if (!id || !this.index.get(id)) throw new InvalidInput(`jurisdictionId: ${id ?? '(none)'} is not a street, district or city of the command chain`);
    if (!this.access.coversJurisdiction(p, id)) throw new Forbidden(`jurisdictionId: ${id} is outside ${p.jurisdictionId}`);
    const world = q.world ?? LIVE_WORLD;
    const to = q.to ? new Date(q.to) : this.clock.now(world === LIVE_WORLD ? null : world);
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 24 * 3600_000);
    if (from.getTime() >= to.getTime()) throw new InvalidInput(`from (${from.toISOString()}) must be before to (${to.toISOString()})`);
    if (to.getTime() - from.getTime() > 31 * 24 * 3600_000) throw new InvalidInput('from: a situation report covers at most 31 days');
    return this.report(id, world, from, to, actorOf(p));
  }

  /**
   * The situation of one jurisdiction (a street, a district or the city) over `[from, to)` in one world:
   * incidents received in the period or still open at its end, the newest version of each damage report
   * made before its end, units with an active task now.
   * @throws Error naming the jurisdiction when it is not in the command chain (callers check first)
   */
  async report(jurisdictionId: string, world: string, from: Date, to: Date, preparedBy: string, reportType: SituationReport['reportType'] = 'SituationReport'): Promise<SituationReport> {
    const chain = await this.repo.jurisdictions();
    const streets = streetsUnder(jurisdictionId, chain);
    const incidents = await this.repo.incidents(world, streets, from, to);
    const ids = incidents.map((i) => i.id);
    const [assignments, damage, activeAlerts, samples] = await Promise.all([
      this.repo.assignments(ids),
      this.repo.damage(world, streets, to),
      this.repo.activeAlerts(world, to),
      this.repo.intervals(ids),
    ]);
    const summary = rollUpSituation(jurisdictionId, chain, incidents, assignments, damage);
    return {
      reportType,
      status: world === 'live' ? 'Actual' : 'Exercise',
      world,
      jurisdiction: { id: summary.jurisdictionId, name: summary.name, level: summary.level },
      period: { from: from.toISOString(), to: to.toISOString(), timeZone: this.config.DATA_TIME_ZONE },
      preparedAt: new Date().toISOString(),
      preparedBy,
      summary,
      resources: { unitsCommitted: summary.unitsCommitted, committedByCapability: summary.committedByCapability },
      responseIntervals: responseIntervals(samples, this.config.FIRST_ENGINE_TRAVEL_S),
      activeAlerts,
    };
  }
}

/** Ids of the streets in a jurisdiction's subtree (itself, for a street). */
export function streetsUnder(rootId: string, chain: { id: string; level: string; parentId: string | null }[]): string[] {
  const kids = new Map<string, string[]>();
  for (const j of chain) if (j.parentId) kids.set(j.parentId, [...(kids.get(j.parentId) ?? []), j.id]);
  const level = new Map(chain.map((j) => [j.id, j.level]));
  const out: string[] = [];
  const walk = (id: string) => {
    if (level.get(id) === 'street') out.push(id);
    for (const k of kids.get(id) ?? []) walk(k);
  };
  walk(rootId);
  return out;
}
