import { Injectable } from '@nestjs/common';
import { degreesAround, JurisdictionIndex } from '@cad/domain';
import { haversineMetres } from '@cad/routing';
import { DataSource } from 'typeorm';
import { PublicReportRow } from '@cad/db';
import { AccessService } from '../auth/access.service';
import { AuditService } from '../auth/audit.service';
import { Principal, actorOf } from '../auth/principal';
import { InvalidInput, NotFound, OutsideJurisdiction, ServiceUnavailable, StateConflict } from '../common/errors';
import { CallsService } from '../calls/calls.service';
import { AppConfig } from '../config/config';
import { AcceptPublicReportDto, CreatePublicReportDto, PUBLIC_REPORT_TYPES } from './dto/public-report.dto';
import { PublicReportLimiter } from './public-report-limiter';

/** A resident's report as the call taker sees it. */
export interface PublicReportView {
  id: string;
  kind: string;
  type: string;
  /** The call type it becomes when accepted. */
  callType: string;
  description: string;
  lat: number;
  lon: number;
  accuracyM: number | null;
  streetId: string | null;
  contact: string | null;
  language: string;
  state: string;
  suggestedIncidentId: string | null;
  callId: string | null;
  incidentId: string | null;
  reviewedBy: string | null;
  receivedAt: string;
}

const ENDED = `('resolved', 'closed', 'cancelled', 'merged')`;

/**
 * Residents' reports (issue 24): taken from the public page with no sign-in, kept in their own queue
 * (the `public_report` table, never the intake queue of live calls, so a flood cannot delay a 911
 * call), never dispatched by themselves. A call taker reviews each: accept (it becomes a call for
 * service and goes through intake like any other), link it to an open incident, or dismiss it.
 */
@Injectable()
export class PublicReportsService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly limiter: PublicReportLimiter,
    private readonly calls: CallsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Takes a resident's report: placed in its street, an open live incident within `DUPLICATE_RADIUS_M`
   * suggested (never linked), stored `pending`.
   * @throws OutsideJurisdiction (422) naming `lat/lon` when the point is outside the city's boundary
   * @throws TooManyReports (429) naming `deviceId` or the address when a limit is reached
   * @throws ServiceUnavailable (503) when `PUBLIC_REPORT_QUEUE_MAX` reports already wait for a call taker
   */
  async submit(dto: CreatePublicReportDto, address: string): Promise<{ id: string; state: string }> {
    const place = this.index.locate(dto.lat, dto.lon);
    if (place.outsideBoundary) {
      throw new OutsideJurisdiction(
        `lat/lon: (${dto.lat}, ${dto.lon}) is ${Math.round(place.distanceMetres)} m outside the city; for an emergency elsewhere call the emergency number`,
        Math.round(place.distanceMetres),
      );
    }
    const deviceHash = PublicReportLimiter.deviceHash(dto.deviceId);
    await this.limiter.take(deviceHash, address);
    const [{ waiting }] = await this.ds.query(`SELECT count(*)::int AS waiting FROM public_report WHERE state = 'pending'`);
    if (waiting >= this.config.PUBLIC_REPORT_QUEUE_MAX) throw new ServiceUnavailable('the report queue is full: for an emergency call the emergency number');
    const suggested = await this.openIncidentNear(dto.lat, dto.lon);
    const row = await this.ds.getRepository(PublicReportRow).save({
      kind: dto.kind, type: dto.type, description: dto.description, lat: dto.lat, lon: dto.lon, accuracyM: dto.accuracyM ?? null, streetId: place.streetId,
      contact: dto.contact ?? null, language: dto.language ?? 'en', state: 'pending', suggestedIncidentId: suggested, callId: null, incidentId: null,
      reviewedBy: null, reviewedAt: null, deviceHash, receivedAt: new Date(),
    });
    return { id: row.id, state: row.state };
  }

  /** The nearest open live incident within `DUPLICATE_RADIUS_M` of a point, or null. */
  private async openIncidentNear(lat: number, lon: number): Promise<string | null> {
    const r = this.config.DUPLICATE_RADIUS_M;
    const { dLat, dLon } = degreesAround(r, lat);
    const rows: { id: string; lat: number; lon: number }[] = await this.ds.query(
      `SELECT id, lat, lon FROM incident WHERE drill_id IS NULL AND status NOT IN ${ENDED} AND lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4`,
      [lat - dLat, lat + dLat, lon - dLon, lon + dLon],
    );
    const near = rows.map((i) => ({ id: i.id, m: haversineMetres(lat, lon, i.lat, i.lon) })).filter((x) => x.m <= r).sort((a, b) => a.m - b.m);
    return near[0]?.id ?? null;
  }

  /** The queue: reports in `state` (default `pending`) in the reader's jurisdiction, oldest first, at most 200. */
  async list(p: Principal, state = 'pending'): Promise<PublicReportView[]> {
    if (!['pending', 'accepted', 'linked', 'dismissed'].includes(state)) throw new InvalidInput('state must be pending, accepted, linked or dismissed');
    const rows = await this.ds.getRepository(PublicReportRow).find({ where: { state }, order: { receivedAt: 'ASC' }, take: 2000 });
    return rows.filter((r) => this.access.coversStreet(p, r.streetId)).slice(0, 200).map(viewOf);
  }

  /**
   * Accepts a pending report as a call for service (`source: public`), which intake places and
   * dispatches like any call.
   * @throws NotFound / Forbidden outside the reader's post; StateConflict (409) naming the state when it was reviewed already
   */
  async accept(p: Principal, id: string, dto: AcceptPublicReportDto, source: string | null): Promise<PublicReportView> {
    return this.review(p, id, source, 'accept', async (r) => {
      const call = await this.calls.accept({
        type: dto.type ?? PUBLIC_REPORT_TYPES[r.type] ?? 'Other', priority: dto.priority ?? (r.kind === 'emergency' ? 1 : 3), lat: r.lat, lon: r.lon,
        accuracyM: r.accuracyM ?? undefined, notes: `Resident's report (${r.language}): ${r.description}${r.contact ? `\nCall back: ${r.contact}` : ''}`, source: 'public',
      });
      return { state: 'accepted', callId: call.id };
    });
  }

  /**
   * Links a pending report to an open incident: it is kept as a linked call of that incident; nothing is dispatched.
   * @throws StateConflict (409) naming `incidentId` when that incident is closed or a drill's
   */
  async link(p: Principal, id: string, incidentId: string, source: string | null): Promise<PublicReportView> {
    const incident = await this.access.assertIncident(p, incidentId);
    if (incident.drillId || ['closed', 'cancelled', 'merged'].includes(incident.status)) throw new StateConflict(`incidentId: incident ${incidentId} is ${incident.drillId ? 'a drill incident' : incident.status}`);
    return this.review(p, id, source, 'link', async (r, m) => {
      const [call] = await m.query(
        `INSERT INTO call (call_number, type, priority, lat, lon, notes, source, received_at, exercise, incident_id, linked, accuracy_m)
         VALUES ((SELECT 'C-' || lpad(n::text, GREATEST(6, length(n::text)), '0') FROM nextval('call_number_seq') AS n), $1, $2, $3, $4, $5, 'public', $6, false, $7, true, $8) RETURNING id`,
        [incident.type, incident.priority, r.lat, r.lon, `Resident's report (${r.language}): ${r.description}`, r.receivedAt, incidentId, r.accuracyM],
      );
      return { state: 'linked', callId: call.id, incidentId };
    });
  }

  /** Dismisses a pending report with a reason (on the audit record). @throws StateConflict (409) when reviewed already */
  async dismiss(p: Principal, id: string, reason: string, source: string | null): Promise<PublicReportView> {
    return this.review(p, id, source, 'dismiss', async () => ({ state: 'dismissed', reason }));
  }

  /** One review, once: the row is locked, must be pending and in the reviewer's post; the outcome and its audit entry commit together. */
  private async review(
    p: Principal, id: string, source: string | null, action: string,
    decide: (r: PublicReportRow, m: import('typeorm').EntityManager) => Promise<{ state: string; callId?: string; incidentId?: string; reason?: string }>,
  ): Promise<PublicReportView> {
    const row = await this.ds.transaction(async (m) => {
      const r = await m.findOne(PublicReportRow, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!r) throw new NotFound('public report', id);
      if (!this.access.coversStreet(p, r.streetId)) throw new NotFound('public report', id);
      if (r.state !== 'pending') throw new StateConflict(`public report ${id} was ${r.state} by ${r.reviewedBy} already`, { state: r.state });
      const out = await decide(r, m);
      Object.assign(r, { state: out.state, callId: out.callId ?? null, incidentId: out.incidentId ?? null, reviewedBy: actorOf(p), reviewedAt: new Date() });
      await m.save(r);
      await this.audit.record({ actor: p, action: `public-report.${action}`, subject: `public-report:${id}`, source, after: out }, m);
      return r;
    });
    return viewOf(row);
  }
}

function viewOf(r: PublicReportRow): PublicReportView {
  return {
    id: r.id, kind: r.kind, type: r.type, callType: PUBLIC_REPORT_TYPES[r.type] ?? 'Other', description: r.description, lat: r.lat, lon: r.lon, accuracyM: r.accuracyM,
    streetId: r.streetId, contact: r.contact, language: r.language, state: r.state, suggestedIncidentId: r.suggestedIncidentId, callId: r.callId,
    incidentId: r.incidentId, reviewedBy: r.reviewedBy, receivedAt: r.receivedAt.toISOString(),
  };
}
