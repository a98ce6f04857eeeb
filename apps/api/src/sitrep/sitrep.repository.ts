import { Injectable } from '@nestjs/common';
import type { DamageFigures, PlacedDamage, SitrepAssignment, SitrepIncident, SitrepJurisdiction } from '@cad/domain';
import { DataSource } from 'typeorm';

/** The record's side of situation reports: every query of the `sitrep/` module that reads incidents, tasks and damage. */
@Injectable()
export class SitrepRepository {
  constructor(private readonly ds: DataSource) {}

  /** Every node of the command chain (id, name, level, parent). */
  jurisdictions(): Promise<SitrepJurisdiction[]> {
    return this.ds.query(`SELECT id, name, level, parent_id AS "parentId" FROM jurisdiction ORDER BY id`);
  }

  /**
   * Incidents of one world received in `[from, to)`, or received before and still open at `to`
   * (not resolved, closed, cancelled or merged), in the given streets.
   */
  incidents(world: string, streetIds: string[], from: Date, to: Date): Promise<SitrepIncident[]> {
    return this.ds.query(
      `SELECT id, type, status, priority, street_id AS "streetId", commanding_tier AS "commandingTier"
         FROM incident
        WHERE COALESCE(drill_id, 'live') = $1 AND street_id = ANY($2)
          AND received_at < $4
          AND (received_at >= $3 OR status NOT IN ('resolved', 'closed', 'cancelled', 'merged'))`,
      [world, streetIds, from, to],
    );
  }

  /** Tasks of the given incidents: `active` while not cleared. */
  assignments(incidentIds: string[]): Promise<SitrepAssignment[]> {
    if (!incidentIds.length) return Promise.resolve([]);
    return this.ds.query(
      `SELECT incident_id AS "incidentId", unit_id AS "unitId", capability, status <> 'cleared' AS active FROM assignment WHERE incident_id = ANY($1)`,
      [incidentIds],
    );
  }

  /** The newest version (as of `to`) of each damage report of one world in the given streets, made before `to`. */
  async damage(world: string, streetIds: string[], to: Date): Promise<PlacedDamage[]> {
    const rows: { streetId: string; figures: DamageFigures }[] = await this.ds.query(
      `SELECT DISTINCT ON (subject) street_id AS "streetId", figures
         FROM damage_report
        WHERE world = $1 AND street_id = ANY($2) AND reported_at < $3
        ORDER BY subject, version DESC`,
      [world, streetIds, to],
    );
    return rows;
  }

  /** CAP alerts of ours in force at `to` (issued, not expired), newest first: id, headline, severity. */
  activeAlerts(world: string, to: Date): Promise<{ id: string; status: string; areaDesc: string; headline: string | null; severity: string | null }[]> {
    return this.ds.query(
      `SELECT id, status, area_desc AS "areaDesc", infos->0->>'headline' AS headline, infos->0->>'severity' AS severity
         FROM cap_alert
        WHERE direction = 'issued' AND state = 'issued' AND status = $1 AND sent_at < $2 AND (expires_at IS NULL OR expires_at > $2)
        ORDER BY sent_at DESC LIMIT 50`,
      [world === 'live' ? 'Actual' : 'Exercise', to],
    );
  }
}
