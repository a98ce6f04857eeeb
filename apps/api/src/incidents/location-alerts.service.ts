import { JurisdictionIndex } from '@cad/domain';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { Incident, LocationAlertRow } from '@cad/db';
import { NotFound } from '../common/errors';
import { AppConfig } from '../config/config';
import { EventsService } from '../events/events.service';
import type { LocationAlertView } from '@cad/contracts';
export type { LocationAlertView } from '@cad/contracts';

function alertView(r: LocationAlertRow): LocationAlertView {
  return {
    id: r.id,
    incidentId: r.incidentId,
    assignmentId: r.assignmentId,
    unitId: r.unitId,
    old: { lat: r.oldLat, lon: r.oldLon, address: r.oldAddress },
    new: { lat: r.newLat, lon: r.newLon, address: r.newAddress },
    reason: r.reason,
    changedBy: r.changedBy,
    createdAt: r.createdAt.toISOString(),
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
  };
}

/** A point and its address, WGS84 degrees. */
export interface AlertPlace {
  lat: number;
  lon: number;
  address: string | null;
}

/**
 * The crews' LOCATION CHANGED alerts (one per active task of a moved incident): sent with the old and
 * the new address (`assignment.location_alert`, to the unit's phone), listed, acknowledged by the crew
 * (`assignment.location_acknowledged`); one left unacknowledged for `LOCATION_ACK_S` alerts the
 * dispatcher (`assignment.location_unacknowledged`), checked every `RECONCILE_INTERVAL_S` by workers.
 */
@Injectable()
export class LocationAlertsService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('LocationChange');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.RUN_WORKERS) return;
    this.timer = setInterval(() => void this.alertOverdue().catch((e: Error) => this.log.warn(`overdue location alerts not checked: ${e.message}`)), this.config.RECONCILE_INTERVAL_S * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Sends one task's crew a LOCATION CHANGED alert inside the caller's transaction (`assignment.location_alert`).
   * @param task the task (`assignment` id) and its unit
   * @param chain the jurisdictions the event concerns (the old place's and the new one's)
   * @returns the alert's view
   */
  async send(
    m: EntityManager,
    incidentId: string,
    task: { id: string; unitId: string },
    change: { old: AlertPlace; now: AlertPlace; reason: string; actor: string; chain: string[]; when: Date },
  ): Promise<LocationAlertView> {
    const { old, now, reason, actor, chain, when } = change;
    const row = await m.save(
      m.create(LocationAlertRow, {
        incidentId,
        assignmentId: task.id,
        unitId: task.unitId,
        oldAddress: old.address,
        newAddress: now.address,
        oldLat: old.lat,
        oldLon: old.lon,
        newLat: now.lat,
        newLon: now.lon,
        reason,
        changedBy: actor,
        acknowledgedAt: null,
        overdueAt: null,
      }),
    );
    const view = alertView(row);
    await this.events.append(m, { type: 'assignment.location_alert', incidentId, unitId: task.unitId, jurisdictionIds: chain, at: when, actor, payload: view });
    return view;
  }

  /** A unit's LOCATION CHANGED alerts not yet acknowledged, oldest first. */
  async openAlerts(unitId: string): Promise<LocationAlertView[]> {
    const rows = await this.ds.getRepository(LocationAlertRow).find({ where: { unitId, acknowledgedAt: IsNull() }, order: { createdAt: 'ASC' } });
    return rows.map(alertView);
  }

  /** The unit an alert was sent to (for the access check), or NotFound. */
  async unitOf(alertId: string): Promise<string> {
    const r = await this.ds.getRepository(LocationAlertRow).findOneBy({ id: alertId });
    if (!r) throw new NotFound('location alert', alertId);
    return r.unitId;
  }
  /**
   * The crew acknowledges a LOCATION CHANGED alert (`assignment.location_acknowledged`). Acknowledging
   * twice changes nothing and answers the first acknowledgement.
   * @throws NotFound for an unknown alert
   */
  async acknowledge(alertId: string, actor: string): Promise<LocationAlertView> {
    return this.ds.transaction(async (m) => {
      const r = await m.findOne(LocationAlertRow, { where: { id: alertId }, lock: { mode: 'pessimistic_write' } });
      if (!r) throw new NotFound('location alert', alertId);
      if (r.acknowledgedAt) return alertView(r);
      r.acknowledgedAt = new Date();
      await m.save(r);
      const i = await m.findOneByOrFail(Incident, { id: r.incidentId });
      await this.events.append(m, {
        type: 'assignment.location_acknowledged',
        incidentId: r.incidentId,
        unitId: r.unitId,
        jurisdictionIds: this.index.chain(i.streetId),
        at: r.acknowledgedAt,
        actor,
        payload: alertView(r),
      });
      return alertView(r);
    });
  }

  /**
   * Alerts the dispatcher of every LOCATION CHANGED alert left unacknowledged past `LOCATION_ACK_S`
   * (`assignment.location_unacknowledged`, once per alert).
   * @returns the alerts reported now
   */
  async alertOverdue(now = new Date()): Promise<LocationAlertView[]> {
    return this.ds.transaction(async (m) => {
      // TypeORM answers an UPDATE ... RETURNING as [rows, affected].
      const [rows]: [{ id: string }[], number] = await m.query(
        `UPDATE location_alert SET overdue_at = $1 WHERE acknowledged_at IS NULL AND overdue_at IS NULL AND created_at < $2 RETURNING id`,
        [now, new Date(now.getTime() - this.config.LOCATION_ACK_S * 1000)],
      );
      if (!rows.length) return [];
      const alerts = await m.findBy(LocationAlertRow, { id: In(rows.map((r) => r.id)) });
      const out: LocationAlertView[] = [];
      for (const r of alerts) {
        const i = await m.findOneByOrFail(Incident, { id: r.incidentId });
        const v = alertView(r);
        await this.events.append(m, {
          type: 'assignment.location_unacknowledged',
          incidentId: r.incidentId,
          unitId: r.unitId,
          jurisdictionIds: this.index.chain(i.streetId),
          at: now,
          actor: 'timer:location-ack',
          payload: { ...v, message: `unit ${r.unitId} has not acknowledged the new location (${r.newAddress ?? `${r.newLat}, ${r.newLon}`}): reach the crew by radio` },
        });
        out.push(v);
      }
      return out;
    });
  }
}
