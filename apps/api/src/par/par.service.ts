import { CLOSED_INCIDENT_STATUSES, isOpenIncident, IncidentStatus, JurisdictionIndex, ParTimer } from '@cad/domain';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Incident } from '@cad/db';
import { NotFound, StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';
import { EventsService } from '../events/events.service';

/** One incident's on-scene facts the timer is computed from. */
interface ParRow {
  incident_id: string;
  street_id: string | null;
  on_scene_at: Date | null;
  last_par_at: Date | null;
}

/**
 * On-scene welfare (PAR) timers (issue 26), computed from the record so no timer can be lost: an
 * open incident's PAR is due `PAR_INTERVAL_S` after its first unit arrived on scene, or after its
 * last PAR (`incident.par` events); overdue once that time has passed. A dispatcher records a PAR,
 * which resets the timer.
 */
@Injectable()
export class ParService {
  private readonly intervalS: number;

  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.intervalS = config.PAR_INTERVAL_S;
  }

  private timer(r: ParRow, now: number): ParTimer {
    const from = r.last_par_at ?? r.on_scene_at;
    const due = from ? new Date(from.getTime() + 1000 * this.intervalS) : null;
    return {
      incidentId: r.incident_id,
      intervalS: this.intervalS,
      onSceneAt: r.on_scene_at?.toISOString() ?? null,
      lastParAt: r.last_par_at?.toISOString() ?? null,
      dueAt: due?.toISOString() ?? null,
      overdue: due !== null && due.getTime() <= now,
    };
  }

  private rows(where: string, params: unknown[]): Promise<ParRow[]> {
    return this.ds.query(
      `SELECT i.id AS incident_id, i.street_id,
              (SELECT min(a.on_scene_at) FROM assignment a WHERE a.incident_id = i.id AND a.on_scene_at IS NOT NULL) AS on_scene_at,
              (SELECT max(e.at) FROM incident_event e WHERE e.incident_id = i.id AND e.type = 'incident.par') AS last_par_at
         FROM incident i WHERE ${where}`,
      params,
    );
  }

  /** The PAR timer of one incident. @throws NotFound (404) */
  async of(incidentId: string): Promise<ParTimer> {
    const [r] = await this.rows('i.id = $1', [incidentId]);
    if (!r) throw new NotFound('incident', incidentId);
    return this.timer(r, Date.now());
  }

  /**
   * The timers of open live incidents with a unit on scene, most overdue first, each with its street
   * (for the caller's scope check).
   */
  async running(): Promise<(ParTimer & { streetId: string | null })[]> {
    const rows = await this.rows(`i.status <> ALL($1) AND NOT i.exercise AND EXISTS (SELECT 1 FROM assignment a WHERE a.incident_id = i.id AND a.on_scene_at IS NOT NULL)`, [
      [...CLOSED_INCIDENT_STATUSES],
    ]);
    const now = Date.now();
    return rows.map((r) => ({ ...this.timer(r, now), streetId: r.street_id })).sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''));
  }

  /**
   * Records a PAR on an open incident with a unit on scene (`incident.par`, listing the units on
   * scene): the timer starts over.
   * @throws NotFound (404); StateConflict (409) when the incident is closed or has no unit on scene yet
   */
  async record(incidentId: string, by: string): Promise<ParTimer> {
    await this.ds.transaction(async (m) => {
      const i = await m.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!i) throw new NotFound('incident', incidentId);
      if (!isOpenIncident(i.status as IncidentStatus)) throw new StateConflict(`incident is ${i.status}: no PAR to record`, i.status);
      const units: { unit_id: string }[] = await m.query(
        `SELECT unit_id FROM assignment WHERE incident_id = $1 AND on_scene_at IS NOT NULL AND status <> 'cleared' ORDER BY unit_id`,
        [incidentId],
      );
      if (!units.length) throw new StateConflict(`incident ${incidentId} has no unit on scene: the PAR timer starts when the first arrives`, i.status);
      const at = new Date();
      const payload = { incidentId, at: at.toISOString(), by, units: units.map((u) => u.unit_id), nextDueAt: new Date(at.getTime() + 1000 * this.intervalS).toISOString() };
      await this.events.append(m, { type: 'incident.par', incidentId, jurisdictionIds: this.index.chain(i.streetId), at, actor: by, payload });
    });
    return this.of(incidentId);
  }
}
