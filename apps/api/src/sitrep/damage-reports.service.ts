import { Injectable } from '@nestjs/common';
import { DamageFigures, JurisdictionIndex, LIVE_WORLD, worldOf } from '@cad/domain';
import { DataSource } from 'typeorm';
import { DamageReportRow, Incident } from '@cad/db';
import { AccessService } from '../auth/access.service';
import { AuditService } from '../auth/audit.service';
import { Principal, actorOf } from '../auth/principal';
import { Forbidden, InvalidInput, NotFound, StateConflict } from '../common/errors';
import { ClockService } from '../platform/clock/clock.service';
import { CreateDamageReportDto } from './dto/damage-report.dto';

/** One version of a damage report as answered by the API; `closureOffers` are the blocked roads to offer as road closures. */
export interface DamageReportView {
  id: string;
  subject: string;
  version: number;
  world: string;
  incidentId: string | null;
  streetId: string;
  districtId: string | null;
  figures: DamageFigures;
  blockedRoads: DamageReportRow['blockedRoads'];
  notes: string | null;
  author: string;
  reportedAt: string;
  /** `POST /api/road-closures` bodies for each road drawn as blocked (a dispatcher confirms each). */
  closureOffers: { geometry: DamageReportRow['blockedRoads'][number]; reason: string }[];
}

/**
 * Damage (field) reports from crews, street posts and dispatchers: about an incident (a responder only
 * for a task of their unit) or a street (a post whose jurisdiction holds it). Every report is a new
 * version of its subject; nothing is overwritten, and each is on the audit record.
 */
@Injectable()
export class DamageReportsService {
  constructor(
    private readonly ds: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly index: JurisdictionIndex,
    private readonly clock: ClockService,
  ) {}

  /**
   * Files the next version of a damage report, in one transaction with its audit entry.
   * @throws InvalidInput (400) naming `streetId` when it is not a street, or `world` when it differs from the incident's
   * @throws NotFound (404) for an unknown incident; Forbidden (403) outside the author's post (a responder: not their task)
   * @throws StateConflict (409) naming the current version when `baseVersion` is stale, or when another report took the same version at once
   */
  async file(p: Principal, dto: CreateDamageReportDto, source: string | null): Promise<DamageReportView> {
    let incident: Incident | null = null;
    let streetId: string;
    let world = dto.world ?? LIVE_WORLD;
    if (dto.incidentId) {
      incident = await this.access.assertIncident(p, dto.incidentId);
      if (dto.world && dto.world !== worldOf(incident)) throw new InvalidInput(`world: incident ${incident.id} belongs to ${worldOf(incident)}, not ${dto.world}`);
      world = worldOf(incident);
      if (!incident.streetId) throw new InvalidInput(`incidentId: incident ${incident.id} has no street`);
      streetId = incident.streetId;
    } else {
      const street = this.index.get(dto.streetId!);
      if (!street || street.level !== 'street') throw new InvalidInput(`streetId: ${dto.streetId} is not a street of the command chain`);
      if (p.role === 'responder') throw new Forbidden('a crew files damage reports about its own tasks (incidentId)');
      if (!this.access.coversStreet(p, street.id)) throw new Forbidden(`street ${street.id} is outside ${p.jurisdictionId}`);
      streetId = street.id;
    }
    const subject = incident ? `incident:${incident.id}` : `street:${streetId}`;
    const figures: DamageFigures = {
      casualties: { immediate: dto.casualties.immediate, delayed: dto.casualties.delayed, minor: dto.casualties.minor, deceased: dto.casualties.deceased },
      displaced: dto.displaced,
      buildingsDamaged: dto.buildingsDamaged,
      buildingsDestroyed: dto.buildingsDestroyed,
      roadsBlocked: dto.blockedRoads?.length ?? 0,
      lifelinesOut: [...new Set(dto.lifelinesOut ?? [])].sort(),
      needs: dto.needs ?? [],
    };
    const reportedAt = incident ? this.clock.timeFor(incident) : this.clock.now(world === LIVE_WORLD ? null : world);
    try {
      const row = await this.ds.transaction(async (m) => {
        const [{ current }] = await m.query(`SELECT COALESCE(MAX(version), 0)::int AS current FROM damage_report WHERE subject = $1 AND world = $2`, [subject, world]);
        if (dto.baseVersion !== undefined && dto.baseVersion !== current) {
          throw new StateConflict(`baseVersion: the report on ${subject} is at version ${current}, not ${dto.baseVersion}: read it and correct that one`, { version: current });
        }
        const saved = await m.save(
          m.create(DamageReportRow, {
            subject, version: current + 1, world, incidentId: incident?.id ?? null, streetId, districtId: this.index.get(streetId)?.parentId ?? null,
            figures: figures as unknown as Record<string, unknown>, blockedRoads: dto.blockedRoads ?? [], notes: dto.notes ?? null, author: actorOf(p), reportedAt,
          }),
        );
        await this.audit.record({ actor: p, action: 'damage-report.file', subject, source, after: { version: saved.version, world, figures } }, m);
        return saved;
      });
      return viewOf(row);
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw new StateConflict(`another report on ${subject} was filed at the same moment: read it and file again`);
      throw e;
    }
  }

  /**
   * Every version of the damage reports of an incident or a street, newest first.
   * @throws NotFound / Forbidden as {@link AccessService.assertIncident}; InvalidInput naming `streetId`
   */
  async history(p: Principal, q: { incidentId?: string; streetId?: string }): Promise<DamageReportView[]> {
    let subject: string;
    if (q.incidentId) {
      await this.access.assertIncident(p, q.incidentId);
      subject = `incident:${q.incidentId}`;
    } else if (q.streetId) {
      if (this.index.get(q.streetId)?.level !== 'street') throw new InvalidInput(`streetId: ${q.streetId} is not a street of the command chain`);
      if (!this.access.coversStreet(p, q.streetId)) throw new Forbidden(`street ${q.streetId} is outside ${p.jurisdictionId}`);
      subject = `street:${q.streetId}`;
    } else throw new InvalidInput('incidentId or streetId is required');
    const rows = await this.ds.getRepository(DamageReportRow).find({ where: { subject }, order: { version: 'DESC' }, take: 200 });
    if (!rows.length && q.incidentId && !(await this.ds.getRepository(Incident).existsBy({ id: q.incidentId }))) throw new NotFound('incident', q.incidentId);
    return rows.map(viewOf);
  }
}

function viewOf(r: DamageReportRow): DamageReportView {
  return {
    id: r.id, subject: r.subject, version: r.version, world: r.world, incidentId: r.incidentId, streetId: r.streetId, districtId: r.districtId,
    figures: r.figures as unknown as DamageFigures, blockedRoads: r.blockedRoads, notes: r.notes, author: r.author, reportedAt: r.reportedAt.toISOString(),
    closureOffers: r.blockedRoads.map((geometry) => ({ geometry, reason: `blocked (damage report ${r.subject} v${r.version} by ${r.author})` })),
  };
}
