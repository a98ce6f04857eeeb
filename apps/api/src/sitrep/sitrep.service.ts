import { Injectable } from '@nestjs/common';
import { rollUpSituation, SitrepSummary } from '@cad/domain';
import { AppConfig } from '../config/config';
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
  /** The city's public alerts in force at the period's end (Exercise ones for a drill). */
  activeAlerts: { id: string; status: string; areaDesc: string; headline: string | null; severity: string | null }[];
}

/** Builds situation reports from the record: the queries are the repository's, the arithmetic `rollUpSituation`'s. */
@Injectable()
export class SitrepService {
  constructor(
    private readonly repo: SitrepRepository,
    private readonly config: AppConfig,
  ) {}

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
    const [assignments, damage, activeAlerts] = await Promise.all([
      this.repo.assignments(incidents.map((i) => i.id)),
      this.repo.damage(world, streets, to),
      this.repo.activeAlerts(world, to),
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
