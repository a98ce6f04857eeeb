import { EarlierIncident, PremiseNoteView } from '@cad/domain';
import { haversineMetres } from '@cad/routing';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Incident, PremiseNoteRow } from '@cad/db';
import { InvalidInput, NotFound } from '../common/errors';
import { AppConfig } from '../config/config';

/** Metres per degree of latitude (WGS84 mean, 111 320 m): the bounding box of a lookup. */
const M_PER_DEG = 111_320;

/** What a note says and where: the validated body of a create or update. */
export interface PremiseNoteInput {
  lat: number;
  lon: number;
  address?: string;
  kind: 'premise' | 'hazard';
  text: string;
}

function view(r: PremiseNoteRow, distanceM?: number): PremiseNoteView {
  return {
    id: String(r.id),
    lat: r.lat,
    lon: r.lon,
    address: r.address,
    kind: r.kind as PremiseNoteView['kind'],
    text: r.text,
    updatedBy: r.updatedBy,
    updatedAt: r.updatedAt.toISOString(),
    ...(distanceM === undefined ? {} : { distanceM: Math.round(distanceM) }),
  };
}

/**
 * Premise and hazard notes the city keeps at addresses (issue 26): created, changed and deleted by
 * dispatchers; looked up by point within `PREMISE_NOTE_RADIUS_M` (great-circle distance), hazards
 * first, then nearest.
 */
@Injectable()
export class PremiseNotesService {
  private readonly radiusM: number;

  constructor(
    private readonly ds: DataSource,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.radiusM = config.PREMISE_NOTE_RADIUS_M;
  }

  /** Notes within the radius of (`lat`, `lon`) WGS84 degrees, hazards first, then nearest. */
  async near(lat: number, lon: number): Promise<PremiseNoteView[]> {
    if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) throw new InvalidInput('lat and lon must be WGS84 degrees (lat -90..90, lon -180..180)');
    const dLat = this.radiusM / M_PER_DEG;
    const dLon = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
    const rows: PremiseNoteRow[] = await this.ds
      .getRepository(PremiseNoteRow)
      .createQueryBuilder('n')
      .where('n.lat BETWEEN :a AND :b AND n.lon BETWEEN :c AND :d', { a: lat - dLat, b: lat + dLat, c: lon - dLon, d: lon + dLon })
      .getMany();
    return rows
      .map((r) => ({ r, d: haversineMetres(lat, lon, r.lat, r.lon) }))
      .filter((x) => x.d <= this.radiusM)
      .sort((x, y) => (x.r.kind === y.r.kind ? x.d - y.d : x.r.kind === 'hazard' ? -1 : 1))
      .map((x) => view(x.r, x.d));
  }

  /** Notes at an incident's point. @throws NotFound (404) */
  async forIncident(incidentId: string): Promise<PremiseNoteView[]> {
    const i = await this.ds.getRepository(Incident).findOneBy({ id: incidentId });
    if (!i) throw new NotFound('incident', incidentId);
    return this.near(i.lat, i.lon);
  }

  /**
   * Earlier incidents at an incident's location: of the same world (live, or the same drill), created
   * before it, within `PREMISE_NOTE_RADIUS_M` of its point, newest first (at most `limit`).
   * @throws NotFound (404) for an unknown incident
   */
  async history(incidentId: string, limit = 20): Promise<EarlierIncident[]> {
    const i = await this.ds.getRepository(Incident).findOneBy({ id: incidentId });
    if (!i) throw new NotFound('incident', incidentId);
    const dLat = this.radiusM / M_PER_DEG;
    const dLon = dLat / Math.max(0.01, Math.cos((i.lat * Math.PI) / 180));
    const rows: Incident[] = await this.ds
      .getRepository(Incident)
      .createQueryBuilder('i')
      .where('i.lat BETWEEN :a AND :b AND i.lon BETWEEN :c AND :d', { a: i.lat - dLat, b: i.lat + dLat, c: i.lon - dLon, d: i.lon + dLon })
      .andWhere('i.id <> :id AND i.created_at < :at AND i.drill_id IS NOT DISTINCT FROM :drill', { id: i.id, at: i.createdAt, drill: i.drillId })
      .orderBy('i.created_at', 'DESC')
      .limit(limit * 4)
      .getMany();
    return rows
      .map((r) => ({ r, d: haversineMetres(i.lat, i.lon, r.lat, r.lon) }))
      .filter((x) => x.d <= this.radiusM)
      .slice(0, limit)
      .map(({ r, d }) => ({
        id: r.id,
        type: r.type,
        priority: r.priority,
        status: r.status,
        address: r.address,
        disposition: r.disposition,
        createdAt: r.createdAt.toISOString(),
        distanceM: Math.round(d),
      }));
  }

  async create(n: PremiseNoteInput, by: string): Promise<PremiseNoteView> {
    const repo = this.ds.getRepository(PremiseNoteRow);
    const saved = await repo.save(repo.create({ lat: n.lat, lon: n.lon, address: n.address ?? null, kind: n.kind, text: n.text, updatedBy: by }));
    return view(await repo.findOneByOrFail({ id: saved.id }));
  }

  /** Replaces a note. @throws NotFound (404) */
  async update(id: string, n: PremiseNoteInput, by: string): Promise<PremiseNoteView> {
    const repo = this.ds.getRepository(PremiseNoteRow);
    const r = await this.find(id);
    await repo.update({ id: r.id }, { lat: n.lat, lon: n.lon, address: n.address ?? null, kind: n.kind, text: n.text, updatedBy: by, updatedAt: new Date() });
    return view(await repo.findOneByOrFail({ id: r.id }));
  }

  /** Deletes a note. @throws NotFound (404) */
  async remove(id: string): Promise<void> {
    const r = await this.find(id);
    await this.ds.getRepository(PremiseNoteRow).delete({ id: r.id });
  }

  private async find(id: string): Promise<PremiseNoteRow> {
    const r = /^\d{1,18}$/.test(id) ? await this.ds.getRepository(PremiseNoteRow).findOneBy({ id }) : null;
    if (!r) throw new NotFound('premise note', id);
    return r;
  }
}
